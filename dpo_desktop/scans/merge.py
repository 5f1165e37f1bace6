"""Several photos or scans of one document (the two passport pages from a phone) as one PDF.

Pages are written one at a time: the first image starts the PDF and each further page is appended to
it (Pillow's incremental ``append=True``), so one decoded frame is in memory at once, however many pages
there are. The PDF is built in a temporary file beside the target, flushed to disk and renamed into
place: after a crash there is either no target or a whole one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PIL import ExifTags, Image, ImageOps

from .errors import ScanRejected
from .images import frames, open_image
from .inspect import ScanInfo, inspect_scan
from .text import shown_name

_A4_INCHES = (8.27, 11.69)
_MIN_DECLARED_DPI = 50  # phones write 72 dpi into every photo; a declared resolution is only a hint
_JPEG_QUALITY = 90  # scans of small print stay legible


def merge_images_to_pdf(paths: Sequence[Path], target: Path) -> int:
    """Write the images at ``paths`` (JPEG, PNG; every frame of a TIFF), in order, as pages of one PDF at
    ``target``; returns the page count. Every input is inspected first, so nothing is written when one of
    them is refused (a PDF, a non-image, a broken file: ScanRejected)."""
    if not paths:
        raise ValueError("no images to merge")
    scans = [_image_scan(Path(path)) for path in paths]
    target = Path(target)
    # A short fixed prefix: the target's own name may already be as long as the file system allows.
    descriptor, temporary_name = tempfile.mkstemp(prefix=".dpo-merge-", suffix=".part", dir=target.parent)
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        pages = 0
        for scan in scans:
            pages += _append_scan(scan, temporary, first_page=pages == 0)
        _flush_to_disk(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _flush_to_disk(target.parent)
    return pages


def _image_scan(path: Path) -> ScanInfo:
    scan = inspect_scan(path)
    if scan.kind == "pdf":
        raise ScanRejected(
            "unsupported",
            f"Файл «{shown_name(scan.name)}» уже PDF: в один PDF склеиваются только изображения JPEG, PNG или TIFF"
            " — добавьте этот файл отдельно",
        )
    return scan


def _append_scan(scan: ScanInfo, temporary: Path, *, first_page: bool) -> int:
    pages = 0
    with open(scan.path, "rb") as stream:
        image = open_image(stream, scan.kind, scan.name)
        try:
            for frame in frames(image, scan.name):
                page = _page_image(frame)
                options = {"resolution": _resolution(page, frame.info.get("dpi")), "quality": _JPEG_QUALITY}
                if first_page and not pages:
                    page.save(temporary, "PDF", title="", **options)  # no title: it would be the temporary name
                else:
                    page.save(temporary, "PDF", append=True, **options)
                if page is not frame:
                    page.close()
                pages += 1
        finally:
            image.close()
    return pages


def _page_image(frame: Image.Image) -> Image.Image:
    """The frame upright and in RGB; transparent areas become white paper rather than black."""
    page = frame
    if frame.getexif().get(ExifTags.Base.Orientation, 1) != 1:
        page = ImageOps.exif_transpose(frame)
    if page.mode == "RGB":
        return page
    if page.mode in ("RGBA", "LA", "PA") or "transparency" in page.info:
        with page.convert("RGBA") as rgba:
            paper = Image.new("RGB", rgba.size, "white")
            paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return page.convert("RGB")


def _resolution(page: Image.Image, declared: object) -> float:
    """Dots per inch for the page: the declared resolution, unless that makes the page larger than A4
    (as the 72 dpi every phone declares does), in which case the picture is fitted onto A4 turned its way."""
    long_side, short_side = max(page.size), min(page.size)
    fit_a4 = max(long_side / _A4_INCHES[1], short_side / _A4_INCHES[0])
    dpi = 0.0
    if isinstance(declared, tuple) and declared and isinstance(declared[0], (int, float)):
        dpi = float(declared[0]) if declared[0] >= _MIN_DECLARED_DPI else 0.0
    return max(dpi, fit_a4, 1.0)


def _flush_to_disk(path: Path) -> None:
    """fsync a file, or a folder so that a rename in it survives a power cut (Windows cannot open folders)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        if path.is_dir():
            return
        raise
    try:
        os.fsync(descriptor)
    except OSError:
        if not path.is_dir():  # some file systems refuse to sync a folder; a file must sync
            raise
    finally:
        os.close(descriptor)
