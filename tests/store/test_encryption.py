"""Personal data at rest (152-ФЗ): after a sync nothing personal is readable in the cache's files,
yet lookups and search still find people; a plain cache is sealed when migrated; a lost key rebuilds."""

from __future__ import annotations

import base64
import logging
import sqlite3
import stat
from datetime import date
from pathlib import Path

import keyring
import pytest
from keyring.backends import null

from dpo_desktop.domain.models import Contact
from dpo_desktop.sandbox import seeds
from dpo_desktop.secrets.data_key import KEY_FILE, forget_data_key, load_data_key
from dpo_desktop.store import Store
from dpo_desktop.store.crypto import CacheCipher, DecryptionError, new_data_key
from dpo_desktop.store.migrations import STEPS
from dpo_desktop.store.personal import search_key
from tests.sandbox.portal_fixtures import make_sandbox
from tests.sync.conftest import Office, discovered


@pytest.fixture
def synced(tmp_path) -> Office:
    box = make_sandbox(seeds.build("demo"))
    path = tmp_path / "profile" / "cache.sqlite3"
    store = Store.open(path)
    office = Office(box, store, discovered(box), path)
    office.sync(full=True)
    yield office
    store.close()
    box.client.close()


def everyone(store: Store) -> list[Contact]:
    return store.contacts(store.ids("contacts"))


def needles(store: Store) -> set[str]:
    """What must not be readable on disk: full names, СНИЛС, phones, passports, diplomas, file names."""
    found: set[str] = set()
    for contact in everyone(store):
        found.add(f"{contact.last_name} {contact.name}")
        found.update(value for value in (contact.snils, contact.passport_number, contact.diploma_number,
                                         *contact.phones, *contact.emails) if len(value) >= 6)
    found.update(document.original_name for document in store.documents() if len(document.original_name) >= 6)
    # A short run of digits turns up by chance in random ciphertext or inside a content hash, which is no
    # leak: only texts of ten bytes and more are looked for (a chance hit is then below 1e-12).
    hashes = " ".join(document.sha256 for document in store.documents())
    return {text for text in found if len(text.encode("utf-8")) >= 10 and text not in hashes}


def readable(folder: Path, texts: set[str]) -> dict[str, list[str]]:
    """Which of ``texts`` appear (UTF-8) in which files under ``folder``."""
    hits: dict[str, list[str]] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            shown = [text for text in texts if text.encode("utf-8") in data]
            if shown:
                hits[path.name] = shown[:5]
    return hits


def test_nothing_personal_is_readable_in_the_cache_files_after_a_sync(synced):
    texts = needles(synced.store)
    people = everyone(synced.store)
    assert len(people) > 20 and sum(bool(person.snils) for person in people) > 10 and len(texts) > 50
    folder = synced.path.parent
    assert Path(f"{synced.path}-wal").exists()
    assert readable(folder, texts) == {}  # the file and its write-ahead log while open
    synced.store.close()
    assert readable(folder, texts) == {}  # and once checkpointed


def test_lookups_by_equality_use_keyed_hashes_and_still_find_people(synced):
    person = next(contact for contact in everyone(synced.store) if contact.second_name and contact.birth_date)
    raw = synced.store._query("SELECT last_name, last_name_key, birth_date FROM contacts WHERE id = ?", person.id)[0]
    assert raw[0] == "" and raw[1] != search_key(person.last_name) and raw[2] != person.birth_date.isoformat()

    found = synced.store.find_contacts(last_name=person.last_name.upper(), name=person.name,
                                       second_name=person.second_name, birth_date=person.birth_date)
    assert person.id in [contact.id for contact in found]
    assert synced.store.contact(person.id) == person


