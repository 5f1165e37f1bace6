"""What a ``DOCUMENT_ID`` triple ``[module, entity, id]`` points at, and that document's type.

A business process runs on a document; ``bizproc.workflow.start`` compares the document's type with
its template's (``DEAL``, ``CONTACT``, ``STORAGE_3``, ``iblock_12`` …). Resolvers are registered per
(module, entity); another family can add its own (the lists family: ``iblock_<id>`` of an element).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..state import PortalState

# (module, entity) -> resolver(state, document id) -> document type, or None when there is no such document.
Resolver = Callable[["PortalState", str], str | None]
RESOLVERS: dict[tuple[str, str], Resolver] = {}


def register_document_type(module_id: str, entity: str, resolver: Resolver) -> None:
    RESOLVERS[(module_id, entity)] = resolver


def document_type(state: PortalState, module_id: str, entity: str, document_id: str) -> str | None:
    resolver = RESOLVERS.get((module_id, entity))
    return resolver(state, document_id) if resolver is not None else None


def _crm(prefix: str, kind: str) -> Resolver:
    def resolve(state: PortalState, document_id: str) -> str | None:
        head, _, number = document_id.partition("_")
        if head != prefix or not number.isdigit():
            return None
        entity = getattr(state.crm, kind)
        return prefix if int(number) in entity.table else None
    return resolve


def _disk_file(state: PortalState, document_id: str) -> str | None:
    if not document_id.isdigit() or not state.disk.file_exists(int(document_id)):
        return None
    return f"STORAGE_{state.disk.objects[int(document_id)]['STORAGE_ID']}"


register_document_type("crm", "CCrmDocumentDeal", _crm("DEAL", "deals"))
register_document_type("crm", "CCrmDocumentContact", _crm("CONTACT", "contacts"))
register_document_type("crm", "CCrmDocumentCompany", _crm("COMPANY", "companies"))
register_document_type("disk", "Bitrix\\Disk\\BizProcDocument", _disk_file)
