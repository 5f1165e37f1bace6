"""The upload queue and the push records in SQLite: idempotent rows, explicit states, and they outlive the process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dpo_desktop.store import PushedFile, Store, folder_key


def enqueue(store, key="k1", **options):
    with store.write() as tx:
        return tx.enqueue_upload(key=key, path=f"/scans/{key}.pdf", name=f"{key}.pdf", deal_id=7, **options)


def test_the_same_key_is_the_same_row_and_the_user_s_choices_are_marked(store):
    first, created = enqueue(store, contact_id=5, doc_type="passport")
    again, created_again = enqueue(store, contact_id=9)
    assert (created, created_again) == (True, False) and first == again
    item = store.upload(first)
    assert (item.contact_id, item.contact_source, item.doc_type, item.type_source) == (5, "user", "passport", "user")
    assert item.state == "queued" and item.active
    other, _ = enqueue(store, key="k2")
    assert (store.upload(other).contact_source, store.upload(other).type_source) == (None, None)


def test_steps_set_state_and_columns_and_count_attempts(store):
    item_id, _ = enqueue(store)
    with store.write() as tx:
        tx.update_upload(item_id, "hashed", sha256="ab" * 32, size=10, kind="pdf", pages=1)
        tx.update_upload(item_id, "failed", attempt=True, reason="нет связи")
    item = store.upload(item_id)
    assert (item.state, item.sha256, item.size, item.attempts, item.reason) == ("failed", "ab" * 32, 10, 1, "нет связи")
    with pytest.raises(ValueError), store.write() as tx:
        tx.update_upload(item_id, "flying")
    with pytest.raises(ValueError), store.write() as tx:
        tx.update_upload(item_id, path="/elsewhere")  # fixed at enqueue time
    with pytest.raises(KeyError), store.write() as tx:
        tx.update_upload(999, "done")


def test_rows_by_ids_in_one_read_skip_the_missing_and_keep_the_order(store):
    ids = [enqueue(store, key=f"k{n}")[0] for n in range(1, 1203)]  # more than one IN chunk
    with store.write() as tx:
        tx.update_upload(ids[5], "failed", reason="нет связи")
    wanted = [ids[1200], 999_999, ids[5], ids[0], ids[5]]
    found = store.uploads_with_ids(wanted)
    assert [item.id for item in found] == sorted({ids[0], ids[5], ids[1200]})
    assert [item.name for item in found] == ["k1.pdf", "k6.pdf", "k1201.pdf"]
    assert found[1].reason == "нет связи"  # read through the cipher like a single row
    assert store.uploads_with_ids([]) == []


def test_active_rows_counts_and_history(store):
    ids = [enqueue(store, key=f"k{n}")[0] for n in range(4)]
    with store.write() as tx:
        tx.update_upload(ids[0], "done")
        tx.update_upload(ids[1], "cancelled")
        tx.update_upload(ids[2], "attention", reason="?")
    assert [item.id for item in store.active_uploads()] == ids[2:]
    assert store.upload_counts() == {"done": 1, "cancelled": 1, "attention": 1, "queued": 1}
    assert [item.id for item in store.uploads(["attention"])] == [ids[2]]
    with pytest.raises(ValueError):
        store.uploads(["nonsense"])
    with store.write() as tx:
        assert tx.forget_finished_uploads(datetime.now(UTC) + timedelta(seconds=1)) == 2
    assert len(store.uploads()) == 2


def test_the_queue_survives_closing_and_reopening(cache_path):
    store = Store.open(cache_path)
    item_id, _ = enqueue(store)
    with store.write() as tx:
        tx.update_upload(item_id, "uploading", object_id=42)
    store.close()
    with Store.open(cache_path) as again:
        item = again.upload(item_id)
        assert (item.state, item.object_id) == ("uploading", 42)


def test_a_push_record_is_replaced_whole_and_forgotten(store):
    key = folder_key(7, 5)
    files = [PushedFile("Паспорт.pdf", "d-7-5-passport-aa", "aa", 100, 11), PushedFile("СНИЛС.jpg", "d-7-5-snils-bb",
                                                                                    "bb", 50, 12)]
    with store.write() as tx:
        tx.record_push(key, folder_id=3, path="ДПО/X/Иванов", link="https://p/x", manifest_sha256="m",
                       manifest_id=13, files=files)
        tx.record_push(key, folder_id=3, path="ДПО/X/Иванов", link="https://p/x", manifest_sha256="n",
                       manifest_id=13, files=files[:1])
    record = store.push_folder(key)
    assert record.files == (files[0],) and record.manifest_sha256 == "n"
    with store.write() as tx:
        tx.forget_push(key)
    assert store.push_folder(key) is None


def test_drive_objects_are_remembered_by_attachment(store):
    with store.write() as tx:
        tx.remember_drive_files({1: 100, 2: 200})
        tx.remember_drive_files({2: 201})
    assert store.drive_objects([1, 2, 3]) == {1: 100, 2: 201}
