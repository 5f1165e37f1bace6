"""What a dropped file is, before anything is uploaded: inspection (content sniffed, PDF pages counted,
images decoded), safe portal names, streamed hashing, merging photos into one PDF and the bounded-memory
base64 body of the compatibility mode. No Qt, no network, no SQLite."""

from .base64_body import FileChangedError, aiter_chunks, json_body_with_file
from .errors import REJECTION_CODES, ScanRejected
from .hashing import sha256_file
from .inspect import MAX_BYTES, ScanInfo, inspect_scan
from .merge import merge_images_to_pdf
from .names import folder_name, name_problem, portal_file_name
from .pdf import PDFIUM_LOCK

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
