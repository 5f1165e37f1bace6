"""WAL: readers never wait for the writer and see a transaction only once it is committed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from dpo_desktop.store import Store, StoreBusyError

from .samples import make_deal


def test_readers_see_committed_data_while_a_write_is_open(store):
    with store.write() as tx:
        tx.upsert_deals([make_deal(1, title="Было")])

    gui_reader = Store.open_reader(store.path)
    try:
        with store.write() as tx:
            tx.upsert_deals([make_deal(1, title="Стало"), make_deal(2)])
            # The write lock is held and the change is not committed: both readers answer at once, from
            # the last commit.
            assert store.deal(1).title == "Было" and store.deal(2) is None
            assert gui_reader.deal(1).title == "Было" and gui_reader.count("deals") == 1
        assert store.deal(1).title == "Стало" and store.count("deals") == 2
        assert gui_reader.deal(1).title == "Стало" and gui_reader.count("deals") == 2
    finally:
        gui_reader.close()


def test_a_reader_in_another_thread_is_not_blocked_by_an_open_write(store):
    with store.write() as tx:
        tx.upsert_deals([make_deal(1)])
    write_open, read_done = threading.Event(), threading.Event()
    seen = []

    def read_in_gui_thread() -> None:
        write_open.wait(timeout=10)
        with Store.open_reader(store.path) as reader:
            seen.append(reader.count("deals"))
        read_done.set()

    thread = threading.Thread(target=read_in_gui_thread)
    thread.start()
    with store.write() as tx:
        tx.upsert_deals([make_deal(2)])
        write_open.set()
        assert read_done.wait(timeout=10), "the reader waited for the writer"
    thread.join()
    assert seen == [1]


def test_one_reader_serves_several_threads(store):
    with store.write() as tx:
        tx.upsert_deals(make_deal(deal_id) for deal_id in range(1, 101))
    with Store.open_reader(store.path) as reader, ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda deal_id: reader.deal(deal_id).id, range(1, 101)))
    assert answers == list(range(1, 101))


def test_another_process_writer_waits_its_turn(cache_path):
    # Two stores on one file stand for the GUI and the CLI: the second writer waits, then writes.
    first = Store.open(cache_path)
    second = Store.open(cache_path)
    try:
        started, proceed = threading.Event(), threading.Event()

        def hold_the_lock() -> None:
            with first.write() as tx:
                tx.upsert_deals([make_deal(1)])
                started.set()
                proceed.wait(timeout=10)

        holder = threading.Thread(target=hold_the_lock)
        holder.start()
        started.wait(timeout=10)
        threading.Timer(0.3, proceed.set).start()
        with second.write() as tx:  # blocks until the first commits, well within the busy timeout
            tx.upsert_deals([make_deal(2)])
        holder.join()
        assert first.ids("deals") == second.ids("deals") == {1, 2}
    finally:
        first.close()
        second.close()


def test_a_writer_that_waits_too_long_gets_a_clear_message(cache_path):
    first = Store.open(cache_path)
    second = Store.open(cache_path, busy_timeout=0.2)
    try:
        with first.write() as tx:
            tx.upsert_deals([make_deal(1)])
            with pytest.raises(StoreBusyError, match="занят другим процессом"), second.write():
                pass
        with second.write() as tx:  # free again
            tx.upsert_deals([make_deal(2)])
        assert second.ids("deals") == {1, 2}
    finally:
        first.close()
        second.close()
