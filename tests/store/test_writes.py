"""Upserts that change and delete, the one-writer transaction, and the change notices after commit."""

from __future__ import annotations

import threading

import pytest

from dpo_desktop.domain.models import CheckStatus, DocumentType, Stage
from dpo_desktop.store import TransactionClosedError

from .samples import make_company, make_contact, make_deal, make_document, make_participant


def test_an_upsert_replaces_the_whole_row(store):
    with store.write() as tx:
        tx.upsert_deals([make_deal(1), make_deal(2)])
    with store.write() as tx:
        written = tx.upsert_deals([make_deal(1, stage_id="C7:DOCS", hours=None, event_code="")])
    assert written == 1
    changed = store.deal(1)
    assert (changed.stage_id, changed.hours, changed.event_code) == ("C7:DOCS", None, "")
    assert store.deal(2) == make_deal(2)


def test_an_empty_upsert_writes_nothing(store):
    with store.write() as tx:
        assert tx.upsert_contacts([]) == 0
        assert tx.upsert_documents(iter(())) == 0
    assert store.count("contacts") == 0


def test_a_changed_contact_is_found_by_its_new_name(store):
    with store.write() as tx:
        tx.upsert_contacts([make_contact(1, last_name="Иванова")])
        tx.upsert_contacts([make_contact(1, last_name="Петрова")])
    assert store.find_contacts(last_name="Иванова") == []
    assert [contact.id for contact in store.find_contacts(last_name="петрова")] == [1]


@pytest.mark.parametrize(("kind", "upsert", "delete", "make"), [
    ("deals", "upsert_deals", "delete_deals", make_deal),
    ("contacts", "upsert_contacts", "delete_contacts", make_contact),
    ("companies", "upsert_companies", "delete_companies", make_company),
    ("participants", "upsert_participants", "delete_participants", lambda i: make_participant(i, 100, i)),
    ("documents", "upsert_documents", "delete_documents", lambda i: make_document(i, 100, i)),
])
def test_deletes_by_portal_id(store, kind, upsert, delete, make):
    with store.write() as tx:
        getattr(tx, upsert)(make(item_id) for item_id in range(1, 6))
    with store.write() as tx:
        deleted = getattr(tx, delete)([2, 4, 4, 99])
    assert deleted == 2
    assert store.ids(kind) == {1, 3, 5}


def test_deletes_beyond_one_in_list(store):
    with store.write() as tx:
        tx.upsert_contacts(make_contact(contact_id) for contact_id in range(1, 1301))
    with store.write() as tx:
        assert tx.delete_contacts(range(1, 1201)) == 1200
    assert store.ids("contacts") == set(range(1201, 1301))


def test_a_participant_added_offline_gets_its_element_id_when_the_portal_answers(store):
    offline = make_participant(None, 101, 501, status="Заявлен")
    with store.write() as tx:
        tx.upsert_participants([offline])
    assert store.ids("participants") == set()
    assert store.participant_by_code("p-101-501").id is None

    with store.write() as tx:
        tx.upsert_participants([make_participant(77, 101, 501, status="Заявлен")])
    assert store.participant_by_code("p-101-501").id == 77
    assert len(store.participants(deal_id=101)) == 1
    assert store.ids("participants") == {77}


def test_a_local_edit_keeps_the_element_id_the_portal_gave(store):
    with store.write() as tx:
        tx.upsert_participants([make_participant(77, 101, 501, status="Заявлен")])
        tx.upsert_participants([make_participant(None, 101, 501, status="Обучается")])
    stored = store.participant_by_code("p-101-501")
    assert (stored.id, stored.status) == (77, "Обучается")


def test_an_element_recoded_on_the_portal_replaces_its_old_row(store):
    notices = []
    store.add_listener(lambda table, keys: notices.append((table, keys)))
    first = make_document(9001, 101, 501, DocumentType.PASSPORT)
    with store.write() as tx:
        tx.upsert_documents([first])
    notices.clear()

    recoded = make_document(9001, 101, 501, DocumentType.SNILS)  # same element, another type and code
    with store.write() as tx:
        tx.upsert_documents([recoded])

    assert store.documents(deal_id=101) == [recoded]
    assert store.document_by_code(first.code) is None
    assert notices == [("documents", frozenset({first.code, recoded.code}))]


