"""What a dropped file is, before anything is uploaded: inspection (content sniffed, PDF pages counted,
images decoded), safe portal names, streamed hashing, merging photos into one PDF and the bounded-memory
base64 body of the compatibility mode. No Qt, no network, no SQLite.

The names are loaded when first used (PEP 562): Pillow and PDFium take 40 ms to import, and the REST
client, which needs only the base64 body and the names, is on the path of every start and command.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "FileChangedError": "base64_body", "aiter_chunks": "base64_body", "json_body_with_file": "base64_body",
    "REJECTION_CODES": "errors", "ScanRejected": "errors",
    "sha256_file": "hashing",
    "MAX_BYTES": "inspect", "ScanInfo": "inspect", "inspect_scan": "inspect",
    "merge_images_to_pdf": "merge",
    "folder_name": "names", "name_problem": "names", "portal_file_name": "names",
    "PDFIUM_LOCK": "pdf",
}

__all__ = [
    "MAX_BYTES",
    "PDFIUM_LOCK",
    "REJECTION_CODES",
    "FileChangedError",
    "ScanInfo",
    "ScanRejected",
    "aiter_chunks",
    "folder_name",
    "inspect_scan",
    "json_body_with_file",
    "merge_images_to_pdf",
    "name_problem",
    "portal_file_name",
    "sha256_file",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .base64_body import FileChangedError, aiter_chunks, json_body_with_file
    from .errors import REJECTION_CODES, ScanRejected
    from .hashing import sha256_file
    from .inspect import MAX_BYTES, ScanInfo, inspect_scan
    from .merge import merge_images_to_pdf
    from .names import folder_name, name_problem, portal_file_name
    from .pdf import PDFIUM_LOCK
