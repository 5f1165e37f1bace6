"""The local half of an upload: dropped files become queue rows, then are inspected, hashed and classified.

Nothing here touches the network. A file that cannot be taken (empty, not a scan, a folder…) still gets
a row, failed with its reason, so a drop never loses a file silently. A file the app cannot place with
certainty (type or person) waits in ``attention``; one whose content the person already has waits in
``duplicate``: the user decides, never a guess.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.models import DocumentType, document_code
from ..rules.classify import PersonKey, classify
from ..scans.hashing import sha256_file
from ..scans.inspect import MAX_BYTES, ScanRejected, inspect_scan

if TYPE_CHECKING:
    from ..portal.mapping import ListMapping
    from ..store import Store, UploadItem
    from ..store.uploads import Decision


@dataclass(frozen=True)
class UploadRequest:
    """What the user asked for: these files, to this deal, optionally for this person and as this type."""

    paths: Sequence[Path]
    deal_id: int
    contact_id: int | None = None
    doc_type: DocumentType | None = None
    duplicates: Decision | None = None  # what to do with a person's existing content; None: ask
    batch: str = ""


@dataclass
class AddResult:
    added: list[int] = field(default_factory=list)  # new rows
    known: list[int] = field(default_factory=list)  # rows the same request made before (resumed, or done)

    @property
    def ids(self) -> list[int]:
        return [*self.known, *self.added]


def add_files(store: Store, request: UploadRequest) -> AddResult:
    """One queue row per file, idempotently: the same command run again finds its rows instead of adding."""
    result = AddResult()
    with store.write() as tx:
        for path in request.paths:
            absolute = Path(os.path.abspath(path))
            item_id, created = tx.enqueue_upload(
                key=_key(request, absolute), path=str(absolute), name=absolute.name or str(path),
                deal_id=request.deal_id, batch=request.batch, contact_id=request.contact_id,
                doc_type=request.doc_type.value if request.doc_type else None, decision=request.duplicates)
            (result.added if created else result.known).append(item_id)
    return result


def _key(request: UploadRequest, path: Path) -> str:
    """Same deal, person, type and the same file unchanged (size and time): the same row.

    Hashed, because the path names a person and the key is not personal data.
    """
    try:
        stat = path.stat()
        version = f"{stat.st_size}|{stat.st_mtime_ns}"
    except OSError:
        version = "?"
    chosen = f"{request.deal_id}|{request.contact_id or ''}|{request.doc_type or ''}|{path}|{version}"
    return hashlib.sha256(chosen.encode("utf-8", "surrogatepass")).hexdigest()


def prepare(store: Store, item: UploadItem, documents: ListMapping, *, max_bytes: int = MAX_BYTES) -> UploadItem:
    """Take a queued or hashed row as far as the local steps go: hashed, then classified (or stopped)."""
    if item.state == "queued":
        item = _hash(store, item, max_bytes)
    if item.state == "hashed":
        item = _classify(store, item, documents)
    return item


def _hash(store: Store, item: UploadItem, max_bytes: int) -> UploadItem:
    path = Path(item.path)
    try:
        info = inspect_scan(path, max_bytes=max_bytes)
        mtime_ns = path.stat().st_mtime_ns
        digest = sha256_file(path)
    except ScanRejected as rejected:
        return _set(store, item, "failed", reason=rejected.reason)
    except OSError as error:
        return _set(store, item, "failed", reason=f"Файл «{item.name}» не прочитан: {error.strerror or error}")
    return _set(store, item, "hashed", size=info.size, mtime_ns=mtime_ns, sha256=digest, kind=info.kind,
                pages=info.pages, reason="")


def _classify(store: Store, item: UploadItem, documents: ListMapping) -> UploadItem:
    deal = store.deal(item.deal_id)
    if deal is None:
        return _set(store, item, "failed", reason=f"Сделки {item.deal_id} нет в кэше: выполните синхронизацию")
    people = participants_of(store, item.deal_id)
    type_hint = DocumentType(item.doc_type) if item.type_source == "user" and item.doc_type else None
    contact_hint = item.contact_id if item.contact_source == "user" else None
    if contact_hint is not None and contact_hint not in {person.contact_id for person in people}:
        return _set(store, item, "attention",
                    reason=f"Контакт {contact_hint} не участник сделки {item.deal_id}: добавьте его в участники")
    verdict = classify(item.name, people, type_hint=type_hint, contact_hint=contact_hint)
    doc_type, contact_id = verdict.type.type, verdict.person.contact_id
    values = {"doc_type": doc_type.value if doc_type else None, "contact_id": contact_id,
              "type_source": item.type_source or ("auto" if doc_type else None),
              "contact_source": item.contact_source or ("auto" if contact_id is not None else None),
              "confidence": min(verdict.type.confidence, verdict.person.confidence)}
    if verdict.needs_attention or doc_type is None or contact_id is None:
        return _set(store, item, "attention", reason="; ".join(verdict.reasons) or "нужно выбрать тип и участника",
                    **values)
    if documents.fields["type"].value_id(doc_type.value) is None:
        return _set(store, item, "failed", reason=f"В списке документов на портале нет типа «{doc_type.title}»: "
                    "добавьте его в список или выберите другой тип", **values)
    assert item.sha256 is not None
    code = document_code(item.deal_id, contact_id, doc_type, item.sha256)
    values["code"] = code
    if store.document_by_code(code) is not None:
        return _set(store, item, "done", reason="уже загружен раньше", **values)
    duplicate = _duplicate_of(store, item, contact_id, code)
    if duplicate is not None and item.decision is None:
        return _set(store, item, "duplicate", duplicate_of=duplicate,
                    reason="у этого человека уже есть документ с таким же содержимым", **values)
    if duplicate is not None and item.decision == "skip":
        return _set(store, item, "cancelled", duplicate_of=duplicate, reason="пропущен: такой документ уже есть",
                    **values)
    return _set(store, item, "classified", duplicate_of=duplicate, reason="", **values)


def _duplicate_of(store: Store, item: UploadItem, contact_id: int, code: str) -> str | None:
    """The code of the person's document (any deal, any type) or earlier queued file with this content."""
    assert item.sha256 is not None
    for document in store.documents_by_sha256(contact_id, item.sha256):
        if document.code != code:
            return document.code
    earlier = store.earlier_upload_of(contact_id, item.sha256, item.id)
    return earlier if earlier != code else None


