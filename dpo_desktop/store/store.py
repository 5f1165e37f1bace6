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

from ..secrets.data_key import load_data_key
from .access_log import AccessLog, log_path_for
from .connection import BUSY_TIMEOUT, connect, enable_wal, is_busy, user_version
from .crypto import CacheCipher
from .errors import NewerSchemaError, StoreBusyError, StoreNotReadyError
from .migrations import SCHEMA_VERSION, backup_path, migrate
from .reader import StoreReader
from .recovery import move_aside, open_healthy
from .sealing import key_opens, prepare_writer, seal_plain_values
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
        access_log: the personal-data access log beside the cache (its own file: it outlives the cache).
        key_warning: what the user must know about where the data key is kept (no keyring), in Russian.
    """

    def __init__(self, path: Path, writer: sqlite3.Connection, reader: sqlite3.Connection, cipher: CacheCipher, *,
                 busy_timeout: float = BUSY_TIMEOUT) -> None:
        super().__init__(path, reader, cipher)
        self._writer = writer
        self._write_lock = threading.Lock()
        self._writing_thread: int | None = None
        self._busy_timeout = busy_timeout
        self._listeners: list[ChangeListener] = []
        self.rebuilt = False
        self.rebuilt_reason: str | None = None
        self.migrated_from: int | None = None
        self.created = False
        self.access_log: AccessLog | None = None
        self.key_warning: str | None = None

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT, cipher: CacheCipher | None = None) -> Store:
        """Open (creating, repairing or migrating as needed) the cache at ``path``.

        Personal values are sealed with ``cipher``, by default the data key of the cache's folder
        (``secrets.data_key``). A cache that key cannot open is moved aside and rebuilt.
        Raises :class:`NewerSchemaError` for a file from a newer DPO Desk, which is left untouched.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        key_warning = None
        if cipher is None:
            data_key = load_data_key(path.parent)
            cipher, key_warning = CacheCipher(data_key.key), data_key.warning
        existed = path.exists() and path.stat().st_size > 0
        try:
            writer, rebuilt_reason = open_healthy(path, busy_timeout)
            try:
                found = user_version(writer)
                if found > SCHEMA_VERSION:
                    raise NewerSchemaError(path, found, SCHEMA_VERSION)
                enable_wal(writer)
                prepare_writer(writer)
                migrated_from = migrate(writer, path)
                reader = connect(path, busy_timeout=busy_timeout, read_only=True)
            except BaseException:
                writer.close()
                raise
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise StoreBusyError(path, busy_timeout) from error
            raise
        store = cls(path, writer, reader, cipher, busy_timeout=busy_timeout)
        try:
            store.access_log = AccessLog.open(log_path_for(path), busy_timeout=busy_timeout)
            opens = key_opens(writer, cipher)
            if opens:
                seal_plain_values(writer, cipher)
        except BaseException:
            store.close()
            raise
        if not opens:
            return cls._rebuilt_for_key(store, busy_timeout, cipher, key_warning)
        if migrated_from is not None and migrated_from < 6:
            backup_path(path, migrated_from).unlink(missing_ok=True)  # a plain copy of what is now sealed
        store.key_warning = key_warning
        store.rebuilt = rebuilt_reason is not None
        store.rebuilt_reason = rebuilt_reason
        store.migrated_from = migrated_from
        store.created = store.rebuilt or not existed
        return store

    @staticmethod
    def open_reader(path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT,
                    cipher: CacheCipher | None = None) -> StoreReader:
        """A read-only view of a cache the writer has already opened (for another thread, e.g. the GUI).

        Pass the writer's ``store.cipher``; by default the key of the cache's folder is looked up again.
        """
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
        return StoreReader(path, connection, cipher or CacheCipher(load_data_key(path.parent).key))

    @classmethod
    def _rebuilt_for_key(cls, unreadable: Store, busy_timeout: float, cipher: CacheCipher,
                         key_warning: str | None) -> Store:
        """The cache was sealed with another key (lost, or the folder came from elsewhere): start afresh."""
        path = unreadable.path
        unreadable.close()
        aside = move_aside(path)
        log.warning("Cache %s does not open with this data key; kept as %s, starting from an empty cache",
                    path.name, aside.name)
        store = cls.open(path, busy_timeout=busy_timeout, cipher=cipher)
        store.rebuilt, store.created = True, True
        store.rebuilt_reason = ("ключ шифрования локальной копии данных не подходит к кэшу (ключ утерян или "
                                "сменился): кэш будет заново загружен с портала")
        store.key_warning = key_warning
        return store

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
            tx = WriteTx(self._writer, self.cipher)
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

    def log_access(self, action: str, *, deal_id: int | None = None, contact_id: int | None = None,
                   document_id: int | None = None, detail: str = "") -> None:
        """Record a personal-data access (152-ФЗ) in the access log; any thread may call it.

        ``action``: view, open, export, upload, push, delete or wipe. IDs only: ``detail`` must not carry
        names or other personal data.
        """
        assert self.access_log is not None, "the access log opens with the store"
        self.access_log.add(action, deal_id=deal_id, contact_id=contact_id, document_id=document_id, detail=detail)

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
        if self.access_log is not None:
            self.access_log.close()
