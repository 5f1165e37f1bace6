"""Names that are safe on Bitrix24 Drive and on the Windows machines that sync it.

A dropped file keeps its name on the portal as far as it is safe: only the last path component, NFC,
no characters Windows forbids or control characters, no leading or trailing spaces and dots, no device
names (CON, NUL, COM1…), at most ``max_length`` characters with the extension kept. Emoji and mixed
scripts stay, except for on-premise portals whose MySQL stores 3-byte utf8 (``bmp_only``), where anything
beyond the Basic Multilingual Plane would be cut off or refused.
"""

from __future__ import annotations

import re
import unicodedata

from .text import is_control, shown_name

_FORBIDDEN = frozenset('\\/:*?"<>|')
_SEPARATORS = re.compile(r"[\\/]")
_DRIVE = re.compile(r"^[A-Za-z]:")
# An extension worth keeping when a name is cut: short, Latin letters and digits («.pdf», «.jpeg»).
_EXTENSION = re.compile(r"\.[0-9A-Za-z]{1,10}$")
# A run of characters beyond the BMP, with the joiners and variation selectors that glue emoji together.
_ASTRAL_RUN = re.compile("(?:[\U00010000-\U0010ffff][\u200d\ufe0e\ufe0f]*)+")
_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{port}{digit}" for port in ("COM", "LPT") for digit in "123456789¹²³"]
)
_FALLBACK_FILE = "файл"
_FALLBACK_FOLDER = "папка"
_MAX_NAME_BYTES = 255  # NAME_MAX of ext4 and most file systems, in UTF-8 bytes


def portal_file_name(original: str, *, max_length: int = 120, bmp_only: bool = False) -> str:
    """A safe file name for the portal from whatever name (or path) the file arrived with."""
    _require_room(max_length)
    name = _clean(_last_component(original), bmp_only).rstrip(" .")
    match = _EXTENSION.search(name)
    stem, extension = (name[: match.start()], match.group()) if match else (name, "")
    stem = stem.lstrip(" .") or _FALLBACK_FILE
    if len(extension) >= max_length:
        stem, extension = stem + extension, ""
    return _not_a_device(_cut(stem, max_length - len(extension)), extension, max_length)


def folder_name(text: str, *, max_length: int = 120, bmp_only: bool = False) -> str:
    """One safe folder segment: the same rules as for a file, but the whole text is the segment (a slash
    in an event code becomes «_» rather than a new folder) and there is no extension."""
    _require_room(max_length)
    name = _clean(unicodedata.normalize("NFC", text), bmp_only).strip(" .") or _FALLBACK_FOLDER
    return _not_a_device(_cut(name, max_length), "", max_length)


def name_problem(original: str) -> str | None:
    """A Russian note for the log and the UI when the original name was dangerous; None when it was not.

    The file is still accepted under ``portal_file_name(original)``; the note says what was wrong.
    """
    problems: list[str] = []
    parts = _SEPARATORS.split(original)
    if ".." in parts:
        problems.append("содержит «..» — путь в другую папку")
    elif original[:1] in ("/", "\\") or _DRIVE.match(original):
        problems.append("содержит путь от корня диска")
    last = _last_component(original)
    if _is_device(last):
        problems.append("это зарезервированное имя устройства Windows")
    if len(last.encode("utf-8", errors="surrogatepass")) > _MAX_NAME_BYTES:
        problems.append(f"длиннее {_MAX_NAME_BYTES} байт")
    if any(is_control(char) for char in original):
        problems.append("содержит управляющие символы")
    if not problems:
        return None
    return (f"Имя файла «{shown_name(original)}» небезопасно: {'; '.join(problems)} — "
            f"на портал файл попадёт под именем «{portal_file_name(original)}»")


def _require_room(max_length: int) -> None:
    if max_length < 1:
        raise ValueError("max_length must be positive")


def _last_component(original: str) -> str:
    """The last meaningful path component: ``../../скан.pdf`` and ``C:\\Users\\скан.pdf`` give ``скан.pdf``."""
    parts = _SEPARATORS.split(unicodedata.normalize("NFC", original))
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] not in ("", ".", ".."):
            return _DRIVE.sub("", parts[index]) if index == 0 else parts[index]
    return ""


def _clean(text: str, bmp_only: bool) -> str:
    if bmp_only:
        text = _ASTRAL_RUN.sub("_", text)
    return "".join("_" if char in _FORBIDDEN or is_control(char) else char for char in text)


def _cut(text: str, length: int) -> str:
    """At most ``length`` characters, never ending in a space, a dot or a dangling zero-width joiner."""
    if len(text) <= length:
        return text
    return text[:length].rstrip(" .\u200d") or text[:length]


def _not_a_device(stem: str, extension: str, max_length: int) -> str:
    """Windows opens a device for «NUL.pdf» or «com1.tar.gz» whatever the extension: prefix those with «_»."""
    if not _is_device(stem + extension):
        return stem + extension
    return ("_" + stem)[: max(1, max_length - len(extension))] + extension


def _is_device(name: str) -> bool:
    return name.split(".", 1)[0].rstrip(" ").upper() in _DEVICES
