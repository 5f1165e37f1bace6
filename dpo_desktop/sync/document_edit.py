"""Changing a document's type, offline first: the edit goes to the outbox and the cache at once.

The outbox item ``document.retype`` carries the element ID, the new type and the element's
``TIMESTAMP_X`` as the app read it. The push refuses to write over a document changed on the portal
since then (a conflict; the cache gets the portal's version back) and refuses a type under which the
person already has this very content («такой документ уже есть»): two elements would then stand for
one scan of one type, which the upload queue's codes exist to prevent.

The ELEMENT_CODE (``d-{deal}-{contact}-{type}-{hash}``) keeps the type the file was uploaded as:
``lists.element.update`` finds the element by ID *and* code and writes the code it was given, so an
element cannot be re-coded in place. The code stays a unique, stable name; the type property is the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..b24.lists import Lists
from ..domain.models import Document, DocumentType, document_code
from . import convert
from .element_edit import edit_key, read_element

if TYPE_CHECKING:
    from ..portal.mapping import PortalMapping
    from ..store import Store
    from ..store.outbox import OutboxItem

KIND = "document.retype"


class DocumentEditError(ValueError):
    """The edit cannot be made as asked (Russian message for the user)."""


@dataclass(frozen=True)
class DocumentEdit:
    outbox_id: int
    key: str
    document: Document  # the document as the cache now shows it


def retype_document(store: Store, code: str, doc_type: DocumentType) -> DocumentEdit:
    """Queue a new type for the cached document ``code`` and show it in the cache now."""
    document = store.document_by_code(code)
    if document is None:
        raise DocumentEditError("документа нет в кэше: выполните синхронизацию")
    if document.id is None:
        raise DocumentEditError("документ ещё не загружен на портал: тип пока не изменить")
    if document.type is doc_type:
        raise DocumentEditError(f"у документа уже тип «{doc_type.title}»")
    payload = {"document_id": document.id, "type": doc_type.value,
               "base_modified": document.modified.isoformat() if document.modified else None}
    key = edit_key(KIND, document.id, payload)  # ASCII only: the same keys as before ensure_ascii=False
    shown = document.model_copy(update={"type": doc_type})
    with store.write() as tx:
        outbox_id = tx.enqueue(KIND, payload, key)
        tx.upsert_documents([shown])
    return DocumentEdit(outbox_id, key, shown)


async def push_document_retype(client: Any, store: Store, mapping: PortalMapping, item: OutboxItem) -> dict[str, Any]:
    """The pusher's handler for ``document.retype`` (registered in ``sync.push.Pusher``)."""
    from .push import Conflict, Gone  # push registers this handler: import late, no cycle

    documents = mapping.documents
    lists = Lists(client, documents.iblock_type)
    payload = item.payload
    element_id = int(payload["document_id"])
    new_type = DocumentType(payload["type"])
    element = await read_element(client, documents, element_id)
    if element is None:
        raise Gone(f"документ {element_id} удалён на портале; тип не изменён")
    current = convert.document_from_element(element, documents)
    if current is None:
        raise Conflict(f"документ {element.name} на портале без сделки, участника или типа; тип не изменён")
    if current.type is new_type:  # done already (a repeat after a lost answer, or someone did the same)
        _keep(store, current)
        return {"document_id": element_id, "code": current.code}
    base = payload.get("base_modified")
    if base and current.modified and current.modified > datetime.fromisoformat(base):
        _keep(store, current)  # the cache shows the portal's version, not the refused edit
        raise Conflict(f"документ «{element.name}» изменён на портале после того, как вы его открыли; "
                       "тип не изменён")
    type_field = documents.fields["type"]
    value_id = type_field.value_id(new_type.value)
    if value_id is None:
        _keep(store, current)
        raise Conflict(f"в списке документов на портале нет типа «{new_type.title}»; тип не изменён")
    if current.sha256:
        wanted = document_code(current.deal_id, current.contact_id, new_type, current.sha256)
        twin = await lists.element_by_code(documents.iblock_id, wanted)
        if twin is not None and twin.id != element_id:
            _keep(store, current)
            raise Conflict(f"такой документ уже есть: у участника уже есть «{new_type.title}» с этим же файлом; "
                           "тип не изменён")
    await lists.update_element(documents.iblock_id, element_id, {type_field.code: value_id})
    fresh_element = await read_element(client, documents, element_id)
    fresh = convert.document_from_element(fresh_element, documents) if fresh_element is not None else None
    if fresh is not None:
        _keep(store, fresh)
    return {"document_id": element_id, "code": current.code}


def _keep(store: Store, document: Document) -> None:
    with store.write() as tx:
        tx.upsert_documents([document])
