"""A damaged cache is detected, moved aside intact and replaced by an empty, working one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dpo_desktop.store import SCHEMA_VERSION, Store, StoreBusyError

from .samples import make_company, make_contact, make_deal, make_document


def filled_cache(path) -> None:
    with Store.open(path) as store, store.write() as tx:
        tx.upsert_companies(make_company(company_id) for company_id in range(1, 4))
        tx.upsert_deals(make_deal(deal_id) for deal_id in range(1, 200))
        tx.upsert_contacts(make_contact(contact_id) for contact_id in range(1, 400))
        tx.upsert_documents(make_document(element_id, element_id % 50 + 1, element_id) for element_id in range(1, 600))


def moved_aside(path) -> list:
    """The damaged database files kept beside ``path`` (without their -wal/-shm companions)."""
    return sorted(candidate for candidate in path.parent.iterdir()
                  if ".corrupt-" in candidate.name and not candidate.name.endswith(("-wal", "-shm")))


def not_a_database(path) -> None:
    path.write_bytes("Это не база данных, а записка: позвонить в бухгалтерию.\n".encode() * 200)


def random_bytes(path) -> None:
    size = path.stat().st_size
    path.write_bytes(bytes((index * 7919 + 13) % 256 for index in range(size)))


def truncated_to_half(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def truncated_inside_the_header(path) -> None:
    path.write_bytes(path.read_bytes()[:50])


def orphan_page(path) -> None:
    """One more page that no table owns: quick_check lists it as never used."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    pages = int.from_bytes(data[28:32], "big")
    data[28:32] = (pages + 1).to_bytes(4, "big")
    path.write_bytes(bytes(data) + bytes(page_size))


def wrong_free_page_count(path) -> None:
    """The header counts free pages that the free list does not have."""
    data = bytearray(path.read_bytes())
    data[36:40] = (5).to_bytes(4, "big")
    path.write_bytes(bytes(data))


def foreign_tables(path) -> None:
    path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (number TEXT)")
    connection.commit()
    connection.close()


@pytest.mark.parametrize(("damage", "reason"), [
    (not_a_database, "не является базой данных SQLite"),
    (random_bytes, "не является базой данных SQLite"),
    (truncated_to_half, "база данных повреждена"),
    (truncated_inside_the_header, "база данных повреждена"),
    (orphan_page, "проверка целостности не пройдена"),
    (wrong_free_page_count, "проверка целостности не пройдена"),
    (foreign_tables, "чужие таблицы"),
])
def test_a_damaged_file_is_moved_aside_and_replaced_by_an_empty_cache(cache_path, damage, reason):
    filled_cache(cache_path)
    damage(cache_path)
    damaged = cache_path.read_bytes()

    with Store.open(cache_path) as store:
        assert store.rebuilt and store.created
        assert reason in store.rebuilt_reason
        assert store.count("deals") == 0 and store.pending_count() == 0
        assert store._query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        with store.write() as tx:  # and it works
            tx.upsert_deals([make_deal(5)])
        assert store.ids("deals") == {5}

    aside = moved_aside(cache_path)
    assert len(aside) == 1
    assert aside[0].name.startswith("cache.sqlite3.corrupt-")
    assert aside[0].read_bytes() == damaged

    with Store.open(cache_path) as again:  # the replacement is healthy: no second rebuild
        assert not again.rebuilt and again.ids("deals") == {5}


def test_the_quick_check_findings_are_kept_in_the_reason(cache_path):
    filled_cache(cache_path)
    orphan_page(cache_path)
    with Store.open(cache_path) as store:
        assert "is never used" in store.rebuilt_reason
        assert len(store.rebuilt_reason) <= 300


def test_the_write_ahead_log_goes_aside_unchanged_with_its_database(tmp_path, cache_path):
    # A cache whose last commits are still in its write-ahead log (the app was killed), and whose main
    # file is then damaged: both are kept as they were, the log neither checkpointed nor deleted.
    filled_cache(tmp_path / "running" / "cache.sqlite3")
    running = Store.open(tmp_path / "running" / "cache.sqlite3")
    with running.write() as tx:
        tx.upsert_deals(make_deal(deal_id) for deal_id in range(200, 300))
    cache_path.parent.mkdir(parents=True)
    shutil.copyfile(running.path, cache_path)
    shutil.copyfile(f"{running.path}-wal", f"{cache_path}-wal")
    running.close()
    truncated_to_half(cache_path)
    log = Path(f"{cache_path}-wal").read_bytes()
    assert log  # the copy holds commits

    with Store.open(cache_path) as store:
        assert store.rebuilt

    [aside] = moved_aside(cache_path)
    assert Path(f"{aside}-wal").read_bytes() == log


def test_two_damaged_files_in_one_second_do_not_overwrite_each_other(cache_path):
    for _ in range(2):
        filled_cache(cache_path)
        not_a_database(cache_path)
        Store.open(cache_path).close()
        cache_path.unlink()
    assert len(moved_aside(cache_path)) == 2


def test_an_empty_file_is_a_new_cache_not_a_damaged_one(cache_path):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(b"")
    with Store.open(cache_path) as store:
        assert store.created and not store.rebuilt


def test_a_locked_file_is_not_damage(cache_path):
    filled_cache(cache_path)
    holder = sqlite3.connect(cache_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusyError, match="занят другим процессом"):
            Store.open(cache_path, busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not moved_aside(cache_path)
    with Store.open(cache_path) as store:
        assert store.count("deals") == 199
