"""Opening the cache: settings of every connection, a new file, reopening, a newer file, readers."""

from __future__ import annotations

import sqlite3

import pytest

from dpo_desktop.store import SCHEMA_VERSION, NewerSchemaError, Store, StoreNotReadyError
from dpo_desktop.store.connection import BUSY_TIMEOUT


def pragma(store: Store, name: str):
    return store._query(f"PRAGMA {name}")[0][0]


def test_a_new_file_is_created_in_wal_mode_with_the_current_schema(cache_path):
    store = Store.open(cache_path)
    try:
        assert cache_path.exists()
        assert pragma(store, "journal_mode") == "wal"
        assert pragma(store, "user_version") == SCHEMA_VERSION
        assert pragma(store, "foreign_keys") == 1
        assert pragma(store, "busy_timeout") == int(BUSY_TIMEOUT * 1000)
        assert store.created and not store.rebuilt
        assert store.rebuilt_reason is None and store.migrated_from is None
        assert not list(cache_path.parent.glob("*.bak"))
    finally:
        store.close()


def test_the_writer_connection_syncs_normally_and_reads_are_query_only(store):
    assert store._writer.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert pragma(store, "query_only") == 1
    with pytest.raises(sqlite3.OperationalError):
        store._reader.execute("DELETE FROM meta")


def test_reopening_keeps_the_data_and_is_not_a_new_file(cache_path):
    with Store.open(cache_path) as first, first.write() as tx:
        tx.set_meta("last_sync", "2025-03-01T10:00:00+03:00")
    with Store.open(cache_path) as again:
        assert not again.created and not again.rebuilt and again.migrated_from is None
        assert again.get_meta("last_sync") == "2025-03-01T10:00:00+03:00"


def test_a_file_from_a_newer_version_is_refused_and_left_untouched(cache_path):
    with Store.open(cache_path) as store, store.write() as tx:
        tx.set_meta("watermark.deals", "2025-01-01")
    raw = sqlite3.connect(cache_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    raw.close()
    before = cache_path.read_bytes()
    files = sorted(path.name for path in cache_path.parent.iterdir())  # the cache and its access log

    with pytest.raises(NewerSchemaError) as raised:
        Store.open(cache_path)

    message = str(raised.value)
    assert "более новой версией DPO Desk" in message and "Обновите программу" in message
    assert cache_path.name in message
    assert cache_path.read_bytes() == before
    assert sorted(path.name for path in cache_path.parent.iterdir()) == files


def test_a_reader_needs_a_cache_the_writer_has_prepared(cache_path):
    with pytest.raises(StoreNotReadyError, match="ещё не создан"):
        Store.open_reader(cache_path)
    assert not cache_path.exists()  # asking did not create an empty file

    cache_path.parent.mkdir(parents=True)
    sqlite3.connect(cache_path).execute("PRAGMA user_version = 1").connection.close()
    with pytest.raises(StoreNotReadyError, match="схему 1"):
        Store.open_reader(cache_path)


def test_a_reader_refuses_a_newer_file(cache_path):
    Store.open(cache_path).close()
    raw = sqlite3.connect(cache_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(NewerSchemaError):
        Store.open_reader(cache_path)


def test_a_reader_cannot_write(store):
    with Store.open_reader(store.path) as reader:
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
            reader._reader.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        assert reader.get_meta("a") is None
