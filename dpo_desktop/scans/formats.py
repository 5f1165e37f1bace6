"""What a file holds, told by its first bytes (never by its extension), and how to name what we refuse.

``identify`` looks at a bounded head of the file. The four supported kinds are PDF, JPEG, PNG and TIFF;
everything else is named in Russian when it is recognisable (HEIC from a phone, a DOCX, a web page saved
instead of the scan), so the reason the user reads says what the file is and what to do with it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO, Literal

ScanKind = Literal["pdf", "jpeg", "png", "tiff"]
SUPPORTED: tuple[ScanKind, ...] = ("pdf", "jpeg", "png", "tiff")
HEAD_BYTES = 1024  # a PDF header may sit anywhere in the first 1024 bytes

_PHOTO = "сохраните фото как JPEG или PDF"
_PICTURE = "сохраните изображение как JPEG, PNG или PDF"
_DOCUMENT = "сохраните документ как PDF"
_ARCHIVE = "распакуйте архив и перетащите сами файлы"
_NOT_A_SCAN = "нужен скан или фото документа"


@dataclass(frozen=True)
class Foreign:
    """A recognised format we do not take: ``subject`` reads «формат HEIC», «документ Word (DOCX)»…"""

    subject: str
    advice: str


FOREIGN: dict[str, Foreign] = {
    "heic": Foreign("формат HEIC", _PHOTO),
    "avif": Foreign("формат AVIF", _PHOTO),
    "webp": Foreign("формат WebP", _PICTURE),
    "gif": Foreign("формат GIF", _PICTURE),
    "bmp": Foreign("формат BMP", _PICTURE),
    "jpeg2000": Foreign("формат JPEG 2000", _PICTURE),
    "bigtiff": Foreign("формат BigTIFF", "сохраните скан как обычный TIFF или PDF"),
    "svg": Foreign("векторный рисунок SVG", _PICTURE),
    "djvu": Foreign("формат DjVu", _DOCUMENT),
    "docx": Foreign("документ Word (DOCX)", _DOCUMENT),
    "xlsx": Foreign("таблица Excel (XLSX)", _DOCUMENT),
    "pptx": Foreign("презентация PowerPoint (PPTX)", _DOCUMENT),
    "odf": Foreign("документ OpenDocument", _DOCUMENT),
    "ms_office_legacy": Foreign("документ Microsoft Office старого формата (DOC, XLS)", _DOCUMENT),
    "rtf": Foreign("документ RTF", _DOCUMENT),
    "zip": Foreign("архив ZIP", _ARCHIVE),
    "rar": Foreign("архив RAR", _ARCHIVE),
    "7z": Foreign("архив 7z", _ARCHIVE),
    "gzip": Foreign("архив GZIP", _ARCHIVE),
    "html": Foreign("веб-страница (HTML)", "скачайте сам файл или сохраните страницу как PDF"),
    "xml": Foreign("файл XML", _DOCUMENT),
    "text": Foreign("текстовый файл", _DOCUMENT),
    "video": Foreign("видео", _NOT_A_SCAN),
    "program": Foreign("программа (EXE)", _NOT_A_SCAN),
}

# Byte signatures at offset 0, strongest first; ISO-BMFF (HEIC, AVIF, MP4) and RIFF are told apart below.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "bigtiff"),
    (b"MM\x00+", "bigtiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jpeg2000"),
    (b"\xff\x4f\xff\x51", "jpeg2000"),
    (b"AT&TFORM", "djvu"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ms_office_legacy"),
    (b"{\\rtf", "rtf"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
# Sizes of the BMP info headers Windows and OS/2 write; "BM" alone would also start a text file.
_BMP_HEADER_SIZES = {12, 16, 40, 52, 56, 64, 108, 124}
_TEXT_CONTROLS = set(b"\t\n\r\f")


def identify(head: bytes) -> str:
    """A supported kind (``pdf``, ``jpeg``, ``png``, ``tiff``), a key of FOREIGN, or ``unknown``."""
    if b"%PDF-" in head[:HEAD_BYTES]:
        return "pdf"
    for signature, key in _SIGNATURES:
        if head.startswith(signature):
            return key
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "heic" if brand in _HEIF_BRANDS else "avif" if brand in _AVIF_BRANDS else "video"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = _as_text(head)
    if text is not None:
        return _text_flavour(text)
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "bmp"
    if head[:2] == b"MZ":
        return "program"
    return "unknown"


def zip_flavour(stream: BinaryIO) -> str:
    """Which office format a ZIP container is (``docx``, ``xlsx``, ``pptx``, ``odf``) or plain ``zip``.

    Reads only the central directory (at the end of the file), so a large archive costs little memory.
    """
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    for marker, key in (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                        ("ppt/presentation.xml", "pptx"), ("mimetype", "odf")):
        if marker in names:
            return key
    return "zip"


def _as_text(head: bytes) -> str | None:
    """The head as text when it plausibly is text (UTF-8, UTF-16 with a BOM, or Windows-1251)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].decode("utf-16", errors="replace")
    if any(byte < 0x20 and byte not in _TEXT_CONTROLS for byte in head) or b"\x7f" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # the head cut a character in two
            return head[: error.start].decode("utf-8")
    return head.decode("cp1251", errors="replace")


def _text_flavour(text: str) -> str:
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in start:
        return "html"
    if "<svg" in start:
        return "svg"
    if start.startswith("<?xml"):
        return "xml"
    return "text"
