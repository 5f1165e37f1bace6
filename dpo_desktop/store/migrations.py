"""Schema versions as ``PRAGMA user_version`` and the N→N+1 steps between them.

Before an existing file is migrated it is copied, with SQLite's online backup API, to
``<name>.v<old>.bak`` beside it, so a failed or regretted upgrade can be undone by hand. A file from
a newer DPO Desk is refused and left as it is: a downgrade would lose what the newer version knows.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .connection import is_busy, user_version
from .errors import MigrationError, NewerSchemaError

log = logging.getLogger("dpo.store")


@dataclass(frozen=True)
class Step:
    """One migration: from ``to_version - 1`` to ``to_version``, in one transaction."""

    to_version: int
    summary: str
    apply: Callable[[sqlite3.Connection], None]


def _statements(*statements: str) -> Callable[[sqlite3.Connection], None]:
    def apply(connection: sqlite3.Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return apply


STEPS: tuple[Step, ...] = (
    Step(1, "cache tables and meta", _statements(*schema.V1_CACHE)),
    Step(2, "outbox", _statements(*schema.V2_OUTBOX)),
    Step(3, "upload queue, Drive files, folder pushes", _statements(*schema.V3_UPLOADS)),
    # The access log is a file of its own beside the cache (store/access_log.py), so that clearing or
    # rebuilding the cache keeps it; this version marks the caches it accompanies.
    Step(4, "access log (in access-log.sqlite3)", _statements(*schema.V4_ACCESS_LOG)),
    Step(5, "ФИС ФРДО: programme data on deals, status block on participants", _statements(*schema.V5_FRDO)),
    # The values are sealed after the steps, where the data key is at hand (store/sealing.py).
    Step(6, "encryption at rest: sealed contact values, contacts change counter", _statements(*schema.V6_ENCRYPTION)),
)
SCHEMA_VERSION = STEPS[-1].to_version


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}.bak")


def migrate(connection: sqlite3.Connection, path: Path) -> int | None:
    """Bring the file to :data:`SCHEMA_VERSION`; the version it was migrated from, or None.

    None means nothing was migrated: the file was current, or new and merely created.
    """
    found = user_version(connection)
    if found > SCHEMA_VERSION:
        raise NewerSchemaError(path, found, SCHEMA_VERSION)
    if found == SCHEMA_VERSION:
        return None
    copy = None
    if found > 0:
        copy = backup_path(path, found)
        backup(connection, copy)
        log.info("Cache schema %d → %d; the old file is kept as %s", found, SCHEMA_VERSION, copy.name)
    for step in STEPS[found:]:
        try:
            _run(connection, step)
        except sqlite3.Error as error:
            if is_busy(error):
                raise  # not a failure of the step: another process holds the file
            log.error("Cache migration to schema %d failed: %s", step.to_version, error)
            raise MigrationError(path, step.to_version, copy, str(error)) from error
    return found or None


def backup(connection: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the open database at ``target`` (replaced if it exists)."""
    target.unlink(missing_ok=True)
    copy = sqlite3.connect(target)
    try:
        connection.backup(copy)
    finally:
        copy.close()


def _run(connection: sqlite3.Connection, step: Step) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated while we waited for the write lock.
        current = user_version(connection)
        if current >= step.to_version:
            connection.execute("ROLLBACK")
            return
        step.apply(connection)
        connection.execute(f"PRAGMA user_version = {int(step.to_version)}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    log.info("Cache schema is now %d (%s)", step.to_version, step.summary)
