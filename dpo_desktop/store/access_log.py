"""The personal-data access log (152-ФЗ): who viewed, opened, exported, uploaded, pushed, deleted or wiped what.

The log is its own SQLite file beside the cache (``access-log.sqlite3``), not a table in it: the cache
is a mirror that may be thrown away — cleared in the settings, or moved aside when damaged and rebuilt
by a full sync — while the log is evidence that must outlive all of that (an export of it accompanies
each destruction act and is kept three years). Rows carry IDs, never names: names are personal data
and are resolved from the cache when the log is exported; ``detail`` must not carry personal data
either. Triggers make the table append-only for the app.

Any thread may call :meth:`AccessLog.add`: the log has its own connection and lock, so the GUI never
waits for the lane's long write transactions.
"""

from __future__ import annotations

import getpass
import logging
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .connection import BUSY_TIMEOUT, enable_wal, user_version
from .recovery import open_healthy
from .tables import chunks, marks

log = logging.getLogger("dpo.store")

LOG_NAME = "access-log.sqlite3"
ACTIONS = ("view", "open", "export", "upload", "push", "delete", "wipe")
DETAIL_LIMIT = 500

_SCHEMA = (
    """CREATE TABLE access_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,                  -- UTC, ISO 8601
        action TEXT NOT NULL CHECK (action IN ('view', 'open', 'export', 'upload', 'push', 'delete', 'wipe')),
        portal_user INTEGER,               -- the portal user whose credential the app works with
        os_user TEXT NOT NULL DEFAULT '',  -- the operating-system account the app runs under
        deal_id INTEGER,
        contact_id INTEGER,
        document_id INTEGER,               -- the document's list element on the portal
        detail TEXT NOT NULL DEFAULT ''    -- counts, formats, results: never names
    )""",
    "CREATE INDEX access_log_by_time ON access_log (at)",
    "CREATE INDEX access_log_by_deal ON access_log (deal_id, at)",
    """CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    """CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
)
_COLUMNS = "id, at, action, portal_user, os_user, deal_id, contact_id, document_id, detail"


def log_path_for(cache_path: Path) -> Path:
    """Where the access log of the cache at ``cache_path`` lives (the same profile folder)."""
    return Path(cache_path).with_name(LOG_NAME)


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: datetime  # UTC
    action: str
    portal_user: int | None
    os_user: str
    deal_id: int | None
    contact_id: int | None
    document_id: int | None
    detail: str


@dataclass(frozen=True)
class AccessQuery:
    """Which rows an export wants: a time range (UTC, ``until`` exclusive) and some deals (None: all)."""

    since: datetime | None = None
    until: datetime | None = None
    deal_ids: frozenset[int] | None = None


def os_account() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in a service or container
        return ""


class AccessLog:
    """The append-only log file of one profile.

    Attributes:
        path: the log file.
        portal_user: the portal user recorded with each new row (the profile's ``user_id``), None if unknown.
        os_user: the operating-system account recorded with each new row.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.Lock()
        self.portal_user: int | None = None
        self.os_user = os_account()

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> AccessLog:
        """Open or create the log at ``path``; a damaged file is kept aside (never deleted) and a new one begun."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        connection, damaged = open_healthy(path, busy_timeout)
        try:
            enable_wal(connection)
            if user_version(connection) == 0:
                connection.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute("PRAGMA user_version = 1")
                connection.execute("COMMIT")
        except BaseException:
            connection.close()
            raise
        if damaged:
            log.error("The access log %s was damaged (%s) and is kept aside; a new one is started", path.name,
                      damaged)
        return cls(path, connection)

    def add(self, action: str, *, deal_id: int | None = None, contact_id: int | None = None,
            document_id: int | None = None, detail: str = "") -> None:
        """Append one row now; an unknown ``action`` is a programming error."""
        if action not in ACTIONS:
            raise ValueError(f"unknown access-log action: {action!r}")
        row = (datetime.now(UTC).isoformat(timespec="seconds"), action, self.portal_user, self.os_user,
               deal_id, contact_id, document_id, detail[:DETAIL_LIMIT])
        with self._lock:
            self._connection.execute(
                "INSERT INTO access_log (at, action, portal_user, os_user, deal_id, contact_id, document_id, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)

    def add_many(self, action: str, targets: Iterable[tuple[int | None, int | None, int | None]],
                 detail: str = "") -> int:
        """One row per (deal_id, contact_id, document_id) of ``targets``, in one transaction; how many."""
        if action not in ACTIONS:
            raise ValueError(f"unknown access-log action: {action!r}")
        at = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [(at, action, self.portal_user, self.os_user, *target, detail[:DETAIL_LIMIT]) for target in targets]
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                self._connection.executemany(
                    "INSERT INTO access_log (at, action, portal_user, os_user, deal_id, contact_id, document_id,"
                    " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                self._connection.execute("COMMIT")
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
        return len(rows)

    def entries(self, query: AccessQuery | None = None) -> list[AccessEntry]:
        """The rows ``query`` keeps (all without one), oldest first."""
        query = query or AccessQuery()
        where, params = [], []
        if query.since is not None:
            where.append("at >= ?")
            params.append(query.since.astimezone(UTC).isoformat(timespec="seconds"))
        if query.until is not None:
            where.append("at < ?")
            params.append(query.until.astimezone(UTC).isoformat(timespec="seconds"))
        sql = f"SELECT {_COLUMNS} FROM access_log" + (f" WHERE {' AND '.join(where)}" if where else "")
        if query.deal_ids is None:
            return self._select(sql + " ORDER BY id", params)
        found: list[AccessEntry] = []
        glue = " AND " if where else " WHERE "
        for chunk in chunks(sorted(query.deal_ids)):
            found += self._select(f"{sql}{glue}deal_id IN ({marks(len(chunk))})", [*params, *chunk])
        return sorted(found, key=lambda entry: entry.id)

    def count(self, actions: Iterable[str] | None = None) -> int:
        wanted = list(actions or ACTIONS)
        with self._lock:
            return int(self._connection.execute(
                f"SELECT count(*) FROM access_log WHERE action IN ({marks(len(wanted))})", wanted).fetchone()[0])

    def _select(self, sql: str, params: list) -> list[AccessEntry]:
        with self._lock:
            found = self._connection.execute(sql, params).fetchall()
        return [AccessEntry(row[0], datetime.fromisoformat(row[1]), *row[2:]) for row in found]

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> AccessLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
