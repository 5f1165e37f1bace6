"""Reading the cache: typed queries that answer with domain models.

A reader owns one connection and serialises its use with a lock, so one reader may serve several
threads; in WAL mode it never waits for the writer and sees each transaction only once committed.
The GUI thread opens its own reader (``Store.open_reader``) so that its queries never queue behind
the lane's.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Self

from ..domain.models import Company, Contact, Deal, Document, Event, Participant, Stage
from . import rows
from .contact_search import ContactSearch
from .crypto import CacheCipher
from .outbox import OutboxReads
from .personal import search_key
from .pushes import PushReads
from .report import ReportBatch, iter_report_batches, merge
from .tables import Kind, chunks, marks, table
from .uploads import UploadReads


class StoreReader(OutboxReads, UploadReads, PushReads):
    """Read-only access to one cache file."""

    def __init__(self, path: Path, connection: sqlite3.Connection, cipher: CacheCipher) -> None:
        self.path = path
        self._reader = connection
        self._read_lock = threading.Lock()
        self.cipher = cipher
        self._contact_search = ContactSearch()

    def close(self) -> None:
        with self._read_lock:
            self._reader.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _query(self, sql: str, *params: Any) -> list[tuple]:
        with self._read_lock:
            return self._reader.execute(sql, params).fetchall()

    def _query_in(self, sql: str, values: Iterable[Any], *params: Any) -> Iterator[tuple]:
        """``sql`` with its ``{marks}`` filled for each chunk of ``values`` (an IN list kept small)."""
        for chunk in chunks(values):
            yield from self._query(sql.format(marks=marks(len(chunk))), *params, *chunk)

    # -- deals, events, stages ---------------------------------------------------------------------------

    def deal(self, deal_id: int) -> Deal | None:
        found = self._query(f"SELECT {rows.select_list(rows.DEAL_COLUMNS)} FROM deals WHERE id = ?", deal_id)
        return rows.deal_from(found[0], self.cipher) if found else None

    def deals(self, pipeline_id: int | None = None, stage_id: str | None = None,
              event_code: str | None = None) -> list[Deal]:
        """Deals matching every criterion given, by ID."""
        where, params = _where(pipeline_id=pipeline_id, stage_id=stage_id, event_code=event_code)
        return [rows.deal_from(row, self.cipher) for row in self._query(
            f"SELECT {rows.select_list(rows.DEAL_COLUMNS)} FROM deals {where} ORDER BY id", *params)]

    def events(self, pipeline_id: int | None = None) -> list[Event]:
        """The events the deals name, by code.

        Deals of one event should agree on its name, type, hours and dates; where they do not, the value
        most deals give wins (the lowest deal ID breaks a tie), so one mistyped deal does not rename it.
        """
        where, params = _where(pipeline_id=pipeline_id)
        where = f"{where} AND event_code <> ''" if where else "WHERE event_code <> ''"
        found = self._query(
            "SELECT event_code, event_name, programme_type, hours, start_date, end_date FROM deals"
            f" {where} ORDER BY event_code, id", *params)
        votes: dict[str, list[Counter]] = {}
        for code, *values in found:
            counters = votes.setdefault(code, [Counter() for _ in values])
            for counter, value in zip(counters, values, strict=True):
                if value not in (None, ""):
                    counter[value] += 1
        fields = ("name", "programme_type", "hours", "start_date", "end_date")
        return [
            Event.model_validate({"code": code, **{
                field: counter.most_common(1)[0][0] for field, counter in zip(fields, counters, strict=True)
                if counter}})
            for code, counters in votes.items()
        ]

    def stages(self, pipeline_id: int) -> list[Stage]:
        return [rows.stage_from(row) for row in self._query(
            f"SELECT {rows.select_list(rows.STAGE_COLUMNS)} FROM stages WHERE pipeline_id = ?"
            " ORDER BY sort, status_id", pipeline_id)]

    # -- companies and contacts --------------------------------------------------------------------------

    def company(self, company_id: int) -> Company | None:
        found = self._query(f"SELECT {rows.select_list(rows.COMPANY_COLUMNS)} FROM companies WHERE id = ?",
                            company_id)
        return rows.company_from(found[0]) if found else None

    def contact(self, contact_id: int) -> Contact | None:
        found = self._query(f"SELECT {rows.select_list(rows.CONTACT_READ_COLUMNS)} FROM contacts WHERE id = ?",
                            contact_id)
        return rows.contact_from(found[0], self.cipher) if found else None

    def contacts(self, ids: Iterable[int]) -> list[Contact]:
        """The contacts with these IDs that the cache has, by ID."""
        found = self._query_in(
            f"SELECT {rows.select_list(rows.CONTACT_READ_COLUMNS)} FROM contacts WHERE id IN ({{marks}})",
            sorted(set(ids)))
        return [rows.contact_from(row, self.cipher) for row in found]

    def find_contacts(self, *, last_name: str | None = None, name: str | None = None,
                      second_name: str | None = None, birth_date: date | None = None) -> list[Contact]:
        """Contacts equal on every criterion given, ignoring case, ё/е and extra spaces; by ID.

        An empty string is a criterion too (``second_name=""``: people without a patronymic). The keys
        and the birth date are compared as keyed hashes (blind indexes): the cache holds no plain name.
        """
        blind = self.cipher.blind
        criteria: dict[str, Any] = {
            "last_name_key": None if last_name is None else blind(search_key(last_name)),
            "name_key": None if name is None else blind(search_key(name)),
            "second_name_key": None if second_name is None else blind(search_key(second_name)),
            "birth_date": None if birth_date is None else blind(birth_date.isoformat()),
        }
        where, params = _where(**criteria)
        if not where:
            raise ValueError("find_contacts needs at least one criterion")
        return [rows.contact_from(row, self.cipher) for row in self._query(
            f"SELECT {rows.select_list(rows.CONTACT_READ_COLUMNS)} FROM contacts {where} ORDER BY id", *params)]

    def search_contacts(self, query: str, limit: int = 200) -> list[Contact]:
        """Contacts matching every word of ``query``: a part of a name, of a phone's digits or of an e-mail.

        The names are sealed in the cache, so the match runs over an index in memory (``contact_search``),
        built on the first search and again only after contacts change.
        """
        return [rows.contact_from_plain(row)
                for row in self._contact_search.search(self._query, self.cipher, query, limit)]

    # -- participants and documents ----------------------------------------------------------------------

    def participants(self, deal_id: int | None = None, contact_id: int | None = None) -> list[Participant]:
        """Participants by deal, then in the order they were added."""
        where, params = _where(deal_id=deal_id, contact_id=contact_id)
        return [rows.participant_from(row, self.cipher) for row in self._query(
            f"SELECT {rows.select_list(rows.PARTICIPANT_COLUMNS)} FROM participants {where}"
            " ORDER BY deal_id, local_id", *params)]

    def participant_by_code(self, code: str) -> Participant | None:
        found = self._query(
            f"SELECT {rows.select_list(rows.PARTICIPANT_COLUMNS)} FROM participants WHERE code = ?", code)
        return rows.participant_from(found[0], self.cipher) if found else None

    def documents(self, deal_id: int | None = None, contact_id: int | None = None) -> list[Document]:
        """Documents by deal, person, then in the order they arrived."""
        where, params = _where(deal_id=deal_id, contact_id=contact_id)
        return [rows.document_from(row, self.cipher) for row in self._query(
            f"SELECT {rows.select_list(rows.DOCUMENT_COLUMNS)} FROM documents {where}"
            " ORDER BY deal_id, contact_id, local_id", *params)]

    def document_by_code(self, code: str) -> Document | None:
        found = self._query(f"SELECT {rows.select_list(rows.DOCUMENT_COLUMNS)} FROM documents WHERE code = ?", code)
        return rows.document_from(found[0], self.cipher) if found else None

    def documents_by_sha256(self, contact_id: int, sha256: str) -> list[Document]:
        """The person's documents with this content, in any deal: a dropped scan that is already there."""
        return [rows.document_from(row, self.cipher) for row in self._query(
            f"SELECT {rows.select_list(rows.DOCUMENT_COLUMNS)} FROM documents WHERE contact_id = ? AND sha256 = ?"
            " ORDER BY deal_id, local_id", contact_id, sha256)]

    def iter_report_source(self, *, pipeline_id: int | None = None, stage_id: str | None = None,
                           event_code: str | None = None, deal_ids: Iterable[int] | None = None,
                           batch_deals: int = 1000) -> Iterator[ReportBatch]:
        """The report's input in batches of at most ``batch_deals`` deals matching every criterion given:
        each batch has its deals, their participants, those people's contacts and their document marks.
        All batches come from one snapshot, read on a connection of the iterator's own."""
        return iter_report_batches(self.path, self.cipher, pipeline_id=pipeline_id, stage_id=stage_id,
                                   event_code=event_code, deal_ids=deal_ids, batch_deals=batch_deals)

    def report_source(self, *, pipeline_id: int | None = None, stage_id: str | None = None,
                      event_code: str | None = None, deal_ids: Iterable[int] | None = None) -> ReportBatch:
        """Everything the report needs about the chosen deals, in one piece."""
        return merge(self.iter_report_source(pipeline_id=pipeline_id, stage_id=stage_id, event_code=event_code,
                                             deal_ids=deal_ids))

    # -- meta and reconciliation -------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        found = self._query("SELECT value FROM meta WHERE key = ?", key)
        return json.loads(found[0][0]) if found else default

    # Portal IDs are positive. Rows made offline are not the portal's: participants and documents
    # without an ID, contacts under a provisional (negative) ID until the portal has created them.

    def ids(self, kind: Kind) -> set[int]:
        """The portal IDs of every cached row of ``kind``."""
        return {row[0] for row in self._query(f"SELECT id FROM {table(kind).name} WHERE id > 0")}

    def max_id(self, kind: Kind) -> int:
        """The highest portal ID of ``kind``, 0 when there is none."""
        return int(self._query(f"SELECT coalesce(max(id), 0) FROM {table(kind).name} WHERE id > 0")[0][0])

    def count(self, kind: Kind) -> int:
        """How many rows of ``kind`` the portal knows."""
        return int(self._query(f"SELECT count(*) FROM {table(kind).name} WHERE id > 0")[0][0])

    def ids_between(self, kind: Kind, low: int, high: int) -> list[int]:
        """Portal IDs of ``kind`` within ``[low, high]``, ascending."""
        return [row[0] for row in self._query(
            f"SELECT id FROM {table(kind).name} WHERE id BETWEEN ? AND ? AND id > 0 ORDER BY id", low, high)]


def _where(**criteria: Any) -> tuple[str, list[Any]]:
    """``WHERE a = ? AND b = ?`` for the criteria that are not None."""
    given = {column: value for column, value in criteria.items() if value is not None}
    if not given:
        return "", []
    return "WHERE " + " AND ".join(f"{column} = ?" for column in given), list(given.values())
