"""How provisioning brings a pipeline's stages to the ДПО set: a plan of renames, deletions and additions.

A new pipeline comes with the portal's default stages (Новая, Подготовка документов, …, Сделка
успешна, Сделка провалена, Анализ причины провала). When the pipeline holds no deals yet it is
*reshaped*: its stages in progress are renamed in order to Заявка, Сбор документов, Обучение,
Итоговая аттестация, the success stage to «Документы выданы», the first failure stage to «Отказ»,
and what is left over is deleted (system stages never are: the portal keeps them). A pipeline that
already holds deals is the office's own: its stages are never renamed or deleted, only the missing
ДПО stages are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..b24 import normalize as n
from ..domain.models import Stage
from . import matching
from .schema import STAGES, StageSpec


@dataclass(frozen=True)
class PortalStage:
    """A stage as ``crm.status.list`` has it: the record ID is what update and delete need."""

    record_id: int
    status_id: str
    name: str
    sort: int
    semantics: str
    system: bool
    color: str | None = None

    def to_domain(self) -> Stage:
        return Stage(status_id=self.status_id, name=self.name, sort=self.sort, color=self.color,
                     semantics=self.semantics)


@dataclass(frozen=True)
class StageAdd:
    suffix: str
    name: str
    sort: int
    color: str
    semantics: str  # process, success, failure


@dataclass
class StagePlan:
    renames: list[tuple[PortalStage, StageSpec]] = field(default_factory=list)
    deletes: list[PortalStage] = field(default_factory=list)
    adds: list[StageAdd] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.renames or self.deletes or self.adds)


def stages_from_rows(rows: Any) -> list[PortalStage]:
    stages = []
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        extra = row.get("EXTRA") if isinstance(row.get("EXTRA"), dict) else {}
        legacy = {"S": "success", "F": "failure"}.get(str(row.get("SEMANTICS") or ""), "process")
        semantics = str(extra.get("SEMANTICS") or legacy)
        stages.append(PortalStage(n.to_int(row.get("ID")) or 0, str(row.get("STATUS_ID") or ""),
                                  str(row.get("NAME") or ""), n.to_int(row.get("SORT")) or 0,
                                  "failure" if semantics == "apology" else semantics,
                                  n.to_bool(row.get("SYSTEM")), row.get("COLOR") or None))
    return sorted(stages, key=lambda stage: (stage.sort, stage.record_id))


def plan_stages(stages: list[PortalStage], *, reshape: bool) -> StagePlan:
    return _reshape(stages) if reshape else _complete(stages)


def _reshape(stages: list[PortalStage]) -> StagePlan:
    plan = StagePlan()
    for semantics in ("process", "success", "failure"):
        current = [stage for stage in stages if stage.semantics == semantics]
        wanted = [spec for spec in STAGES if spec.semantics == semantics]
        for stage, spec in zip(current, wanted, strict=False):
            if stage.name != spec.title or (stage.color or "").upper() != spec.color.upper():
                plan.renames.append((stage, spec))
        plan.deletes.extend(stage for stage in current[len(wanted):] if not stage.system)
        after = _last_sort(stages, semantics)
        for offset, spec in enumerate(wanted[len(current):], start=1):
            plan.adds.append(StageAdd(spec.suffix, spec.title, after + offset, spec.color, spec.semantics))
    return plan


def _complete(stages: list[PortalStage]) -> StagePlan:
    plan = StagePlan()
    names = {matching.norm(stage.name) for stage in stages}
    offsets: dict[str, int] = {}
    for spec in STAGES:
        # One success stage per pipeline: a missing «Документы выданы» is the office's to rename.
        if matching.norm(spec.title) in names or spec.semantics == "success":
            continue
        offsets[spec.semantics] = offsets.get(spec.semantics, 0) + 1
        sort = _last_sort(stages, spec.semantics) + offsets[spec.semantics]
        plan.adds.append(StageAdd(spec.suffix, spec.title, sort, spec.color, spec.semantics))
    return plan


def _last_sort(stages: list[PortalStage], semantics: str) -> int:
    """Where a new stage of this kind goes: after the last one of its kind (before the final stages)."""
    same = [stage.sort for stage in stages if stage.semantics == semantics]
    if same:
        return max(same)
    if semantics == "process":
        return 0
    return max((stage.sort for stage in stages), default=0)
