"""The ФИС ФРДО dialog and the issued-document editor against the demo sandbox: problems listed with their
participant, column and fix, each opening the participant in the deal view; a clean event exported off
the GUI thread into a workbook and the access log; an issued document edited in the deal view reaching
the portal."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt

from dpo_desktop.store.access_log import AccessLog, log_path_for
from dpo_desktop.store.frdo_export import prepare
from dpo_desktop.ui.dialogs.frdo_dialog import FrdoDialog, scope_key
from dpo_desktop.ui.dialogs.frdo_issued import IssuedDocumentDialog
from dpo_desktop.ui.dialogs.frdo_programme import FrdoProgrammeDialog
from dpo_desktop.ui.gui import default_factories
from dpo_desktop.ui.main_window import MainWindow
from dpo_desktop.ui.models import EntityRole
from dpo_desktop.ui.models.frdo_problems import COLUMN, FIX, PERSON, WHY, FrdoProblemsModel
from dpo_desktop.ui.views.deal_view import DealView
from dpo_desktop.ui.views.participants import ParticipantsView
from tests.gui.helpers import type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def events_by_outcome(context) -> tuple[str, str]:
    """(an event whose check finds problems, an event with a duplicate and no problem)."""
    flawed = clean = None
    for event in context.reader.events():
        report = prepare(context.reader, event_code=event.code)
        if report.problems and flawed is None:
            flawed = event.code
        if report.rows and not report.problems and clean is None and any(row["B"] == "Дубликат"
                                                                         for row in report.rows):
            clean = event.code
    assert flawed and clean, "the demo seed has an event of each kind"
    return flawed, clean


def checked_dialog(qtbot, context, event_code: str, deal_id: int | None = None) -> FrdoDialog:
    dialog = FrdoDialog(context, deal_id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.checked, timeout=20_000):
        dialog.scope.setCurrentIndex(dialog.scope.findData(scope_key(event_code)))
        dialog.check()  # the newest request wins: a check the index change started is dropped
    return dialog


def test_problems_are_listed_with_participant_column_reason_and_fix(qtbot, context):
    flawed, _clean = events_by_outcome(context)
    dialog = checked_dialog(qtbot, context, flawed)
    report = dialog.report
    assert report is not None and report.problems
    model = dialog.model
    assert model.rowCount() == len(report.problems)
    first = report.problems[0]
    assert model.index(0, PERSON).data() == first.person
    assert model.index(0, COLUMN).data() == f"{first.column} — {first.header}"
    assert model.index(0, WHY).data() == first.why and model.index(0, FIX).data() == first.fix
    assert model.index(0, 0).data(EntityRole) == first
    assert not dialog.export_button.isEnabled()
    assert f"Ошибок: {len(report.problems)}" in dialog.summary.text()
    with qtbot.waitSignal(dialog.participant_requested) as opened:
        dialog.open_problem(model.index(0, WHY))
    assert opened.args == [first.deal_id, first.contact_id]


def test_the_problems_model_passes_the_model_tester(qtmodeltester, context):
    flawed, _clean = events_by_outcome(context)
    model = FrdoProblemsModel()
    model.set_problems(prepare(context.reader, event_code=flawed).problems)
    qtmodeltester.check(model)


def test_a_clean_event_is_exported_off_the_gui_thread_and_logged(qtbot, context, tmp_path):
    _flawed, clean = events_by_outcome(context)
    dialog = checked_dialog(qtbot, context, clean)
    assert dialog.export_button.isEnabled() and dialog.model.rowCount() == 0
    target = tmp_path / "фрдо.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        dialog.export_to(target)
    assert done.args == [str(target)]
    rows = list(load_workbook(target)["Шаблон"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(dialog.report.rows) and any(row[1] == "Дубликат" for row in rows)
    with AccessLog.open(log_path_for(context.store.path)) as log:
        exports = [entry for entry in log.entries() if entry.action == "export"]
    assert {(entry.deal_id, entry.contact_id) for entry in exports} == \
        {(row.deal_id, row.contact_id) for row in dialog.report.rows}
    assert all(entry.detail.startswith("ФИС ФРДО") for entry in exports)


def test_the_menu_opens_the_dialog_and_a_problem_opens_the_participant(qtbot, context, tmp_path):
    flawed, _clean = events_by_outcome(context)
    window = MainWindow(context, *default_factories(), settings=QSettings(str(tmp_path / "ui.ini"),
                                                                          QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    menu = next(action.menu() for action in window.menuBar().actions() if action.menu().objectName() == "Документы")
    assert window.actions.frdo in menu.actions()
    window.actions.frdo.trigger()
    dialog = window.frdo_dialog
    with qtbot.waitSignal(dialog.checked, timeout=20_000):
        dialog.scope.setCurrentIndex(dialog.scope.findData(scope_key(flawed)))
        dialog.check()
    problem = dialog.report.problems[0]
    where = dialog.table.visualRect(dialog.model.index(0, WHY)).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click's first press
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.on_deal_view() and window.deal_view.deal_id == problem.deal_id
    assert window.deal_view.participants.current_contact_id() == problem.contact_id
    dialog.close()
    window.close()  # the screens let go of the cache before the context closes


def test_an_issued_document_edited_in_the_deal_view_reaches_the_portal(qtbot, context, sandbox):
    participant = next(item for item in context.reader.participants() if item.issued.number and item.id)
    view = ParticipantsView(context)
    qtbot.addWidget(view)
    view.show()
    view.show_deal(participant.deal_id)
    view.select_contact(participant.contact_id)
    qtbot.mouseClick(view.issued_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, IssuedDocumentDialog)
    assert dialog.number.text() == participant.issued.number
    dialog.status.setCurrentIndex(dialog.status.findData("Дубликат"))
    dialog.loss_proof.setCurrentIndex(dialog.loss_proof.findData("Справка из органов внутренних дел"))
    dialog.original_number.setText(participant.issued.number)
    dialog.number.setText("9999001")
    dialog.original_date.edit.clear()
    type_text(dialog.original_date.edit, "31.02.2026")
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert not save.isEnabled() and dialog.original_date.reason_text()
    dialog.original_date.edit.clear()
    type_text(dialog.original_date.edit, "02.06.2025")
    assert save.isEnabled()
    with qtbot.waitSignal(context.messages.message, timeout=20_000,
                          check_params_cb=lambda _level, text: "Выданный документ отправлен" in text):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    fields = context.mapping.participants.fields
    iblock = sandbox.state.lists.iblocks[context.mapping.participants.iblock_id]

    def portal_value(logical: str) -> str:
        values = iblock.elements.get(participant.id)["P"].get(int(fields[logical].code.removeprefix("PROPERTY_")))
        return str(next(iter(values.values()))) if isinstance(values, dict) and values else str(values or "")
    assert "9999001" in portal_value("issued_number")
    assert "Дубликат" in portal_value("frdo") and "2025-06-02" in portal_value("frdo")
    cached = context.reader.participant_by_code(participant.code).issued
    assert cached.frdo.status == "Дубликат" and cached.frdo.original.issue_date == date(2025, 6, 2)
    view.detach()


def test_the_deals_programme_data_are_edited_in_the_deal_view_and_reach_the_portal(qtbot, context, sandbox):
    deal = next(item for item in context.reader.deals() if item.programme.name)
    view = DealView(context)
    qtbot.addWidget(view)
    view.show()
    view.show_deal(deal.id)
    qtbot.mouseClick(view.frdo_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(FrdoProgrammeDialog)
    assert dialog is not None and dialog.name.text() == deal.programme.name
    dialog.activity_field.setCurrentIndex(dialog.activity_field.findData("Юриспруденция"))
    dialog.qualification.setText("Специалист по охране труда")
    dialog.end_year.edit.clear()
    type_text(dialog.end_year.edit, "1850")
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert not save.isEnabled() and "1900" in dialog.end_year.reason_text()
    dialog.end_year.edit.clear()
    type_text(dialog.end_year.edit, "2026")
    with qtbot.waitSignal(context.messages.message, timeout=20_000,
                          check_params_cb=lambda _level, text: "Изменения сделки отправлены" in text):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    stored = json.loads(sandbox.state.crm.deals.table.get(deal.id)[context.mapping.deal_field("frdo").code])
    assert (stored["activity_field"], stored["qualification"], stored["end_year"]) == \
        ("Юриспруденция", "Специалист по охране труда", 2026)
    assert stored["name"] == deal.programme.name  # what was not edited stays
    cached = context.reader.deal(deal.id).programme
    assert cached.activity_field == "Юриспруденция" and cached.funding == deal.programme.funding
    view.detach()
