"""Which cached columns hold personal data (152-ФЗ), in one place.

Every column listed here is encrypted at rest (``crypto.py``): a contact's together in one blob
(``rows.py``), every other one value by value with ``"table.column"`` as its associated data (rows.py,
outbox.py, uploads.py, pushes.py); the search keys are keyed hashes (blind indexes), so that
``find_contacts`` works by equality without the plain name on disk. ``sealing.py`` seals the values
an older cache kept plain, by this list. A new personal column is added here, not just to a table, and
sealed where its table is written and read.
"""

from __future__ import annotations

import re

PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "contacts": (
        "last_name", "name", "second_name", "birth_date", "phones", "emails", "post", "snils",
        "passport_series", "passport_number", "sex", "citizenship", "education_level",
        "diploma_surname", "diploma_series", "diploma_number",
    ),
    # A deal for a private person is titled with the person's full name.
    "deals": ("title",),
    "participants": ("issued_series", "issued_number", "issued_reg_number", "frdo"),
    # A scan's original file name often is the person's name; a comment may quote the document.
    "documents": ("original_name", "comment"),
    # Outbox payloads carry what the user typed about a person (contact.create / contact.update).
    "outbox": ("payload", "result"),
    # Dropped files are named after people; a reason quotes the file name.
    "upload_queue": ("path", "name", "reason"),
    # An archive folder is named after the person (and its link spells the path).
    "push_folders": ("path", "link"),
    "pushed_files": ("name",),
}

# Derived from personal columns for lookups by equality; they become keyed hashes with encryption.
SEARCH_KEY_COLUMNS: dict[str, dict[str, str]] = {
    "contacts": {"last_name_key": "last_name", "name_key": "name", "second_name_key": "second_name"},
}

_INVISIBLE_CHARACTERS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARACTERS), None)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")


def search_key(text: str) -> str:
    """``text`` as names are compared: case-insensitive, ё as е, invisible characters and extra spaces gone."""
    if _HAS_INVISIBLE.search(text):  # rare; translate() with a table is slow, and this runs 40,000 times a search
        text = text.translate(_INVISIBLE)
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def is_personal(table: str, column: str) -> bool:
    return column in PERSONAL_COLUMNS.get(table, ())
