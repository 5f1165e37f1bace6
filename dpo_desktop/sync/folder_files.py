"""The files of one participant's folder during a push: which ones it should hold, and getting them there.

:func:`wanted_files` names the documents as the folder shows them. :class:`FolderWork` holds the folder's
listing and the part of it the push owns (from the record), and brings each missing or changed file in:
a file of ours that only has to be renamed is renamed, a copy whose answer was lost earlier is found by
name and size and kept, anything else is copied on the portal (or uploaded from the local copy in
compatibility mode). After each change the record is written, so a run stopped at any point leaves a
record the next run can trust. Files the push did not put in the folder are never renamed, replaced or
trashed.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .. import paths
from ..b24.disk import DiskObject
from ..b24.errors import BadParametersError, NotFoundError
from ..domain.models import Document, DocumentType
from ..scans.names import portal_file_name
from ..store import PushedFile, PushFolder
from ..store.crypto import DecryptionError
from ..store.crypto_files import plain_view
from .manifest import sha256_of
from .uploader import local_copy_path

if TYPE_CHECKING:
    from .folder_push import FolderPusher, PushResult


class OutOfSpace(Exception):
    """The portal's drive takes no more files (its description, redacted, is the text)."""

QUOTA = "ERROR_COULD_NOT_SAVE_FILE"
_EXTENSION = re.compile(r"\.[0-9a-z]{1,10}")
_KINDS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff", ".tiff": "tiff"}
_TYPE_ORDER = {doc_type: index for index, doc_type in enumerate(DocumentType)}


@dataclass(frozen=True)
class WantedFile:
    name: str  # as the folder shows it: «Паспорт.pdf», «Паспорт (2).jpg»
    document: Document


def wanted_files(documents: Iterable[Document]) -> list[WantedFile]:
    """The files a participant's folder holds: documents on the portal, by type, then element ID."""
    on_portal = sorted((item for item in documents if item.id is not None),
                       key=lambda item: (_TYPE_ORDER[item.type], item.id))
    seen: dict[DocumentType, int] = {}
    files = []
    for document in on_portal:
        number = seen[document.type] = seen.get(document.type, 0) + 1
        suffix = f" ({number})" if number > 1 else ""
        name = portal_file_name(f"{document.type.title}{suffix}{extension_of(document.original_name)}")
        files.append(WantedFile(name, document))
    return files