def test_deletes_by_code_reach_rows_without_an_element(store):
    with store.write() as tx:
        tx.upsert_participants([make_participant(None, 101, 501), make_participant(78, 101, 502)])
        tx.upsert_documents([make_document(None, 101, 501)])
    with store.write() as tx:
        assert tx.delete_participants_by_code(["p-101-501", "p-101-999"]) == 1
        assert tx.delete_documents_by_code([make_document(None, 101, 501).code]) == 1
    assert [participant.contact_id for participant in store.participants(deal_id=101)] == [502]
    assert store.documents() == []


def test_replacing_stages_touches_only_that_pipeline(store):
    with store.write() as tx:
        tx.replace_stages(7, [Stage(status_id="C7:NEW", name="Заявка"), Stage(status_id="C7:OLD", name="Старая")])
        tx.replace_stages(9, [Stage(status_id="C9:NEW", name="Другая воронка")])
    with store.write() as tx:
        tx.replace_stages(7, [Stage(status_id="C7:NEW", name="Новая заявка", sort=5)])
    assert [(stage.status_id, stage.name) for stage in store.stages(7)] == [("C7:NEW", "Новая заявка")]
    assert [stage.status_id for stage in store.stages(9)] == ["C9:NEW"]


def test_an_error_rolls_the_whole_transaction_back_and_tells_nobody(store):
    notices = []
    store.add_listener(lambda table, keys: notices.append(table))
    with pytest.raises(ZeroDivisionError), store.write() as tx:
        tx.upsert_deals([make_deal(1)])
        tx.set_meta("last_sync", "сейчас")
        raise ZeroDivisionError
    assert store.deal(1) is None and store.get_meta("last_sync") is None
    assert notices == []
    with store.write() as tx:  # the writer is free again
        tx.upsert_deals([make_deal(1)])
    assert store.deal(1) is not None


def test_listeners_hear_each_table_once_per_commit_with_the_keys_written(store):
    notices = []
    store.add_listener(lambda table, keys: notices.append((table, keys)))
    with store.write() as tx:
        tx.upsert_deals([make_deal(1), make_deal(2)])
        tx.upsert_deals([make_deal(2)])
        tx.upsert_participants([make_participant(None, 1, 501)])
        tx.delete_contacts([700])
        tx.set_meta("last_sync", "сейчас")
        tx.replace_stages(7, [])
        item = tx.enqueue("participant.add", {"deal_id": 1, "contact_id": 501}, key="add-1-501")
    assert dict(notices) == {
        "deals": frozenset({1, 2}), "participants": frozenset({"p-1-501"}), "contacts": frozenset({700}),
        "meta": frozenset({"last_sync"}), "stages": frozenset({7}), "outbox": frozenset({item}),
    }


def test_a_failing_listener_does_not_undo_the_commit_or_silence_the_others(store, caplog):
    heard = []

    def broken(table, keys):
        raise RuntimeError("listener bug")

    store.add_listener(broken)
    store.add_listener(lambda table, keys: heard.append(table))
    with store.write() as tx:
        tx.upsert_deals([make_deal(1)])
    assert store.deal(1) is not None and heard == ["deals"]
    assert "A store listener failed" in caplog.text
    store.remove_listener(broken)


def test_the_transaction_cannot_be_used_after_its_block(store):
    with store.write() as tx:
        tx.upsert_deals([make_deal(1)])
    with pytest.raises(TransactionClosedError):
        tx.upsert_deals([make_deal(2)])
    assert store.deal(2) is None


def test_nesting_writes_in_one_thread_is_refused_at_once(store):
    with store.write() as tx:
        tx.upsert_deals([make_deal(1)])
        with pytest.raises(RuntimeError, match="already open"), store.write():
            pass
    assert store.deal(1) is not None


def test_writers_in_several_threads_take_turns(store):
    errors = []

    def worker(first: int) -> None:
        try:
            for deal_id in range(first, first + 50):
                with store.write() as tx:
                    tx.upsert_deals([make_deal(deal_id)])
                    # Read, then write: only whole turns keep every increment.
                    tx.set_meta("counter", (store.get_meta("counter") or 0) + 1)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(first,)) for first in (1, 1001, 2001, 3001)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.count("deals") == 200
    assert store.get_meta("counter") == 200


def test_a_document_status_change_is_an_upsert(store):
    received = make_document(9001, 101, 501)
    with store.write() as tx:
        tx.upsert_documents([received])
    with store.write() as tx:
        tx.upsert_documents([received.model_copy(update={"status": CheckStatus.REJECTED, "comment": "Нет подписи"})])
    [stored] = store.documents(contact_id=501)
    assert (stored.status, stored.comment) == (CheckStatus.REJECTED, "Нет подписи")
