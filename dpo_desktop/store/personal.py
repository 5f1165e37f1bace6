"""Which cached columns hold personal data (152-ФЗ), in one place.

Encryption at rest comes later: it will wrap exactly these columns in ``rows.py`` (encode on the way
in, decode on the way out) and turn the search keys into keyed hashes (blind indexes), so that
``find_contacts`` keeps working by equality without the plain name on disk. Until then both lists are
the contract: a new personal column is added here, not just to a table.
"""

from __future__ import annotations

PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "contacts": (
        "last_name", "name", "second_name", "birth_date", "phones", "emails", "post", "snils",
        "passport_series", "passport_number", "sex", "citizenship", "education_level",
        "diploma_surname", "diploma_series", "diploma_number",
    ),
    "participants": ("issued_series", "issued_number", "issued_reg_number"),
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

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def search_key(text: str) -> str:
    """``text`` as names are compared: case-insensitive, ё as е, invisible characters and extra spaces gone."""
    return " ".join(text.translate(_INVISIBLE).replace("ё", "е").replace("Ё", "Е").split()).casefold()


def is_personal(table: str, column: str) -> bool:
    return column in PERSONAL_COLUMNS.get(table, ())
