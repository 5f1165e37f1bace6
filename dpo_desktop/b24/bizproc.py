"""Business processes: the templates an administrator set up, and starting one on a deal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import normalize as n
from . import shapes

if TYPE_CHECKING:
    from .client import B24Client


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    module_id: str
    document_type: str


def deal_document(deal_id: int) -> list[str]:
    return ["crm", "CCrmDocumentDeal", f"DEAL_{deal_id}"]


class Bizproc:
    def __init__(self, client: B24Client) -> None:
        self.client = client

    async def templates(self) -> list[Template]:
        """Administrator only (403 ACCESS_DENIED otherwise)."""
        answer = await self.client.call("bizproc.workflow.template.list", {
            "SELECT": ["ID", "NAME", "MODULE_ID", "DOCUMENT_TYPE"], "ORDER": {"ID": "ASC"}})
        templates = []
        for item in shapes.rows(answer.result, "bizproc.workflow.template.list"):
            document_type = item.get("DOCUMENT_TYPE")
            if isinstance(document_type, list):
                document_type = document_type[-1] if document_type else ""
            templates.append(Template(n.to_int(item.get("ID")) or 0, str(item.get("NAME") or ""),
                                      str(item.get("MODULE_ID") or ""), str(document_type or "")))
        return templates

    async def start(self, template_id: int, document_id: list[str], parameters: dict[str, Any] | None = None) -> str:
        """Start a workflow; the result is its ID. Not repeated after a lost answer (not idempotent)."""
        params: dict[str, Any] = {"TEMPLATE_ID": template_id, "DOCUMENT_ID": document_id}
        if parameters:
            params["PARAMETERS"] = parameters
        answer = await self.client.call("bizproc.workflow.start", params)
        return str(answer.result)
