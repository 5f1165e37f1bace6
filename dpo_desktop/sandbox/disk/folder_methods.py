"""``disk.folder.*``: read a folder, list its contents, add a subfolder, upload a file into it, trash it."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..errors import ApiError
from ..registry import Call, ListResult, method
from . import listing, shapes, uploads
from . import params as args


@method("disk.folder.get", scope="disk", upper_keys=False)
def folder_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """A folder, also one in the trash (DELETED_TYPE "3" or "4"), as ``disk.file.get`` answers a trashed file.

    (unconfirmed) the documentation shows only live folders; answering the trashed one as it is, rather
    than "not found", is the stricter guess: a client must read DELETED_TYPE either way.
    """
    return shapes.disk_object(call, _folder(call, args.object_id(params)))


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


@method("disk.folder.markdeleted", scope="disk", upper_keys=False)
def folder_mark_deleted(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The folder to the trash (DELETED_TYPE 3), everything in it with it (4); a storage's root cannot go.

    (unconfirmed) a folder already in the trash is answered as it is, as ``disk.file.markDeleted`` does.
    """
    record = _folder(call, args.object_id(params))
    if record["PARENT_ID"] is None:
        raise ApiError(400, "DISK_OBJ_22000", "Could not delete root folder")
    call.state.disk.mark_tree_deleted(record["ID"], user_id=call.user.id)
    return shapes.disk_object(call, record, native=("DELETED_TYPE",))


def _folder(call: Call, folder_id: int) -> dict[str, Any]:
    record = args.readable_object(call, folder_id)
    if record["TYPE"] != "folder":
        raise errors.disk_not_found(folder_id)
    return record
