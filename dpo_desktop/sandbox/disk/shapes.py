"""How disk objects look on the wire.

The portal answers the same object in two shapes: methods that create something
(``uploadFile``, ``addSubFolder``, ``addFolder``, ``copyTo``) give integer ``ID``, ``DELETED_TYPE``,
``GLOBAL_CONTENT_VERSION``, ``FILE_ID`` and ``null`` ``DELETED_BY``; methods that read
(``get``, ``getChildren``, ``markDeleted``) give every value as a string, ``DELETED_BY`` "0" when live.
``SIZE``, ``STORAGE_ID``, ``PARENT_ID`` and the user IDs are strings in both. Methods that change
one field of a read object answer that field as a number and the rest as strings (the ORM object
keeps the value it was just given): ``uploadVersion`` its ``GLOBAL_CONTENT_VERSION``, ``moveTo`` its
``PARENT_ID``, ``disk.folder.markDeleted`` its ``DELETED_TYPE`` (captures on the documentation pages).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from .links import attached_download_url, download_url

if TYPE_CHECKING:
    from ..registry import Call


def storage(record: dict[str, Any]) -> dict[str, Any]:
    return {key: (value if value is None else str(value)) for key, value in record.items()}


def disk_object(call: Call, record: dict[str, Any], *, created: bool = False,
                native: Collection[str] = ()) -> dict[str, Any]:
    """A folder or file as ``get``/``getChildren`` (strings) or, with ``created``, as the creating methods.

    ``native`` names the fields a changing method answers as numbers in an otherwise read shape.
    """
    clock = call.state.clock

    def number(value: int) -> int | str:
        return value if created else str(value)

    def moment(value: float | None) -> str | None:
        return None if value is None else clock.iso(value)

    parent = record["PARENT_ID"]
    deleted_by = record["DELETED_BY"]
    wire: dict[str, Any] = {
        "ID": number(record["ID"]), "NAME": record["NAME"], "CODE": record["CODE"],
        "STORAGE_ID": str(record["STORAGE_ID"]), "TYPE": record["TYPE"],
    }
    if record["TYPE"] == "folder":
        wire["REAL_OBJECT_ID"] = number(record["ID"])
    wire.update({"PARENT_ID": None if parent is None else str(parent), "DELETED_TYPE": number(record["DELETED_TYPE"])})
    if record["TYPE"] == "file":
        wire.update({"GLOBAL_CONTENT_VERSION": number(record["GLOBAL_CONTENT_VERSION"]),
                     "FILE_ID": number(record["FILE_ID"]), "SIZE": str(record["SIZE"])})
    wire.update({
        "CREATE_TIME": moment(record["CREATE_TIME"]), "UPDATE_TIME": moment(record["UPDATE_TIME"]),
        "DELETE_TIME": moment(record["DELETE_TIME"]),
        "CREATED_BY": str(record["CREATED_BY"]), "UPDATED_BY": str(record["UPDATED_BY"]),
        "DELETED_BY": (None if deleted_by is None else str(deleted_by)) if created else str(deleted_by or 0),
    })
    if record["TYPE"] == "file":
        wire["DOWNLOAD_URL"] = download_url(call, record["ID"])
    wire["DETAIL_URL"] = detail_url(call, record)
    for field in native:
        if wire.get(field) is not None:
            wire[field] = int(wire[field])
    return wire


def detail_url(call: Call, record: dict[str, Any]) -> str:
    """The object's page in the portal UI (path segments unescaped, as the portal writes them)."""
    disk = call.state.disk
    owner = disk.storages[record["STORAGE_ID"]]
    if owner["ENTITY_TYPE"] == "user":
        base = f"{call.base_url}/company/personal/user/{owner['ENTITY_ID']}/disk"
    else:
        base = f"{call.base_url}/docs"
    kind = "file" if record["TYPE"] == "file" else "path"
    return f"{base}/{kind}/" + "/".join(disk.path_of(record["ID"]))


def attached_object(call: Call, attachment: dict[str, Any]) -> dict[str, Any]:
    file = call.state.disk.objects[attachment["OBJECT_ID"]]
    return {
        "ID": str(attachment["ID"]), "OBJECT_ID": str(attachment["OBJECT_ID"]),
        "MODULE_ID": attachment["MODULE_ID"], "ENTITY_TYPE": attachment["ENTITY_TYPE"],
        "ENTITY_ID": str(attachment["ENTITY_ID"]), "CREATE_TIME": call.state.clock.iso(attachment["CREATE_TIME"]),
        "CREATED_BY": str(attachment["CREATED_BY"]), "DOWNLOAD_URL": attached_download_url(call, attachment["ID"]),
        "NAME": file["NAME"], "SIZE": str(file["SIZE"]),
    }
