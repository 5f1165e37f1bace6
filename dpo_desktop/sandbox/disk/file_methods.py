"""``disk.file.*`` and ``disk.attachedObject.get``: read, copy, move, rename, version, trash and delete files."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..errors import ApiError
from ..registry import Call, method
from . import params as args
from . import shapes, uploads
from .state import LIVE


@method("disk.file.get", scope="disk", upper_keys=False)
def file_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return shapes.disk_object(call, args.file_of(call, args.object_id(params)))


@method("disk.file.copyto", scope="disk", upper_keys=False)
def file_copy_to(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    disk = call.state.disk
    file_id = args.object_id(params)
    target_id = args.object_id(params, "targetFolderId", 1)
    source = args.file_of(call, file_id)
    if source["DELETED_TYPE"] != LIVE:
        raise errors.disk_not_found(file_id)  # (unconfirmed) a trashed file cannot be copied
    args.live_folder(call, target_id)
    unique = args.flag(params.get("generateUniqueName"))
    copy_id = disk.copy_file(file_id, target_id, user_id=call.user.id, unique=unique)
    return shapes.disk_object(call, disk.objects[copy_id], created=True)


@method("disk.file.moveto", scope="disk", upper_keys=False)
def file_move_to(call: Call, params: dict[str, Any]) -> dict[str, Any] | bool:
    """The file into another folder of its storage; another storage's folder answers ``false`` (the docs)."""
    disk = call.state.disk
    record = _live_file(call, args.object_id(params))
    target = args.live_folder(call, args.object_id(params, "targetFolderId", 1))
    if target["STORAGE_ID"] != record["STORAGE_ID"]:
        return False
    disk.move(record["ID"], target["ID"], user_id=call.user.id)
    return shapes.disk_object(call, record, native=("PARENT_ID",))


@method("disk.file.rename", scope="disk", upper_keys=False)
def file_rename(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    record = _live_file(call, args.object_id(params))
    new_name = params.get("newName")
    if new_name is None or isinstance(new_name, (dict, list)):
        raise args.bad_argument(1)
    new_name = str(new_name).strip()
    if not new_name:
        # The documentation's error table: code "0", "Empty name" (whether "0" is a string or a number: unconfirmed).
        raise ApiError(400, "0", "Empty name")
    call.state.disk.rename(record["ID"], new_name, user_id=call.user.id)
    return shapes.disk_object(call, record)


@method("disk.file.uploadversion", scope="disk", upper_keys=False, in_batch=False)
def file_upload_version(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return uploads.upload_version(call, args.object_id(params), params)


@method("disk.file.markdeleted", scope="disk", upper_keys=False)
def file_mark_deleted(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    record = args.file_of(call, args.object_id(params))
    call.state.disk.mark_deleted(record["ID"], user_id=call.user.id)
    return shapes.disk_object(call, record)


@method("disk.file.restore", scope="disk", upper_keys=False)
def file_restore(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    record = args.file_of(call, args.object_id(params))
    disk = call.state.disk
    parent = disk.get_object(record["PARENT_ID"])
    if parent is None or parent["DELETED_TYPE"] != LIVE:
        raise errors.disk_not_found(record["PARENT_ID"])  # (unconfirmed) nowhere to restore it to
    disk.restore(record["ID"], user_id=call.user.id)
    return shapes.disk_object(call, record)


@method("disk.file.delete", scope="disk", upper_keys=False)
def file_delete(call: Call, params: dict[str, Any]) -> bool:
    record = args.file_of(call, args.object_id(params))
    call.state.disk.delete_file(record["ID"])
    return True


def _live_file(call: Call, file_id: int) -> dict[str, Any]:
    record = args.file_of(call, file_id)
    if record["DELETED_TYPE"] != LIVE:
        raise errors.disk_not_found(file_id)  # (unconfirmed) a file in the trash is renamed or moved only back out
    return record


@method("disk.attachedobject.get", scope="disk", upper_keys=False)
def attached_object_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    attached_id = args.object_id(params)
    attachment = call.state.disk.attached(attached_id)
    if attachment is None:
        raise errors.disk_not_found(attached_id)
    args.readable_object(call, attachment["OBJECT_ID"])
    return shapes.attached_object(call, attachment)
