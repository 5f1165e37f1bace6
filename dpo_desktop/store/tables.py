"""The mirrored tables by the names the rest of the app uses (``store_changed(table, ids)``, ``ids(kind)``).

Deals, contacts and companies are keyed by their portal ID. Participants and documents are keyed by
their ELEMENT_CODE, because a row may exist before the portal has given it an ID (created offline);
their portal ID is unique when known and is what reconciliation compares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from . import rows
from .crypto import CacheCipher
from .personal import PERSONAL_COLUMNS

Kind = Literal["deals", "contacts", "companies", "participants", "documents"]

# SQLite allows 999 parameters on old builds (32,766 since 3.32); chunks of IN lists stay well below.
IN_CHUNK = 500


@dataclass(frozen=True)
class Table:
    name: str
    key: str  # the column an upsert conflicts on and change notices name
    columns: tuple[str, ...]  # the columns an upsert writes, in the encoder's order
    encode: Callable[..., tuple]  # (model) -> row; (model, cipher) -> row for a table with personal columns

    def row(self, model: Any, cipher: CacheCipher) -> tuple:
        """The row an upsert writes for ``model``, its personal columns sealed."""
        return self.encode(model, cipher) if self.name in PERSONAL_COLUMNS else self.encode(model)

    def upsert_sql(self) -> str:
        names = ", ".join(self.columns)
        marks = ", ".join("?" for _ in self.columns)
        updates = ", ".join(self._update(column) for column in self.columns if column != self.key)
        return f"INSERT INTO {self.name} ({names}) VALUES ({marks}) ON CONFLICT ({self.key}) DO UPDATE SET {updates}"

    def _update(self, column: str) -> str:
        if column == "id" and self.key != "id":
            # A row written locally (no ID yet) must not erase the ID the portal already gave it.
            return f"id = coalesce(excluded.id, {self.name}.id)"
        return f"{column} = excluded.{column}"


TABLES: dict[str, Table] = {
    "companies": Table("companies", "id", rows.COMPANY_COLUMNS, rows.company_row),
    "contacts": Table("contacts", "id", (*rows.CONTACT_COLUMNS, *rows.CONTACT_KEY_COLUMNS, "sealed"),
                      rows.contact_row),
    "deals": Table("deals", "id", rows.DEAL_COLUMNS, rows.deal_row),
    "participants": Table("participants", "code", rows.PARTICIPANT_COLUMNS, rows.participant_row),
    "documents": Table("documents", "code", rows.DOCUMENT_COLUMNS, rows.document_row),
}


def table(kind: str) -> Table:
    """The table of ``kind``; anything else is a programming error (names reach SQL text)."""
    try:
        return TABLES[kind]
    except KeyError:
        raise ValueError(f"unknown kind of cached object: {kind!r}") from None


def chunks(values: Iterable[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def marks(count: int) -> str:
    """``?, ?, ?`` for an IN list of ``count`` values."""
    return ", ".join("?" * count)
