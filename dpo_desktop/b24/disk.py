"""Drive: storages, folders, streamed two-step uploads, server-side copies and streamed downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import normalize as n
from .errors import AmbiguousWriteError, B24Error, BadParametersError, NotFoundError, ProtocolError

if TYPE_CHECKING:
    from .client import B24Client

NAME_EXISTS = "DISK_OBJ_22000"


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

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> DiskObject:
        object_id = n.to_int(item.get("ID"))
        if object_id is None:
            raise ProtocolError("объект Диска без ID", method="disk")
        return cls(object_id, str(item.get("NAME") or ""), str(item.get("TYPE") or ""),
                   n.to_int(item.get("PARENT_ID")), n.to_int(item.get("SIZE")), item.get("DOWNLOAD_URL"),
                   item.get("DETAIL_URL"), n.to_datetime(item.get("UPDATE_TIME")))


class Disk:
    def __init__(self, client: B24Client) -> None:
        self.client = client

    async def storages(self) -> list[Storage]:
        answer = await self.client.call("disk.storage.getlist")
        return [Storage(int(item["ID"]), str(item.get("NAME") or ""), str(item.get("ENTITY_TYPE") or ""),
                        int(item["ROOT_OBJECT_ID"])) for item in answer.result or []]

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
            found.extend(DiskObject.from_wire(item) for item in answer.result or [])
            if answer.next is None:
                return found
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

    async def upload(self, folder_id: int, path: Path, name: str | None = None, *, unique_name: bool = False,
                     progress: Callable[[int], None] | None = None) -> DiskObject:
        """Upload ``path`` into the folder in two steps (bytes streamed from disk, never base64).

        A lost answer is settled by looking for a file of that name and size in the folder.
        """
        name = name or path.name
        size = path.stat().st_size
        answer = await self.client.call("disk.folder.uploadfile", {
            "id": folder_id, "data": {"NAME": name}, "generateUniqueName": unique_name}, idempotent=True)
        target = answer.result if isinstance(answer.result, dict) else {}
        if "uploadUrl" not in target:
            raise ProtocolError("портал не дал адрес загрузки (uploadUrl)", method="disk.folder.uploadfile")
        try:
            result = await self.client.upload(str(target["uploadUrl"]), str(target.get("field") or "file"), path,
                                              name, progress)
        except AmbiguousWriteError:
            landed = await self.child(folder_id, name)
            if landed is not None and landed.size == size:
                return landed
            raise
        return DiskObject.from_wire(result)

    async def copy_to(self, file_id: int, folder_id: int) -> DiskObject:
        answer = await self.client.call("disk.file.copyto", {"id": file_id, "targetFolderId": folder_id})
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

    async def attached_object(self, attached_id: int) -> dict[str, Any]:
        answer = await self.client.call("disk.attachedObject.get", {"id": attached_id})
        if not isinstance(answer.result, dict):
            raise ProtocolError("disk.attachedObject.get: не объект", method="disk.attachedObject.get")
        return answer.result


def name_clash(error: B24Error) -> bool:
    return error.code == NAME_EXISTS