def test_search_finds_what_the_plain_columns_would_have(synced):
    people = everyone(synced.store)
    person = people[len(people) // 2]
    part = search_key(person.last_name)[1:4]
    expected = sorted((contact for contact in people if any(
        part in search_key(name) for name in (contact.last_name, contact.name, contact.second_name))
        or any(part in email.lower() for email in contact.emails)),
        key=lambda contact: (search_key(contact.last_name), search_key(contact.name), contact.id))
    assert [contact.id for contact in synced.store.search_contacts(part.upper())] == [c.id for c in expected]

    phone = next(contact.phones[0] for contact in people if contact.phones)
    digits = "".join(char for char in phone if char.isdigit())[-7:]
    found = synced.store.search_contacts(digits)
    assert found and all(any(digits in "".join(filter(str.isdigit, p)) for p in c.phones) for c in found)


def test_the_search_index_follows_changes_seen_by_another_reader(synced):
    reader = Store.open_reader(synced.path, cipher=synced.store.cipher)
    try:
        assert reader.search_contacts("Шпенглер") == []
        person = everyone(synced.store)[0]
        with synced.store.write() as tx:
            tx.upsert_contacts([person.model_copy(update={"last_name": "Шпенглер"})])
        assert [contact.id for contact in reader.search_contacts("шпенг")] == [person.id]
    finally:
        reader.close()


def write_plain_v5(path: Path) -> None:
    """A cache as DPO Desk wrote it before encryption: schema 5, every value plain."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    for step in STEPS[:5]:
        step.apply(connection)
    connection.executescript("""
        INSERT INTO contacts (id, last_name, name, second_name, birth_date, phones, snils, last_name_key, name_key,
            second_name_key) VALUES (501, 'Ёлкина', 'Ольга', 'Петровна', '1990-01-31', '["+7 900 123-45-67"]',
            '112-233-445 95', 'елкина', 'ольга', 'петровна');
        INSERT INTO participants (id, code, deal_id, contact_id, status, issued_number)
            VALUES (7001, 'p-101-501', 101, 501, 'Обучен', 'УД-778899');
        INSERT INTO documents (id, code, deal_id, contact_id, type, sha256, original_name, status)
            VALUES (9001, 'd-101-501-passport-abc', 101, 501, 'passport', 'abc', 'Елкина паспорт.pdf', 'checked');
        INSERT INTO deals (id, title, pipeline_id, stage_id) VALUES (101, 'Ёлкина Ольга Петровна — ПК', 7, 'C7:NEW');
        INSERT INTO outbox (key, kind, payload, created_at, updated_at) VALUES ('create-elkina', 'contact.create',
            '{"last_name": "Ёлкина", "snils": "112-233-445 95"}', '2025-03-01T10:00:00+00:00',
            '2025-03-01T10:00:00+00:00');
        INSERT INTO upload_queue (key, path, name, deal_id, reason, created_at, updated_at) VALUES ('k1',
            '/home/manager/Сканы/Елкина паспорт.pdf', 'Елкина паспорт.pdf', 101, 'не прочитан: Елкина паспорт.pdf',
            '2025-03-01T10:00:00+00:00', '2025-03-01T10:00:00+00:00');
        INSERT INTO push_folders (folder_key, folder_id, path, link, pushed_at) VALUES ('101-501', 77,
            'Архив/Ёлкина Ольга', 'https://portal/docs/Ёлкина Ольга', '2025-03-01T10:00:00+00:00');
        INSERT INTO pushed_files (folder_key, name, document_code, size, object_id)
            VALUES ('101-501', 'Ёлкина паспорт.pdf', 'd-101-501-passport-abc', 10, 78);
        PRAGMA user_version = 5;
    """)
    connection.close()


def test_a_plain_cache_is_sealed_when_migrated_and_its_plain_copy_removed(cache_path):
    write_plain_v5(cache_path)
    plain = {"Ёлкина", "Елкина", "112-233-445 95", "+7 900 123-45-67", "УД-778899", "елкина"}
    assert readable(cache_path.parent, plain)

    with Store.open(cache_path) as store:
        assert store.migrated_from == 5 and not store.rebuilt
        assert store.contact(501).snils == "112-233-445 95"
        assert [c.id for c in store.find_contacts(last_name="Елкина", birth_date=date(1990, 1, 31))] == [501]
        assert [c.id for c in store.search_contacts("900123")] == [501]
        assert store.participants(deal_id=101)[0].issued.number == "УД-778899"
        assert store.documents(contact_id=501)[0].original_name == "Елкина паспорт.pdf"
        assert store.deal(101).title == "Ёлкина Ольга Петровна — ПК"
        assert store.pending()[0].payload == {"last_name": "Ёлкина", "snils": "112-233-445 95"}
        queued = store.uploads()[0]
        assert (queued.path, queued.name) == ("/home/manager/Сканы/Елкина паспорт.pdf", "Елкина паспорт.pdf")
        assert queued.reason == "не прочитан: Елкина паспорт.pdf"
        pushed = store.push_folder("101-501")
        assert pushed.path == "Архив/Ёлкина Ольга" and [f.name for f in pushed.files] == ["Ёлкина паспорт.pdf"]
        assert readable(cache_path.parent, plain) == {}
    assert not cache_path.with_name("cache.sqlite3.v5.bak").exists()
    assert readable(cache_path.parent, plain) == {}


def test_a_cache_the_key_does_not_open_is_moved_aside_and_rebuilt(cache_path, store):
    with store.write() as tx:
        tx.upsert_contacts([Contact(id=501, last_name="Ёлкина", name="Ольга")])
    store.close()
    forget_data_key(cache_path.parent)  # the keyring was reset: a new key comes with the next start

    with Store.open(cache_path) as reopened:
        assert reopened.rebuilt and reopened.created and "ключ" in reopened.rebuilt_reason
        assert reopened.contact(501) is None
        with reopened.write() as tx:  # the fresh cache works with the new key
            tx.upsert_contacts([Contact(id=502, last_name="Орлова", name="Вера")])
        assert reopened.contact(502).last_name == "Орлова"
    assert list(cache_path.parent.glob("cache.sqlite3.corrupt-*"))
    with Store.open(cache_path) as again:
        assert not again.rebuilt and again.contact(502).last_name == "Орлова"


def test_a_sealed_value_opens_only_with_its_key_and_in_its_place():
    cipher = CacheCipher(new_data_key())
    sealed = cipher.seal("112-233-445 95", "contacts")
    assert isinstance(sealed, bytes) and b"112" not in sealed
    assert cipher.open(sealed, "contacts") == "112-233-445 95"
    with pytest.raises(DecryptionError):
        cipher.open(sealed, "documents.comment")  # moved to another column
    with pytest.raises(DecryptionError) as raised:
        CacheCipher(new_data_key()).open(sealed, "contacts")
    assert "112" not in str(raised.value)
    fields = ["Иванов", None, "", "a\x1fb", "[]"]
    assert cipher.open_fields(cipher.seal_fields(fields, "contacts"), "contacts") == fields
    assert "key" not in repr(cipher).replace("<key hidden>", "")


def test_without_a_keyring_the_key_is_kept_in_a_private_file_and_the_user_is_told(cache_path):
    keyring.set_keyring(null.Keyring())  # the conftest restores the memory keyring afterwards
    with Store.open(cache_path) as store:
        assert "не от того, кто входит в систему" in store.key_warning
        with store.write() as tx:
            tx.upsert_contacts([Contact(id=501, last_name="Ёлкина", name="Ольга")])
    key_file = cache_path.parent / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with Store.open(cache_path) as store:  # the same key next time: the cache still opens
        assert not store.rebuilt and store.contact(501).last_name == "Ёлкина"
    assert load_data_key(cache_path.parent).where == "file"


def test_the_key_is_kept_in_the_keyring_when_there_is_one(cache_path):
    with Store.open(cache_path) as store:
        assert store.key_warning is None
    assert not (cache_path.parent / KEY_FILE).exists()
    first = load_data_key(cache_path.parent)
    assert first.where == "system" and not first.created  # made by the first open, found by this one
    assert load_data_key(cache_path.parent).key == first.key
    assert load_data_key(cache_path.parent.parent).key != first.key  # one key per data folder



def test_the_data_key_reaches_no_log_line_and_no_file(cache_path, caplog):
    caplog.set_level(logging.DEBUG)
    with Store.open(cache_path) as store, store.write() as tx:
        tx.upsert_contacts([Contact(id=501, last_name="Ёлкина", name="Ольга")])
    (stored,) = keyring.get_keyring().values.values()  # the memory keyring of the conftest
    raw = base64.b64decode(stored)
    assert stored not in caplog.text
    for path in cache_path.parent.rglob("*"):
        if path.is_file():
            assert stored.encode() not in path.read_bytes() and raw not in path.read_bytes(), path
