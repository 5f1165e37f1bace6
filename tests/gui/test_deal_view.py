"""The deal view against the demo sandbox: the header as the portal has it, and the ДПО fields edited
through the form, checked as typed, pushed, and never written over someone else's change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from dpo_desktop.domain.models import ProgrammeType
from dpo_desktop.rules.validators import format_date
from dpo_desktop.ui.views.deal_view import DealView
from tests.gui.helpers import type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen's harmless note on shown windows


class RecordingPanel(QWidget):
    """A documents panel as the deal view sees it: something with ``set_participant``."""

    def __init__(self, context, parent) -> None:
        super().__init__(parent)
        self.calls: list[tuple[int, int | None]] = []

    def set_participant(self, deal_id: int, contact_id: int | None) -> None:
        self.calls.append((deal_id, contact_id))


def full_deal(context):
    """A deal with every header field filled in the demo seed."""
    return next(deal for deal in context.reader.deals() if deal.company_id and deal.client_contact_id
                and deal.programme_type and deal.start_date and context.reader.participants(deal_id=deal.id))


@pytest.fixture
def view(qtbot, context) -> Iterator[DealView]:
    made = DealView(context, documents_panel_factory=RecordingPanel)
    qtbot.addWidget(made)
    made.show()
    made.show_deal(full_deal(context).id)
    yield made
    made.detach()


def portal_value(sandbox, context, deal_id: int, logical: str):
    return sandbox.state.crm.deals.table.get(deal_id)[context.mapping.deal_field(logical).code]


def test_the_header_shows_the_deal(view, context):
    deal = context.reader.deal(view.deal_id)
    header = {name: label.text() for name, label in view.header.items()}
    stage = next(stage for stage in context.reader.stages(deal.pipeline_id) if stage.status_id == deal.stage_id)
    assert header["title"] == deal.title and header["stage"] == stage.name
    assert deal.event_code in header["event"] and deal.event_name in header["event"]
    assert header["partner_code"] == deal.partner_code
    assert header["programme"].startswith(deal.programme_type.value)
    assert header["hours"] == str(deal.hours)
    assert header["dates"].startswith(format_date(deal.start_date))
    assert header["company"] == context.reader.company(deal.company_id).title
    assert header["client_contact"] == context.reader.contact(deal.client_contact_id).full_name
    assert header["pending"] == ""
    if stage.color:
        assert stage.color in view.header["stage"].styleSheet()
    assert view.tabs.tabText(0) == "Участники" and view.tabs.tabText(1) == "Документы участника"
    assert view.participants.model.rowCount() == len(context.reader.participants(deal_id=deal.id))


def test_back_and_the_placeholder_panel(qtbot, context):
    plain = DealView(context)
    qtbot.addWidget(plain)
    assert isinstance(plain.documents_panel, QLabel)
    with qtbot.waitSignal(plain.closed, timeout=1000):
        qtbot.mouseClick(plain.back_button, Qt.MouseButton.LeftButton)
    plain.detach()


def test_the_selected_participant_reaches_the_documents_panel(view):
    view.participants.table.selectRow(1)
    assert view.documents_panel.calls[-1] == (view.deal_id, view.participants.model.row_at(1).contact_id)


def test_an_edit_is_checked_as_typed_then_reaches_the_portal(qtbot, view, context, sandbox):
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    editor = view.editor
    assert editor.isVisible() and editor.save_button.isEnabled()
    editor.programme.setCurrentIndex(2)  # ПП: at least 250 hours
    editor.hours.edit.clear()
    type_text(editor.hours.edit, "72")
    assert "не меньше 250" in editor.hours.reason_text() and not editor.save_button.isEnabled()
    type_text(editor.hours.edit, "0")  # 720
    assert editor.hours.is_valid() and editor.save_button.isEnabled()
    editor.end_date.edit.clear()
    type_text(editor.end_date.edit, "01.01.2000")
    assert "раньше начала" in editor.end_date.reason_text() and not editor.save_button.isEnabled()
    editor.end_date.setText(format_date(context.reader.deal(view.deal_id).end_date))
    editor.partner_code.edit.clear()
    type_text(editor.partner_code.edit, "ПАРТНЁР-42")
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(context.messages.message, timeout=10_000) as shown:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert shown.args == ["info", "Изменения сделки отправлены на портал"]
    assert portal_value(sandbox, context, view.deal_id, "partner_code") == "ПАРТНЁР-42"
    assert int(portal_value(sandbox, context, view.deal_id, "hours")) == 720
    assert portal_value(sandbox, context, view.deal_id, "programme_type") == \
        context.mapping.deal_field("programme_type").value_id(ProgrammeType.PP.value)
    assert view.header["partner_code"].text() == "ПАРТНЁР-42" and view.header["pending"].text() == ""
    assert not editor.isVisible()


def test_an_edit_over_a_portal_change_is_a_conflict(qtbot, view, context, sandbox):
    code = context.mapping.deal_field("partner_code").code
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    sandbox.state.crm.deals.update(view.deal_id, {code: "КОЛЛЕГА-1"}, 1)  # someone else, meanwhile
    view.editor.partner_code.setText("МОЙ-1")
    with qtbot.waitSignal(context.messages.message, timeout=10_000,
                          check_params_cb=lambda level, text: level == "error") as shown:
        qtbot.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    assert "изменена на портале" in shown.args[1]
    assert portal_value(sandbox, context, view.deal_id, "partner_code") == "КОЛЛЕГА-1"
    qtbot.waitUntil(lambda: view.header["partner_code"].text() == "КОЛЛЕГА-1", timeout=5000)
