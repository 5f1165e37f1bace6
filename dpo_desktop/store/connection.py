"""Opening one SQLite connection the way every part of the store expects it.

Transactions are explicit (``isolation_level=None``): the writer says ``BEGIN IMMEDIATE`` itself, so
Python's sqlite3 module never opens or commits one behind our back. Connections may be handed to
another thread (the lane writes, a report reads) because every use is serialised by a lock in the
store.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger("dpo.store")

BUSY_TIMEOUT = 5.0  # seconds another process (the CLI beside the GUI) may hold the write lock
_CORRUPTION_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def connect(path: Path, *, busy_timeout: float = BUSY_TIMEOUT, read_only: bool = False) -> sqlite3.Connection:
    """A connection to ``path`` with the per-connection settings (busy timeout, foreign keys).

    ``read_only`` connections refuse writes (``query_only``) but are opened read-write underneath:
    a WAL reader must be able to map the shared-memory index even after the writer has closed.
    """
    connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        connection.execute("PRAGMA foreign_keys = ON")
        if read_only:
            connection.execute("PRAGMA query_only = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def enable_wal(connection: sqlite3.Connection) -> None:
    """WAL so that readers never wait for the writer; NORMAL sync is durable across a process crash.

    With ``synchronous=NORMAL`` in WAL mode a committed transaction survives the process being killed;
    only a power cut may lose the last few commits, which the next sync pulls again.
    """
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        log.warning("SQLite refused WAL mode (journal_mode=%s); readers may wait for the writer", mode)
    connection.execute("PRAGMA synchronous = NORMAL")


def is_corruption(error: BaseException) -> bool:
    """True when SQLite says the file is damaged or is not a database at all (not: locked, busy, I/O)."""
    return isinstance(error, sqlite3.DatabaseError) and getattr(error, "sqlite_errorname", "") in _CORRUPTION_CODES


def is_busy(error: BaseException) -> bool:
    """True when another connection held a lock longer than the busy timeout."""
    return isinstance(error, sqlite3.OperationalError) and getattr(error, "sqlite_errorname", "") in (
        "SQLITE_BUSY", "SQLITE_LOCKED")


def user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])
