"""``portal provision``: create on a portal what discovery found missing, and nothing else.

Idempotent by construction: every run starts with a discovery and creates only what it reports as
missing and fixable, so a second run (or a run after an interrupted one) creates nothing twice.
Everything made carries the XML_ID or CODE discovery looks for first. Creating pipelines, fields
and lists takes an administrator; a webhook of anyone else gets a clear refusal before any write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..b24.batch import Batch
from ..b24.crm import Crm
from ..b24.disk import Disk
from ..b24.errors import AccessError, AmbiguousWriteError, AuthError
from ..b24.user import current_user
from . import schema
from .discover import Discovery, discover
from .problems import quoted
from .provision_lists import provision_lists
from .settings import PortalSettings
from .snapshot import stage_query
from .stages import plan_stages, stages_from_rows

if TYPE_CHECKING:
    from ..b24.client import B24Client

log = logging.getLogger(__name__)


class ProvisionError(Exception):
    """Provisioning refused or stopped; the text is one Russian sentence, ``actions`` what was done before."""

    def __init__(self, message: str, actions: list[Action] | None = None) -> None:
        super().__init__(message)
        self.actions = list(actions or [])


@dataclass(frozen=True)
class Action:
    kind: str  # created, renamed, deleted, updated, failed
    what: str  # a Russian sentence

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "what": self.what}


@dataclass
class ProvisionReport:
    actions: list[Action]
    before: Discovery
    after: Discovery

    @property
    def changed(self) -> bool:
        return any(action.kind != "failed" for action in self.actions)

    def text(self) -> str:
        if not self.actions:
            lines = ["На портале уже есть всё, что программа умеет создать; ничего не изменено."]
        else:
            lines = ["Сделано на портале:", *(f"  {'✗' if a.kind == 'failed' else '✓'} {a.what}" for a in self.actions)]
        if self.after.problems:
            lines.append("Осталось:")
            lines.extend(f"  ! {problem.message}" for problem in self.after.problems)
        lines.append("Схема ДПО на портале полная." if self.after.complete
                     else "Схема ДПО на портале всё ещё неполная.")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {"actions": [action.as_dict() for action in self.actions], "complete": self.after.complete,
                "problems": [problem.as_dict() for problem in self.after.problems]}


async def provision(client: B24Client, settings: PortalSettings | None = None) -> ProvisionReport:
    settings = settings or PortalSettings()
    before = await discover(client, settings)
    if not before.fixable:
        return ProvisionReport([], before, before)
    user = await current_user(client)
    if not user.admin:
        raise ProvisionError(
            "Создавать воронку, поля и списки может только администратор портала, а вебхук профиля принадлежит "
            f"пользователю «{user.display_name}» без прав администратора. Попросите администратора выполнить "
            "«dpo-desktop portal provision» со своим вебхуком или создать недостающее вручную.")
    work = _Provisioner(client, settings, before)
    try:
        await work.run()
    except (AccessError, AuthError) as error:
        raise ProvisionError(f"Портал отказал в доступе при создании схемы ДПО ({error.description}). "
                             "Нужен вебхук администратора с правами crm, lists и disk.", work.actions) from None
    except AmbiguousWriteError:
        raise ProvisionError("Ответ портала потерян, часть схемы могла быть создана. Запустите "
                             "«dpo-desktop portal provision» ещё раз: созданное повторно не появится.",
                             work.actions) from None
    after = await discover(client, settings)
    log.info("provisioning: %d actions, complete=%s", len(work.actions), after.complete)
    return ProvisionReport(work.actions, before, after)


@dataclass
class _Provisioner:
    client: B24Client
    settings: PortalSettings
    before: Discovery
    actions: list[Action] = field(default_factory=list)

    def done(self, kind: str, what: str) -> None:
        self.actions.append(Action(kind, what))

    async def run(self) -> None:
        keys = {problem.key for problem in self.before.fixable}
        if "pipeline" in keys or "stages" in keys:
            await self._pipeline(create="pipeline" in keys)
        for entity, specs in (("deal", schema.DEAL_FIELDS), ("contact", schema.CONTACT_FIELDS)):
            missing = [spec for spec in specs if f"{entity}_field:{spec.logical}" in keys]
            if missing:
                await self._userfields(entity, missing)
        await provision_lists(self.client, self.settings, self.before, keys, self.done)
        if "archive" in keys and self.before.snapshot.common is not None:
            folder = await Disk(self.client).ensure_folder(self.before.snapshot.common.root_folder_id,
                                                           self.settings.archive_folder)
            self.done("created", f"Создана папка «{folder.name}» на общем диске (ID {folder.id})")

    # -- the pipeline and its stages ----------------------------------------------------------------

    async def _pipeline(self, *, create: bool) -> None:
        crm = Crm(self.client)
        if create:
            pipeline = await crm.add_pipeline(self.settings.pipeline_name)
            self.done("created", f"Создана воронка сделок «{pipeline.name}» (ID {pipeline.id})")
            pipeline_id, reshape = pipeline.id, True
        else:
            assert self.before.snapshot.pipeline is not None  # a stages problem is only found in a pipeline
            pipeline_id = self.before.snapshot.pipeline.id
            reshape = not await self._has_deals(pipeline_id)
        rows = (await self.client.call("crm.status.list", stage_query(pipeline_id))).result
        plan = plan_stages(stages_from_rows(rows), reshape=reshape)
        if not plan:
            return
        entity = "DEAL_STAGE" if pipeline_id == 0 else f"DEAL_STAGE_{pipeline_id}"
        batch = Batch()
        what: dict[str, tuple[str, str]] = {}
        for index, (stage, spec) in enumerate(plan.renames):
            label = batch.add(f"rename{index}", "crm.status.update",
                              {"id": stage.record_id, "fields": {"NAME": spec.title, "COLOR": spec.color}})
            what[label] = ("renamed", f"Стадия «{stage.name}» названа «{spec.title}»" if stage.name != spec.title
                           else f"Стадии «{spec.title}» задан цвет {spec.color}")
        for index, stage in enumerate(plan.deletes):
            label = batch.add(f"delete{index}", "crm.status.delete", {"id": stage.record_id})
            what[label] = ("deleted", f"Удалена лишняя стадия «{stage.name}»")
        for index, add in enumerate(plan.adds):
            fields: dict[str, Any] = {"ENTITY_ID": entity, "STATUS_ID": add.suffix, "NAME": add.name,
                                      "SORT": add.sort, "COLOR": add.color}
            if add.semantics != "process":
                fields["SEMANTICS"] = "S" if add.semantics == "success" else "F"
            label = batch.add(f"add{index}", "crm.status.add", {"fields": fields})
            what[label] = ("created", f"Добавлена стадия «{add.name}»")
        answer = await self.client.batch(batch)
        for label, (kind, text) in what.items():
            if label in answer.errors:
                self.done("failed", f"{text} — не получилось: {answer.errors[label].description}")
            else:
                self.done(kind, text)

    async def _has_deals(self, pipeline_id: int) -> bool:
        answer = await self.client.call("crm.deal.list", {"filter": {"CATEGORY_ID": pipeline_id},
                                                          "select": ["ID"], "start": -1})
        return bool(answer.result)

    # -- deal and contact fields ----------------------------------------------------------------------

    async def _userfields(self, entity: str, specs: list[schema.CrmFieldSpec]) -> None:
        batch = Batch()
        for index, spec in enumerate(specs):
            batch.add(f"field{index}", f"crm.{entity}.userfield.add", {"fields": userfield_definition(spec, index)})
        answer = await self.client.batch(batch)
        owner = {"deal": "сделки", "contact": "контакта"}[entity]
        for index, spec in enumerate(specs):
            error = answer.errors.get(f"field{index}")
            if error is not None:
                self.done("failed", f"Поле {owner} «{spec.title}» не создано: {error.description}")
            else:
                values = f" со значениями {quoted([value.title for value in spec.values])}" if spec.values else ""
                self.done("created", f"Создано поле {owner} «{spec.title}» ({spec.field_name}){values}")


def userfield_definition(spec: schema.CrmFieldSpec, index: int) -> dict[str, Any]:
    """``crm.*.userfield.add`` fields: our XML_ID, a readable code, Russian labels."""
    labels = {"ru": spec.title, "en": spec.title}
    fields: dict[str, Any] = {
        "FIELD_NAME": spec.xml_id, "USER_TYPE_ID": spec.create_type, "XML_ID": spec.xml_id,
        "SORT": 500 + index * 10, "MULTIPLE": "N", "MANDATORY": "N", "SHOW_FILTER": "E", "EDIT_IN_LIST": "Y",
        "EDIT_FORM_LABEL": labels, "LIST_COLUMN_LABEL": labels, "LIST_FILTER_LABEL": labels,
    }
    if spec.values:
        fields["LIST"] = [{"VALUE": value.title, "XML_ID": value.xml_id, "SORT": (position + 1) * 10, "DEF": "N"}
                          for position, value in enumerate(spec.values)]
        fields["SETTINGS"] = {"DISPLAY": "LIST", "LIST_HEIGHT": 1}
    elif spec.settings:
        fields["SETTINGS"] = dict(spec.settings)
    return fields
