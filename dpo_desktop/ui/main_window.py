"""The main window: the deal browser and the deal view on one stack, menus, the status area, the
message banner and the background sync.

The screens come from factories ``(context, parent) -> QWidget`` so the window depends on none of
them. What the window expects of them, and nothing more:

- the browser emits ``deal_opened(int)``; optional ``focus_search()`` and ``open_current()``;
- the deal view has ``show_deal(deal_id)`` and emits ``closed()``;
- either may have ``bind_actions(actions)`` to connect itself to the window's actions (Ctrl+N, Ctrl+U…).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from .. import __version__
from ..b24.errors import UnavailableError
from ..runtime.lane import LaneStopped
from ..sync.engine import SyncEngine, SyncSummary
from .context import AppContext
from .dialogs.frdo_dialog import FrdoDialog
from .status import MessageBanner, StatusArea

log = logging.getLogger("dpo.ui")

ScreenFactory = Callable[[AppContext, QWidget], QWidget]
SYNC_MINUTES_KEY = "sync/interval_minutes"
DEFAULT_SYNC_MINUTES = 5


@dataclass
class WindowActions:
    """Every action of the window; screens connect to these (``window.actions.sync`` …)."""

    sync: QAction
    quit: QAction
    search: QAction
    open_deal: QAction
    back: QAction
    new_participant: QAction
    upload: QAction
    frdo: QAction
    about: QAction

    def all(self) -> list[QAction]:
        return [getattr(self, item.name) for item in fields(self)]


class BackgroundSync(QObject):
    """Runs ``SyncEngine.sync()`` on the lane at start, every N minutes and on demand; one at a time.

    Signals:
        started(): a sync went to the lane.
        finished(object): the SyncSummary of a sync that reached the portal.
        online_changed(bool): the portal answered (True) or could not be reached (False).
    """

    started = Signal()
    finished = Signal(object)
    online_changed = Signal(bool)

    def __init__(self, context: AppContext, interval_minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.running = False
        self.online: bool | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(interval_minutes * 60_000)))
        self._timer.timeout.connect(self.sync_now)

    def start(self) -> None:
        """The first sync now, then on the timer."""
        self._timer.start()
        self.sync_now()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def sync_now(self) -> bool:
        """Start a sync unless one is running; True when one was started."""
        if self.running:
            return False
        self.running = True
        self.started.emit()

        async def work(ctx: AppContext) -> SyncSummary:
            return await SyncEngine(ctx.client, ctx.store, ctx.mapping).sync()

        try:
            self.context.run(work, self._on_done, self._on_error)
        except LaneStopped:
            self.running = False
            return False
        return True

    def _on_done(self, summary: SyncSummary) -> None:
        self.running = False
        # The push stops at the first unreachable call and leaves the rest waiting: that is "offline".
        reached = not (summary.waiting and any(text.startswith(self.tr("нет связи")) for text in summary.messages))
        self._set_online(reached)
        if summary.conflicts or summary.failed:
            self.context.messages.warning("; ".join(summary.messages) or self.tr("Часть изменений не принята порталом"))
        self.finished.emit(summary)

    def _on_error(self, error: BaseException) -> None:
        self.running = False
        if isinstance(error, UnavailableError | OSError):
            self._set_online(False)
            return
        self.context.messages.failure(error)

    def _set_online(self, online: bool) -> None:
        changed = online != self.online
        self.online = online
        if changed:
            if not online:
                self.context.messages.warning(self.tr("Нет связи с порталом: работаем с кэшем, изменения ждут "
                                                      "отправки"))
            self.online_changed.emit(online)


class MainWindow(QMainWindow):
    """The deal browser and the deal view, switched on one stack.

    Attributes:
        actions: the window's :class:`WindowActions`.
        browser, deal_view: the two screens made by the factories.
        status: the :class:`StatusArea`; banner: the :class:`MessageBanner`; syncer: the :class:`BackgroundSync`.
        frdo_dialog: the last ФИС ФРДО dialog opened (:meth:`open_frdo`).
    """

    def __init__(self, context: AppContext, browser_factory: ScreenFactory, deal_view_factory: ScreenFactory,
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings if settings is not None else QSettings()
        title = self.tr("DPO Desk — демо") if context.demo else f"DPO Desk — {context.profile_name}"
        self.setWindowTitle(title)
        self.resize(1200, 760)
        self.stack = QStackedWidget()
        self.banner = MessageBanner()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.banner)
        self.setCentralWidget(central)
        self.browser = browser_factory(context, self.stack)
        self.deal_view = deal_view_factory(context, self.stack)
        self.stack.addWidget(self.browser)
        self.stack.addWidget(self.deal_view)
        self.status = StatusArea(context)
        self.statusBar().addPermanentWidget(self.status, 1)
        self.syncer = BackgroundSync(context, self._sync_minutes(), self)
        self.syncer.online_changed.connect(self.status.set_online)
        self.syncer.finished.connect(lambda _summary: self.status.refresh())
        self.actions = self._make_actions()
        self._make_menus()
        self.browser.deal_opened.connect(self.open_deal)
        self.deal_view.closed.connect(self.show_browser)
        context.messages.message.connect(self.on_messages_message)
        for screen in (self.browser, self.deal_view):
            if hasattr(screen, "bind_actions"):
                screen.bind_actions(self.actions)
        self.show_browser()

    # -- screens ------------------------------------------------------------------------------

    @Slot(int)
    def open_deal(self, deal_id: int) -> None:
        self.deal_view.show_deal(deal_id)
        self.stack.setCurrentWidget(self.deal_view)
        self._screen_changed()

    @Slot()
    def show_browser(self) -> None:
        self.stack.setCurrentWidget(self.browser)
        self._screen_changed()

    def on_deal_view(self) -> bool:
        return self.stack.currentWidget() is self.deal_view

    def _screen_changed(self) -> None:
        in_deal = self.on_deal_view()
        for action in (self.actions.back, self.actions.new_participant, self.actions.upload):
            action.setEnabled(in_deal)
        self.actions.open_deal.setEnabled(not in_deal and hasattr(self.browser, "open_current"))

    @Slot()
    def focus_search(self) -> None:
        self.show_browser()
        if hasattr(self.browser, "focus_search"):
            self.browser.focus_search()

    @Slot()
    def open_current(self) -> None:
        if not self.on_deal_view() and hasattr(self.browser, "open_current"):
            self.browser.open_current()

    @Slot(str, str)
    def on_messages_message(self, level: str, text: str) -> None:
        getattr(log, level if level in ("info", "warning", "error") else "info")("message to the user: %s", text)
        self.banner.show_message(level, text)

    def start(self) -> None:
        """Show the window and start the background sync (the first one at once)."""
        self.show()
        store = self.context.store
        if store.rebuilt and store.rebuilt_reason:
            self.context.messages.warning(self.tr("Кэш создан заново: %1").replace("%1", store.rebuilt_reason))
        if store.key_warning:  # no keyring: the data key is kept in a file (secrets/data_key.py)
            self.context.messages.warning(store.key_warning)
        self.syncer.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.syncer.stop()
        for screen in (self.deal_view, self.browser):
            detach = getattr(screen, "detach", None)
            if detach is not None:
                detach()  # no late cache notice may reach a screen after the context closes
        super().closeEvent(event)

    # -- actions and menus --------------------------------------------------------------------

    def _sync_minutes(self) -> float:
        try:
            minutes = float(self.settings.value(SYNC_MINUTES_KEY, DEFAULT_SYNC_MINUTES))
        except (TypeError, ValueError):
            minutes = DEFAULT_SYNC_MINUTES
        return minutes if minutes > 0 else DEFAULT_SYNC_MINUTES

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: Callable[[], object] | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work whatever menu is shown
        return action

    def _make_actions(self) -> WindowActions:
        actions = WindowActions(
            sync=self._action(self.tr("Синхронизировать"), "F5", self.syncer.sync_now, self.tr("Обменяться данными с "
                                                                                               "порталом")),
            quit=self._action(self.tr("Выход"), "Ctrl+Q", self.close),
            search=self._action(self.tr("Найти сделку"), "Ctrl+F", self.focus_search),
            open_deal=self._action(self.tr("Открыть сделку"), None, self.open_current),
            back=self._action(self.tr("К списку сделок"), "Alt+Left", self.show_browser),
            new_participant=self._action(self.tr("Новый участник…"), "Ctrl+N"),
            upload=self._action(self.tr("Загрузить документы…"), "Ctrl+U"),
            frdo=self._action(self.tr("Выгрузка в ФИС ФРДО…"), None, self.open_frdo,
                              self.tr("Проверить выданные документы и выгрузить книгу для ФИС ФРДО")),
            about=self._action(self.tr("О программе"), None, self.show_about),
        )
        # Enter opens the selected deal only while the browser has the focus: elsewhere it types. A browser
        # without open_current() handles Enter itself, so the action must not take the key from it.
        self.removeAction(actions.open_deal)
        if hasattr(self.browser, "open_current"):
            actions.open_deal.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
            actions.open_deal.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.browser.addAction(actions.open_deal)
        actions.quit.setMenuRole(QAction.MenuRole.QuitRole)
        return actions

    def _make_menus(self) -> None:
        bar, a = self.menuBar(), self.actions
        menus = {
            QT_TRANSLATE_NOOP("MainWindow", "&Файл"): [a.sync, None, a.quit],
            QT_TRANSLATE_NOOP("MainWindow", "&Правка"): [a.search],
            QT_TRANSLATE_NOOP("MainWindow", "&Вид"): [a.back],
            QT_TRANSLATE_NOOP("MainWindow", "&Сделки"): [a.open_deal, a.back],
            QT_TRANSLATE_NOOP("MainWindow", "&Документы"): [a.new_participant, a.upload, None, a.frdo],
            QT_TRANSLATE_NOOP("MainWindow", "Спр&авка"): [a.about],
        }
        for title, items in menus.items():
            menu = bar.addMenu(self.tr(title))
            menu.setObjectName(title.replace("&", ""))  # screens find their menu by it in any language
            for item in items:
                if item is None:
                    menu.addSeparator()
                else:
                    menu.addAction(item)

    @Slot()
    def open_frdo(self) -> None:
        """The ФИС ФРДО check and export (modeless: the list of problems stays open while they are fixed)."""
        deal_id = getattr(self.deal_view, "deal_id", None) if self.on_deal_view() else None
        dialog = FrdoDialog(self.context, deal_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.participant_requested.connect(self.open_participant)
        self.frdo_dialog = dialog
        dialog.show()
        dialog.check()

    @Slot(int, int)
    def open_participant(self, deal_id: int, contact_id: int) -> None:
        """Show the deal with this participant selected (a problem of the ФИС ФРДО check was opened)."""
        self.open_deal(deal_id)
        participants = getattr(self.deal_view, "participants", None)
        if participants is not None and hasattr(participants, "select_contact"):
            participants.select_contact(contact_id)

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("О программе"), self.tr("DPO Desk {version}\nДокументы участников ДПО на "
                                                                "портале Битрикс24.").format(version=__version__))
