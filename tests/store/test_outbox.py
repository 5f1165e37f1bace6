"""The outbox: idempotent on its key, in creation order, explicit verdicts, and it outlives the process."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dpo_desktop.store import Store

ROOT = Path(__file__).resolve().parents[2]


def enqueue(store, kind, payload, key) -> int:
    with store.write() as tx:
        return tx.enqueue(kind, payload, key)


def test_the_same_key_twice_is_one_item(store):
    first = enqueue(store, "participant.add", {"deal_id": 101, "contact_id": 501}, "add:101:501")
    again = enqueue(store, "participant.add", {"deal_id": 101, "contact_id": 501, "retry": True}, "add:101:501")
    assert again == first
    [item] = store.pending()
    assert item.payload == {"deal_id": 101, "contact_id": 501}  # the first edit's payload stands
    assert store.pending_count() == 1


def test_a_key_names_one_kind_of_edit(store):
    enqueue(store, "participant.add", {"deal_id": 101, "contact_id": 501}, "101:501")
    with pytest.raises(ValueError, match="already names"), store.write() as tx:
        tx.enqueue("participant.remove", {"deal_id": 101, "contact_id": 501}, "101:501")
    assert [item.kind for item in store.pending()] == ["participant.add"]


def test_a_key_that_is_done_is_not_queued_again(store):
    item_id = enqueue(store, "document.status", {"code": "d-1", "status": "checked"}, "status:d-1:checked")
    with store.write() as tx:
        tx.mark_done(item_id, {"element_id": 9001})
    assert enqueue(store, "document.status", {"code": "d-1", "status": "checked"}, "status:d-1:checked") == item_id
    assert store.pending() == []


def test_pending_items_come_in_the_order_they_were_made(store):
    kinds = ["contact.create", "participant.add", "contact.update", "document.status", "participant.remove"]
    ids = [enqueue(store, kind, {"n": n}, f"key-{n}") for n, kind in enumerate(kinds)]
    with store.write() as tx:
        tx.mark_done(ids[1], {})
        later = tx.enqueue("participant.add", {"n": 5}, "key-5")
    pending = store.pending()
    assert [item.kind for item in pending] == ["contact.create", "contact.update", "document.status",
                                               "participant.remove", "participant.add"]
    assert [item.id for item in pending] == [ids[0], *ids[2:], later]
    assert all(item.state == "pending" and item.attempts == 0 for item in pending)


def test_payloads_are_plain_json_kept_as_they_were(store):
    payload = {"person": {"last_name": "Ёлкина", "phones": ["+7 900 000-00-00"], "birth_date": "1990-01-31"},
               "deal_id": 101, "note": None, "share": 0.5, "flags": [True, False]}
    enqueue(store, "participant.add", payload, "add-elkina")
    assert store.pending()[0].payload == payload


@pytest.mark.parametrize("payload", [{"when": object()}, {"x": float("nan")}, ["not", "a", "dict"]])
def test_a_payload_that_is_not_plain_json_is_refused_and_nothing_is_written(store, payload):
    with pytest.raises(TypeError), store.write() as tx:
        tx.enqueue("contact.update", payload, "bad")
    assert store.pending_count() == 0


@pytest.mark.parametrize(("kind", "key"), [("", "k"), ("contact.update", "")])
def test_kind_and_key_are_required(store, kind, key):
    with pytest.raises(ValueError), store.write() as tx:
        tx.enqueue(kind, {}, key)


def test_verdicts(store):
    done, conflict, retry, failed = (enqueue(store, "contact.update", {"n": n}, f"k{n}") for n in range(4))
    with store.write() as tx:
        tx.mark_done(done, {"contact_id": 501})
        tx.mark_conflict(conflict, "Контакт изменён на портале после чтения")
        tx.mark_failed(retry, "Портал недоступен", retry=True)
        tx.mark_failed(retry, "Портал недоступен снова", retry=True)
        tx.mark_failed(failed, "Сделка удалена", retry=False)

    [waiting] = store.pending()
    assert (waiting.id, waiting.attempts, waiting.reason) == (retry, 2, "Портал недоступен снова")
    assert store.pending_count() == 1
    by_id = {item.id: item for item in store.outbox_items()}
    assert (by_id[done].state, by_id[done].result) == ("done", {"contact_id": 501})
    assert (by_id[conflict].state, by_id[conflict].reason) == ("conflict", "Контакт изменён на портале после чтения")
    assert (by_id[failed].state, by_id[failed].attempts) == ("failed", 1)
    assert [item.id for item in store.outbox_items("conflict")] == [conflict]
    assert by_id[retry].updated_at >= by_id[retry].created_at


def test_a_resolved_conflict_goes_back_to_its_place(store):
    first, second = (enqueue(store, "contact.update", {"n": n}, f"k{n}") for n in range(2))
    with store.write() as tx:
        tx.mark_conflict(first, "изменён на портале")
    assert [item.id for item in store.pending()] == [second]
    with store.write() as tx:
        tx.requeue(first)
    assert [item.id for item in store.pending()] == [first, second]
    assert store.outbox_item(first).reason == ""


def test_a_verdict_on_an_unknown_item_is_an_error(store):
    with pytest.raises(KeyError), store.write() as tx:
        tx.mark_done(404, {})
    with pytest.raises(ValueError):
        store.outbox_items("lost")
    assert store.outbox_item(404) is None


def test_items_survive_reopening(cache_path):
    with Store.open(cache_path) as store:
        ids = [enqueue(store, "participant.add", {"n": n}, f"k{n}") for n in range(3)]
        with store.write() as tx:
            tx.mark_failed(ids[0], "нет связи", retry=True)
    with Store.open(cache_path) as again:
        assert [(item.id, item.attempts) for item in again.pending()] == [(ids[0], 1), (ids[1], 0), (ids[2], 0)]


def run_and_kill(cache_path: Path, body: str) -> None:
    """Run ``body`` in a new Python process that then kills itself with SIGKILL: no cleanup of any kind."""
    script = textwrap.dedent("""
        import os, signal, sys
        from dpo_desktop.store import Store
        store = Store.open(sys.argv[1])
    """) + textwrap.dedent(body) + "\nos.kill(os.getpid(), signal.SIGKILL)\n"
    finished = subprocess.run([sys.executable, "-c", script, str(cache_path)], cwd=ROOT, capture_output=True,
                              timeout=60, check=False)
    assert finished.returncode == -signal.SIGKILL, finished.stderr.decode()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_committed_items_survive_a_kill(cache_path):
    run_and_kill(cache_path, """
        for n in range(5):
            with store.write() as tx:
                tx.enqueue("participant.add", {"deal_id": 101, "contact_id": 500 + n}, f"add:101:{500 + n}")
    """)
    assert Path(f"{cache_path}-wal").exists()  # the process never closed the file
    with Store.open(cache_path) as store:
        assert not store.rebuilt
        assert [item.payload["contact_id"] for item in store.pending()] == [500, 501, 502, 503, 504]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_kill_inside_a_transaction_leaves_nothing_half_written(cache_path):
    run_and_kill(cache_path, """
        with store.write() as tx:
            tx.enqueue("contact.create", {"last_name": "Ёлкина"}, "create-elkina")
        with store.write() as tx:
            tx.enqueue("participant.add", {"deal_id": 101}, "add-elkina")
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    with Store.open(cache_path) as store:
        assert not store.rebuilt
        assert [item.key for item in store.pending()] == ["create-elkina"]
        with store.write() as tx:  # and the writer is not left locked
            tx.enqueue("participant.add", {"deal_id": 101}, "add-elkina")
        assert store.pending_count() == 2
