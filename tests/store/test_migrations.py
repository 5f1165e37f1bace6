"""Migrations: an old file is backed up, then brought forward step by step, its data kept."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from dpo_desktop.store import SCHEMA_VERSION, MigrationError, Store
from dpo_desktop.store.migrations import STEPS

# Schema version 1 as DPO Desk 0.1 wrote it, frozen here: the migration must work on real old files,
# whatever the current code's idea of version 1 becomes.
V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE stages (pipeline_id INTEGER NOT NULL, status_id TEXT NOT NULL, name TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 0, color TEXT, semantics TEXT NOT NULL DEFAULT 'process',
    PRIMARY KEY (pipeline_id, status_id)) WITHOUT ROWID;
CREATE TABLE companies (id INTEGER PRIMARY KEY, title TEXT NOT NULL, modified TEXT);
CREATE TABLE contacts (id INTEGER PRIMARY KEY, last_name TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
    second_name TEXT NOT NULL DEFAULT '', birth_date TEXT, phones TEXT NOT NULL DEFAULT '[]',
    emails TEXT NOT NULL DEFAULT '[]', company_id INTEGER, post TEXT NOT NULL DEFAULT '',
    snils TEXT NOT NULL DEFAULT '', passport_series TEXT NOT NULL DEFAULT '',
    passport_number TEXT NOT NULL DEFAULT '', sex TEXT, citizenship TEXT NOT NULL DEFAULT '', education_level TEXT,
    diploma_surname TEXT NOT NULL DEFAULT '', diploma_series TEXT NOT NULL DEFAULT '',
    diploma_number TEXT NOT NULL DEFAULT '', modified TEXT, last_name_key TEXT NOT NULL DEFAULT '',
    name_key TEXT NOT NULL DEFAULT '', second_name_key TEXT NOT NULL DEFAULT '');
CREATE INDEX contacts_by_name ON contacts (last_name_key, name_key, second_name_key);
CREATE INDEX contacts_by_birth_date ON contacts (birth_date);
CREATE TABLE deals (id INTEGER PRIMARY KEY, title TEXT NOT NULL, pipeline_id INTEGER NOT NULL,
    stage_id TEXT NOT NULL, company_id INTEGER, assigned_by_id INTEGER, partner_code TEXT NOT NULL DEFAULT '',
    client_contact_id INTEGER, event_name TEXT NOT NULL DEFAULT '', event_code TEXT NOT NULL DEFAULT '',
    programme_type TEXT, hours INTEGER, start_date TEXT, end_date TEXT, modified TEXT);
CREATE INDEX deals_by_stage ON deals (pipeline_id, stage_id);
CREATE INDEX deals_by_event ON deals (event_code);
CREATE TABLE participants (local_id INTEGER PRIMARY KEY, id INTEGER UNIQUE, code TEXT NOT NULL UNIQUE,
    deal_id INTEGER NOT NULL, contact_id INTEGER NOT NULL, status TEXT NOT NULL DEFAULT '',
    issued_kind TEXT NOT NULL DEFAULT '', issued_series TEXT NOT NULL DEFAULT '',
    issued_number TEXT NOT NULL DEFAULT '', issued_reg_number TEXT NOT NULL DEFAULT '', issued_date TEXT,
    modified TEXT);
CREATE INDEX participants_by_deal ON participants (deal_id);
CREATE INDEX participants_by_contact ON participants (contact_id);
CREATE TABLE documents (local_id INTEGER PRIMARY KEY, id INTEGER UNIQUE, code TEXT NOT NULL UNIQUE,
    deal_id INTEGER NOT NULL, contact_id INTEGER NOT NULL, type TEXT NOT NULL, sha256 TEXT NOT NULL DEFAULT '',
    original_name TEXT NOT NULL DEFAULT '', file_id INTEGER, received TEXT,
    status TEXT NOT NULL DEFAULT 'received', comment TEXT NOT NULL DEFAULT '', modified TEXT);
CREATE INDEX documents_by_deal ON documents (deal_id, contact_id, type, status);
CREATE INDEX documents_by_content ON documents (contact_id, sha256);
"""

