"""State of the Drive (disk) family: storages, the folder tree, file bytes, attachments, the quota.

Records are internal (native types); ``shapes.py`` renders them the way each method answers. The
operations here are what the REST methods call and what the seeds and the lists family call, so a
seed builds its drive without HTTP.

An object record (``get_object``) has the wire names with native values::

    ID int, NAME str, CODE None, TYPE "folder" | "file", STORAGE_ID int, PARENT_ID int | None (root),
    DELETED_TYPE int (0 live, 3 in trash, 4 trashed with its folder), CREATE_TIME / UPDATE_TIME float,
    DELETE_TIME float | None, CREATED_BY / UPDATED_BY int, DELETED_BY int | None;
    files also FILE_ID int, SIZE int, GLOBAL_CONTENT_VERSION int, CONTENT bytes | LazyContent, and once a
    version was uploaded VERSION_BYTES int (the bytes of the earlier versions the history keeps).
"""

from __future__ import annotations

import bisect
import importlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import errors
from ..errors import ApiError

if TYPE_CHECKING:
    from ..state import PortalState

COMMON_ENTITY_ID = "shared_files_s1"
COMMON_NAME = "Общий диск"
LIVE, TRASHED, TRASHED_WITH_PARENT = 0, 3, 4


@dataclass(frozen=True)
class LazyContent:
    """A picklable recipe for bytes made on first read (large seeds hold recipes, not bytes)."""

    generator: str  # name registered with register_generator()
    args: tuple
    size: int  # known up front, so listings never generate bytes


_GENERATORS: dict[str, Callable[..., bytes]] = {}


def register_generator(name: str, func: Callable[..., bytes]) -> None:
    _GENERATORS[name] = func


def materialise(content: bytes | LazyContent) -> bytes:
    if isinstance(content, bytes):
        return content
    if content.generator not in _GENERATORS:
        # A state loaded from a file in a process that never built a seed: the seeds register theirs.
        importlib.import_module("dpo_desktop.sandbox.seeds")
    data = _GENERATORS[content.generator](*content.args)
    if len(data) != content.size:
        raise ValueError(f"generator {content.generator!r} made {len(data)} bytes, the recipe says {content.size}")
    return data


def name_exists(kind: str) -> ApiError:
    text = "Папка с таким именем уже есть" if kind == "folder" else "Файл с таким именем уже есть"
    return ApiError(400, "DISK_OBJ_22000", text)


def could_not_save() -> ApiError:
    return ApiError(400, "ERROR_COULD_NOT_SAVE_FILE", "Could not save file")


def unique_name(name: str, taken: Callable[[str], bool]) -> str:
    """``report.pdf`` → ``report (1).pdf`` → ``report (2).pdf``: the first free one."""
    if not taken(name):
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    counter = 1
    while taken(f"{stem} ({counter}){suffix}"):
        counter += 1
    return f"{stem} ({counter}){suffix}"


