"""What a dropped file is, before anything is uploaded: a readable regular file of a sane size whose
content (sniffed, never guessed from the extension) is a PDF, JPEG, PNG or TIFF that opens.

Checks run cheapest first and stop at the first refusal: it exists, it is not a folder, it is a regular
file (a FIFO or a device is refused without being opened, since opening a FIFO blocks), it opens, it is
not empty, it is not over the limit, its first bytes say a supported format, and the PDF or image behind
them opens and decodes. Only the first 1024 bytes are read to sniff; PDFium and Pillow then read the
file through their own bounded access.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from .errors import ScanRejected
from .formats import FOREIGN, HEAD_BYTES, SUPPORTED, ScanKind, identify, zip_flavour
from .images import open_image, verify
from .pdf import count_pages
from .text import shown_name

__all__ = ["MAX_BYTES", "ScanInfo", "ScanRejected", "inspect_scan"]

MAX_BYTES = 100 * 1024 * 1024
EXTENSIONS: dict[ScanKind, str] = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}
# O_NONBLOCK: should the path turn into a FIFO between the check and the open, the open must not hang.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_KIB = 1024
_MIB = 1024 * 1024


@dataclass(frozen=True)
class ScanInfo:
    """A file that passed inspection. ``kind`` is what the content is, whatever the name says;
    ``extension`` is the normalised extension of that kind; ``name`` is the original file name."""

    path: Path
    name: str
    size: int
    kind: ScanKind
    pages: int
    extension: str


def inspect_scan(path: Path, *, max_bytes: int = MAX_BYTES) -> ScanInfo:
    """Inspect one dropped file; raises ScanRejected (with a code and a Russian reason) when it cannot be a scan."""
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    path = Path(path)
    name = path.name or str(path)
    _require_regular_file(path, name)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise _unreadable(name, error) from None
    with open(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(name)
        _require_size(status.st_size, max_bytes, name)
        try:
            head = stream.read(HEAD_BYTES)
        except OSError as error:
            raise _unreadable(name, error) from None
        key = identify(head)
        if key == "zip":
            key = zip_flavour(stream)
        if key not in SUPPORTED:
            raise _refused(name, key)
        kind = cast(ScanKind, key)
        pages = count_pages(path, name) if kind == "pdf" else _image_pages(stream, kind, name)
    return ScanInfo(path=path, name=name, size=status.st_size, kind=kind, pages=pages, extension=EXTENSIONS[kind])


def _require_regular_file(path: Path, name: str) -> None:
    shown = shown_name(name)
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink():
            raise ScanRejected("unreadable", f"Файл «{shown}» — ярлык на файл, которого больше нет") from None
        raise ScanRejected("missing", f"Файл «{shown}» не найден: возможно, его переместили или удалили") from None
    except OSError as error:
        raise _unreadable(name, error) from None
    if stat.S_ISDIR(status.st_mode):
        raise ScanRejected("directory", f"«{shown}» — это папка, а не файл: перетащите файлы из неё")
    if not stat.S_ISREG(status.st_mode):
        raise _not_regular(name)


def _require_size(size: int, max_bytes: int, name: str) -> None:
    if size == 0:
        raise ScanRejected("empty", f"Файл «{shown_name(name)}» пустой (0 байт)")
    if size > max_bytes:
        raise ScanRejected(
            "too_large",
            f"Файл «{shown_name(name)}» слишком большой: {_size_text(size, round_up=True)}, а можно не больше "
            f"{_size_text(max_bytes, round_up=False)}",
        )


def _image_pages(stream, kind: ScanKind, name: str) -> int:
    image = open_image(stream, kind, name)
    try:
        return verify(image, name)
    finally:
        image.close()


def _refused(name: str, key: str) -> ScanRejected:
    foreign = FOREIGN.get(key)
    shown = shown_name(name)
    if Path(name).suffix.lower() == ".pdf":
        if foreign is None:
            return ScanRejected("not_pdf", f"Файл «{shown}» называется .pdf, но это не PDF: содержимое не распознано")
        return ScanRejected("not_pdf", f"Файл «{shown}» называется .pdf, но это не PDF, а {foreign.subject} — "
                                       f"{foreign.advice}")
    if foreign is None:
        return ScanRejected("unsupported", f"Файл «{shown}»: формат не распознан — нужны PDF, JPEG, PNG или TIFF")
    return ScanRejected("unsupported", f"Файл «{shown}»: {foreign.subject} не поддерживается — {foreign.advice}")


def _unreadable(name: str, error: OSError) -> ScanRejected:
    why = "нет доступа" if isinstance(error, PermissionError) else "ошибка чтения"
    return ScanRejected("unreadable", f"Файл «{shown_name(name)}» не удаётся прочитать: {why}")


def _not_regular(name: str) -> ScanRejected:
    return ScanRejected("unreadable", f"Файл «{shown_name(name)}» — не обычный файл (устройство, канал или сокет), "
                                      "его нельзя прочитать как скан")


def _size_text(count: int, *, round_up: bool) -> str:
    """Bytes in МБ (КБ below one megabyte) with one decimal, rounded so that a file just over the limit
    never reads as equal to it."""
    unit, label = (_MIB, "МБ") if count >= _MIB else (_KIB, "КБ")
    tenths = -(-count * 10 // unit) if round_up else count * 10 // unit
    whole, tenth = divmod(tenths, 10)
    return f"{whole} {label}" if tenth == 0 else f"{whole},{tenth} {label}"
