"""A damaged cache is moved aside and replaced by an empty one; the next sync refills it.

The cache only mirrors the portal (plus the outbox), so a fresh file loses nothing the portal has;
the damaged file is kept as ``<name>.corrupt-<timestamp>`` for whoever wants to look into it, never
deleted. "Damaged" means what SQLite itself says: not a database, malformed, or a failed
``PRAGMA quick_check``. A locked or unreadable file is not damage and is reported as an error instead.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from .connection import connect, is_corruption, user_version

log = logging.getLogger("dpo.store")

_SIDECARS = ("-wal", "-shm", "-journal")  # SQLite's companion files, moved with the database
_REASON_LIMIT = 300


def open_healthy(path: Path, busy_timeout: float) -> tuple[sqlite3.Connection, str | None]:
    """A connection to ``path``, and why the previous file was replaced (None if it was fine or new)."""
    reason = examine(path, busy_timeout) if path.exists() else None
    if reason is not None:
        aside = move_aside(path)
        log.warning("Cache %s is damaged (%s); kept as %s, starting from an empty cache", path.name, reason,
                    aside.name)
    return connect(path, busy_timeout=busy_timeout), reason


def examine(path: Path, busy_timeout: float) -> str | None:
    """What is wrong with the file at ``path``, or None.

    The look is read-only, so that it changes nothing in a damaged file: a read-write connection would
    checkpoint its write-ahead log into it, or delete a log it cannot make sense of, on closing.
    """
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout,
                                 isolation_level=None)
    try:
        return _problem(connection)
    except sqlite3.DatabaseError as error:
        if not is_corruption(error):
            raise
        return _describe(error)
    finally:
        connection.close()


def _problem(connection: sqlite3.Connection) -> str | None:
    version = user_version(connection)  # the first read: "file is not a database" shows here
    findings = [row[0] for row in connection.execute("PRAGMA quick_check")]
    if findings != ["ok"]:
        first = " ".join(" ".join(findings).replace("*** in database main ***", "").split())
        return _shorten(f"проверка целостности не пройдена: {first}")
    if version == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        return "файл не похож на кэш DPO Desk: в нём чужие таблицы без версии схемы"
    return None


def _describe(error: sqlite3.DatabaseError) -> str:
    if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
        return "файл не является базой данных SQLite"
    return _shorten(f"база данных повреждена ({error})")


def _shorten(text: str) -> str:
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "…"


def move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm/-journal) to a free ``<name>.corrupt-<timestamp>`` name."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", *_SIDECARS)):
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    os.replace(path, target)
    for suffix in _SIDECARS:
        sidecar = Path(f"{path}{suffix}")
        if sidecar.exists():
            os.replace(sidecar, Path(f"{target}{suffix}"))
    return target