class DiskState:
    """Storages, objects and attachments of one portal's Drive.

    Attributes:
        quota: bytes the drive may hold (None: unlimited); an upload past it is ERROR_COULD_NOT_SAVE_FILE.
        used_bytes: bytes of every stored file, trashed ones included (the trash counts, as on the portal).
        secret: the per-portal key that signs upload and download links.
        upload_ttl, download_ttl: seconds a signed link stays valid.
        require_browser_headers: a download without the browser-like headers of the reference (§1.4)
            answers nginx's 404 page.
        version_upload_url: ``disk.file.uploadVersion`` without ``fileContent`` answers an ``uploadUrl``
            as ``uploadFile`` does. Off by default: the reference, the docs and b24pysdk know only the
            one-step form, so the stricter portal refuses the call (ERROR_ARGUMENT).
    """

    def __init__(self, root: PortalState) -> None:
        self.root = root
        self.secret = secrets.token_bytes(32)
        self.quota: int | None = None
        # (unconfirmed) how long the portal honours its signed links; the stricter guess is one hour.
        self.upload_ttl = 3600.0
        self.download_ttl = 3600.0
        # (unconfirmed) the reference says a download without these headers "may" get a 404; we insist.
        self.require_browser_headers = True
        # (unconfirmed) no source shows a two-step form for versions; a switch for clients that probe for one.
        self.version_upload_url = False
        self.used_bytes = 0
        self.storages: dict[int, dict[str, Any]] = {}
        self.objects: dict[int, dict[str, Any]] = {}
        self.children: dict[int, list[int]] = {}  # folder ID -> child IDs in creation (= ID) order
        self._names: dict[int, dict[str, int]] = {}  # folder ID -> casefolded live name -> object ID
        self.attachments: dict[int, dict[str, Any]] = {}
        self.pending_uploads: dict[str, dict[str, Any]] = {}  # nonce -> upload grant (single use)
        self._common = self._add_storage(COMMON_NAME, "common", COMMON_ENTITY_ID, user_id=1)

    # -- storages ---------------------------------------------------------------------------------

    def common_storage_id(self) -> int:
        return self._common

    def root_folder(self, storage_id: int) -> int:
        storage = self.storages.get(storage_id)
        if storage is None:
            raise errors.disk_not_found(storage_id)
        return storage["ROOT_OBJECT_ID"]

    def can_read(self, storage_id: int, user_id: int, *, admin: bool) -> bool:
        """The common drive is everyone's; a personal drive is its owner's and the administrators'."""
        storage = self.storages[storage_id]
        return storage["ENTITY_TYPE"] == "common" or admin or storage["ENTITY_ID"] == str(user_id)

    def user_storage_id(self, user_id: int) -> int:
        """The personal drive of a user, made on first use (users are added after the state is built)."""
        for storage in self.storages.values():
            if storage["ENTITY_TYPE"] == "user" and storage["ENTITY_ID"] == str(user_id):
                return storage["ID"]
        user = self.root.users[user_id]
        name = f"{user.name} {user.last_name}".strip()
        return self._add_storage(name, "user", str(user_id), user_id=user_id)

    def _add_storage(self, name: str, entity_type: str, entity_id: str, *, user_id: int) -> int:
        storage_id = self.root.next_id("disk.storage")
        root_id = self._new_object("folder", name, storage_id, None, user_id, self.root.now())
        self.storages[storage_id] = {
            "ID": storage_id, "NAME": name, "CODE": None, "MODULE_ID": "disk",
            "ENTITY_TYPE": entity_type, "ENTITY_ID": entity_id, "ROOT_OBJECT_ID": root_id,
        }
        return storage_id

    # -- the tree ---------------------------------------------------------------------------------

    def get_object(self, object_id: int) -> dict[str, Any] | None:
        return self.objects.get(object_id)

    def live_folder(self, folder_id: int) -> dict[str, Any]:
        record = self.objects.get(folder_id)
        if record is None or record["TYPE"] != "folder" or record["DELETED_TYPE"] != LIVE:
            raise errors.disk_not_found(folder_id)
        return record

    def file_record(self, file_id: int) -> dict[str, Any]:
        record = self.objects.get(file_id)
        if record is None or record["TYPE"] != "file":
            raise errors.disk_not_found(file_id)
        return record

    def file_exists(self, file_id: int) -> bool:
        record = self.objects.get(file_id)
        return record is not None and record["TYPE"] == "file" and record["DELETED_TYPE"] == LIVE

    def live_children(self, folder_id: int) -> list[dict[str, Any]]:
        objects = self.objects
        return [objects[child] for child in self.children.get(folder_id, ())
                if objects[child]["DELETED_TYPE"] == LIVE]

    def name_taken(self, folder_id: int, name: str) -> bool:
        # (unconfirmed) names clash case-insensitively, as MySQL's collation compares them.
        return name.casefold() in self._names.get(folder_id, {})

    def add_folder(self, parent_id: int, name: str, *, user_id: int, unique: bool = False) -> int:
        self.live_folder(parent_id)
        name = self._free_name(parent_id, name, unique, "folder")
        parent = self.objects[parent_id]
        return self._new_object("folder", name, parent["STORAGE_ID"], parent_id, user_id, self.root.now())

    def add_file(
        self,
        folder_id: int,
        name: str,
        content: bytes | LazyContent,
        *,
        user_id: int,
        created: float | None = None,
        unique: bool = False,
    ) -> int:
        folder = self.live_folder(folder_id)
        name = self._free_name(folder_id, name, unique, "file")
        size = content.size if isinstance(content, LazyContent) else len(content)
        if self.quota is not None and self.used_bytes + size > self.quota:
            raise could_not_save()
        moment = self.root.now() if created is None else created
        file_id = self._new_object("file", name, folder["STORAGE_ID"], folder_id, user_id, moment)
        self.objects[file_id].update({"FILE_ID": self.root.next_id("disk.b_file"), "SIZE": size,
                                      "GLOBAL_CONTENT_VERSION": 1, "CONTENT": content})
        self.used_bytes += size
        self._touch(folder_id, user_id)
        return file_id

    def copy_file(self, file_id: int, target_folder_id: int, *, user_id: int, unique: bool = False) -> int:
        source = self.file_record(file_id)
        if source["DELETED_TYPE"] != LIVE:
            raise errors.disk_not_found(file_id)
        return self.add_file(target_folder_id, source["NAME"], source["CONTENT"], user_id=user_id, unique=unique)

    def add_version(self, file_id: int, content: bytes, *, user_id: int) -> None:
        """New bytes for a live file: a new FILE_ID, SIZE and a bumped GLOBAL_CONTENT_VERSION; the name stays.

        (unconfirmed) the earlier version stays in the file's history and keeps counting against the
        quota, as every stored ``b_file`` does; the stricter guess.
        """
        record = self.file_record(file_id)
        if self.quota is not None and self.used_bytes + len(content) > self.quota:
            raise could_not_save()
        self.used_bytes += len(content)
        record["VERSION_BYTES"] = record.get("VERSION_BYTES", 0) + record["SIZE"]
        record.update({"FILE_ID": self.root.next_id("disk.b_file"), "SIZE": len(content), "CONTENT": content,
                       "GLOBAL_CONTENT_VERSION": record["GLOBAL_CONTENT_VERSION"] + 1,
                       "UPDATE_TIME": self.root.now(), "UPDATED_BY": user_id})

    def rename(self, object_id: int, new_name: str, *, user_id: int) -> None:
        """A live object's new name; another live object of that name in the folder is DISK_OBJ_22000."""
        record = self.objects[object_id]
        names = self._names.setdefault(record["PARENT_ID"], {})
        holder = names.get(new_name.casefold())
        if holder is not None and holder != object_id:
            raise name_exists(record["TYPE"])
        self._forget_name(record)
        names[new_name.casefold()] = object_id
        record.update({"NAME": new_name, "UPDATE_TIME": self.root.now(), "UPDATED_BY": user_id})

    def move(self, object_id: int, target_folder_id: int, *, user_id: int) -> None:
        """A live object into another live folder of the same storage, under the same name."""
        record = self.objects[object_id]
        source_id = record["PARENT_ID"]
        if source_id == target_folder_id:
            return  # (unconfirmed) a move to where it already is changes nothing
        if self.name_taken(target_folder_id, record["NAME"]):
            raise name_exists(record["TYPE"])
        self._forget_name(record)
        self.children[source_id].remove(object_id)
        bisect.insort(self.children[target_folder_id], object_id)  # children stay in ID order
        self._names.setdefault(target_folder_id, {})[record["NAME"].casefold()] = object_id
        record.update({"PARENT_ID": target_folder_id, "UPDATE_TIME": self.root.now(), "UPDATED_BY": user_id})
        self._touch(target_folder_id, user_id)

    def read_bytes(self, file_id: int) -> bytes:
        return materialise(self.file_record(file_id)["CONTENT"])

    def mark_deleted(self, object_id: int, *, user_id: int) -> None:
        """Move to the trash: the object keeps its ID and bytes but leaves listings and frees its name."""
        record = self.objects[object_id]
        if record["DELETED_TYPE"] != LIVE:
            return
        self._forget_name(record)
        record.update({"DELETED_TYPE": TRASHED, "DELETE_TIME": self.root.now(), "DELETED_BY": user_id})

    def mark_tree_deleted(self, folder_id: int, *, user_id: int) -> None:
        """A folder to the trash (DELETED_TYPE 3) with everything below it (4, "deleted with its parent").

        What was already in the trash keeps its own mark. The children keep their names in their
        folders: nothing can be added to a folder in the trash, so those names cannot clash.
        """
        record = self.objects[folder_id]
        if record["DELETED_TYPE"] != LIVE:
            return
        self.mark_deleted(folder_id, user_id=user_id)
        pending = list(self.children.get(folder_id, ()))
        while pending:
            child = self.objects[pending.pop()]
            if child["DELETED_TYPE"] == LIVE:
                child.update({"DELETED_TYPE": TRASHED_WITH_PARENT, "DELETE_TIME": record["DELETE_TIME"],
                              "DELETED_BY": user_id})
            pending.extend(self.children.get(child["ID"], ()))

    def restore(self, object_id: int, *, user_id: int) -> None:
        """Back from the trash; a clash with a live name renames it ``Name (1).ext``."""
        record = self.objects[object_id]
        if record["DELETED_TYPE"] == LIVE:
            return
        parent_id = record["PARENT_ID"]
        record["NAME"] = self._free_name(parent_id, record["NAME"], True, record["TYPE"])
        record.update({"DELETED_TYPE": LIVE, "DELETE_TIME": None, "DELETED_BY": None,
                       "UPDATE_TIME": self.root.now(), "UPDATED_BY": user_id})
        self._names.setdefault(parent_id, {})[record["NAME"].casefold()] = object_id

    def delete_file(self, file_id: int) -> None:
        """Permanent deletion: the bytes go, and so do the attachments that pointed at them."""
        record = self.file_record(file_id)
        self._forget_name(record)
        self.children[record["PARENT_ID"]].remove(file_id)
        del self.objects[file_id]
        self.used_bytes -= record["SIZE"] + record.get("VERSION_BYTES", 0)
        for attached_id in [key for key, item in self.attachments.items() if item["OBJECT_ID"] == file_id]:
            del self.attachments[attached_id]

    # -- attachments (S:DiskFile values and the like) ----------------------------------------------

    def attach(self, file_id: int, *, module_id: str, entity_type: str, entity_id: int, field_name: str,
               user_id: int) -> int:
        if not self.file_exists(file_id):
            raise errors.disk_not_found(file_id)
        attached_id = self.root.next_id("disk.attached")
        self.attachments[attached_id] = {
            "ID": attached_id, "OBJECT_ID": file_id, "MODULE_ID": module_id, "ENTITY_TYPE": entity_type,
            "ENTITY_ID": entity_id, "FIELD_NAME": field_name, "CREATE_TIME": self.root.now(), "CREATED_BY": user_id,
        }
        return attached_id

    def attached(self, attached_id: int) -> dict[str, Any] | None:
        return self.attachments.get(attached_id)

    def detach(self, attached_id: int) -> None:
        self.attachments.pop(attached_id, None)

    # -- helpers ----------------------------------------------------------------------------------

    def path_of(self, object_id: int) -> list[str]:
        """Names from below the storage root down to the object (the root itself gives [])."""
        names: list[str] = []
        record = self.objects[object_id]
        while record["PARENT_ID"] is not None:
            names.append(record["NAME"])
            record = self.objects[record["PARENT_ID"]]
        return names[::-1]

    def _free_name(self, folder_id: int, name: str, unique: bool, kind: str) -> str:
        if not unique:
            if self.name_taken(folder_id, name):
                raise name_exists(kind)
            return name
        return unique_name(name, lambda candidate: self.name_taken(folder_id, candidate))

    def _new_object(self, kind: str, name: str, storage_id: int, parent_id: int | None, user_id: int,
                    moment: float) -> int:
        object_id = self.root.next_id("disk.object")
        self.objects[object_id] = {
            "ID": object_id, "NAME": name, "CODE": None, "TYPE": kind, "STORAGE_ID": storage_id,
            "PARENT_ID": parent_id, "DELETED_TYPE": LIVE, "CREATE_TIME": moment, "UPDATE_TIME": moment,
            "DELETE_TIME": None, "CREATED_BY": user_id, "UPDATED_BY": user_id, "DELETED_BY": None,
        }
        if kind == "folder":
            self.children[object_id] = []
        if parent_id is not None:
            self.children[parent_id].append(object_id)
            self._names.setdefault(parent_id, {})[name.casefold()] = object_id
        return object_id

    def _forget_name(self, record: dict[str, Any]) -> None:
        names = self._names.get(record["PARENT_ID"], {})
        if names.get(record["NAME"].casefold()) == record["ID"]:
            del names[record["NAME"].casefold()]

    def _touch(self, folder_id: int, user_id: int) -> None:
        # (unconfirmed) a new child moves its folder's UPDATE_TIME, as the portal's tree timestamps do.
        folder = self.objects[folder_id]
        folder["UPDATE_TIME"] = self.root.now()
        folder["UPDATED_BY"] = user_id
