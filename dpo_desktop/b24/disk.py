"""Drive: storages, folders, streamed two-step uploads, new versions, renames, server-side copies,
streamed downloads, and attachment IDs (what ``S:DiskFile`` list values read back as) resolved to files.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..scans.names import portal_file_name
from . import normalize as n
from . import shapes
from .batch import MAX_COMMANDS, Batch
from .errors import (
    AmbiguousWriteError,
    B24Error,
    BadParametersError,
    LimitError,
    NotFoundError,
    OperatingLimitError,
    ProtocolError,
)

if TYPE_CHECKING:
    from .client import Answer, B24Client

NAME_EXISTS = "DISK_OBJ_22000"
# The largest new version sent inline as base64 (a request grows by a third); the manifest is a few KiB.
INLINE_VERSION_LIMIT = 1 << 20
_LIMIT_RETRIES = 5  # batches of attachment look-ups stopped by a rate limit, tried again after a wait


@dataclass(frozen=True)
class Storage:
    id: int
    name: str
    entity_type: str  # "common", "user", "group", "restapp"
    root_folder_id: int


@dataclass(frozen=True)
class DiskObject:
    id: int
    name: str
    type: str  # "file" or "folder"
    parent_id: int | None
    size: int | None
    download_url: str | None
    detail_url: str | None
    updated: datetime | None
    deleted: bool = False  # in the trash (DELETED_TYPE 3), or with its folder (4)

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> DiskObject:
        if not isinstance(item, dict):
            raise ProtocolError("вместо объекта Диска пришло не JSON-объект", method="disk")
        object_id = n.to_int(item.get("ID"))
        if object_id is None:
            raise ProtocolError("объект Диска без ID", method="disk")
        return cls(object_id, str(item.get("NAME") or ""), str(item.get("TYPE") or ""),
                   n.to_int(item.get("PARENT_ID")), n.to_int(item.get("SIZE")), _text_or_none(item.get("DOWNLOAD_URL")),
                   _text_or_none(item.get("DETAIL_URL")), n.to_datetime(item.get("UPDATE_TIME")),
                   n.to_int(item.get("DELETED_TYPE")) is not None)  # "0" and 0 read as None: live


@dataclass(frozen=True)
class UploadTarget:
    folder_id: int
    name: str
    url: str  # single-use
    field: str


class Disk:
    def __init__(self, client: B24Client) -> None:
        self.client = client
        # Whether disk.file.uploadVersion answers an uploadUrl: unknown until the first version is sent.
        self._version_url_offered: bool | None = None

    async def storages(self) -> list[Storage]:
        method = "disk.storage.getlist"
        answer = await self.client.call(method)
        return [Storage(shapes.identifier(item.get("ID"), "хранилище", method), str(item.get("NAME") or ""),
                        str(item.get("ENTITY_TYPE") or ""),
                        shapes.identifier(item.get("ROOT_OBJECT_ID"), "корневая папка хранилища", method))
                for item in shapes.rows(answer.result, method)]

    async def common_storage(self) -> Storage:
        """The company drive; its NAME is localised, so it is found by ENTITY_TYPE."""
        for storage in await self.storages():
            if storage.entity_type == "common":
                return storage
        raise NotFoundError("на портале нет общего диска", method="disk.storage.getlist")

    async def children(self, folder_id: int, *, name: str | None = None) -> list[DiskObject]:
        found: list[DiskObject] = []
        start = 0
        while True:
            params: dict[str, Any] = {"id": folder_id, "start": start}
            if name is not None:
                params["filter"] = {"NAME": name}
            answer = await self.client.call("disk.folder.getchildren", params)
            found.extend(DiskObject.from_wire(item) for item in shapes.rows(answer.result, "disk.folder.getchildren"))
            if answer.next is None:
                return found
            if answer.next <= start:  # a portal that sends the same page again would be read forever
                raise ProtocolError(f"портал снова отдаёт страницу с {answer.next}: список папки не читается",
                                    method="disk.folder.getchildren")
            start = answer.next

    async def child(self, folder_id: int, name: str) -> DiskObject | None:
        matches = [item for item in await self.children(folder_id, name=name) if item.name == name]
        return matches[0] if matches else None

    async def ensure_folder(self, parent_id: int, name: str) -> DiskObject:
        """The subfolder ``name``, created when missing (a concurrent creation is read back)."""
        existing = await self.child(parent_id, name)
        if existing is not None:
            return existing
        try:
            answer = await self.client.call("disk.folder.addsubfolder", {"id": parent_id, "data": {"NAME": name}})
            return DiskObject.from_wire(answer.result)
        except (AmbiguousWriteError, BadParametersError) as error:
            if isinstance(error, BadParametersError) and error.code != NAME_EXISTS:
                raise
            existing = await self.child(parent_id, name)
            if existing is None:
                raise
            return existing

    async def ensure_path(self, root_id: int, parts: list[str]) -> DiskObject:
        folder: DiskObject | None = None
        parent = root_id
        for part in parts:
            folder = await self.ensure_folder(parent, part)
            parent = folder.id
        if folder is None:
            raise ValueError("empty folder path")
        return folder

    async def get_file(self, file_id: int) -> DiskObject:
        answer = await self.client.call("disk.file.get", {"id": file_id})
        return DiskObject.from_wire(answer.result)

    async def folder(self, folder_id: int) -> DiskObject:
        """The folder; NotFoundError when it is gone, and also when it is in the trash."""
        folder = _object(await self.client.call("disk.folder.get", {"id": folder_id}), "disk.folder.get")
        if folder.deleted:
            raise NotFoundError(f"папка {folder_id} в корзине", method="disk.folder.get")
        return folder

    async def upload(self, folder_id: int, path: Path, name: str | None = None, *, unique_name: bool = False,
                     progress: Callable[[int], None] | None = None) -> DiskObject:
        """Upload ``path`` into the folder in two steps (bytes streamed from disk, never base64)."""
        name = name or path.name
        target = await self.upload_target(folder_id, name, unique_name=unique_name)
        return await self.send(target, path, progress)

    async def upload_target(self, folder_id: int, name: str, *, unique_name: bool = False) -> UploadTarget:
        """Step one: where the portal takes the bytes of a new file ``name`` (a single-use ``uploadUrl``)."""
        answer = await self.client.call("disk.folder.uploadfile", {
            "id": folder_id, "data": {"NAME": name}, "generateUniqueName": unique_name}, idempotent=True)
        target = answer.result if isinstance(answer.result, dict) else {}
        if not isinstance(target.get("uploadUrl"), str) or not target["uploadUrl"]:
            raise ProtocolError("портал не дал адрес загрузки (uploadUrl)", method="disk.folder.uploadfile")
        return UploadTarget(folder_id, name, str(target["uploadUrl"]), str(target.get("field") or "file"))

    async def send(self, target: UploadTarget, path: Path,
                   progress: Callable[[int], None] | None = None) -> DiskObject:
        """Step two: the bytes, streamed. A lost answer is settled by looking for the file by name and size."""
        size = path.stat().st_size
        try:
            result = await self.client.upload(target.url, target.field, path, target.name, progress)
        except AmbiguousWriteError:
            landed = await self.child(target.folder_id, target.name)
            if landed is not None and landed.size == size:
                return landed
            raise
        return DiskObject.from_wire(result)

    async def upload_version(self, file_id: int, path: Path, *,
                             progress: Callable[[int], None] | None = None) -> DiskObject:
        """Replace the bytes of a file with ``path``'s as its next version; the file keeps its name and ID.

        Streamed in two steps when the portal answers ``disk.file.uploadVersion`` without content
        with an ``uploadUrl`` (asked once per :class:`Disk`). Otherwise — the documented form, and the
        only one the SDKs know — the bytes go as base64 in one call, so files over
        ``INLINE_VERSION_LIMIT`` (1 MiB) are refused with ValueError. Sending the same bytes again
        leaves the same content, so a lost answer is settled by sending them again.
        """
        size = path.stat().st_size
        if self._version_url_offered is not False:
            grant = await self._version_grant(file_id)
            if grant is not None:
                return await self._post_version(file_id, grant, path, progress)
        if size > INLINE_VERSION_LIMIT:
            raise ValueError(f"{path.name}: {size} bytes, a new version sent inline holds at most "
                             f"{INLINE_VERSION_LIMIT} bytes")
        content = base64.b64encode(path.read_bytes()).decode("ascii")
        answer = await self.client.call("disk.file.uploadversion", {"id": file_id, "fileContent": [path.name, content]},
                                        idempotent=True)
        if progress is not None:
            progress(size)
        return _object(answer, "disk.file.uploadversion")

    async def _version_grant(self, file_id: int) -> dict[str, Any] | None:
        """The two-step grant for a new version, or None when the portal wants the content inline."""
        try:
            # Without fileContent the call stores nothing: it either grants an upload URL or is refused.
            answer = await self.client.call("disk.file.uploadversion", {"id": file_id}, idempotent=True)
        except BadParametersError:
            self._version_url_offered = False
            return None
        if not isinstance(answer.result, dict) or not isinstance(answer.result.get("uploadUrl"), str):
            raise ProtocolError("disk.file.uploadVersion без содержимого: нет uploadUrl",
                                method="disk.file.uploadversion")
        self._version_url_offered = True
        return answer.result

    async def _post_version(self, file_id: int, grant: dict[str, Any], path: Path,
                            progress: Callable[[int], None] | None) -> DiskObject:
        try:
            result = await self._post(grant, path, progress)
        except AmbiguousWriteError:
            # The URL is single-use: the same bytes once more through a fresh one leave the same content.
            fresh = await self._version_grant(file_id)
            if fresh is None:
                raise
            result = await self._post(fresh, path, progress)
        return DiskObject.from_wire(result)

    async def _post(self, grant: dict[str, Any], path: Path,
                    progress: Callable[[int], None] | None) -> dict[str, Any]:
        return await self.client.upload(str(grant["uploadUrl"]), str(grant.get("field") or "file"), path, path.name,
                                        progress)

    async def rename(self, file_id: int, new_name: str) -> DiskObject:
        """The file under ``new_name``; a name taken in its folder is BadParametersError DISK_OBJ_22000.

        Repeating it is harmless (a file never clashes with itself), so a lost answer is simply repeated.
        """
        answer = await self.client.call("disk.file.rename", {"id": file_id, "newName": new_name}, idempotent=True)
        return _object(answer, "disk.file.rename")

    async def copy_to(self, file_id: int, folder_id: int, *, unique_name: bool = False) -> DiskObject:
        params: dict[str, Any] = {"id": file_id, "targetFolderId": folder_id}
        if unique_name:
            params["generateUniqueName"] = True
        answer = await self.client.call("disk.file.copyto", params)
        return DiskObject.from_wire(answer.result)

    async def mark_deleted(self, file_id: int) -> None:
        try:
            await self.client.call("disk.file.markdeleted", {"id": file_id}, idempotent=True)
        except NotFoundError:
            pass

    async def download(self, file: DiskObject, target: Path, progress: Callable[[int], None] | None = None) -> int:
        url = file.download_url
        if not url:
            file = await self.get_file(file.id)
            url = file.download_url
        if not url:
            raise ProtocolError(f"у файла {file.id} нет DOWNLOAD_URL", method="disk.file.get")
        return await self.client.download(url, target, progress)

    async def download_into(self, file: DiskObject, folder: Path,
                            progress: Callable[[int], None] | None = None) -> Path:
        """Download ``file`` into ``folder`` under its Drive name made safe for the local disk.

        The name comes from the portal: «../../x.pdf», «C:\\x.pdf», «CON» or a NUL must not write
        anywhere but ``folder``, so only a cleaned last component is used, and the result is checked.
        """
        target = local_target(folder, file.name)
        await self.download(file, target, progress)
        return target

    async def attached_object(self, attached_id: int) -> dict[str, Any]:
        answer = await self.client.call("disk.attachedObject.get", {"id": attached_id})
        if not isinstance(answer.result, dict):
            raise ProtocolError("disk.attachedObject.get: не объект", method="disk.attachedObject.get")
        return answer.result

    async def resolve_attachments(self, attached_ids: Sequence[int]) -> dict[int, int]:
        """Attachment ID → Drive file ID for ``S:DiskFile`` values, 50 look-ups a batch request.

        Attachments that no longer exist (the file deleted, the value replaced) are left out; any
        other refusal is raised.
        """
        pending = list(dict.fromkeys(int(item) for item in attached_ids))
        resolved: dict[int, int] = {}
        for first in range(0, len(pending), MAX_COMMANDS):
            await self._resolve_batch(pending[first:first + MAX_COMMANDS], resolved)
        return resolved

    async def _resolve_batch(self, chunk: list[int], resolved: dict[int, int]) -> None:
        waits = 0
        while chunk:
            batch = Batch()
            for attached_id in chunk:
                batch.add(f"a{attached_id}", "disk.attachedObject.get", {"id": attached_id})
            result = await self.client.batch(batch)
            limited: list[int] = []
            limit: B24Error | None = None
            for attached_id in chunk:
                error = result.errors.get(f"a{attached_id}")
                if isinstance(error, NotFoundError):
                    continue
                if isinstance(error, (LimitError, OperatingLimitError)):
                    limited.append(attached_id)
                    limit = error
                    continue
                row = result.get(f"a{attached_id}")  # raises any other error
                object_id = n.to_int(row.get("OBJECT_ID")) if isinstance(row, dict) else None
                if object_id is None:
                    raise ProtocolError(f"вложение {attached_id} без OBJECT_ID", method="disk.attachedObject.get")
                resolved[attached_id] = object_id
            if limit is not None:
                waits += 1
                if waits > _LIMIT_RETRIES:
                    raise limit
                await self.client.pause_for(limit, "disk.attachedObject.get")
            chunk = limited


def _object(answer: Answer, method: str) -> DiskObject:
    if not isinstance(answer.result, dict):
        raise ProtocolError(f"{method}: не объект Диска", method=method)
    return DiskObject.from_wire(answer.result)


def local_target(folder: Path, portal_name: str) -> Path:
    """Where a file the portal calls ``portal_name`` goes inside ``folder``; never outside it."""
    target = folder / portal_file_name(portal_name)
    if target.resolve().parent != folder.resolve():
        raise ProtocolError(f"имя файла с портала ведёт за пределы папки: «{portal_file_name(portal_name)}»",
                            method="download")
    return target


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def name_clash(error: B24Error) -> bool:
    return error.code == NAME_EXISTS
