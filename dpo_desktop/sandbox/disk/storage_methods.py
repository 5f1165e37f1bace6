"""``disk.storage.*``: the drives, their root folders, and uploads into a drive's root."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..registry import Call, ListResult, method
from . import listing, shapes, uploads
from . import params as args


def _readable_storage(call: Call, params: dict[str, Any]) -> int:
    disk = call.state.disk
    storage_id = args.object_id(params)
    if storage_id not in disk.storages:
        raise errors.disk_not_found(storage_id)
    if not disk.can_read(storage_id, call.user.id, admin=call.user.admin):
        raise errors.access_denied("Access denied")
    return storage_id


@method("disk.storage.getlist", scope="disk", upper_keys=False)
def storage_list(call: Call, params: dict[str, Any]) -> ListResult:
    return listing.storages(call, params)


@method("disk.storage.get", scope="disk", upper_keys=False)
def storage_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return shapes.storage(call.state.disk.storages[_readable_storage(call, params)])


@method("disk.storage.gettypes", scope="disk", upper_keys=False)
def storage_types(call: Call, params: dict[str, Any]) -> list[str]:
    return ["user", "common", "group"]


@method("disk.storage.getchildren", scope="disk", upper_keys=False)
def storage_children(call: Call, params: dict[str, Any]) -> ListResult:
    storage_id = _readable_storage(call, params)
    return listing.children(call, call.state.disk.root_folder(storage_id), params)


@method("disk.storage.addfolder", scope="disk", upper_keys=False)
def storage_add_folder(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    disk = call.state.disk
    root = disk.root_folder(_readable_storage(call, params))
    folder_id = disk.add_folder(root, args.folder_data_name(params), user_id=call.user.id)
    return shapes.disk_object(call, disk.objects[folder_id], created=True)


@method("disk.storage.uploadfile", scope="disk", upper_keys=False, in_batch=False)
def storage_upload_file(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    root = call.state.disk.root_folder(_readable_storage(call, params))
    return uploads.upload_file(call, root, params)
