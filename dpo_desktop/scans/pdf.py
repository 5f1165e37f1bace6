"""Counting the pages of a PDF with PDFium, under one lock: PDFium is not thread-safe, and inspection
runs in the CPU pool's threads.

The raw binding is used rather than ``pypdfium2.PdfDocument`` because the latter reports a document
without pages as a load failure carrying ``FPDF_GetLastError()``, which a successful load does not reset:
a page-less PDF inspected after a password-protected one would read as password-protected.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pypdfium2  # noqa: F401  (importing the package initialises the PDFium library)
import pypdfium2.raw as pdfium

from .errors import ScanRejected
from .text import shown_name

# Every use of PDFium in the process must hold this lock (thumbnails and rendering included).
PDFIUM_LOCK = threading.Lock()
# PDFium takes the path as UTF-8; on POSIX a name may hold bytes that are not UTF-8 (surrogate-escaped).
_PATH_ERRORS = "strict" if sys.platform.startswith("win32") else "surrogateescape"


def count_pages(path: Path, name: str) -> int:
    """Pages of the PDF at ``path``, which PDFium reads through its own file access (never whole).

    A PDF that PDFium cannot open, or one without pages, is refused as corrupt; a password-protected one
    as unsupported, since nobody on the portal could open it either.
    """
    shown = shown_name(name)
    try:
        encoded = (str(Path(path).resolve()) + "\x00").encode("utf-8", errors=_PATH_ERRORS)
    except UnicodeEncodeError:  # a Windows name with a lone surrogate has no UTF-8 form
        raise ScanRejected("unreadable", f"Файл «{shown}» не удаётся открыть: в имени недопустимые символы") from None
    with PDFIUM_LOCK:
        document = pdfium.FPDF_LoadDocument(encoded, None)
        if not document:
            error = pdfium.FPDF_GetLastError()
        else:
            try:
                pages = pdfium.FPDF_GetPageCount(document)
            finally:
                pdfium.FPDF_CloseDocument(document)
    if not document:
        if error == pdfium.FPDF_ERR_PASSWORD:
            raise ScanRejected("unsupported", f"Файл «{shown}»: PDF защищён паролем — сохраните его без пароля")
        raise ScanRejected("corrupt_pdf", f"Файл «{shown}»: PDF повреждён и не открывается — "
                                          "сохраните или отсканируйте его заново")
    if pages < 1:
        raise ScanRejected("corrupt_pdf", f"Файл «{shown}»: в PDF нет ни одной страницы")
    return pages
