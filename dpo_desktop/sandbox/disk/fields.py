"""``disk.folder.getFields`` and ``disk.file.getFields``: the field descriptions the documentation shows.

Each field is ``{"TYPE", "USE_IN_FILTER", "USE_IN_SHOW"}``; the sets and flags follow the captured
answers on the documentation pages, in their order (the folder has REAL_OBJECT_ID, the file its
content fields, DELETED_TYPE comes last in both).
"""

from __future__ import annotations

from typing import Any

from ..registry import Call, method

_FOLDER = (
    ("ID", "integer", True), ("NAME", "string", True), ("TYPE", "enum", True), ("CODE", "string", True),
    ("STORAGE_ID", "integer", True), ("REAL_OBJECT_ID", "integer", False), ("PARENT_ID", "integer", True),
    ("CREATE_TIME", "datetime", True), ("UPDATE_TIME", "datetime", True), ("DELETE_TIME", "datetime", True),
    ("CREATED_BY", "integer", False), ("UPDATED_BY", "integer", False), ("DELETED_BY", "integer", False),
    ("DELETED_TYPE", "enum", True),
)
_FILE = (
    ("ID", "integer", True), ("NAME", "string", True), ("TYPE", "enum", True), ("CODE", "string", True),
    ("STORAGE_ID", "integer", True), ("PARENT_ID", "integer", True),
    ("CREATE_TIME", "datetime", True), ("UPDATE_TIME", "datetime", True), ("DELETE_TIME", "datetime", True),
    ("CREATED_BY", "integer", False), ("UPDATED_BY", "integer", False), ("DELETED_BY", "integer", False),
    ("GLOBAL_CONTENT_VERSION", "integer", False), ("FILE_ID", "integer", False), ("SIZE", "integer", False),
    ("DELETED_TYPE", "enum", True),
)


def _described(fields: tuple[tuple[str, str, bool], ...]) -> dict[str, Any]:
    return {name: {"TYPE": kind, "USE_IN_FILTER": in_filter, "USE_IN_SHOW": True} for name, kind, in_filter in fields}


@method("disk.folder.getfields", scope="disk", upper_keys=False)
def folder_fields(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _described(_FOLDER)


@method("disk.file.getfields", scope="disk", upper_keys=False)
def file_fields(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _described(_FILE)
