"""The access log on its own: who and when, filters for an export, names resolved from the cache at export."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest

from dpo_desktop.domain.models import Contact, Deal, Document, DocumentType
from dpo_desktop.store import Store
from dpo_desktop.store.access_export import day_range, export_rows, write_export
from dpo_desktop.store.access_log import AccessLog, AccessQuery


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "office" / "cache.sqlite3") as opened:
        yield opened


def test_rows_carry_the_time_in_utc_the_portal_user_and_the_os_account(store):
    store.access_log.portal_user = 12
    before = datetime.now(UTC).replace(microsecond=0)
    store.log_access("open", deal_id=1, contact_id=2, document_id=3, detail="x" * 900)
    (entry,) = store.access_log.entries()
    assert (entry.action, entry.deal_id, entry.contact_id, entry.document_id) == ("open", 1, 2, 3)
    assert entry.portal_user == 12 and entry.os_user and len(entry.detail) == 500
    assert entry.at.tzinfo is not None and before <= entry.at <= datetime.now(UTC)


def test_queries_keep_a_time_range_and_some_deals(store):
    log = store.access_log
    log.add_many("export", [(1, None, None), (2, None, None), (None, None, None)], "отчёт")
    log.add("view", deal_id=2, contact_id=5, document_id=7)
    now = datetime.now(UTC)
    assert len(log.entries(AccessQuery(since=now - timedelta(minutes=1)))) == 4
    assert log.entries(AccessQuery(until=now - timedelta(minutes=1))) == []
    assert [entry.action for entry in log.entries(AccessQuery(deal_ids=frozenset({2})))] == ["export", "view"]
    assert log.entries(AccessQuery(deal_ids=frozenset())) == []
    assert log.count(["view"]) == 1 and log.count() == 4
    since, until = day_range(date.today(), date.today())
    assert since <= now < until and until - since == timedelta(days=1)


def test_the_export_resolves_names_from_the_cache_and_says_when_it_cannot(store, tmp_path):
    with store.write() as tx:
        tx.upsert_deals([Deal(id=1, title="Обучение охране труда", pipeline_id=7, stage_id="C7:NEW")])
        tx.upsert_contacts([Contact(id=2, last_name="Иванова", name="Мария", second_name="Петровна")])
        tx.upsert_documents([Document(id=3, code="d-1-2", deal_id=1, contact_id=2, type=DocumentType.PASSPORT,
                                      original_name="паспорт.pdf")])
    store.log_access("view", deal_id=1, contact_id=2, document_id=3, detail="просмотр")
    store.log_access("delete", deal_id=9, contact_id=8, document_id=4)
    first, second = export_rows(store.access_log, store)
    assert first[1:] == ("Просмотр", first[2], "1 «Обучение охране труда»", "Иванова Мария Петровна [2]",
                         "Паспорт: паспорт.pdf", "просмотр")
    assert "учётная запись" in first[2]
    assert second[3:6] == ("9 (нет в кэше)", "контакт 8 (нет в кэше)", "документ 4 (нет в кэше)")
    target = tmp_path / "журнал.csv"
    write_export(target, [first, second], "заголовок")
    lines = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0][0] == "Дата и время" and lines[1][4] == "Иванова Мария Петровна [2]" and len(lines) == 3
    with pytest.raises(ValueError):
        write_export(tmp_path / "журнал.pdf", [], "заголовок")


def test_a_damaged_log_is_kept_aside_and_a_new_one_begun(tmp_path):
    path = tmp_path / "access-log.sqlite3"
    path.write_bytes(b"garbage" * 500)
    with AccessLog.open(path) as log:
        log.add("wipe", deal_id=1)
        assert log.count() == 1
    assert list(tmp_path.glob("access-log.sqlite3.corrupt-*"))


def test_the_workbook_is_ready_to_print_beside_the_act(tmp_path):
    from openpyxl import load_workbook

    long_detail = "д" * 90
    target = tmp_path / "журнал.xlsx"
    write_export(target, [("01.03.2025 10:00:00 +0300", "Просмотр", "кто", "1 «Сделка»", "", "", long_detail)],
                 "Журнал доступа к персональным данным")
    sheet = load_workbook(target).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Журнал доступа к персональным данным" and values[2][6] == long_detail
    assert sheet["A1"].font.bold and sheet["A2"].font.bold and sheet["G3"].alignment.wrap_text
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["G"].width == 60
