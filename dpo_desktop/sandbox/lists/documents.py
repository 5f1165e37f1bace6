"""List elements as business-process documents: ``["lists", "Bitrix\\Lists\\BizprocDocumentLists", "777"]``.

Their document type is ``iblock_<list ID>``. (unconfirmed) Which of the two entity names applies to a
plain ``lists`` iblock is not documented; the template's ENTITY says which, so both resolve here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..bizproc.documents import register_document_type

if TYPE_CHECKING:
    from ..state import PortalState


def element_document_type(state: PortalState, document_id: str) -> str | None:
    if not document_id.isdigit():
        return None
    element_id = int(document_id)
    for iblock_id, iblock in state.lists.iblocks.items():
        if element_id in iblock.elements:
            return f"iblock_{iblock_id}"
    return None


for _entity in ("Bitrix\\Lists\\BizprocDocumentLists", "BizprocDocument"):
    register_document_type("lists", _entity, element_document_type)
