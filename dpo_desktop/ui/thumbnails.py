"""Pictures of documents: the first page of a PDF or the image itself, scaled, off the GUI thread.

Rendering runs on the CPU pool (``runtime/cpu.run_task``) and gives a ``QImage`` (safe to make on any
thread, unlike ``QPixmap``). PDFium is not thread-safe: every call holds ``scans.PDFIUM_LOCK``. A small
in-memory LRU keeps recent thumbnails, keyed by file, its size and time, and the size asked for.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pypdfium2
from PIL import Image
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from ..runtime.cpu import run_task
from ..scans import PDFIUM_LOCK

log = logging.getLogger("dpo.ui")

Key = tuple[str, int, int, int]  # path, size, mtime, longest side
OnImage = Callable[[QImage | None, str], None]  # the image (None on failure) and the failure's reason


def render_first_page(path: Path, longest_side: int) -> QImage:
    """The file's first page (PDF) or picture, scaled so that its longer side is ``longest_side`` at most."""
    if path.suffix.lower() == ".pdf":
        picture = _pdf_first_page(path, longest_side)
    else:
        with Image.open(path) as opened:
            opened.seek(0)  # a multi-page TIFF: its first page
            picture = opened.convert("RGB")
    picture.thumbnail((longest_side, longest_side))
    return _to_qimage(picture)


def _pdf_first_page(path: Path, longest_side: int) -> Image.Image:
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(str(path))
        try:
            page = document[0]
            try:
                width, height = page.get_size()
                scale = max(longest_side / max(width, height, 1.0), 0.05)
                bitmap = page.render(scale=scale)
                try:
                    return bitmap.to_pil().convert("RGB")
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()


def _to_qimage(picture: Image.Image) -> QImage:
    rgba = picture.convert("RGBA")
    data = rgba.tobytes("raw", "RGBA")
    # copy(): the QImage must own its pixels, not borrow the bytes object that goes away here
    return QImage(data, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888).copy()


def cache_key(path: Path, longest_side: int) -> Key | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns, longest_side)


class ThumbnailCache:
    """Recent renders, at most ``capacity``; :meth:`request` renders on the pool what is not there."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._images: OrderedDict[Key, QImage] = OrderedDict()
        self._waiting: dict[Key, list[OnImage]] = {}

    def __len__(self) -> int:
        return len(self._images)

    def get(self, path: Path, longest_side: int) -> QImage | None:
        key = cache_key(path, longest_side)
        if key is None or key not in self._images:
            return None
        self._images.move_to_end(key)
        return self._images[key]

    def request(self, path: Path, longest_side: int, on_image: OnImage) -> None:
        """``on_image(image, reason)`` on the GUI thread: at once when cached, else after the pool renders."""
        key = cache_key(path, longest_side)
        if key is None:
            on_image(None, QCoreApplication.translate("ThumbnailCache", "Файла {name} нет").format(name=path.name))
            return
        cached = self.get(path, longest_side)
        if cached is not None:
            on_image(cached, "")
            return
        if key in self._waiting:  # already being rendered: one render, every caller told
            self._waiting[key].append(on_image)
            return
        self._waiting[key] = [on_image]
        run_task(lambda: render_first_page(path, longest_side), lambda image, error: self._rendered(key, image, error))

    def _rendered(self, key: Key, image: QImage | None, error: BaseException | None) -> None:
        callers = self._waiting.pop(key, [])
        reason = ""
        if error is not None or image is None or image.isNull():
            log.info("no picture of %s: %s", Path(key[0]).name, error)
            image, reason = None, QCoreApplication.translate("ThumbnailCache", "Не удалось показать файл: он повреждён "
                                                                               "или в неизвестном формате")
        else:
            self._images[key] = image
            while len(self._images) > self.capacity:
                self._images.popitem(last=False)
        for on_image in callers:
            on_image(image, reason)
