"""``disk.folder.*``: read a folder, list its contents, add a subfolder, upload a file into it."""

from __future__ import annotations

from typing import Any

from ..registry import Call, ListResult, method
from . import listing, shapes, uploads
from . import params as args


@method("disk.folder.get", scope="disk", upper_keys=False)
def folder_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    folder_id = args.object_id(params)
    return shapes.disk_object(call, args.live_folder(call, folder_id))


@method("disk.folder.getchildren", scope="disk", upper_keys=False)
def folder_children(call: Call, params: dict[str, Any]) -> ListResult:
    folder_id = args.object_id(params)
    args.live_folder(call, folder_id)
    return listing.children(call, folder_id, params)


@method("disk.folder.addsubfolder", scope="disk", upper_keys=False)
def folder_add_subfolder(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    disk = call.state.disk
    parent_id = args.object_id(params)
    args.live_folder(call, parent_id)
    folder_id = disk.add_folder(parent_id, args.folder_data_name(params), user_id=call.user.id)
    return shapes.disk_object(call, disk.objects[folder_id], created=True)


@method("disk.folder.uploadfile", scope="disk", upper_keys=False, in_batch=False)
def folder_upload_file(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return uploads.upload_file(call, args.object_id(params), params)