V1_ROWS = """
INSERT INTO meta VALUES ('watermark.deals', '"2025-02-01T00:00:00+03:00"');
INSERT INTO stages VALUES (7, 'C7:NEW', 'Заявка', 10, '#39A8EF', 'process');
INSERT INTO deals (id, title, pipeline_id, stage_id, event_code, programme_type, hours, start_date)
    VALUES (101, 'Уралстрой — охрана труда', 7, 'C7:NEW', 'OT-2025-03', 'ПК', 40, '2025-03-03');
INSERT INTO contacts (id, last_name, name, birth_date, phones, last_name_key, name_key)
    VALUES (501, 'Ёлкина', 'Ольга', '1990-01-31', '["+7 900 000-00-00"]', 'елкина', 'ольга');
INSERT INTO participants (id, code, deal_id, contact_id, status) VALUES (NULL, 'p-101-501', 101, 501, 'Заявлен');
INSERT INTO documents (id, code, deal_id, contact_id, type, sha256, status)
    VALUES (9001, 'd-101-501-passport-abc', 101, 501, 'passport', 'abc', 'checked');
"""


def write_v1(path, *, extra: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(V1 + V1_ROWS + extra)
    connection.execute("PRAGMA user_version = 1")
    connection.close()


def structure(path) -> dict:
    """Every table's columns and every index's columns, as SQLite reports them."""
    connection = sqlite3.connect(path)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        found = {}
        for name in tables:
            columns = connection.execute(f"PRAGMA table_info({name})").fetchall()
            indexes = {index[1]: (index[2], [info[2] for info in connection.execute(f"PRAGMA index_info({index[1]})")])
                       for index in connection.execute(f"PRAGMA index_list({name})")}
            found[name] = (columns, indexes)
        return found
    finally:
        connection.close()


def test_steps_go_one_version_at_a_time():
    assert [step.to_version for step in STEPS] == list(range(1, len(STEPS) + 1))
    assert SCHEMA_VERSION == STEPS[-1].to_version >= 2


def test_a_v1_file_is_backed_up_then_migrated_with_its_data(cache_path, tmp_path):
    write_v1(cache_path)

    with Store.open(cache_path) as store:
        assert store.migrated_from == 1
        assert not store.created and not store.rebuilt
        assert store._query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        deal = store.deal(101)
        assert deal.event_code == "OT-2025-03" and deal.hours == 40 and deal.start_date == date(2025, 3, 3)
        assert store.contact(501).phones == ("+7 900 000-00-00",)
        assert [contact.id for contact in store.find_contacts(last_name="елкина")] == [501]
        assert [(p.id, p.code) for p in store.participants(deal_id=101)] == [(None, "p-101-501")]
        assert store.documents(contact_id=501)[0].status.value == "checked"
        assert store.get_meta("watermark.deals") == "2025-02-01T00:00:00+03:00"
        assert [stage.name for stage in store.stages(7)] == ["Заявка"]
        with store.write() as tx:  # the outbox, new in version 2, works
            item_id = tx.enqueue("participant.remove", {"code": "p-101-501"}, key="remove-p-101-501")
        assert [item.id for item in store.pending()] == [item_id]

    # The copy made before migrating is plain text: once the values are sealed it is removed (152-ФЗ);
    # it stays only when a step fails (test_a_failed_step_is_rolled_back_and_says_where_the_copy_is).
    assert not cache_path.with_name("cache.sqlite3.v1.bak").exists()

    fresh = tmp_path / "fresh.sqlite3"
    Store.open(fresh).close()
    assert structure(cache_path) == structure(fresh)


def test_a_migrated_file_is_not_migrated_again(cache_path):
    write_v1(cache_path)
    Store.open(cache_path).close()
    with Store.open(cache_path) as store:
        assert store.migrated_from is None
    assert not cache_path.with_name("cache.sqlite3.v1.bak").exists()


def test_a_new_file_is_created_without_a_backup(cache_path):
    with Store.open(cache_path) as store:
        assert store.created and store.migrated_from is None
    assert [path.name for path in cache_path.parent.iterdir() if ".bak" in path.name] == []


def test_a_failed_step_is_rolled_back_and_says_where_the_copy_is(cache_path):
    # A table where version 2 wants to create its own: the step fails inside its transaction.
    write_v1(cache_path, extra="CREATE TABLE outbox (anything TEXT);")

    with pytest.raises(MigrationError) as raised:
        Store.open(cache_path)

    assert "до схемы 2" in str(raised.value) and "cache.sqlite3.v1.bak" in str(raised.value)
    raw = sqlite3.connect(cache_path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        assert raw.execute("SELECT count(*) FROM deals").fetchone()[0] == 1
        assert [row[1] for row in raw.execute("PRAGMA table_info(outbox)")] == ["anything"]
    finally:
        raw.close()
