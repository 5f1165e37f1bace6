"""Search-as-you-type over contacts whose names are sealed: an index in memory, rebuilt when contacts change.

With the names encrypted at rest SQLite can no longer match a part of one, so the reader opens every
contact once (one AES-GCM call a row) and keeps the search keys, e-mails and phone digits in memory;
a keystroke is then one substring test a contact a word. A counter the cache bumps on every change to the
contacts table (a trigger, schema version 6) tells when the index is stale; other writes do not
invalidate it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from operator import itemgetter

from . import rows
from .crypto import CacheCipher
from .personal import search_key

COUNTER_SQL = "SELECT changes FROM change_counters WHERE name = 'contacts'"
ROWS_SQL = f"SELECT {rows.select_list(rows.CONTACT_READ_COLUMNS)} FROM contacts WHERE id > 0"
_LAST, _NAME, _SECOND = (rows.CONTACT_COLUMNS.index(column) for column in ("last_name", "name", "second_name"))
_PHONES, _EMAILS = rows.CONTACT_COLUMNS.index("phones"), rows.CONTACT_COLUMNS.index("emails")
_FIELD = "\x00"  # between the parts of a haystack: no search word contains it, so none spans two parts

Query = Callable[..., list[tuple]]


class _Index:
    """Parallel lists, in the order results are shown (last name, name, ID)."""

    def __init__(self, found: list[tuple], cipher: CacheCipher) -> None:
        entries = []
        for sealed_row in found:
            row = rows.open_contact(sealed_row, cipher)
            names = search_key(f"{row[_LAST]}{_FIELD}{row[_NAME]}{_FIELD}{row[_SECOND]}")
            parts = names.split(_FIELD)
            entries.append((parts[0].strip(), parts[1].strip(), row[0], f"{names}{_FIELD}{row[_EMAILS].lower()}",
                            _digits_of(row[_PHONES]), row))
        entries.sort(key=itemgetter(0, 1, 2))
        self.texts = [entry[3] for entry in entries]  # names' search keys and e-mails
        self.digits = [entry[4] for entry in entries]  # the phones' JSON text without punctuation
        self.rows = [entry[5] for entry in entries]  # plain rows (CONTACT_COLUMNS)


def _digits_of(phones: str) -> str:
    """The phones' JSON text without punctuation, so "8912" finds "+7 (912) …" by its digits."""
    for mark in " -()+\"":
        phones = phones.replace(mark, "")
    return phones


class ContactSearch:
    """One reader's index; safe to share between the threads the reader serves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._index: _Index | None = None

    def search(self, query: Query, cipher: CacheCipher, text: str, limit: int) -> list[list]:
        """Plain rows of the contacts matching every word of ``text``, by name, at most ``limit``."""
        words = search_key(text).split()[:6]
        if not words:
            return []
        index = self._current(query, cipher)
        chosen: list[int] | None = None
        for number, word in enumerate(words):  # each word narrows the candidates: one substring test each
            digits = "".join(char for char in word if char.isdigit())
            phone = bool(digits) and all(char.isdigit() or char in "+-()." for char in word)  # a piece of a phone
            needle, column = (digits, index.digits) if phone else (word, index.texts)
            last = number == len(words) - 1
            kept = []
            for at, value in enumerate(column) if chosen is None else ((at, column[at]) for at in chosen):
                if needle in value:
                    kept.append(at)
                    if last and len(kept) >= limit:  # in the order shown: the first ones are the answer
                        break
            chosen = kept
        return [index.rows[at] for at in chosen or ()]

    def _current(self, query: Query, cipher: CacheCipher) -> _Index:
        with self._lock:
            counter = query(COUNTER_SQL)
            version = int(counter[0][0]) if counter else None
            if self._index is None or version is None or version != self._version:
                self._index = _Index(query(ROWS_SQL), cipher)
                self._version = version
            return self._index
