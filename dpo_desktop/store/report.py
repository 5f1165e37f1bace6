"""The read path of the missing-documents report: deals with everything the rules need about them.

The report looks at every participant of the chosen deals, their contacts (name, education level,
diploma surname, СНИЛС, citizenship) and which documents each has, across up to the whole cache:
thousands of deals, tens of thousands of people, hundreds of thousands of documents. Deals and
contacts come as domain models; of participants and documents the report needs only who, which type
and which status, so they come as small tuples with the same attribute names as the models (reading
and validating 200,000 full ``Document`` models would take seconds, and the report would use four of
their twelve fields). The covering index ``documents_by_deal`` answers those reads without touching
the table.

Batches of deals, each complete in itself, let the rules work with bounded memory; all batches come
from one snapshot, so a sync committing meanwhile cannot show half its work. The read uses a
connection of its own, closed when the iteration ends; until then the snapshot keeps SQLite from
folding the write-ahead log back into the file, so consume the batches rather than park them.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..domain.models import CheckStatus, Deal, DocumentType, EducationLevel, full_name_of, surname_differs
from . import rows
from .connection import connect
from .crypto import CacheCipher
from .personal import PERSONAL_COLUMNS
from .tables import chunks, marks


class ParticipantRef(NamedTuple):
    """Who takes part in which deal (``Participant`` without the issued document)."""

    id: int | None
    deal_id: int
    contact_id: int
    status: str


class ContactRef(NamedTuple):
    """What the report needs of a person: names and the fields the rules look at (no phones, no checks)."""

    id: int
    last_name: str
    name: str
    second_name: str
    snils: str
    citizenship: str
    education_level: EducationLevel | None
    diploma_surname: str

    @property
    def full_name(self) -> str:
        return full_name_of(self.id, self.last_name, self.name, self.second_name)

    @property
    def surname_changed(self) -> bool:
        return surname_differs(self.diploma_surname, self.last_name)


_REF_COLUMNS = ("last_name", "name", "second_name", "snils", "citizenship", "education_level", "diploma_surname")
# The plain columns come along for a row not sealed yet; they are empty once it is.
_CONTACT_REF_SQL = f"SELECT id, sealed, {', '.join(_REF_COLUMNS)} FROM contacts"
_LAST, _NAME, _SECOND, _SNILS, _CITIZENSHIP, _LEVEL, _DIPLOMA = (
    PERSONAL_COLUMNS["contacts"].index(column) for column in _REF_COLUMNS)
_LEVELS = {level.value: level for level in EducationLevel}


def _contact_ref(row: tuple, cipher: CacheCipher) -> ContactRef:
    """One decryption a person (all personal columns are sealed together); 40,000 of these a report."""
    contact_id, sealed, *plain = row
    if sealed is not None:
        values = cipher.open_fields(sealed, "contacts")
        plain = (values[_LAST], values[_NAME], values[_SECOND], values[_SNILS], values[_CITIZENSHIP], values[_LEVEL],
                 values[_DIPLOMA])
    last_name, name, second_name, snils, citizenship, level, diploma_surname = plain
    return ContactRef(contact_id, last_name, name, second_name, snils, citizenship,
                      _LEVELS[level] if level else None, diploma_surname)


# A person's documents in one deal as two sets of types (``DocumentType.bit``): the types with a document
# not rejected, and the types with a rejected one. Grouped by SQLite: one row a person, not one a document.
DocumentBits = dict[tuple[int, int], tuple[int, int]]

_TYPE_BIT = "CASE type " + " ".join(f"WHEN '{kind.value}' THEN {kind.bit}" for kind in DocumentType) + " END"
_BITS_SQL = (f"SELECT deal_id, contact_id, SUM(DISTINCT CASE WHEN status != '{CheckStatus.REJECTED.value}' THEN "
             f"{_TYPE_BIT} END), SUM(DISTINCT CASE WHEN status = '{CheckStatus.REJECTED.value}' THEN {_TYPE_BIT} END)"
             " FROM documents")


@dataclass(frozen=True)
class ReportBatch:
    """Some deals and all that the report needs about them."""

    deals: tuple[Deal, ...]  # by ID
    contacts: dict[int, ContactRef]  # the participants' contacts that the cache has, by ID
    participants: tuple[ParticipantRef, ...]  # of these deals, by deal, in the order they were added
    document_bits: DocumentBits  # of these deals: (deal, contact) -> (present types, rejected types)


def merge(batches: Iterable[ReportBatch]) -> ReportBatch:
    """All batches as one."""
    deals: list[Deal] = []
    contacts: dict[int, ContactRef] = {}
    participants: list[ParticipantRef] = []
    bits: DocumentBits = {}
    for batch in batches:
        deals += batch.deals
        contacts.update(batch.contacts)
        participants += batch.participants
        bits.update(batch.document_bits)  # batches hold different deals: no key is in two of them
    return ReportBatch(tuple(deals), contacts, tuple(participants), bits)


def iter_report_batches(path: Path, cipher: CacheCipher, *, pipeline_id: int | None = None, stage_id: str | None = None,
                        event_code: str | None = None, deal_ids: Iterable[int] | None = None,
                        batch_deals: int = 1000) -> Iterator[ReportBatch]:
    """Batches of at most ``batch_deals`` deals (by ID) matching every criterion given."""
    connection = connect(path, read_only=True)
    try:
        connection.execute("BEGIN")  # one snapshot for the whole report
        with gc_paused():
            selected = _select_deals(connection, cipher, pipeline_id=pipeline_id, stage_id=stage_id,
                                     event_code=event_code, deal_ids=deal_ids)
        for first in range(0, len(selected), batch_deals):
            with gc_paused():
                batch = _batch(connection, cipher, selected[first:first + batch_deals])
            yield batch
    finally:
        connection.close()


def _select_deals(connection: sqlite3.Connection, cipher: CacheCipher, *, deal_ids: Iterable[int] | None,
                  **criteria: Any) -> list[Deal]:
    given = {column: value for column, value in criteria.items() if value is not None}
    conditions = [f"{column} = ?" for column in given]
    sql = f"SELECT {rows.select_list(rows.DEAL_COLUMNS)} FROM deals"
    if deal_ids is None:
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        found = connection.execute(f"{sql}{where} ORDER BY id", list(given.values())).fetchall()
    else:
        found = []
        for chunk in chunks(sorted(set(deal_ids))):
            where = " AND ".join([f"id IN ({marks(len(chunk))})", *conditions])
            found += connection.execute(f"{sql} WHERE {where} ORDER BY id", [*chunk, *given.values()]).fetchall()
    return [rows.deal_from(row, cipher) for row in found]


def _batch(connection: sqlite3.Connection, cipher: CacheCipher, deals: list[Deal]) -> ReportBatch:
    ids = [deal.id for deal in deals]
    participants = tuple(ParticipantRef._make(row) for row in _rows_in(
        connection, "SELECT id, deal_id, contact_id, status FROM participants", "deal_id", ids, "deal_id, local_id"))
    contact_rows = _rows_in(connection, _CONTACT_REF_SQL, "id",
                            sorted({participant.contact_id for participant in participants}), "id")
    bits = {(deal_id, contact_id): (present or 0, rejected or 0)
            for deal_id, contact_id, present, rejected in _grouped_in(connection, ids)}
    return ReportBatch(
        deals=tuple(deals),
        contacts={contact.id: contact for contact in (_contact_ref(row, cipher) for row in contact_rows)},
        participants=participants,
        document_bits=bits,
    )


def _grouped_in(connection: sqlite3.Connection, deal_ids: list[int]) -> list[tuple]:
    found: list[tuple] = []
    for chunk in chunks(deal_ids):
        found += connection.execute(f"{_BITS_SQL} WHERE deal_id IN ({marks(len(chunk))})"
                                    " GROUP BY deal_id, contact_id", chunk).fetchall()
    return found


def _rows_in(connection: sqlite3.Connection, select: str, column: str, values: list[int], order: str) -> list[tuple]:
    """Rows whose ``column`` is one of ``values`` (sorted), in ``order``: the chunks follow each other."""
    found: list[tuple] = []
    for chunk in chunks(values):
        found += connection.execute(f"{select} WHERE {column} IN ({marks(len(chunk))}) ORDER BY {order}",
                                    chunk).fetchall()
    return found


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is built.

    A batch is tens of thousands of new objects that all stay alive; the collector would walk them
    again and again and find nothing, which doubled the read time. Reference counting still frees
    everything as usual. Safe across threads: the collector comes back when the last reader is done.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()
