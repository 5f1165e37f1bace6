"""The outbox: edits made in the app wait here, in order, until the portal has them.

Each edit is one row with a kind (``participant.add``, ``contact.update``, ``document.status``...), a
JSON payload (sealed at rest: it carries what the user typed about a person) and an idempotency key:
enqueueing the same key twice yields the same row, so a retried click or a replayed step never makes
a second edit. Rows leave the pending state only by an explicit verdict — done (with the portal's
answer), conflict (the portal changed since we read it; shown to the user, never overwritten) or
failed for good. Being rows of a committed SQLite
transaction, pending edits survive a crash or a kill of the process.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from .crypto import CacheCipher

State = Literal["pending", "done", "conflict", "failed"]
STATES: tuple[State, ...] = ("pending", "done", "conflict", "failed")

_COLUMNS = "id, key, kind, payload, state, attempts, reason, result, created_at, updated_at"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str
    kind: str
    payload: dict[str, Any]
    state: State
    attempts: int  # failed attempts so far
    reason: str  # why the last attempt failed, or what the conflict is
    result: dict[str, Any] | None  # the portal's answer, once done
    created_at: datetime
    updated_at: datetime


def _item(row: tuple, cipher: CacheCipher) -> OutboxItem:
    item_id, key, kind, payload, state, attempts, reason, result, created_at, updated_at = row
    payload, result = cipher.open(payload, "outbox.payload"), cipher.open(result, "outbox.result")
    return OutboxItem(
        id=item_id, key=key, kind=kind, payload=json.loads(payload), state=state, attempts=attempts, reason=reason,
        result=None if result is None else json.loads(result), created_at=datetime.fromisoformat(created_at),
        updated_at=datetime.fromisoformat(updated_at),
    )


def _json_object(value: dict[str, Any], what: str) -> str:
    if not isinstance(value, dict):
        raise TypeError(f"the outbox {what} must be a dict, not {type(value).__name__}")
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TypeError(f"the outbox {what} must be plain JSON: {error}") from None


def _now() -> str:
    return datetime.now(UTC).isoformat()


class OutboxWrites:
    """The outbox half of a write transaction (mixed into ``WriteTx``)."""

    _connection: sqlite3.Connection
    _note: Callable[[str, object], None]
    _cipher: CacheCipher

    def enqueue(self, kind: str, payload: dict[str, Any], key: str) -> int:
        """The ID of the outbox row for ``key``: a new pending row, or the existing one if the key is known."""
        if not kind or not key:
            raise ValueError("an outbox item needs a kind and an idempotency key")
        stamp = _now()
        self._connection.execute(
            "INSERT INTO outbox (key, kind, payload, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (key) DO NOTHING",
            (key, kind, self._cipher.seal(_json_object(payload, "payload"), "outbox.payload"), stamp, stamp),
        )
        item_id, stored_kind = self._connection.execute("SELECT id, kind FROM outbox WHERE key = ?", (key,)).fetchone()
        if stored_kind != kind:  # one key names one edit: reuse for another kind is a bug in the caller
            raise ValueError(f"outbox key {key!r} already names a {stored_kind!r} item, not {kind!r}")
        self._note("outbox", item_id)
        return int(item_id)

    def mark_done(self, item_id: int, result: dict[str, Any]) -> None:
        self._set_state(item_id, "done", result=self._cipher.seal(_json_object(result, "result"), "outbox.result"))

    def mark_conflict(self, item_id: int, reason: str) -> None:
        self._set_state(item_id, "conflict", reason=reason)

    def mark_failed(self, item_id: int, reason: str, *, retry: bool) -> None:
        """One more failed attempt; with ``retry`` the item stays pending in its place, else it fails for good."""
        self._set_state(item_id, "pending" if retry else "failed", reason=reason, attempt=True)

    def requeue(self, item_id: int) -> None:
        """Back to pending after the user resolved a conflict or a failure (same place in the order)."""
        self._set_state(item_id, "pending", reason="")

    def _set_state(self, item_id: int, state: State, *, reason: str | None = None, result: bytes | str | None = None,
                   attempt: bool = False) -> None:
        cursor = self._connection.execute(
            "UPDATE outbox SET state = ?, reason = coalesce(?, reason), result = coalesce(?, result),"
            " attempts = attempts + ?, updated_at = ? WHERE id = ?",
            (state, reason, result, int(attempt), _now(), item_id),
        )
        if cursor.rowcount == 0:
            raise KeyError(f"no outbox item {item_id}")
        self._note("outbox", item_id)


class OutboxReads:
    """The outbox half of a reader (mixed into ``StoreReader``)."""

    _query: Callable[..., list[tuple]]
    cipher: CacheCipher

    def pending(self) -> list[OutboxItem]:
        """Pending edits in the order they were made."""
        return self.outbox_items("pending")

    def pending_count(self) -> int:
        return int(self._query("SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0])

    def outbox_items(self, state: State | None = None) -> list[OutboxItem]:
        """Items in one state (all when None), oldest first: conflicts and failures for the user to see."""
        if state is None:
            return [_item(row, self.cipher) for row in self._query(f"SELECT {_COLUMNS} FROM outbox ORDER BY id")]
        if state not in STATES:
            raise ValueError(f"unknown outbox state: {state!r}")
        return [_item(row, self.cipher) for row in self._query(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = ? ORDER BY id", state)]

    def outbox_item(self, item_id: int) -> OutboxItem | None:
        found = self._query(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", item_id)
        return _item(found[0], self.cipher) if found else None
