"""Opening scans with Pillow without surprises: every decoding failure and every decompression bomb
becomes a ScanRejected, and a bomb never raises Pillow's DecompressionBombWarning at all.

``Image.open`` checks the pixel count itself and warns (DecompressionBombWarning) above
``Image.MAX_IMAGE_PIXELS``, raising only above twice that; whether the warning is printed, ignored or
raised depends on the process's warning filters. So the file is opened with the format's own plugin
class (what ``Image.open`` calls once it has recognised the format) and every frame is checked here
against the same limit before a pixel is decoded: the answer is the same under any filters, and nothing
is printed. ``warnings.catch_warnings`` is not used: it swaps the global filter list and is not safe in
the CPU pool's threads. Pillow's other warnings (a corrupt EXIF block of a cut-off TIFF) follow the
process's filters: printed (or logged) in the app, raised in the test suite, where this module catches
them as a broken image.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from PIL import Image, ImageFile, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

from .errors import ScanRejected
from .formats import ScanKind
from .text import shown_name

_PLUGINS: dict[ScanKind, type[ImageFile.ImageFile]] = {
    "jpeg": JpegImagePlugin.JpegImageFile,  # an MPO (a JPEG with a depth map) reads as its first picture
    "png": PngImagePlugin.PngImageFile,
    "tiff": TiffImagePlugin.TiffImageFile,
}
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, Warning)  # Pillow's ways to fail
_JPEG_DRAFT_SCALE = 8  # libjpeg decodes at 1/8 scale: every byte is still read, a 64th of the memory


def open_image(stream: BinaryIO, kind: ScanKind, name: str) -> Image.Image:
    """The image in ``stream`` opened (not yet decoded) as ``kind``; refuses bombs and unreadable headers."""
    stream.seek(0)
    try:
        image = _PLUGINS[kind](stream)
    except _BROKEN as error:
        raise corrupt(name, error) from None
    check_pixels(image, name)
    return image


def frames(image: Image.Image, name: str) -> Iterator[Image.Image]:
    """Each frame of ``image`` (one for JPEG and PNG, every page of a TIFF), checked and decoded in turn.

    The same object is yielded each time, moved to the next frame, so one decoded frame is in memory.
    """
    try:
        count = frame_count(image)  # a TIFF counts its pages by walking them: a cut-off file fails here
    except _BROKEN as error:
        raise corrupt(name, error) from None
    for index in range(count):
        if index:  # seeking to frame 0 would undo a JPEG draft
            try:
                image.seek(index)
            except _BROKEN as error:
                raise corrupt(name, error) from None
        check_pixels(image, name)
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(name, None) from None
        except _BROKEN as error:
            raise corrupt(name, error) from None
        yield image


def verify(image: Image.Image, name: str) -> int:
    """Decode every frame to prove the data is whole; the number of frames."""
    if image.format == "JPEG" and len(image.tile) == 1:
        width, height = image.size
        image.draft(None, (max(1, width // _JPEG_DRAFT_SCALE), max(1, height // _JPEG_DRAFT_SCALE)))
    return sum(1 for _ in frames(image, name))


def frame_count(image: Image.Image) -> int:
    """Pages of the image: every frame of a TIFF; one for JPEG and PNG (an animated PNG is not a document)."""
    return max(1, getattr(image, "n_frames", 1)) if image.format == "TIFF" else 1


def check_pixels(image: Image.Image, name: str) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    width, height = image.size
    if limit is not None and width * height > limit:
        raise _bomb(name, (width, height))


def corrupt(name: str, error: BaseException) -> ScanRejected:
    detail = "обрезано или повреждено" if "truncated" in str(error) else "повреждено или не читается"
    return ScanRejected("corrupt_image",
                        f"Файл «{shown_name(name)}»: изображение {detail} — отсканируйте или сфотографируйте заново")


def _bomb(name: str, size: tuple[int, int] | None) -> ScanRejected:
    actual = f"{size[0]}×{size[1]} точек, " if size else ""
    return ScanRejected(
        "corrupt_image",
        f"Файл «{shown_name(name)}»: изображение слишком большое ({actual}допускается до "
        f"{_pixels(Image.MAX_IMAGE_PIXELS or 0)}) — уменьшите разрешение скана",
    )


def _pixels(count: int) -> str:
    return f"{count // 1_000_000} Мпикс" if count >= 1_000_000 else f"{count} точек"
