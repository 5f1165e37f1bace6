"""Files of File (``F``) properties: the portal's ``b_file`` table and how REST values become files.

A File property is written as ``["name.pdf", "<base64>"]`` or a bare base64 string (then the portal
makes up the name); it reads back as the ``b_file`` ID. A number is what a client would send back
after reading an element, and the portal refuses it: writing file values by ID is not supported.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import errors

if TYPE_CHECKING:
    from ..state import PortalState


@dataclass(frozen=True, slots=True)
class StoredFile:
    id: int
    name: str
    data: bytes
    created: float

    @property
    def size(self) -> int:
        return len(self.data)


class FileTable:
    """The ``b_file`` rows that File properties point at."""

    def __init__(self, root: PortalState) -> None:
        self.root = root
        self.rows: dict[int, StoredFile] = {}

    def add(self, name: str, data: bytes) -> int:
        file_id = self.root.next_id("b_file")
        self.rows[file_id] = StoredFile(file_id, name, data, self.root.now())
        return file_id

    def get(self, file_id: int) -> StoredFile | None:
        return self.rows.get(file_id)

    def delete(self, file_id: int) -> None:
        self.rows.pop(file_id, None)


def by_id_refused() -> errors.ApiError:
    return errors.lists_error("ERROR_ELEMENT_FIELD_VALUE", "Writing file values by ID is not supported")


def file_items(raw: Any, field_name: str) -> list[tuple[str | None, tuple[str, bytes]]]:
    """The files a File property value carries, walked as ``Element::setFileValue`` walks it.

    Each item that is itself a list is one ``[name, base64]`` file; a number is a file ID, which is
    refused; the first plain string means the whole value is one file (a pair, or a bare base64
    string). Keys are kept: a mapping keyed by value IDs is what a client echoes after a read.
    """
    if isinstance(raw, dict):
        entries: list[tuple[str | None, Any]] = [(str(key), item) for key, item in raw.items()]
    elif isinstance(raw, list):
        entries = [(None, item) for item in raw]
    else:
        entries = [(None, raw)]
    files: list[tuple[str | None, tuple[str, bytes]]] = []
    for key, item in entries:
        if isinstance(item, (list, dict)):
            decoded = decode(item, field_name)
        elif _is_number(item):
            raise by_id_refused()
        elif item in (None, "", False):
            continue
        else:
            decoded = decode([value for _, value in entries], field_name)
            if decoded is not None:
                files.append((None, decoded))
            break
        if decoded is not None:
            files.append((key, decoded))
    return files


def decode(item: Any, field_name: str) -> tuple[str, bytes] | None:
    """(name, bytes) of one ``[name, base64]`` pair or bare base64 string; None when it is empty."""
    if isinstance(item, dict):
        item = list(item.values())
    parts = [part for part in (item if isinstance(item, list) else [item]) if part not in (None, "", False)]
    if not parts:
        return None
    if any(isinstance(part, (list, dict)) for part in parts):
        raise _not_correct(field_name)
    if len(parts) == 1:
        if _is_number(parts[0]):
            raise by_id_refused()
        data = _bytes(parts[0], field_name)
        return _made_up_name(data), data
    data = _bytes(parts[1], field_name)
    return str(parts[0]).strip() or _made_up_name(data), data


def _bytes(content: Any, field_name: str) -> bytes:
    try:
        return base64.b64decode(str(content), validate=True)
    except (binascii.Error, ValueError):
        # (unconfirmed) the portal drops an unreadable file silently; the sandbox says so instead.
        raise _not_correct(field_name) from None


def _not_correct(field_name: str) -> errors.ApiError:
    return errors.lists_error("ERROR_ELEMENT_FIELD_VALUE", f'Value of the "{field_name}" field is not correct')


def _made_up_name(data: bytes) -> str:
    # The portal names a nameless file md5(mt_rand()); hashing the content keeps seeds deterministic.
    return hashlib.md5(data).hexdigest()


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()
