"""The remote half of an upload: bytes to the Drive once, then the document element, then the cache.

Every step is committed before the next, and every remote step can be repeated safely:

- the Drive file has a name made of the person, the type and the content hash, in a folder of the deal,
  so an upload whose answer was lost (or whose process was killed) is found again by name and size;
- the list element has ``ELEMENT_CODE`` ``d-{deal}-{contact}-{type}-{hash}``, so a repeated add meets
  ``ERROR_ELEMENT_ALREADY_EXISTS`` and the element is read back in the same batch.

So a queue resumed after a crash, a kill or a dropped connection neither loses nor doubles a document.
In compatibility mode (a list with a plain File property) there is no Drive step: the element carries
the file as base64, streamed into the request body, and a local copy is kept for the folder push.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..b24 import errors
from ..b24.batch import Batch
from ..b24.disk import Disk, DiskObject, UploadTarget
from ..b24.lists import Lists, disk_file_value, element_from_wire
from ..domain.models import DocumentType, full_name_of
from ..scans.names import portal_file_name
from . import convert
from .upload_queue import prepare

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..portal.mapping import PortalMapping
    from ..store import Store, UploadItem

log = logging.getLogger("dpo.upload")

UPLOADS_FOLDER = ("ДПО", "Загрузки DPO Desk")
FILE_MARKER = "\x00dpo-file-content\x00"  # where the streamed base64 goes in a compatibility-mode body
_OFFLINE = (errors.UnavailableError, errors.LimitError, errors.OperatingLimitError)
_QUOTA = "ERROR_COULD_NOT_SAVE_FILE"
LINK_BATCH = 25  # files whose elements are made in one batch request (two commands each, 50 at most)


@dataclass
class UploadStats:
    done: int = 0
    already: int = 0  # the same document was on the portal before
    failed: int = 0
    attention: int = 0
    duplicates: int = 0
    cancelled: int = 0
    waiting: int = 0  # stopped by the connection: these carry on next time
    uploaded_bytes: int = 0
    stopped: str | None = None  # why the run stopped early (offline, no access, the drive is full)
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "already": self.already, "failed": self.failed, "attention": self.attention,
                "duplicates": self.duplicates, "cancelled": self.cancelled, "waiting": self.waiting,
                "uploaded_bytes": self.uploaded_bytes, "stopped": self.stopped}


class Stop(Exception):
    """The run cannot go on (offline, no access, the drive is full): what is left waits."""


class Uploader:
    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping, *, local_copies: Path | None = None,
                 on_change: Callable[[UploadItem], None] | None = None) -> None:
        self.client = client
        self.store = store
        self.mapping = mapping
        self.disk = Disk(client)
        self.lists = Lists(client, mapping.documents.iblock_type)
        self.local_copies = local_copies
        self.on_change = on_change
        self._folders: dict[int, int] = {}
        self._alive: dict[tuple[str, int], bool] = {}

    @property
    def drive_mode(self) -> bool:
        return self.mapping.file_mode != "file"

    async def run(self, ids: Iterable[int] | None = None) -> UploadStats:
        """Carry every working row (or the given ones) as far as it goes; report what became of them.

        Three things overlap: the next file is inspected and hashed on a worker thread, its REST step
        (the upload URL) runs while this file's bytes travel, and in Drive mode the elements of up to
        :data:`LINK_BATCH` uploaded files are made in one batch request.
        """
        stats = UploadStats()
        wanted = set(ids) if ids is not None else None
        await self._forget_cancelled_bytes()
        items = [item for item in self.store.uploads(["queued", "hashed", "classified", "uploading", "linked"])
                 if wanted is None or item.id in wanted]
        ahead: asyncio.Future[UploadItem] | None = None
        transfer: tuple[UploadItem, asyncio.Future[UploadItem]] | None = None  # bytes on their way
        unlinked: list[UploadItem] = []
        try:
            for position, item in enumerate(items):
                item = await ahead if ahead is not None else await self._prepared(item)
                ahead = None
                if position + 1 < len(items) and items[position + 1].state in ("queued", "hashed"):
                    ahead = asyncio.ensure_future(self._prepared(items[position + 1]))
                try:
                    item, target = await self._step(item, stats)
                    if item.state == "queued":  # the file changed after it was checked: check it again, once
                        item, target = await self._step(await self._prepared(item), stats)
                    if transfer is not None:
                        previous, transfer = transfer, None
                        await self._place(await self._arrived(previous, stats), unlinked, stats)
                    if target is not None:
                        transfer = (item, asyncio.ensure_future(self._transferred(item, target, stats)))
                    else:
                        await self._place(item, unlinked, stats)
                except Stop as stop:
                    if transfer is not None:
                        await self._settle(transfer, stats)
                        transfer = None
                    self._count(self.store.upload(item.id) or item, stats)  # failed (drive full) or waiting
                    stats.waiting += len(items) - position - 1
                    self._stopped(stats, stop)
                    break
            if transfer is not None:
                previous, transfer = transfer, None
                await self._place(await self._arrived(previous, stats), unlinked, stats)
            await self._link_all(unlinked, stats)
        except Stop as stop:  # the last bytes or elements found the portal gone
            stats.waiting += len(unlinked)
            if stats.stopped is None:
                self._stopped(stats, stop)
        finally:
            if ahead is not None:
                await ahead  # a worker thread cannot be cancelled; its row is committed and resumes later
            if transfer is not None:
                await self._settle(transfer, stats)
        return stats

    async def _prepared(self, item: UploadItem) -> UploadItem:
        """The local steps (inspect, hash, classify) on a worker thread: they read whole files."""
        if item.state not in ("queued", "hashed"):
            return item
        return self._announce(await asyncio.to_thread(prepare, self.store, item, self.mapping.documents))

    async def _place(self, item: UploadItem, unlinked: list[UploadItem], stats: UploadStats) -> None:
        """A file whose bytes are on the Drive waits for its element (made in batches); the rest is counted."""
        if self.drive_mode and item.state in ("uploading", "linked") and item.object_id is not None:
            unlinked.append(item)
            if len(unlinked) >= LINK_BATCH:
                await self._link_all(unlinked, stats)
        else:
            self._count(item, stats)

    async def _arrived(self, transfer: tuple[UploadItem, asyncio.Future[UploadItem]],
                       stats: UploadStats) -> UploadItem:
        """The file whose bytes were on their way; when they stopped the run, that file is counted here."""
        item, future = transfer
        try:
            return await future
        except Stop:
            self._count(self.store.upload(item.id) or item, stats)
            raise

    async def _settle(self, transfer: tuple[UploadItem, asyncio.Future[UploadItem]], stats: UploadStats) -> None:
        """Wait for bytes already on their way when the run stops; they are found again next time."""
        try:
            self._count(await self._arrived(transfer, stats), stats)
        except Stop:
            pass

    @staticmethod
    def _stopped(stats: UploadStats, stop: Stop) -> None:
        stats.stopped = str(stop)
        stats.messages.append(str(stop))

    async def _step(self, item: UploadItem, stats: UploadStats) -> tuple[UploadItem, UploadTarget | None]:
        """A file's REST steps: in Drive mode up to the upload URL (the bytes go as a transfer), in
        compatibility mode the whole element."""
        try:
            if item.state == "classified" and not await self._owners_alive(item):
                return item, None
            if not self.drive_mode:
                if item.state in ("classified", "uploading", "linked"):
                    item = await self._link(item, stats)
                return item, None
            if item.state in ("classified", "uploading") and item.object_id is None:
                return await self._bytes_target(item)
            return item, None
        except Exception as error:  # sorted into Stop, the file's failure, or raised on
            return self._failed(item, error), None

    async def _transferred(self, item: UploadItem, target: UploadTarget, stats: UploadStats) -> UploadItem:
        """The file's bytes to its upload URL; the Drive object is recorded at once."""
        try:
            try:
                landed = await self.disk.send(target, Path(item.path))
            except errors.BadParametersError as error:
                if error.code != "DISK_OBJ_22000":
                    raise
                landed = await self._landed_or_again(item, target)
            stats.uploaded_bytes += item.size or 0
            return self._set(item, "uploading", object_id=landed.id)
        except Exception as error:  # as in _step
            return self._failed(item, error)

    def _failed(self, item: UploadItem, error: Exception) -> UploadItem:
        """What an error means for the run (Stop) or for this file (failed, with a reason)."""
        if isinstance(error, _OFFLINE):
            raise Stop(f"Нет связи с порталом ({error.description})") from None
        if isinstance(error, errors.AuthError):
            raise Stop(f"Портал не принял доступ ({error.description})") from None
        if isinstance(error, errors.B24Error):
            if error.code == _QUOTA:
                self._set(item, "failed", reason="На диске портала нет места: освободите место и повторите")
                raise Stop("На диске портала нет места") from None
            return self._set(item, "failed", reason=f"Портал отказал: {error.description}")
        if isinstance(error, FileNotFoundError):
            return self._set(item, "failed", reason=f"Файл «{item.name}» удалён или перемещён до загрузки")
        raise error

    async def _link_all(self, items: list[UploadItem], stats: UploadStats) -> None:
        """Make (or find) the elements of uploaded files, two commands a file in one batch request."""
        if not items:
            return
        try:
            await self._link_batch(items)
        except _OFFLINE as error:
            stats.waiting += len(items)
            items.clear()
            raise Stop(f"Нет связи с порталом ({error.description})") from None
        except errors.AuthError as error:
            stats.waiting += len(items)
            items.clear()
            raise Stop(f"Портал не принял доступ ({error.description})") from None
        except errors.B24Error as error:  # the batch as a whole refused: each file says why
            for item in items:
                self._set(item, "failed", reason=f"Портал отказал: {error.description}")
        for item in items:
            self._count(self.store.upload(item.id) or item, stats)
        items.clear()

    # -- steps ---------------------------------------------------------------------------------------

    async def _owners_alive(self, item: UploadItem) -> bool:
        """The deal and the person still exist on the portal (one question per run and record)."""
        assert item.contact_id is not None
        for entity, record_id in (("deal", item.deal_id), ("contact", item.contact_id)):
            known = self._alive.get((entity, record_id))
            if known is None:
                answer = await self.client.call(f"crm.{entity}.list", {"filter": {"ID": record_id}, "select": ["ID"]})
                known = self._alive[(entity, record_id)] = bool(answer.result)
            if not known:
                what = f"Сделка {record_id} удалена" if entity == "deal" else f"Контакт {record_id} удалён"
                self._set(item, "failed", reason=f"{what} на портале: файл «{item.name}» не загружен")
                return False
        return True

    async def _bytes_target(self, item: UploadItem) -> tuple[UploadItem, UploadTarget | None]:
        """Where this file's bytes go — or nothing to send: linked to the person's existing file, or landed
        before a crash (same name and size in the deal's folder: the name carries the content hash)."""
        if item.decision == "link" and item.duplicate_of:
            existing = await self._existing_object(item.duplicate_of)
            if existing is not None:
                return self._set(item, "uploading", object_id=existing), None
        if not _unchanged(Path(item.path), item):
            return self._set(item, "queued", reason="файл изменился после проверки: проверяется заново"), None
        folder_id = await self._deal_folder(item.deal_id)
        name = drive_name(item)
        if item.state == "uploading":  # its bytes may have landed before the answer was lost
            landed = await self.disk.child(folder_id, name)
            if landed is not None and landed.size == item.size:
                return self._set(item, "uploading", object_id=landed.id), None
        try:
            return item, await self.disk.upload_target(folder_id, name)
        except errors.BadParametersError as error:
            if error.code != "DISK_OBJ_22000":
                raise
        landed = await self.disk.child(folder_id, name)  # a crash after the bytes landed, before we noted them
        if landed is not None and landed.size == item.size:
            return self._set(item, "uploading", object_id=landed.id), None
        return item, await self.disk.upload_target(folder_id, name, unique_name=True)

    async def _landed_or_again(self, item: UploadItem, target: UploadTarget) -> DiskObject:
        """The name was taken by the time the bytes came: ours from before a crash, or send under a new name."""
        landed = await self.disk.child(target.folder_id, target.name)
        if landed is not None and landed.size == item.size:
            return landed
        return await self.disk.upload(target.folder_id, Path(item.path), target.name, unique_name=True)

    async def _existing_object(self, code: str) -> int | None:
        """The Drive file behind the document ``code`` (or behind a queued file that became it)."""
        document = self.store.document_by_code(code)
        if document is not None and document.file_id is not None:
            known = self.store.drive_objects([document.file_id])
            if document.file_id in known:
                return known[document.file_id]
            try:
                attached = await self.disk.attached_object(document.file_id)
            except errors.NotFoundError:
                return None
            object_id = int(attached.get("OBJECT_ID") or 0) or None
            if object_id is not None:
                with self.store.write() as tx:
                    tx.remember_drive_files({document.file_id: object_id})
            return object_id
        return next((other.object_id for other in self.store.uploads(["uploading", "done"])
                     if other.code == code and other.object_id is not None), None)

    async def _deal_folder(self, deal_id: int) -> int:
        if deal_id in self._folders:
            return self._folders[deal_id]
        meta_key = f"uploads_folder:{deal_id}"
        folder_id = self.store.get_meta(meta_key)
        if folder_id is None:
            root = self.mapping.common_root_folder_id
            if root is None:
                root = (await self.disk.common_storage()).root_folder_id
            folder = await self.disk.ensure_path(root, [*UPLOADS_FOLDER, str(deal_id)])
            folder_id = folder.id
            with self.store.write() as tx:
                tx.set_meta(meta_key, folder_id)
        self._folders[deal_id] = int(folder_id)
        return int(folder_id)

    async def _link_batch(self, items: list[UploadItem]) -> None:
        """Drive mode: add each element by its code and read it back, all in one request."""
        ids = {"IBLOCK_TYPE_ID": self.lists.iblock_type, "IBLOCK_ID": self.mapping.documents.iblock_id}
        batch = Batch()
        for item in items:
            batch.add(f"add{item.id}", "lists.element.add", {**ids, "ELEMENT_CODE": item.code,
                                                             "FIELDS": self._element_fields(item)})
            batch.add(f"get{item.id}", "lists.element.get", {**ids, "ELEMENT_CODE": item.code})
        result = await self.client.batch(batch, idempotent=True)  # adds by ELEMENT_CODE repeat safely
        refused = {item.id: error for item in items if (error := result.errors.get(f"add{item.id}")) is not None
                   and error.code != "ERROR_ELEMENT_ALREADY_EXISTS"}
        for item in items:
            if item.id in refused:
                self._set(item, "failed", reason=f"Портал отказал: {refused[item.id].description}")
            else:
                self._store_element(item, result.get(f"get{item.id}") or [])

    async def _link(self, item: UploadItem, stats: UploadStats) -> UploadItem:
        """Compatibility mode: the element carries the bytes; then it is read back."""
        assert item.code is not None
        ids = {"IBLOCK_TYPE_ID": self.lists.iblock_type, "IBLOCK_ID": self.mapping.documents.iblock_id}
        rows = await self._add_with_file(item, ids, self._element_fields(item), stats)
        if self.store.upload(item.id).state == "queued":  # type: ignore[union-attr]
            return self._reload(item)
        self._store_element(item, rows)
        return self._reload(item)

    def _store_element(self, item: UploadItem, rows: list[Any]) -> None:
        """The element as the portal has it goes to the cache; the row is done."""
        if not rows:
            self._set(item, "failed", reason="Портал не показал документ после создания; повторите загрузку")
            return
        element = element_from_wire(rows[0])
        document = convert.document_from_element(element, self.mapping.documents)
        with self.store.write() as tx:
            if document is not None:
                tx.upsert_documents([document])
                if item.object_id is not None and document.file_id is not None:
                    tx.remember_drive_files({document.file_id: item.object_id})
            tx.update_upload(item.id, "done", element_id=element.id, reason="")
        self._reload(item)

    async def _add_with_file(self, item: UploadItem, ids: dict[str, Any], fields: dict[str, Any],
                             stats: UploadStats) -> list[Any]:
        """Compatibility mode: the element carries the bytes (base64 streamed into the body)."""
        existing = await self.lists.element_by_code(ids["IBLOCK_ID"], item.code or "")
        if existing is None:
            path = Path(item.path)
            if not _unchanged(path, item):
                self._set(item, "queued", reason="файл изменился после проверки: проверяется заново")
                return []
            self._keep_local_copy(item)
            file_field = self.mapping.documents.fields["file"].code
            fields = {**fields, file_field: [portal_file_name(item.name), FILE_MARKER]}
            params = {**ids, "ELEMENT_CODE": item.code, "FIELDS": fields}
            try:
                await self.client.call("lists.element.add", params, idempotent=True, file_value=(FILE_MARKER, path))
                stats.uploaded_bytes += item.size or 0
            except errors.BadParametersError as error:
                if error.code != "ERROR_ELEMENT_ALREADY_EXISTS":
                    raise
        answer = await self.client.call("lists.element.get", {**ids, "ELEMENT_CODE": item.code})
        return list(answer.result or [])

    def _keep_local_copy(self, item: UploadItem) -> None:
        if self.local_copies is None or not item.sha256:
            return
        target = local_copy_path(self.local_copies, item.sha256, item.kind)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            shutil.copyfile(item.path, partial)
            partial.replace(target)

    def _element_fields(self, item: UploadItem) -> dict[str, Any]:
        mapping = self.mapping.documents
        assert item.doc_type is not None and item.contact_id is not None and item.sha256 is not None
        doc_type = DocumentType(item.doc_type)
        contact = self.store.contact(item.contact_id)
        person = full_name_of(item.contact_id, contact.last_name, contact.name, contact.second_name) if contact \
            else f"#{item.contact_id}"
        fields: dict[str, Any] = {"NAME": f"{doc_type.title} — {person}"[:255]}

        def put(logical: str, value: Any) -> None:
            ref = mapping.fields.get(logical)
            if ref is not None and value not in (None, ""):
                fields[ref.code] = value

        put("deal", str(item.deal_id))
        put("contact", str(item.contact_id))
        put("type", mapping.fields["type"].value_id(doc_type.value))
        put("sha256", item.sha256)
        put("original_name", item.name)
        put("received", date.today().isoformat())
        status = mapping.fields.get("check_status")
        put("check_status", status.value_id("received") if status else None)
        if self.drive_mode and item.object_id is not None:
            put("file", disk_file_value(item.object_id))
        return fields

    async def _forget_cancelled_bytes(self) -> None:
        """Drive files of cancelled rows that never became documents go to the portal's trash."""
        for item in self.store.uploads(["cancelled"]):
            if item.object_id is not None and item.element_id is None:
                try:
                    await self.disk.mark_deleted(item.object_id)
                except _OFFLINE:
                    return
                self._set(item, "cancelled", object_id=None)

    # -- bookkeeping -----------------------------------------------------------------------------------

    def _set(self, item: UploadItem, state: str, **values: Any) -> UploadItem:
        with self.store.write() as tx:
            tx.update_upload(item.id, state, **values)  # type: ignore[arg-type]
        return self._reload(item)

    def _reload(self, item: UploadItem) -> UploadItem:
        fresh = self.store.upload(item.id)
        assert fresh is not None
        return self._announce(fresh)

    def _announce(self, item: UploadItem) -> UploadItem:
        if self.on_change is not None:
            self.on_change(item)
        return item

    @staticmethod
    def _count(item: UploadItem, stats: UploadStats) -> None:
        if item.state == "done":
            if item.reason:
                stats.already += 1
            else:
                stats.done += 1
        elif item.state == "failed":
            stats.failed += 1
        elif item.state == "attention":
            stats.attention += 1
        elif item.state == "duplicate":
            stats.duplicates += 1
        elif item.state == "cancelled":
            stats.cancelled += 1
        else:
            stats.waiting += 1


def drive_name(item: UploadItem) -> str:
    """The Drive file's name: who, what and which content — the same file always gets the same name."""
    assert item.doc_type is not None and item.sha256 is not None
    extension = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}.get(item.kind or "", "")
    return portal_file_name(f"{item.contact_id} {DocumentType(item.doc_type).title} {item.sha256[:16]}{extension}")


def local_copy_path(root: Path, sha256: str, kind: str | None) -> Path:
    extension = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}.get(kind or "", "")
    return root / sha256[:2] / f"{sha256}{extension}"


def _unchanged(path: Path, item: UploadItem) -> bool:
    stat = path.stat()  # FileNotFoundError: the caller says the file is gone
    return stat.st_size == item.size and (item.mtime_ns is None or stat.st_mtime_ns == item.mtime_ns)
