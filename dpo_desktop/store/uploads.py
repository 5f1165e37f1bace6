"""The upload queue: every dropped file is a row that says where it stands, and survives a crash.

A file moves queued → hashed → classified → uploading → linked → done, or stops in ``failed`` (with a
reason), ``duplicate`` (the person already has this content: the user chooses), ``attention`` (type or
person not certain: the user chooses) or ``cancelled``. Each step is committed before the next begins,
and every remote step can be repeated (the Drive file is found again by name, the list element by its
ELEMENT_CODE), so a resumed queue neither loses nor doubles a document.

Done rows stay as the history of what landed; the *active* queue is every row not done or cancelled.
A row's file path, name and reason name people: they are sealed at rest (:data:`SEALED`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, Literal

from .crypto import CacheCipher
from .tables import chunks, marks

UploadState = Literal["queued", "hashed", "classified", "uploading", "linked", "done", "failed", "duplicate",
                      "attention", "cancelled"]
UPLOAD_STATES: tuple[UploadState, ...] = ("queued", "hashed", "classified", "uploading", "linked", "done", "failed",
                                          "duplicate", "attention", "cancelled")
# Work the uploader carries on by itself; the others wait for the user (or are over).
WORKING: tuple[UploadState, ...] = ("queued", "hashed", "classified", "uploading", "linked")
WAITING_FOR_USER: tuple[UploadState, ...] = ("failed", "duplicate", "attention")
FINISHED: tuple[UploadState, ...] = ("done", "cancelled")
Decision = Literal["link", "keep", "skip"]


@dataclass(frozen=True)
class UploadItem:
    id: int
    key: str
    batch: str
    path: str
    name: str
    deal_id: int
    contact_id: int | None
    contact_source: str | None
    doc_type: str | None
    type_source: str | None
    confidence: float | None
    size: int | None
    mtime_ns: int | None
    sha256: str | None
    kind: str | None
    pages: int | None
    state: UploadState
    reason: str
    duplicate_of: str | None
    decision: Decision | None
    object_id: int | None
    element_id: int | None
    code: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime

    @property
    def active(self) -> bool:
        return self.state not in FINISHED


_COLUMNS = tuple(item.name for item in fields(UploadItem))
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM upload_queue"
# What a step may set on a row; the rest (key, path, timestamps) is fixed at enqueue time.
_SETTABLE = frozenset(_COLUMNS) - {"id", "key", "batch", "path", "name", "created_at", "updated_at", "attempts"}


SEALED = ("path", "name", "reason")  # personal.PERSONAL_COLUMNS["upload_queue"]


def _item(row: tuple, cipher: CacheCipher) -> UploadItem:
    values = dict(zip(_COLUMNS, row, strict=True))
    for column in SEALED:
        values[column] = cipher.open(values[column], f"upload_queue.{column}")
    values["created_at"] = datetime.fromisoformat(values["created_at"])
    values["updated_at"] = datetime.fromisoformat(values["updated_at"])
    return UploadItem(**values)


def _now() -> str:
    return datetime.now(UTC).isoformat()


class UploadWrites:
    """The upload-queue half of a write transaction (mixed into ``WriteTx``)."""

    _connection: sqlite3.Connection
    _note: Callable[[str, object], None]
    _cipher: CacheCipher

    def enqueue_upload(self, *, key: str, path: str, name: str, deal_id: int, batch: str = "",
                       contact_id: int | None = None, doc_type: str | None = None,
                       decision: Decision | None = None) -> tuple[int, bool]:
        """The row for ``key``: (its ID, True) when new, (the existing row's ID, False) when known.

        A person or type given here is the user's choice and wins over classification.
        """
        stamp = _now()
        cursor = self._connection.execute(
            "INSERT INTO upload_queue (key, batch, path, name, deal_id, contact_id, contact_source, doc_type,"
            " type_source, decision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (key) DO NOTHING",
            (key, batch, self._cipher.seal(path, "upload_queue.path"), self._cipher.seal(name, "upload_queue.name"),
             deal_id, contact_id, "user" if contact_id is not None else None, doc_type,
             "user" if doc_type is not None else None, decision, stamp, stamp))
        created = cursor.rowcount == 1
        (item_id,) = self._connection.execute("SELECT id FROM upload_queue WHERE key = ?", (key,)).fetchone()
        self._note("upload_queue", item_id)
        return int(item_id), created

    def update_upload(self, item_id: int, state: UploadState | None = None, *, attempt: bool = False,
                      **values: Any) -> None:
        """Set a row's state and any of its step columns in one statement."""
        unknown = set(values) - _SETTABLE
        if unknown:
            raise ValueError(f"upload_queue has no settable column {sorted(unknown)}")
        if state is not None:
            if state not in UPLOAD_STATES:
                raise ValueError(f"unknown upload state: {state!r}")
            values["state"] = state
        if values.get("reason"):
            values["reason"] = self._cipher.seal(values["reason"], "upload_queue.reason")
        assignments = "".join(f"{column} = ?, " for column in values)
        cursor = self._connection.execute(
            f"UPDATE upload_queue SET {assignments}attempts = attempts + ?, updated_at = ? WHERE id = ?",
            (*values.values(), int(attempt), _now(), item_id))
        if cursor.rowcount == 0:
            raise KeyError(f"no upload {item_id}")
        self._note("upload_queue", item_id)

    def delete_uploads(self, ids: Iterable[int]) -> int:
        deleted = 0
        for chunk in chunks(dict.fromkeys(ids)):
            deleted += self._connection.execute(
                f"DELETE FROM upload_queue WHERE id IN ({marks(len(chunk))})", chunk).rowcount
            for item_id in chunk:
                self._note("upload_queue", item_id)
        return deleted

    def forget_finished_uploads(self, before: datetime) -> int:
        """Drop the history of done and cancelled rows older than ``before``."""
        rows = self._connection.execute(
            "SELECT id FROM upload_queue WHERE state IN ('done', 'cancelled') AND updated_at < ?",
            (before.astimezone(UTC).isoformat(),)).fetchall()
        return self.delete_uploads(row[0] for row in rows)


class UploadReads:
    """The upload-queue half of a reader (mixed into ``StoreReader``)."""

    _query: Callable[..., list[tuple]]
    cipher: CacheCipher

    def upload(self, item_id: int) -> UploadItem | None:
        found = self._query(f"{_SELECT} WHERE id = ?", item_id)
        return _item(found[0], self.cipher) if found else None

    def uploads_with_ids(self, ids: Iterable[int]) -> list[UploadItem]:
        """The rows of ``ids`` that exist, by ID: a few queries for a batch of hundreds, not one a row (the
        GUI thread asks this while the lane writes)."""
        found: list[tuple] = []
        for chunk in chunks(sorted(set(ids))):
            found += self._query(f"{_SELECT} WHERE id IN ({marks(len(chunk))}) ORDER BY id", *chunk)
        return [_item(row, self.cipher) for row in found]

    def upload_by_key(self, key: str) -> UploadItem | None:
        found = self._query(f"{_SELECT} WHERE key = ?", key)
        return _item(found[0], self.cipher) if found else None

    def uploads(self, states: Iterable[UploadState] | None = None, *, batch: str | None = None) -> list[UploadItem]:
        """Rows in the given states (all when None), in the order they were added."""
        where, params = [], []
        if states is not None:
            chosen = list(states)
            if not set(chosen) <= set(UPLOAD_STATES):
                raise ValueError(f"unknown upload states: {sorted(set(chosen) - set(UPLOAD_STATES))}")
            where.append(f"state IN ({marks(len(chosen))})")
            params.extend(chosen)
        if batch is not None:
            where.append("batch = ?")
            params.append(batch)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return [_item(row, self.cipher) for row in self._query(f"{_SELECT}{clause} ORDER BY id", *params)]

    def earlier_upload_of(self, contact_id: int, sha256: str, before_id: int) -> str | None:
        """The document code of an earlier queued file with this person and content (not failed or cancelled)."""
        found = self._query(
            "SELECT code FROM upload_queue WHERE contact_id = ? AND sha256 = ? AND id < ? AND code IS NOT NULL"
            " AND state NOT IN ('failed', 'cancelled', 'attention') ORDER BY id LIMIT 1", contact_id, sha256, before_id)
        return found[0][0] if found else None

    def active_uploads(self) -> list[UploadItem]:
        return self.uploads([state for state in UPLOAD_STATES if state not in FINISHED])

    def upload_counts(self) -> dict[str, int]:
        return {state: count for state, count in self._query(
            "SELECT state, count(*) FROM upload_queue GROUP BY state")}
