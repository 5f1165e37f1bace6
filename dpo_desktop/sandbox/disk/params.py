"""Reading disk method parameters the way the portal binds them: exact names, positional error texts.

The disk REST service binds parameters to PHP method arguments, so a missing or unusable one is
reported by position: ``Invalid value of parameter {Parameter #0}`` for ``id``, ``#1`` for the next.
"""

from __future__ import annotations

from typing import Any

from .. import errors, wire
from ..errors import ApiError
from ..registry import Call


def bad_argument(position: int) -> ApiError:
    return errors.disk_bad_argument(f"Parameter #{position}")


def object_id(params: dict[str, Any], name: str = "id", position: int = 0) -> int:
    value = params.get(name)
    if isinstance(value, bool):
        raise bad_argument(position)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        # (unconfirmed) PHP would cast "abc" to 0; the stricter reading refuses it as an argument error.
        raise bad_argument(position) from None
    if number <= 0:
        raise bad_argument(position)
    return number


def flag(value: Any) -> bool:
    """``generateUniqueName``: true/false from JSON, "1"/"Y"/"true" from forms."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "y", "yes", "true")
    return bool(value)


def required_name(params: dict[str, Any]) -> str:
    """``data.NAME`` of uploadFile: absent data or NAME is DISK_BASE_SERVICE_22001."""
    data = params.get("data")
    name = data.get("NAME") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "DISK_BASE_SERVICE_22001", "Error: required parameter NAME (DISK_BASE_SERVICE_22001)")
    return name.strip()


def folder_data_name(params: dict[str, Any]) -> str:
    """``data.NAME`` of addSubFolder/addFolder: no ``data`` array at all is an argument error (#1)."""
    if not isinstance(params.get("data"), dict):
        raise bad_argument(1)
    return required_name(params)


def start(params: dict[str, Any]) -> int:
    try:
        return int(float(str(params.get("start", 0))))
    except (TypeError, ValueError):
        return 0


def as_filter(params: dict[str, Any]) -> dict[str, Any]:
    return wire.as_map(params.get("filter"))


def readable_object(call: Call, object_id: int) -> dict[str, Any]:
    """The record of ``object_id`` if the caller may see it; ERROR_NOT_FOUND or ACCESS_DENIED otherwise."""
    disk = call.state.disk
    record = disk.get_object(object_id)
    if record is None:
        raise errors.disk_not_found(object_id)
    if not disk.can_read(record["STORAGE_ID"], call.user.id, admin=call.user.admin):
        # (unconfirmed) the disk service's AccessException: 403, as the portal's ACCESS_DENIED elsewhere.
        raise errors.access_denied("Access denied")
    return record


def live_folder(call: Call, object_id: int) -> dict[str, Any]:
    record = readable_object(call, object_id)
    if record["TYPE"] != "folder" or record["DELETED_TYPE"] != 0:
        raise errors.disk_not_found(object_id)
    return record


def file_of(call: Call, object_id: int) -> dict[str, Any]:
    record = readable_object(call, object_id)
    if record["TYPE"] != "file":
        raise errors.disk_not_found(object_id)
    return record
