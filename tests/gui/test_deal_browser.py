"""The deal browser on the demo sandbox's synced cache: what the table shows, search, filters, sorting,
opening a deal, the remembered layout and live updates from store writes on the lane."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from dpo_desktop.commands.missing_command import report_rows
from dpo_desktop.domain.models import Completeness
from dpo_desktop.rules import MissingFilter
from dpo_desktop.ui.models import IdRole, SortRole
from dpo_desktop.ui.models.deal_rows import DealStatus, deal_of_code, fold
from dpo_desktop.ui.models.deals import (
    COMPANY,
    COMPLETENESS,
    EVENT_CODE,
    EVENT_NAME,
    PARTICIPANTS,
    PARTNER,
    RESPONSIBLE,
    STAGE,
    TITLE,
    DealsModel,
    DealsProxy,
)
from dpo_desktop.ui.views.deal_browser import DealBrowser
from tests.gui.helpers import type_text

# Showing a top-level widget on the offscreen platform says so once; it is not the browser's warning.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def browser(qtbot, context, settings) -> DealBrowser:
    widget = DealBrowser(context, settings=settings)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def visible_ids(widget: DealBrowser) -> list[int]:
    proxy = widget.proxy
    return [proxy.index(row, TITLE).data(IdRole) for row in range(proxy.rowCount())]


def cell(widget: DealBrowser, deal_id: int, column: int) -> str:
    row = widget.model.row_of(deal_id)
    assert row is not None
    return widget.model.index(row, column).data()


def test_table_shows_every_deal_of_the_pipeline_with_the_cache_values(browser, context):
    reader = context.reader
    deals = reader.deals(pipeline_id=context.mapping.pipeline_id)
    assert deals and sorted(visible_ids(browser)) == [deal.id for deal in deals]
    assert browser.count_label.text() == f"Сделок: {len(deals)} из {len(deals)}"
    stages = {stage.status_id: stage for stage in reader.stages(context.mapping.pipeline_id)}
    # The missing report's rows, one per participant: the same judgement, reached through the CLI's path.
    report = report_rows(reader, MissingFilter(), context.rules)
    people = Counter(row.deal_id for row in report)
    complete = Counter(row.deal_id for row in report if row.status is Completeness.COMPLETE)
    for deal in deals:
        company = reader.company(deal.company_id) if deal.company_id else None
        contact = reader.contact(deal.client_contact_id) if deal.client_contact_id else None
        assert cell(browser, deal.id, TITLE) == deal.title
        assert cell(browser, deal.id, STAGE) == stages[deal.stage_id].name
        assert cell(browser, deal.id, EVENT_CODE) == deal.event_code
        assert cell(browser, deal.id, EVENT_NAME) == deal.event_name
        assert cell(browser, deal.id, PARTNER) == deal.partner_code
        assert cell(browser, deal.id, COMPANY) == (company.title if company else "")
        assert cell(browser, deal.id, RESPONSIBLE) == (contact.full_name if contact else "")
        assert cell(browser, deal.id, PARTICIPANTS) == str(len(reader.participants(deal_id=deal.id)))
        expected = (f"{complete[deal.id]} из {people[deal.id]} полных" if people[deal.id] else "нет участников")
        assert cell(browser, deal.id, COMPLETENESS) == expected
    coloured = [deal for deal in deals if stages[deal.stage_id].color]
    assert coloured, "the demo's stages have colours"
    row = browser.model.row_of(coloured[0].id)
    swatch = browser.model.index(row, STAGE).data(Qt.ItemDataRole.DecorationRole)
    assert swatch.name().casefold() == stages[coloured[0].stage_id].color.casefold()


def test_models_pass_the_model_tester(qtmodeltester, context):
    model = DealsModel(context)
    qtmodeltester.check(model)
    proxy = DealsProxy()
    proxy.setSourceModel(model)
    proxy.set_text("ПК")
    proxy.sort(COMPLETENESS, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_completeness_worked_out_on_the_cpu_pool_fills_the_column(qtbot, context):
    at_once = DealsModel(context)
    later = DealsModel(context, background_from=0)
    assert not later.completeness_ready
    qtbot.waitUntil(lambda: later.completeness_ready, timeout=10_000)
    assert [row.complete for row in later.rows] == [row.complete for row in at_once.rows]
    assert any(row.complete for row in later.rows)


def test_typing_cyrillic_in_search_keeps_the_matching_deals(browser):
    model = browser.model
    person = next(row.responsible for row in model.rows if row.responsible)
    surname = person.split()[0]
    query = surname.upper().replace("Ё", "Е")[: max(4, len(surname) - 1)]  # a prefix, shouted, with е for ё
    browser.focus_search()
    type_text(browser.search, query)
    assert browser.search.text() == query
    shown = visible_ids(browser)
    expected = [row.deal.id for row in model.rows if fold(query) in model.search_key(model.row_of(row.deal.id))]
    assert shown and sorted(shown) == sorted(expected)
    assert len(shown) < model.rowCount()
    assert browser.count_label.text() == f"Сделок: {len(shown)} из {model.rowCount()}"
    browser.search.clear()
    assert len(visible_ids(browser)) == model.rowCount()


def test_every_search_word_must_match_somewhere(browser):
    model = browser.model
    row = next(row for row in model.rows if row.deal.partner_code and row.company)
    words = [row.deal.partner_code.lower(), row.company.split()[-1][:4].upper()]
    type_text(browser.search, " ".join(words))
    shown = visible_ids(browser)
    assert row.deal.id in shown
    expected = [other.deal.id for other in model.rows
                if all(fold(word) in model.search_key(model.row_of(other.deal.id)) for word in words)]
    assert sorted(shown) == sorted(expected)
    assert len(shown) < len(visible_ids_matching(browser, words[0]))
    type_text(browser.search, " нетакогослова")
    assert visible_ids(browser) == []


def visible_ids_matching(browser: DealBrowser, word: str) -> list[int]:
    model = browser.model
    return [row.deal.id for row in model.rows if fold(word) in model.search_key(model.row_of(row.deal.id))]


@pytest.mark.parametrize("combo_name, attribute", [
    ("stage_combo", lambda row: row.deal.stage_id),
    ("event_combo", lambda row: row.deal.event_code),
    ("partner_combo", lambda row: row.deal.partner_code),
    ("status_combo", lambda row: row.status.value),
])
def test_each_filter_keeps_only_its_deals(browser, combo_name, attribute):
    combo = getattr(browser, combo_name)
    values = Counter(attribute(row) for row in browser.model.rows)
    choices = [index for index in range(1, combo.count()) if values[combo.itemData(index)]]
    assert choices, f"{combo_name} offers values the deals have"
    # the least common value: a filter that keeps everything proves nothing
    index = min(choices, key=lambda at: values[combo.itemData(at)])
    combo.setCurrentIndex(index)
    wanted = combo.itemData(index)
    shown = visible_ids(browser)
    assert len(shown) == values[wanted] < browser.model.rowCount()
    assert all(attribute(browser.model.rows[browser.model.row_of(deal_id)]) == wanted for deal_id in shown)
    combo.setCurrentIndex(0)
    assert len(visible_ids(browser)) == browser.model.rowCount()


def test_sorting_by_completeness_orders_by_the_share_of_complete_participants(browser):
    assert {row.status for row in browser.model.rows} >= {DealStatus.COMPLETE, DealStatus.INCOMPLETE}
    browser.table.horizontalHeader().setSortIndicator(COMPLETENESS, Qt.SortOrder.AscendingOrder)
    proxy = browser.proxy
    keys = [browser.model.rows[browser.model.row_of(deal_id)].completeness_key for deal_id in visible_ids(browser)]
    assert keys == sorted(keys)
    values = [proxy.index(row, COMPLETENESS).data(SortRole) for row in range(proxy.rowCount())]
    assert values == sorted(values)
    browser.table.horizontalHeader().setSortIndicator(COMPLETENESS, Qt.SortOrder.DescendingOrder)
    keys = [browser.model.rows[browser.model.row_of(deal_id)].completeness_key for deal_id in visible_ids(browser)]
    assert keys == sorted(keys, reverse=True)
    assert keys[0] != keys[-1]


def test_double_click_and_enter_open_the_deal(qtbot, browser):
    table = browser.table
    index = browser.proxy.index(2, EVENT_NAME)
    deal_id = index.data(IdRole)
    table.scrollTo(index)
    position = table.visualRect(index).center()
    # A double click is a press and release, then a second press arriving as a double click (Qt 6's QTest
    # sends only the latter, which the view ignores without the first press).
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, position)
    with qtbot.waitSignal(browser.deal_opened, timeout=1000) as opened:
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, position)
    assert opened.args == [deal_id]
    other = browser.proxy.index(4, TITLE)
    table.setCurrentIndex(other)
    table.setFocus()
    with qtbot.waitSignal(browser.deal_opened, timeout=1000) as opened:
        QTest.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [other.data(IdRole)]


def test_layout_and_filters_come_back_in_a_new_browser(qtbot, context, browser, settings):
    header = browser.table.horizontalHeader()
    browser.set_column_visible(EVENT_NAME, False)
    header.moveSection(header.visualIndex(PARTNER), 0)
    header.resizeSection(COMPANY, 333)
    header.setSortIndicator(PARTICIPANTS, Qt.SortOrder.DescendingOrder)
    browser.partner_combo.setCurrentIndex(1)
    partner = browser.partner_combo.currentData()
    type_text(browser.search, "ПК")
    shown = visible_ids(browser)
    settings.sync()

    again = DealBrowser(context, settings=QSettings(settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    restored = again.table.horizontalHeader()
    assert restored.isSectionHidden(EVENT_NAME) and not restored.isSectionHidden(PARTNER)
    assert restored.logicalIndex(0) == PARTNER
    assert restored.sectionSize(COMPANY) == 333
    assert (restored.sortIndicatorSection(), restored.sortIndicatorOrder()) == (PARTICIPANTS,
                                                                                Qt.SortOrder.DescendingOrder)
    assert again.partner_combo.currentData() == partner
    assert again.search.text() == "ПК"
    assert visible_ids(again) == shown


def test_a_deal_written_on_the_lane_updates_its_row(qtbot, browser, context):
    row = browser.model.rows[0]
    deal_id = row.deal.id
    renamed = row.deal.model_copy(update={"title": "Переименованная сделка", "partner_code": "P-NEW"})

    async def write(ctx):
        with ctx.store.write() as tx:
            tx.upsert_deals([renamed])

    with qtbot.waitSignal(browser.model.dataChanged, timeout=5000):
        context.run(write)
    assert cell(browser, deal_id, TITLE) == "Переименованная сделка"
    assert cell(browser, deal_id, PARTNER) == "P-NEW"
    type_text(browser.search, "переименованная")
    assert visible_ids(browser) == [deal_id]


def test_a_document_written_on_the_lane_changes_its_deals_completeness(qtbot, browser, context):
    incomplete = next(row for row in browser.model.rows if row.status is DealStatus.INCOMPLETE)
    documents = context.reader.documents(deal_id=incomplete.deal.id)
    assert documents
    gone = [document.code for document in documents]
    assert {deal_of_code(code) for code in gone} == {incomplete.deal.id}
    before = incomplete.complete

    async def delete(ctx):
        with ctx.store.write() as tx:
            tx.delete_documents_by_code(gone)

    with qtbot.waitSignal(browser.model.dataChanged, timeout=5000):
        context.run(delete)
    after = browser.model.rows[browser.model.row_of(incomplete.deal.id)]
    assert after.complete == 0 and before is not None
    assert cell(browser, incomplete.deal.id, COMPLETENESS) == f"0 из {after.participants} полных"


@pytest.mark.parametrize("code, deal", [
    ("p-12-345", 12),
    ("d-7-99-passport-0123456789abcdef", 7),
    ("x-1-2", None),
    ("p-abc-1", None),
    ("p-5", None),
])
def test_deal_of_code(code, deal):
    assert deal_of_code(code) == deal


@pytest.mark.parametrize("text, folded", [("Ёлкин", "елкин"), ("ПК-2024", "пк-2024"), ("ООО «Альфа»", "ооо «альфа»")])
def test_fold(text, folded):
    assert fold(text) == folded
