"""The whole window as a manager uses it: find a deal, open it, drop a scan on a participant, see it land."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QSettings

from dpo_desktop.ui.gui import default_factories, install_screens
from dpo_desktop.ui.main_window import MainWindow
from tests.gui.helpers import drop_files, type_text
from tests.sync.scans_support import make_scan

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def window(qtbot, context, tmp_path):
    made = MainWindow(context, *default_factories(), settings=QSettings(str(tmp_path / "ui.ini"),
                                                                      QSettings.Format.IniFormat))
    qtbot.addWidget(made)
    made.resize(1200, 800)
    made.show()
    yield made
    made.close()


def documents_of(sandbox, contact_id: int) -> list[dict]:
    iblock = next(item for item in sandbox.state.lists.iblocks.values() if item.code == "dpo_documents")
    return [record for record in iblock.elements.values()
            if (record.get("CODE") or "").split("-")[2:3] == [str(contact_id)]]


def test_search_open_drop_on_a_participant_and_the_scan_lands(qtbot, window, context, sandbox, tmp_path):
    deal = max(context.reader.deals(context.mapping.pipeline_id),
               key=lambda item: len(context.reader.participants(deal_id=item.id)))
    browser = window.browser
    window.actions.search.trigger()
    type_text(browser.search, deal.title[:12])
    qtbot.waitUntil(lambda: browser.proxy.rowCount() >= 1, timeout=5000)
    row = next(row for row in range(browser.proxy.rowCount())
               if browser.proxy.index(row, 0).data() == deal.title)
    browser.table.setCurrentIndex(browser.proxy.index(row, 0))
    window.actions.open_deal.trigger()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.deal_view, timeout=5000)
    view = window.deal_view
    assert view.deal_id == deal.id
    participants = view.participants
    qtbot.waitUntil(lambda: participants.model.rowCount() > 0, timeout=5000)
    first = participants.model.row_at(0)
    contact_id = first.contact_id
    before = len(documents_of(sandbox, contact_id))
    scan = make_scan(tmp_path / "СНИЛС.pdf", seed=4242)
    rect = participants.table.visualRect(participants.model.index(0, 0))
    assert drop_files(participants.table.viewport(), [scan], at=QPointF(rect.center()))
    qtbot.waitUntil(lambda: len(documents_of(sandbox, contact_id)) == before + 1, timeout=20_000)
    assert view.tabs.currentWidget() is view.documents_panel
    landed = documents_of(sandbox, contact_id)[-1]
    assert landed["CODE"].startswith(f"d-{deal.id}-{contact_id}-snils-")
    window.actions.back.trigger()
    assert window.stack.currentWidget() is window.browser


def test_every_screen_is_reachable_from_the_menus(qtbot, window):
    install_screens(window)
    titles = {action.text().replace("&", "") for menu in window.menuBar().actions() if menu.menu()
              for action in menu.menu().actions()}
    for wanted in ("Проверка документов", "Очередь загрузки", "Настройки…", "Подключение к порталу…"):
        assert any(title.startswith(wanted) for title in titles), (wanted, titles)
    assert any(title.startswith("Выгрузить папку") for title in titles), titles
