"""The main window on the demo sandbox: screens on a stack, menus and shortcuts, the status area, the
message banner, the background sync (online and offline) and the event-loop stall probe."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QTabWidget, QVBoxLayout, QWidget

from dpo_desktop.app import build_context, close_context
from dpo_desktop.b24.client import RetryPolicy
from dpo_desktop.profiles import Profile
from dpo_desktop.secrets import MemorySecretStore, webhook_key
from dpo_desktop.sync.roster import add_participant
from dpo_desktop.ui.main_window import SYNC_MINUTES_KEY, MainWindow
from dpo_desktop.ui.stall import StallProbe
from dpo_desktop.ui.status import sync_time_text
from tests.gui.conftest import context_for
from tests.sync.conftest import discovered

# The offscreen platform says this whenever a top-level window is shown; it is not the app's doing.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

OLD_SYNC = "2020-01-02T03:04:00+00:00"
OFFLINE_WEBHOOK = "http://127.0.0.1:9/rest/1/offlinecode/"


class FakeBrowser(QWidget):
    """Stands in for the deal browser: the window's contract only."""

    deal_opened = Signal(int)

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.opened_current = 0
        QVBoxLayout(self).addWidget(self.search)

    def focus_search(self):
        self.search.setFocus()

    def open_current(self):
        self.opened_current += 1


class FakeDealView(QWidget):
    closed = Signal()

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.shown: list[int] = []
        self.bound = None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(QLabel("участники"), "Участники")
        self.tabs.addTab(QLabel("документы"), "Документы участника")

    def show_deal(self, deal_id):
        self.shown.append(deal_id)

    def bind_actions(self, actions):
        self.bound = actions


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, context, settings) -> MainWindow:
    window = MainWindow(context, FakeBrowser, FakeDealView, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts only reach the active window
    return window


def set_last_sync(context, value):
    async def write(ctx):
        with ctx.store.write() as tx:
            tx.set_meta("last_sync", value)
    context.lane.submit(write(context)).result(10)


def test_the_window_opens_on_the_browser_with_every_menu(qtbot, context, settings):
    window = make_window(qtbot, context, settings)
    assert window.stack.currentWidget() is window.browser
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert titles == ["Файл", "Правка", "Вид", "Сделки", "Документы", "Справка"]
    shortcuts = {name: action.shortcut().toString() for name, action in vars(window.actions).items()}
    assert shortcuts["sync"] == "F5" and shortcuts["quit"] == "Ctrl+Q" and shortcuts["search"] == "Ctrl+F"
    assert shortcuts["new_participant"] == "Ctrl+N" and shortcuts["upload"] == "Ctrl+U"
    assert window.actions.open_deal.shortcut().toString() == "Return"
    # Every action is reachable from a menu.
    in_menus = {action for menu in window.menuBar().actions() for action in menu.menu().actions()}
    assert set(window.actions.all()) <= in_menus
    assert window.deal_view.bound is window.actions
    status = window.status.text()
    assert f"Портал: {context.portal}" in status
    assert sync_time_text(context.reader.get_meta("last_sync")) in status and "Ждут отправки: 0" in status


def test_a_deal_opens_and_closes_and_the_actions_follow(qtbot, context, settings):
    window = make_window(qtbot, context, settings)
    deal_id = context.reader.deals(pipeline_id=context.mapping.pipeline_id)[0].id
    assert not window.actions.upload.isEnabled()
    window.browser.deal_opened.emit(deal_id)
    assert window.stack.currentWidget() is window.deal_view and window.deal_view.shown == [deal_id]
    assert window.actions.upload.isEnabled() and window.actions.new_participant.isEnabled()
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: back to the search
    assert window.stack.currentWidget() is window.browser
    qtbot.waitUntil(lambda: window.browser.search.hasFocus())
    QTest.keyClick(window.browser.search, Qt.Key.Key_Return)  # Enter in the browser opens the current deal
    assert window.browser.opened_current == 1
    window.open_deal(deal_id)
    window.deal_view.closed.emit()
    assert window.stack.currentWidget() is window.browser and not window.actions.upload.isEnabled()


def test_f5_syncs_and_the_status_shows_the_new_time(qtbot, context, settings):
    set_last_sync(context, OLD_SYNC)
    window = make_window(qtbot, context, settings)
    assert sync_time_text(OLD_SYNC) in window.status.text()
    with qtbot.waitSignal(window.syncer.finished, timeout=30_000) as done:
        QTest.keyClick(window, Qt.Key.Key_F5)
    assert done.args[0].mode == "incremental"
    fresh = context.reader.get_meta("last_sync")
    assert fresh != OLD_SYNC and sync_time_text(fresh) in window.status.text()
    assert sync_time_text(OLD_SYNC) not in window.status.text() and window.syncer.online is True


def test_a_sync_already_running_is_not_started_twice(qtbot, context, settings):
    window = make_window(qtbot, context, settings)
    with qtbot.waitSignal(window.syncer.finished, timeout=30_000):
        assert window.syncer.sync_now() is True
        assert window.syncer.sync_now() is False


def test_offline_the_status_says_so_with_the_cached_time_and_pending_edits(qtbot, qapp, sandbox, settings):
    filled = context_for(sandbox)  # the cache of profile "office", filled while online
    synced_at = filled.reader.get_meta("last_sync")
    close_context(filled)
    secrets = MemorySecretStore()
    secrets.set(webhook_key("office"), OFFLINE_WEBHOOK)
    profile = Profile(name="office", portal=OFFLINE_WEBHOOK, mapping=discovered(sandbox), rate_plan="off")
    context = build_context(profile, secrets, retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002))
    try:
        deal = context.reader.deals(pipeline_id=context.mapping.pipeline_id)[0]
        on_deal = {p.contact_id for p in context.reader.participants(deal_id=deal.id)}
        other = next(p.contact_id for p in context.reader.participants() if p.contact_id not in on_deal)

        async def add(ctx):
            add_participant(ctx.store, deal.id, contact_id=other)
        context.lane.submit(add(context)).result(10)
        window = make_window(qtbot, context, settings)
        with qtbot.waitSignal(window.syncer.online_changed, timeout=30_000) as changed:
            window.actions.sync.trigger()
        assert changed.args == [False]
        qtbot.waitUntil(lambda: not window.syncer.running)
        status = window.status.text()
        assert "Нет связи с порталом" in status
        assert sync_time_text(synced_at) in status and "Ждут отправки: 1" in status
        assert window.banner.level == "warning" and "Нет связи" in window.banner.text()
        assert context.reader.get_meta("last_sync") == synced_at  # nothing pretends to have synced
    finally:
        close_context(context)


