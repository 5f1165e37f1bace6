"""The report of ``dpo-desktop portal check``: what was found where and what is missing, in plain words.

:class:`CheckReport` renders a discovery for a person (:meth:`CheckReport.text`) and for a script
(:meth:`CheckReport.as_dict`, printed by ``--json``). It never contains the webhook: only the
portal's address, which the profile shows anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .discover import Discovery, discover, summary
from .problems import PROVISION

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from .settings import PortalSettings

HOW = {"code": "по коду", "xml_id": "по XML_ID", "name": "по названию", "link": "по привязке к CRM",
       "id": "по ID", "entity_type": "по типу диска", "pipeline": "по воронке"}


@dataclass
class CheckReport:
    discovery: Discovery
    portal: str = ""  # the portal's address (no secret)

    @property
    def complete(self) -> bool:
        return self.discovery.complete

    def lines(self) -> list[str]:
        discovery = self.discovery
        lines = [f"Портал {self.portal}" if self.portal else "Портал"]
        if discovery.found:
            lines.append("Найдено:")
            lines.extend(f"  ✓ {item.title}: {item.location} ({HOW.get(item.matched_by, item.matched_by)})"
                         for item in discovery.found)
        blocking = [item for item in discovery.problems if item.blocking]
        warnings = [item for item in discovery.problems if not item.blocking]
        if blocking:
            lines.append("Не хватает (без этого программа не может работать с порталом):")
            lines.extend(f"  ✗ {item.message}" for item in blocking)
        if warnings:
            lines.append("Замечания:")
            lines.extend(f"  ! {item.message}" for item in warnings)
        lines.append(self.verdict())
        return lines

    def verdict(self) -> str:
        problems = self.discovery.problems
        fixable = len(self.discovery.fixable)
        if self.complete and not problems:
            return "Итог: схема ДПО на портале найдена полностью."
        if self.complete:
            return f"Итог: схема ДПО найдена, работать можно; замечаний: {len(problems)}." + (
                f" Часть из них ({fixable}) исправит {PROVISION}." if fixable else "")
        tail = (f" {PROVISION} исправит {fixable} из {len(problems)}." if fixable
                else " Исправить их нужно вручную на портале.")
        return f"Итог: схема ДПО на портале неполная, проблем: {len(problems)}.{tail}"

    def text(self) -> str:
        return "\n".join(self.lines())

    def as_dict(self) -> dict[str, Any]:
        discovery = self.discovery
        mapping = discovery.mapping.model_dump(mode="json") if discovery.mapping is not None else None
        return {
            "portal": self.portal,
            "complete": discovery.complete,
            "summary": summary(discovery),
            "found": [item.as_dict() for item in discovery.found],
            "problems": [item.as_dict() for item in discovery.problems],
            "mapping": mapping,
        }


async def check(client: B24Client, settings: PortalSettings | None = None) -> CheckReport:
    """Discover the schema on the client's portal and make the report."""
    return CheckReport(await discover(client, settings), portal=client.auth.base)