def extension_of(name: str) -> str:
    """The original name's extension, lower case; none when it is not a plain one («.pdf», «.jpeg»)."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    return suffix if _EXTENSION.fullmatch(suffix) else ""


def copy_name_of(name: str, source: str) -> bool:
    """``name`` is ``source`` or what the portal calls a copy beside it: «Скан.pdf» → «Скан (1).pdf»."""
    stem, dot, extension = source.rpartition(".")
    if not dot or not stem:
        stem, extension = source, ""
    pattern = rf"{re.escape(stem)}(?: \(\d+\))?{re.escape('.' + extension if extension else '')}"
    return re.fullmatch(pattern, name, flags=re.IGNORECASE) is not None


class FolderWork:
    """One participant's folder while it is being pushed."""

    def __init__(self, pusher: FolderPusher, key: str, folder_id: int, path: str, link: str,
                 listing: list[DiskObject], record: PushFolder | None) -> None:
        self.pusher = pusher
        self.disk = pusher.disk
        self.key, self.folder_id, self.path, self.link = key, folder_id, path, link
        self.files = {item.name.casefold(): item for item in listing if item.type == "file" and not item.deleted}
        by_id = {item.id: item for item in self.files.values()}
        self.ours: dict[str, tuple[PushedFile, DiskObject]] = {}  # recorded name -> record, file now
        for pushed in record.files if record is not None else ():
            item = by_id.get(pushed.object_id)
            named = self.files.get(pushed.name.casefold())
            if item is None and named is not None and named.size == pushed.size:
                item = named  # the same name and size: the file the record means
            if item is not None:
                self.ours[pushed.name] = (replace(pushed, object_id=item.id), item)
        self.manifest_id = record.manifest_id if record is not None else None
        self.manifest_sha256 = record.manifest_sha256 if record is not None else ""
        self.placed: dict[str, int] = {}  # wanted name -> size, once the file is in place
        self._sources: set[int] = set()  # the Drive files of the documents being brought in

    # -- the files ------------------------------------------------------------------------------------------

    def in_place(self, wanted: WantedFile, result: PushResult) -> bool:
        entry = self.ours.get(wanted.name)
        if entry is None:
            return False
        pushed, item = entry
        if (_same(pushed, wanted.document) and item.name.casefold() == wanted.name.casefold()
                and item.size == pushed.size):
            self.placed[wanted.name] = pushed.size
            result.skipped.append(wanted.name)
            return True
        return False

    def size_of(self, name: str) -> int | None:
        return self.placed.get(name)

    async def bring(self, todo: list[WantedFile], result: PushResult) -> None:
        sources: dict[str, int] = {}
        infos: dict[int, DiskObject] | None = None
        if self.pusher.drive_mode:
            sources = await self._resolve(todo)
            if self._has_foreign():  # a copy cut short, or someone's file, may stand where ours should
                infos = await self.pusher.source_objects(sources.values())
        for wanted in todo:
            try:
                if await self._reuse(wanted, result):
                    continue
                if self.pusher.drive_mode:
                    await self._copy(wanted, sources.get(wanted.name), infos, result)
                else:
                    await self._upload(wanted, result)
            except BadParametersError as error:
                if error.code == QUOTA:
                    raise OutOfSpace(error.description) from None
                result.problems.append(f"«{wanted.name}»: портал отказал ({error.description})")
            except NotFoundError:  # a file of the folder went away between the listing and now
                result.problems.append(f"«{wanted.name}»: файл в папке исчез во время выкладки; запустите её снова")

    async def clear_unwanted(self, wanted_names: set[str], result: PushResult) -> None:
        """Files this push put here earlier that are no longer documents: to the portal's trash."""
        for name, (_pushed, item) in list(self.ours.items()):
            if name not in wanted_names:
                await self.disk.mark_deleted(item.id)
                self._log_removed(item, "больше не документ участника")
                self._forget(item)
                result.removed.append(name)
                self.record()

    async def write_manifest(self, data: bytes, name: str, result: PushResult) -> None:
        """Write the manifest when it differs from the one recorded (or that one is gone); record the folder."""
        digest = sha256_of(data)
        holder = self.files.get(name.casefold())
        if holder is None or holder.id != self.manifest_id or digest != self.manifest_sha256:
            try:
                # The manifest names people: its file lives in the session's private folder, for the upload only.
                with tempfile.TemporaryDirectory(prefix="dpo-push-", dir=paths.session_dir()) as temporary:
                    path = Path(temporary) / name
                    path.write_bytes(data)
                    # A manifest not in the record is ours too, by its name: the answer of its upload was lost.
                    written = (await self.disk.upload_version(holder.id, path) if holder is not None
                               else await self.disk.upload(self.folder_id, path, name))
            except BadParametersError as error:
                result.problems.append(f"«{name}»: опись не записана ({error.description})")
            else:
                self.files[name.casefold()] = written
                self.manifest_id, self.manifest_sha256 = written.id, digest
                result.manifest_written = True
        self.record()

    def record(self) -> None:
        with self.pusher.store.write() as tx:
            tx.record_push(self.key, folder_id=self.folder_id, path=self.path, link=self.link,
                           manifest_sha256=self.manifest_sha256, manifest_id=self.manifest_id,
                           files=[pushed for pushed, _item in self.ours.values()])

    # -- getting a file in ------------------------------------------------------------------------------------

    async def _reuse(self, wanted: WantedFile, result: PushResult) -> bool:
        """A file of ours already holds this document under another name: rename it."""
        for name, (pushed, item) in list(self.ours.items()):
            if _same(pushed, wanted.document) and item.size == pushed.size:
                if not await self._free(wanted.name, result, keep=item.id):
                    result.problems.append(_foreign_text(wanted.name))
                    return True
                renamed = await self._rename(item, wanted.name)
                del self.ours[name]
                self._own(replace(pushed, name=wanted.name), renamed)
                result.skipped.append(wanted.name)
                return True
        return False

    async def _copy(self, wanted: WantedFile, source: int | None, infos: dict[int, DiskObject] | None,
                    result: PushResult) -> None:
        info = infos.get(source) if infos is not None and source is not None else None
        if source is None or (infos is not None and info is None):
            result.problems.append(f"«{wanted.name}»: файл документа не найден на Диске портала "
                                   "(удалён или недоступен)")
            return
        holder = self.files.get(wanted.name.casefold())
        if holder is not None and not self._is_ours(holder.id):
            if holder.id == source:  # the document's own file already lies here under this name
                self.placed[wanted.name] = holder.size or 0
                result.skipped.append(wanted.name)
            elif info is not None and holder.size == info.size:
                self._own(_pushed(wanted, holder), holder)  # our copy, renamed, whose record was lost
                result.skipped.append(wanted.name)
            else:
                result.problems.append(_foreign_text(wanted.name))
            return
        await self._free(wanted.name, result)
        leftover = self._leftover(source, info) if info is not None else None
        if leftover is not None:  # a copy whose answer was lost: keep it instead of copying again
            self._own(_pushed(wanted, leftover), leftover)
            await self._rename(leftover, wanted.name)
            result.skipped.append(wanted.name)
            return
        try:
            copy = await self._copy_file(source)
        except NotFoundError:
            result.problems.append(f"«{wanted.name}»: файл документа не найден на Диске портала")
            return
        self.files[copy.name.casefold()] = copy
        self._own(_pushed(wanted, copy), copy)  # recorded before the rename: a rename cut short is found again
        if copy.name != wanted.name:
            await self._rename(copy, wanted.name)
        result.copied.append(wanted.name)

    async def _upload(self, wanted: WantedFile, result: PushResult) -> None:
        root, document = self.pusher.local_copies, wanted.document
        kind = _KINDS.get(extension_of(document.original_name))
        local = local_copy_path(root, document.sha256, kind) if root is not None and document.sha256 else None
        if local is None or not local.is_file():
            result.problems.append(f"«{wanted.name}»: на этом компьютере нет копии файла (портал в режиме "
                                   "совместимости не отдаёт файлы); загрузите документ отсюда заново")
            return
        try:  # the copy is sealed at rest; the upload reads a plain one in the session's private folder
            local = plain_view(self.pusher.store.cipher, local, paths.session_dir())
        except DecryptionError:
            result.problems.append(f"«{wanted.name}»: копия файла на этом компьютере не расшифровывается "
                                   "(ключ шифрования сменился); загрузите документ отсюда заново")
            return
        size = local.stat().st_size
        holder = self.files.get(wanted.name.casefold())
        if holder is not None and not self._is_ours(holder.id):
            if holder.size == size:
                self._own(_pushed(wanted, holder), holder)  # uploaded before, the record was lost
                result.skipped.append(wanted.name)
            else:
                result.problems.append(_foreign_text(wanted.name))
            return
        await self._free(wanted.name, result)
        uploaded = await self.disk.upload(self.folder_id, local, wanted.name)
        self.files[uploaded.name.casefold()] = uploaded
        self._own(_pushed(wanted, uploaded), uploaded)
        result.copied.append(wanted.name)

    async def _copy_file(self, source: int) -> DiskObject:
        # A free name: the source may lie in this folder itself; the copy is renamed right after.
        return await self.disk.copy_to(source, self.folder_id, unique_name=True)

    async def _resolve(self, todo: list[WantedFile]) -> dict[str, int]:
        """Wanted name -> the Drive file behind its document's attachment (cached, else asked in batches)."""
        attachments = {item.name: item.document.file_id for item in todo if item.document.file_id is not None}
        store = self.pusher.store
        known = store.drive_objects(attachments.values())
        unknown = [attachment for attachment in set(attachments.values()) if attachment not in known]
        if unknown:
            resolved = await self.disk.resolve_attachments(sorted(unknown))
            if resolved:
                with store.write() as tx:
                    tx.remember_drive_files(resolved)
            known.update(resolved)
        self._sources = set(known.values())
        return {name: known[attachment] for name, attachment in attachments.items() if attachment in known}

    async def _free(self, name: str, result: PushResult, *, keep: int | None = None) -> bool:
        """Make ``name`` free for a file of ours: an older file of ours goes to the trash; False when
        someone else's file holds it."""
        holder = self.files.get(name.casefold())
        if holder is None or holder.id == keep:
            return True
        if not self._is_ours(holder.id):
            return False
        await self.disk.mark_deleted(holder.id)
        self._log_removed(holder, "заменён новым документом")
        self._forget(holder)
        result.removed.append(holder.name)
        self.record()
        return True

    async def _rename(self, item: DiskObject, name: str) -> DiskObject:
        renamed = await self.disk.rename(item.id, name)
        self.files.pop(item.name.casefold(), None)
        self.files[renamed.name.casefold()] = renamed
        for key, (pushed, held) in list(self.ours.items()):
            if held.id == item.id:
                self.ours[key] = (pushed, renamed)
        return renamed

    def _leftover(self, source: int, info: DiskObject) -> DiskObject | None:
        """A copy of ``source`` nobody recorded (its answer was lost): same size, the source's name or the
        name the portal gives a copy beside it."""
        for item in self.files.values():
            if (item.id != source and item.id not in self._sources and not self._is_ours(item.id)
                    and item.size == info.size and copy_name_of(item.name, info.name)):
                return item
        return None

    def _own(self, pushed: PushedFile, item: DiskObject) -> None:
        self.ours[pushed.name] = (pushed, item)
        self.placed[pushed.name] = pushed.size
        self.record()

    def _log_removed(self, item: DiskObject, why: str) -> None:
        """A file of a document taken out of the folder is a deletion of personal data: to the access log."""
        pushed = next((pushed for pushed, held in self.ours.values() if held.id == item.id), None)
        document = self.pusher.store.document_by_code(pushed.document_code) if pushed is not None else None
        deal_id, contact_id = (int(part) for part in self.key.split("-", 1))
        self.pusher.store.log_access("delete", deal_id=deal_id, contact_id=contact_id,
                                     document_id=document.id if document is not None else None,
                                     detail=f"«{pushed.name if pushed else item.name}» из папки участника на Диске "
                                            f"портала — в корзину: {why}")

    def _forget(self, item: DiskObject) -> None:
        self.files.pop(item.name.casefold(), None)
        for key, (_pushed, held) in list(self.ours.items()):
            if held.id == item.id:
                del self.ours[key]

    def _is_ours(self, object_id: int) -> bool:
        return object_id == self.manifest_id or any(item.id == object_id for _pushed, item in self.ours.values())

    def _has_foreign(self) -> bool:
        return any(not self._is_ours(item.id) for item in self.files.values())


def _same(pushed: PushedFile, document: Document) -> bool:
    return pushed.document_code == document.code and pushed.sha256 == document.sha256


def _pushed(wanted: WantedFile, item: DiskObject) -> PushedFile:
    return PushedFile(wanted.name, wanted.document.code, wanted.document.sha256, item.size or 0, item.id)


def _foreign_text(name: str) -> str:
    return (f"«{name}»: в папке уже есть файл с этим именем, положенный не программой; он не тронут, "
            "документ не выложен")
