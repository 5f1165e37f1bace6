"""Real scan files for the tests: made with Pillow, or by hand where the point is that they are broken."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

from dpo_desktop.sandbox.seeds.tiny_pdf import pdf_of


def picture(size: tuple[int, int] = (160, 120), color: tuple[int, int, int] = (200, 60, 40),
            mode: str = "RGB") -> Image.Image:
    """A small picture with some structure (a frame and a diagonal) so encoders have real work to do."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, size[0] - 5, size[1] - 5), outline=(20, 20, 20), width=3)
    draw.line((0, 0, size[0], size[1]), fill=(250, 250, 250), width=5)
    return image if mode == "RGB" else image.convert(mode)


def jpeg(path: Path, size: tuple[int, int] = (160, 120), color=(200, 60, 40), orientation: int | None = None,
         dpi: int | None = None) -> Path:
    image = picture(size, color)
    options: dict = {"quality": 92}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif
    if dpi is not None:
        options["dpi"] = (dpi, dpi)
    image.save(path, "JPEG", **options)
    return path


def png(path: Path, size: tuple[int, int] = (120, 160), color=(40, 90, 200), mode: str = "RGB") -> Path:
    picture(size, color, mode).save(path, "PNG")
    return path


def transparent_png(path: Path, size: tuple[int, int] = (100, 100)) -> Path:
    """Fully transparent except an opaque blue square in the middle."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((30, 30, 70, 70), fill=(0, 0, 255, 255))
    image.save(path, "PNG")
    return path


def tiff(path: Path, pages: int = 3, size: tuple[int, int] = (100, 140), sizes: list | None = None) -> Path:
    sizes = sizes or [size] * pages
    frames = [picture(each, (30 * number % 255, 100, 150)) for number, each in enumerate(sizes)]
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return path


def pdf(path: Path, pages: int = 2) -> Path:
    frames = [picture((200, 280), (number * 60 % 255, 120, 90)) for number in range(pages)]
    frames[0].save(path, "PDF", save_all=True, append_images=frames[1:], resolution=72)
    return path


def truncated(source: Path, target: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def handmade_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from its object bodies (numbered from 1, object 1 the catalog) with a correct xref table."""
    return pdf_of(objects, trailer)


ONE_PAGE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
NO_PAGES = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]


def password_pdf() -> bytes:
    """Standard security handler, revision 2; /O and /U do not match the empty password, so a reader
    needs the user password to open it."""
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>"
    file_id = b"<" + b"0123456789abcdef" * 2 + b">"
    return handmade_pdf([*ONE_PAGE, encrypt], b"/Encrypt 4 0 R /ID [%s %s]" % (file_id, file_id))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width``×``height`` pixels but carries almost no data: a decompression bomb's
    header, cheap to make."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def heic_magic() -> bytes:
    """The start of an iPhone photo: an ISO-BMFF ``ftyp`` box with the ``heic`` brand."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)


def docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Заявление</w:document>")
    return path


def plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("скан1.jpg", b"\xff\xd8\xff" + bytes(10))
    return path


def saved(path: Path, image: Image.Image, file_format: str, **options) -> Path:
    image.save(path, file_format, **options)
    return path
