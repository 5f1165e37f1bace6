"""The portal-side steps of one upload: the Drive folder and name, the bytes' target, the element.

Mixed into :class:`~dpo_desktop.sync.uploader.Uploader`, which runs them in order and keeps the queue's
bookkeeping. Drive mode: the bytes go once to ``ДПО/Загрузки DPO Desk/<deal>/`` under a name made of
the person, the type and the content hash, then the element is made by its ELEMENT_CODE. Compatibility
mode: the element carries the bytes as streamed base64, and a local copy is kept for the folder push.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..b24 import errors
from ..b24.batch import Batch
from ..b24.lists import disk_file_value, element_from_wire
from ..domain.models import DocumentType, full_name_of
from ..scans.names import portal_file_name
from ..store.crypto_files import write_sealed
from . import convert

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..b24.disk import Disk, DiskObject, UploadTarget
    from ..b24.lists import Lists
    from ..portal.mapping import PortalMapping
    from ..store import Store, UploadItem
    from .uploader import UploadStats

UPLOADS_FOLDER = ("ДПО", "Загрузки DPO Desk")
FILE_MARKER = "\x00dpo-file-content\x00"  # where the streamed base64 goes in a compatibility-mode body
_OFFLINE = (errors.UnavailableError, errors.LimitError, errors.OperatingLimitError)


class PortalSteps:
    """What :class:`Uploader` asks of the portal for one file (or a batch of files)."""

    client: B24Client
    store: Store
    mapping: PortalMapping
    disk: Disk
    lists: Lists
    local_copies: Path | None
    _folders: dict[int, int]
    _alive: dict[tuple[str, int], bool]
    _set: Callable[..., UploadItem]  # the queue's bookkeeping, the Uploader's own
    _reload: Callable[[UploadItem], UploadItem]

    @property
    def drive_mode(self) -> bool:
        return self.mapping.file_mode != "file"

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
        if not unchanged(Path(item.path), item):
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
        if document is not None:
            self.store.log_access("upload", deal_id=document.deal_id, contact_id=document.contact_id,
                                  document_id=element.id,
                                  detail=f"{document.type.title}; {item.kind or 'файл'}, {item.size or 0} байт")
        self._reload(item)

    async def _add_with_file(self, item: UploadItem, ids: dict[str, Any], fields: dict[str, Any],
                             stats: UploadStats) -> list[Any]:
        """Compatibility mode: the element carries the bytes (base64 streamed into the body)."""
        existing = await self.lists.element_by_code(ids["IBLOCK_ID"], item.code or "")
        if existing is None:
            path = Path(item.path)
            if not unchanged(path, item):
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
            with open(item.path, "rb") as source:  # sealed at rest, streamed in chunks (up to 100 MB)
                write_sealed(self.store.cipher, target, source)

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
                self.store.log_access("delete", deal_id=item.deal_id, contact_id=item.contact_id,
                                      detail="файл отменённой загрузки перемещён в корзину Диска портала")


def drive_name(item: UploadItem) -> str:
    """The Drive file's name: who, what and which content — the same file always gets the same name."""
    assert item.doc_type is not None and item.sha256 is not None
    extension = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}.get(item.kind or "", "")
    return portal_file_name(f"{item.contact_id} {DocumentType(item.doc_type).title} {item.sha256[:16]}{extension}")


def local_copy_path(root: Path, sha256: str, kind: str | None) -> Path:
    extension = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}.get(kind or "", "")
    return root / sha256[:2] / f"{sha256}{extension}"


def unchanged(path: Path, item: UploadItem) -> bool:
    stat = path.stat()  # FileNotFoundError: the caller says the file is gone
    return stat.st_size == item.size and (item.mtime_ns is None or stat.st_mtime_ns == item.mtime_ns)