def test_messages_show_in_the_banner_and_errors_stay(qtbot, context, settings):
    window = make_window(qtbot, context, settings)
    assert not window.banner.isVisible()
    context.messages.info("Сделка сохранена")
    assert window.banner.isVisible() and (window.banner.level, window.banner.text()) == ("info", "Сделка сохранена")

    async def broken(ctx):
        await ctx.client.call("crm.deal.get", {"id": 99999999})

    with qtbot.waitSignal(context.messages.message, timeout=10_000):
        context.run(broken)
    assert window.banner.level == "error" and window.banner.text()
    error_text = window.banner.text()
    context.messages.info("Что-то второстепенное")  # an error is not pushed away by information
    assert window.banner.text() == error_text
    window.banner.dismiss()
    assert not window.banner.isVisible()


@pytest.mark.parametrize(("stored", "interval_ms"), [(None, 5 * 60_000), ("1", 60_000), ("0.5", 30_000),
                                                      ("abc", 5 * 60_000), ("-3", 5 * 60_000)])
def test_the_sync_interval_comes_from_the_settings(qtbot, context, settings, stored, interval_ms):
    if stored is not None:
        settings.setValue(SYNC_MINUTES_KEY, stored)
    window = MainWindow(context, FakeBrowser, FakeDealView, settings=settings)
    qtbot.addWidget(window)
    assert window.syncer._timer.interval() == interval_ms


@pytest.mark.parametrize(("value", "text"), [(None, "никогда"), ("", "никогда"),
                                             ("2026-11-28T04:30:00", "28.11.2026 04:30"),
                                             ("not a time", "not a time")])
def test_sync_time_text(value, text):
    assert sync_time_text(value) == text


def test_the_stall_probe_measures_a_deliberate_block(qtbot):
    probe = StallProbe()
    probe.start()
    QTimer.singleShot(60, lambda: time.sleep(0.150))
    qtbot.wait(400)
    longest = probe.stop()
    # A 150 ms block between two 20 ms ticks: at least 150 - 20 ms beyond the interval, wherever it fell.
    assert longest >= 125 and any(gap >= 125 for gap in probe.gaps)
    assert max(probe.gaps) == longest and not probe.running
