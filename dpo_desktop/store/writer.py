"""The write transaction: everything ``with store.write() as tx:`` can do.

Upserts replace a row whole (the portal's current state wins over the cache's); deletes take IDs as
the portal knows them. Each write notes which rows changed, so that after the commit the store can
tell its listeners (``store_changed(table, keys)``); a rolled-back transaction tells nobody.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..domain.models import Company, Contact, Deal, Document, Participant, Stage
from . import rows
from .crypto import CacheCipher
from .outbox import OutboxWrites
from .pushes import PushWrites
from .tables import Table, chunks, marks, table
from .uploads import UploadWrites


class TransactionClosedError(RuntimeError):
    """A ``WriteTx`` was used after its ``with`` block ended."""


class WriteTx(OutboxWrites, UploadWrites, PushWrites):
    """One open write transaction. Not thread-safe: it belongs to the thread that opened it."""

    def __init__(self, connection: sqlite3.Connection, cipher: CacheCipher) -> None:
        self._live_connection: sqlite3.Connection | None = connection
        self._cipher = cipher
        self.changes: dict[str, set[Any]] = {}

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._live_connection is None:
            raise TransactionClosedError("the write transaction is over; open a new store.write()")
        return self._live_connection

    def close(self) -> None:
        self._live_connection = None

    def _note(self, table_name: str, key: object) -> None:
        self.changes.setdefault(table_name, set()).add(key)

    # -- upserts ----------------------------------------------------------------------------------------

    def upsert_companies(self, companies: Iterable[Company]) -> int:
        return self._upsert(table("companies"), companies)

    def upsert_contacts(self, contacts: Iterable[Contact]) -> int:
        return self._upsert(table("contacts"), contacts)

    def upsert_deals(self, deals: Iterable[Deal]) -> int:
        return self._upsert(table("deals"), deals)

    def upsert_participants(self, participants: Iterable[Participant]) -> int:
        return self._upsert(table("participants"), participants)

    def upsert_documents(self, documents: Iterable[Document]) -> int:
        return self._upsert(table("documents"), documents)

    def _upsert(self, target: Table, models: Iterable[Any]) -> int:
        """Insert or replace each model; the number written."""
        encoded = [target.row(model, self._cipher) for model in models]
        if not encoded:
            return 0
        key_at = target.columns.index(target.key)
        if target.key == "code":
            self._drop_recoded(target, encoded, key_at)
        self._connection.executemany(target.upsert_sql(), encoded)
        self.changes.setdefault(target.name, set()).update(row[key_at] for row in encoded)
        return len(encoded)

    def _drop_recoded(self, target: Table, encoded: list[tuple], key_at: int) -> None:
        """Drop rows that hold an incoming element ID under another code (the element was re-coded on
        the portal), or the ID's uniqueness would refuse the incoming row."""
        id_at = target.columns.index("id")
        incoming = {row[id_at]: row[key_at] for row in encoded if row[id_at] is not None}
        for chunk in chunks(incoming):
            stale = [(element_id, code) for element_id, code in self._connection.execute(
                f"SELECT id, code FROM {target.name} WHERE id IN ({marks(len(chunk))})", chunk)
                if incoming[element_id] != code]
            if stale:
                self._connection.executemany(f"DELETE FROM {target.name} WHERE id = ?", [(i,) for i, _ in stale])
                self.changes.setdefault(target.name, set()).update(code for _, code in stale)

    # -- deletes ----------------------------------------------------------------------------------------

    def delete_companies(self, ids: Iterable[int]) -> int:
        return self._delete_by_id(table("companies"), ids)

    def delete_contacts(self, ids: Iterable[int]) -> int:
        return self._delete_by_id(table("contacts"), ids)

    def delete_deals(self, ids: Iterable[int]) -> int:
        return self._delete_by_id(table("deals"), ids)

    def delete_participants(self, ids: Iterable[int]) -> int:
        """Participants by element ID (as reconciliation finds them gone from the portal)."""
        return self._delete_by_id(table("participants"), ids)

    def delete_documents(self, ids: Iterable[int]) -> int:
        """Documents by element ID."""
        return self._delete_by_id(table("documents"), ids)

    def delete_participants_by_code(self, codes: Iterable[str]) -> int:
        """Participants by ELEMENT_CODE, including ones the portal never had."""
        return self._delete_by_code(table("participants"), codes)

    def delete_documents_by_code(self, codes: Iterable[str]) -> int:
        return self._delete_by_code(table("documents"), codes)

    def _delete_by_id(self, target: Table, ids: Iterable[int]) -> int:
        deleted = 0
        for chunk in chunks(dict.fromkeys(int(item) for item in ids)):
            where = f"id IN ({marks(len(chunk))})"
            if target.key != "id":
                keys = [row[0] for row in self._connection.execute(
                    f"SELECT {target.key} FROM {target.name} WHERE {where}", chunk)]
            else:
                keys = list(chunk)
            deleted += self._connection.execute(f"DELETE FROM {target.name} WHERE {where}", chunk).rowcount
            self.changes.setdefault(target.name, set()).update(keys)
        return deleted

    def _delete_by_code(self, target: Table, codes: Iterable[str]) -> int:
        deleted = 0
        for chunk in chunks(dict.fromkeys(codes)):
            deleted += self._connection.execute(
                f"DELETE FROM {target.name} WHERE code IN ({marks(len(chunk))})", chunk).rowcount
            self.changes.setdefault(target.name, set()).update(chunk)
        return deleted

    # -- stages and meta --------------------------------------------------------------------------------

    def replace_stages(self, pipeline_id: int, stages: Iterable[Stage]) -> None:
        """The pipeline's stages become exactly ``stages``."""
        self._connection.execute("DELETE FROM stages WHERE pipeline_id = ?", (pipeline_id,))
        self._connection.executemany(
            f"INSERT INTO stages (pipeline_id, {rows.select_list(rows.STAGE_COLUMNS)})"
            f" VALUES (?, {marks(len(rows.STAGE_COLUMNS))})",
            [(pipeline_id, *rows.stage_row(stage)) for stage in stages],
        )
        self._note("stages", pipeline_id)

    def set_meta(self, key: str, value: Any) -> None:
        """Keep ``value`` (anything JSON can hold) under ``key``; None removes the key."""
        if value is None:
            self._connection.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self._connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False, allow_nan=False)),
            )
        self._note("meta", key)
