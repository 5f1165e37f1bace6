"""The local cache: one SQLite file per portal profile, opened once by the writer side of the app.

``Store.open`` checks the file (a damaged one is moved aside and replaced), migrates it, and hands
out one serialised writer (``with store.write() as tx:``) and reads on the store's own connection.
Another thread reads on a connection of its own from ``Store.open_reader``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .connection import BUSY_TIMEOUT, connect, enable_wal, is_busy, user_version
from .errors import NewerSchemaError, StoreBusyError, StoreNotReadyError
from .migrations import SCHEMA_VERSION, migrate
from .reader import StoreReader
from .recovery import open_healthy
from .writer import WriteTx

log = logging.getLogger("dpo.store")

# Called after each commit with a table name and the keys of the rows written or deleted in it:
# IDs for deals, contacts and companies; codes for participants and documents; pipeline IDs for
# stages; keys for meta; item IDs for the outbox.
ChangeListener = Callable[[str, frozenset], None]


class Store(StoreReader):
    """The writer's store.

    Attributes:
        rebuilt: the file was damaged and has been replaced by an empty one (a full sync is due).
        rebuilt_reason: why, in Russian, for the log and the user; None when not rebuilt.
        migrated_from: the schema version an existing file was migrated from; None if none was.
        created: the file is new (first run, or rebuilt): nothing has been synced into it yet.
    """

    def __init__(self, path: Path, writer: sqlite3.Connection, reader: sqlite3.Connection, *,
                 busy_timeout: float = BUSY_TIMEOUT) -> None:
        super().__init__(path, reader)
        self._writer = writer
        self._write_lock = threading.Lock()
        self._writing_thread: int | None = None
        self._busy_timeout = busy_timeout
        self._listeners: list[ChangeListener] = []
        self.rebuilt = False
        self.rebuilt_reason: str | None = None
        self.migrated_from: int | None = None
        self.created = False

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> Store:
        """Open (creating, repairing or migrating as needed) the cache at ``path``.

        Raises :class:`NewerSchemaError` for a file from a newer DPO Desk, which is left untouched.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists() and path.stat().st_size > 0
        try:
            writer, rebuilt_reason = open_healthy(path, busy_timeout)
            try:
                found = user_version(writer)
                if found > SCHEMA_VERSION:
                    raise NewerSchemaError(path, found, SCHEMA_VERSION)
                enable_wal(writer)
                migrated_from = migrate(writer, path)
                reader = connect(path, busy_timeout=busy_timeout, read_only=True)
            except BaseException:
                writer.close()
                raise
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise StoreBusyError(path, busy_timeout) from error
            raise
        store = cls(path, writer, reader, busy_timeout=busy_timeout)
        store.rebuilt = rebuilt_reason is not None
        store.rebuilt_reason = rebuilt_reason
        store.migrated_from = migrated_from
        store.created = store.rebuilt or not existed
        return store

    @staticmethod
    def open_reader(path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> StoreReader:
        """A read-only view of a cache the writer has already opened (for another thread, e.g. the GUI)."""
        path = Path(path)
        if not path.exists():
            raise StoreNotReadyError(path, None, SCHEMA_VERSION)
        connection = connect(path, busy_timeout=busy_timeout, read_only=True)
        try:
            found = user_version(connection)
            if found > SCHEMA_VERSION:
                raise NewerSchemaError(path, found, SCHEMA_VERSION)
            if found != SCHEMA_VERSION:
                raise StoreNotReadyError(path, found, SCHEMA_VERSION)
        except BaseException:
            connection.close()
            raise
        return StoreReader(path, connection)

    @contextmanager
    def write(self) -> Iterator[WriteTx]:
        """The one write transaction at a time: committed when the block ends, rolled back if it raises.

        Other threads wait their turn; other processes (the CLI beside the GUI) wait up to the busy
        timeout. Nesting in one thread is a programming error and raises at once instead of deadlocking.
        """
        if self._writing_thread == threading.get_ident():
            raise RuntimeError("store.write() is already open in this thread")
        with self._write_lock:
            self._writing_thread = threading.get_ident()
            tx = WriteTx(self._writer)
            try:
                self._begin()
                try:
                    yield tx
                    self._writer.execute("COMMIT")
                except BaseException:
                    if self._writer.in_transaction:
                        self._writer.execute("ROLLBACK")
                    raise
            finally:
                tx.close()
                self._writing_thread = None
        self._announce(tx.changes)

    def _begin(self) -> None:
        try:
            self._writer.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise StoreBusyError(self.path, self._busy_timeout) from error
            raise

    def add_listener(self, listener: ChangeListener) -> None:
        """Call ``listener(table, keys)`` after every commit that touched ``table`` (on the writing thread)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: ChangeListener) -> None:
        self._listeners.remove(listener)

    def _announce(self, changes: dict[str, set]) -> None:
        for table_name, keys in changes.items():
            for listener in list(self._listeners):
                try:
                    listener(table_name, frozenset(keys))
                except Exception:  # a broken listener must not undo or hide a committed write
                    log.exception("A store listener failed on %s", table_name)

    def close(self) -> None:
        super().close()
        with self._write_lock:
            self._writer.close()  # the last connection: SQLite checkpoints the log into the file