def participants_of(store: Store, deal_id: int) -> list[PersonKey]:
    participants = store.participants(deal_id=deal_id)
    contacts = {contact.id: contact for contact in store.contacts(p.contact_id for p in participants)}
    people = []
    for participant in participants:
        contact = contacts.get(participant.contact_id)
        if contact is not None:
            people.append(PersonKey(contact.id, contact.last_name, contact.name, contact.second_name, contact.snils))
    return people


def retry(store: Store, ids: Iterable[int], *, contact_id: int | None = None, doc_type: DocumentType | None = None,
          decision: Decision | None = None) -> list[int]:
    """Send failed, attention and duplicate rows round again, with whatever the user now chose."""
    retried = []
    with store.write() as tx:
        for item_id in ids:
            item = store.upload(item_id)
            if item is None or item.state not in ("failed", "attention", "duplicate", "cancelled"):
                continue
            values: dict[str, object] = {"reason": ""}
            if contact_id is not None:
                values.update(contact_id=contact_id, contact_source="user")
            if doc_type is not None:
                values.update(doc_type=doc_type.value, type_source="user")
            if decision is not None:
                values["decision"] = decision
            # Bytes already on the Drive are not sent again; a failure is looked at afresh (the file may
            # have been fixed); a question the user answered resumes from the classification.
            if item.object_id is not None:
                state = "classified"
            elif item.state == "failed" or item.sha256 is None:
                state = "queued"
            else:
                state = "hashed"
            tx.update_upload(item_id, state, **values)
            retried.append(item_id)
    return retried


def cancel(store: Store, ids: Iterable[int]) -> list[int]:
    """Stop rows that have not landed (a document already linked is not undone here)."""
    cancelled = []
    with store.write() as tx:
        for item_id in ids:
            item = store.upload(item_id)
            if item is None or item.state in ("done", "cancelled", "linked"):
                continue
            tx.update_upload(item_id, "cancelled", reason="отменено пользователем")
            cancelled.append(item_id)
    return cancelled


def _set(store: Store, item: UploadItem, state: str, **values: object) -> UploadItem:
    with store.write() as tx:
        tx.update_upload(item.id, state, **values)  # type: ignore[arg-type]
    fresh = store.upload(item.id)
    assert fresh is not None
    return fresh
