"""The missing-documents review on the demo portal's synced cache: the CLI's rows, every filter, saved
views, the XLSX export read back, the letter, the overview bars, the offline banner and ``install``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence

from dpo_desktop.commands.missing_command import report_rows
from dpo_desktop.domain.models import Completeness, DocumentType
from dpo_desktop.rules import MissingFilter
from dpo_desktop.ui.gui import default_factories
from dpo_desktop.ui.main_window import MainWindow
from dpo_desktop.ui.models.review import ReviewFilters, age_text, offline_text
from dpo_desktop.ui.review_export import LetterGroup, letter_text
from dpo_desktop.ui.views.review import ReviewScreen, install, review_screen
from tests.gui.helpers import type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def settings_in(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def screen(qtbot, context, tmp_path):
    made = ReviewScreen(context, settings=settings_in(tmp_path))
    qtbot.addWidget(made)
    made.resize(1300, 800)
    made.show()
    qtbot.waitUntil(lambda: made.loaded, timeout=5000)
    return made


def messages_of(context) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    context.messages.message.connect(lambda level, text: seen.append((level, text)))
    return seen


def shown(screen) -> list:
    return [row.report for row in screen.model.rows]


def busiest_deal(context):
    return max(context.reader.deals(), key=lambda deal: len(context.reader.participants(deal_id=deal.id)))


# -- the same rows as the CLI --------------------------------------------------------------------


def cli_cases(context) -> list[tuple[ReviewFilters, MissingFilter]]:
    deal = busiest_deal(context)
    return [
        (ReviewFilters(), MissingFilter()),
        (ReviewFilters(event_code=deal.event_code), MissingFilter(event_code=deal.event_code)),
        (ReviewFilters(deal_id=deal.id), MissingFilter(deal_id=deal.id)),
        (ReviewFilters(stage_id=deal.stage_id), MissingFilter(stage_id=deal.stage_id)),
        (ReviewFilters(document_type=DocumentType.SNILS), MissingFilter(document_type=DocumentType.SNILS)),
        (ReviewFilters(status=Completeness.PARTIAL), MissingFilter(statuses=frozenset({Completeness.PARTIAL}))),
        (ReviewFilters(status=Completeness.NONE, document_type=DocumentType.PASSPORT),
         MissingFilter(statuses=frozenset({Completeness.NONE}), document_type=DocumentType.PASSPORT)),
    ]


def test_rows_are_the_cli_report_for_the_same_filters(screen, context):
    assert screen.model.rowCount() > 20, "the demo office has participants"
    for filters, cli in cli_cases(context):
        screen.set_filters(filters)
        assert screen.filters() == filters
        expected = report_rows(context.reader, cli, context.rules)
        assert shown(screen) == expected, filters
        assert screen.model.rowCount() == len(expected)


def test_the_table_shows_deal_event_company_partner_person_missing_status(screen, context):
    row = next(row for row in screen.model.rows if row.report.missing)
    index = screen.model.rows.index(row)
    cells = [screen.model.index(index, column).data() for column in range(screen.model.columnCount())]
    deal = context.reader.deal(row.report.deal_id)
    company = context.reader.company(deal.company_id).title if deal.company_id else ""
    assert cells == [deal.title, deal.event_code, company, deal.partner_code, row.report.participant,
                     ", ".join(row.report.missing), {"partial": "частично", "none": "нет ни одного"}[row.report.status]]


@pytest.mark.parametrize("field", ["company", "partner_code", "manager_id"])
def test_each_deal_filter_keeps_exactly_the_deals_that_match(screen, context, field):
    everyone = report_rows(context.reader, MissingFilter(), context.rules)
    deals = {deal.id: deal for deal in context.reader.deals()}

    def value_of(deal_id: int):
        deal = deals[deal_id]
        if field == "company":
            company = context.reader.company(deal.company_id) if deal.company_id else None
            return company.title if company else ""
        return deal.partner_code if field == "partner_code" else deal.assigned_by_id

    values = {value_of(row.deal_id) for row in everyone} - {"", None}
    assert len(values) >= 2, f"the demo office has several values of {field}"
    combo = screen.combos[field]
    assert {combo.itemData(index) for index in range(1, combo.count())} == values
    for value in sorted(values, key=str)[:3]:
        combo.setCurrentIndex(combo.findData(value))
        expected = [row for row in everyone if value_of(row.deal_id) == value]
        assert expected and shown(screen) == expected


def test_search_finds_a_participant_by_part_of_the_name_in_any_case(screen, context):
    person = next(row.report.participant for row in screen.model.rows if " " in row.report.participant)
    part = person.split()[0][:5]
    type_text(screen.search, part.upper())
    deals = {deal.id: deal for deal in context.reader.deals()}

    def haystack(row) -> str:
        deal = deals[row.deal_id]
        company = context.reader.company(deal.company_id) if deal.company_id else None
        text = " ".join((row.participant, row.deal_title, row.event_code, company.title if company else "",
                         deal.partner_code))
        return text.casefold().replace("ё", "е")

    expected = [row for row in report_rows(context.reader, MissingFilter(), context.rules)
                if part.casefold().replace("ё", "е") in haystack(row)]
    assert shown(screen) == expected
    assert person in {row.participant for row in expected}
    assert len(expected) < len(screen.model.all_rows)


def test_filters_combine_and_clear(screen, context):
    deal = busiest_deal(context)
    screen.set_filter("deal_id", deal.id)
    screen.set_filter("status", Completeness.COMPLETE)
    expected = report_rows(context.reader, MissingFilter(deal_id=deal.id, statuses=frozenset({Completeness.COMPLETE})),
                           context.rules)
    assert shown(screen) == expected
    screen.set_filters(ReviewFilters())
    assert screen.model.rowCount() == len(screen.model.all_rows)


# -- saved views ---------------------------------------------------------------------------------


def test_a_saved_view_is_restored_in_a_new_screen(qtbot, context, screen, tmp_path):
    deal = busiest_deal(context)
    wanted = ReviewFilters(event_code=deal.event_code, document_type=DocumentType.CONSENT,
                           status=Completeness.PARTIAL, search="")
    screen.set_filters(wanted)
    rows = shown(screen)
    screen.save_view("Согласия по мероприятию")
    assert screen.views.findData("Согласия по мероприятию") >= 1

    again = ReviewScreen(context, settings=settings_in(tmp_path))
    qtbot.addWidget(again)
    again.reload()
    assert again.filters() == ReviewFilters()
    index = again.views.findData("Согласия по мероприятию")
    assert index >= 1
    again.views.activated.emit(index)
    assert again.filters() == wanted
    assert shown(again) == rows


@pytest.mark.parametrize("filters", [
    ReviewFilters(),
    ReviewFilters(event_code="ПК-1", deal_id=7, stage_id="C1:NEW", company="ООО «Ромашка»", partner_code="P-01",
                  manager_id=3, document_type=DocumentType.DIPLOMA, status=Completeness.NONE, search="Иван"),
])
def test_filters_round_trip_through_plain_data(filters):
    assert ReviewFilters.from_dict(filters.to_dict()) == filters


def test_saved_filters_that_no_longer_parse_are_dropped():
    assert ReviewFilters.from_dict({"document_type": "passport_old", "status": "?", "deal_id": "x", "junk": 1,
                                    "event_code": "ПК-2"}) == ReviewFilters(event_code="ПК-2")


# -- export and letter ---------------------------------------------------------------------------


def test_export_writes_what_the_filters_show(qtbot, screen, context, tmp_path):
    seen = messages_of(context)
    screen.set_filter("status", Completeness.PARTIAL)
    screen.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    visible = [[screen.model.index(row, column).data() for column in range(screen.model.columnCount())]
               for row in range(screen.model.rowCount())]
    assert visible
    target = tmp_path / "отчёт.xlsx"
    screen.export_to(target)
    qtbot.waitUntil(lambda: any(text == f"Отчёт сохранён: {target}" for _level, text in seen), timeout=10_000)
    sheet = load_workbook(target).active
    values = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].startswith("Недостающие документы")
    assert values[1] == ["Сделка", "Код мероприятия", "Компания клиента", "Код партнёра", "Участник", "Не хватает",
                         "Статус"]
    assert values[2:] == visible
    assert sheet["A2"].font.bold and sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["E"].width > 10


def test_export_to_a_missing_folder_says_so(qtbot, screen, context, tmp_path):
    seen = messages_of(context)
    screen.export_to(tmp_path / "нет такой папки" / "x.xlsx")
    qtbot.waitUntil(lambda: any(level == "error" for level, _text in seen), timeout=10_000)
    assert "Не удалось сохранить отчёт" in seen[-1][1]


def test_the_letter_lists_what_is_missing_for_whom_by_deal(screen, context, qapp):
    everyone = report_rows(context.reader, MissingFilter(), context.rules)
    mixed = {row.deal_id for row in everyone if row.missing} & {row.deal_id for row in everyone if not row.missing}
    deal = context.reader.deal(min(mixed) if mixed else next(row.deal_id for row in everyone if row.missing))
    screen.set_filter("deal_id", deal.id)
    rows = screen.model.rows
    lacking = [row for row in rows if row.report.missing]
    complete = [row for row in rows if not row.report.missing]
    assert lacking, "the demo's busiest deal has someone missing something"
    text = screen.letter()
    assert f"«{deal.title}»" in text
    for row in lacking:
        assert f"  — {row.report.participant}: {', '.join(row.report.missing)}\n" in text
    for row in complete:
        assert row.report.participant not in text
    contact = context.reader.contact(deal.client_contact_id) if deal.client_contact_id else None
    if contact is not None:
        assert text.startswith(f"Здравствуйте, {' '.join(p for p in (contact.name, contact.second_name) if p)}!")
    screen.copy_letter()
    assert qapp.clipboard().text() == text


def test_letter_groups_by_deal_and_leaves_out_the_complete():
    text = letter_text([LetterGroup("Группа 1", "ПК-7", (("Иванов Иван", ("Паспорт", "СНИЛС")), ("Петров Пётр", ()))),
                        LetterGroup("Группа 2", "", (("Сидорова Анна", ("Диплом",)),)),
                        LetterGroup("Группа 3", "ПК-9", (("Орлов Олег", ()),))], "Мария Ивановна")
    assert text.startswith("Здравствуйте, Мария Ивановна!\n")
    assert ("«Группа 1» (мероприятие ПК-7):\n  — Иванов Иван: Паспорт, СНИЛС\n\n"
            "«Группа 2»:\n  — Сидорова Анна: Диплом\n") in text
    assert "Петров" not in text and "Группа 3" not in text
    assert "все документы" in letter_text([LetterGroup("Г", "", (("Орлов Олег", ()),))]).casefold()


# -- overview ------------------------------------------------------------------------------------


def click_bar(qtbot, chart, key) -> None:
    index = next(i for i, bar in enumerate(chart.bars) if bar.key == key)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.line_rect(index).center())


def test_bars_count_the_rows_shown_and_a_click_filters(qtbot, screen, context):
    statuses = {bar.key: bar.value for bar in screen.status_chart.bars}
    everyone = report_rows(context.reader, MissingFilter(), context.rules)
    assert statuses == {status: sum(row.status is status for row in everyone) for status in Completeness}
    types = {bar.key: bar.value for bar in screen.types_chart.bars}
    assert types[DocumentType.SNILS] == sum("СНИЛС" in row.missing for row in everyone)
    click_bar(qtbot, screen.status_chart, Completeness.NONE)
    assert screen.filters().status is Completeness.NONE
    assert shown(screen) == [row for row in everyone if row.status is Completeness.NONE]
    assert screen.combos["status"].currentData() == Completeness.NONE
    click_bar(qtbot, screen.status_chart, Completeness.NONE)  # the same bar again clears its filter
    assert screen.filters().status is None


def test_a_click_on_a_document_type_bar_filters_by_that_type(qtbot, screen, context):
    key = screen.types_chart.bars[0].key
    click_bar(qtbot, screen.types_chart, key)
    assert screen.filters().document_type is key
    assert shown(screen) == report_rows(context.reader, MissingFilter(document_type=key), context.rules)
    qtbot.mouseClick(screen.types_chart, Qt.MouseButton.LeftButton, pos=QPoint(5, 2))  # the title: nothing
    assert screen.filters().document_type is key


def test_the_review_model_passes_the_model_tester(qtmodeltester, screen):
    qtmodeltester.check(screen.model)
    screen.set_filter("status", Completeness.PARTIAL)
    qtmodeltester.check(screen.model)


# -- offline banner and install ------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "меньше минуты"), (59, "меньше минуты"), (60, "1 мин"), (59 * 60, "59 мин"), (3600, "1 ч"),
    (3600 + 5 * 60, "1 ч 5 мин"), (86_400 * 3, "3 дн."), (-30, "меньше минуты"),
])
def test_age_text(seconds, text):
    assert age_text(seconds) == text


@pytest.mark.parametrize(("last_sync", "expected"), [
    ("2026-11-28T09:00:00+03:00", "от 28.11.2026 09:00 (2 ч 30 мин назад)"),
    ("2026-11-28T08:29:30+00:00", "от 28.11.2026 11:29 (меньше минуты назад)"),
    (None, "синхронизации ещё не было"),
])
def test_offline_text(last_sync, expected):
    now = datetime(2026, 11, 28, 11, 30, tzinfo=timezone(timedelta(hours=3)))
    text = offline_text(last_sync, now)
    assert text.startswith("Нет связи с порталом") and expected in text


@pytest.fixture
def window(qtbot, context, tmp_path):
    made = MainWindow(context, *default_factories(), settings=settings_in(tmp_path))
    qtbot.addWidget(made)
    made.resize(1200, 800)
    made.show()
    yield made
    made.close()


def test_install_adds_the_screen_the_action_and_the_way_back(qtbot, window):
    install(window)
    screen = review_screen(window)
    assert screen is not None and window.stack.indexOf(screen) >= 0
    menu = next(item.menu() for item in window.menuBar().actions() if item.text().replace("&", "") == "Документы")
    action = next(item for item in menu.actions() if item.text() == "Проверка документов")
    assert action.shortcut() == QKeySequence("Ctrl+R")
    action.trigger()
    assert window.stack.currentWidget() is screen
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0, timeout=15_000)
    qtbot.mouseClick(screen.back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.browser


def test_offline_banner_says_how_old_the_data_is(qtbot, window, context):
    install(window)
    screen = review_screen(window)
    window.stack.setCurrentWidget(screen)
    assert not screen.banner.isVisible()
    window.syncer._set_online(False)
    assert screen.banner.isVisible()
    synced = datetime.fromisoformat(context.reader.get_meta("last_sync"))
    synced = synced.replace(tzinfo=synced.tzinfo or UTC).astimezone()
    assert screen.banner.text().startswith("Нет связи с порталом: показаны данные кэша от ")
    assert synced.strftime("%d.%m.%Y %H:%M") in screen.banner.text()
    assert "меньше минуты назад" in screen.banner.text()
    window.syncer._set_online(True)
    assert not screen.banner.isVisible()


def test_a_roster_edit_in_the_cache_reaches_the_shown_review(qtbot, screen, context):
    """The store's change notice refreshes the review: a removed participant leaves it."""
    from dpo_desktop.sync.roster import remove_participant

    row = next(row for row in screen.model.rows if row.report.missing)
    key = (row.report.deal_id, row.report.contact_id)

    async def remove(ctx):
        return remove_participant(ctx.store, *key)

    context.run(remove)
    qtbot.waitUntil(lambda: key not in {(r.report.deal_id, r.report.contact_id) for r in screen.model.all_rows},
                    timeout=10_000)
    assert shown(screen) == report_rows(context.reader, MissingFilter(), context.rules)
