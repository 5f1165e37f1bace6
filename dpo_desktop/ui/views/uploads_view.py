"""The whole upload queue, across deals: every file not yet landed, the recent ones that did, and how far
the queue has come — files and bytes done, the rate seen so far and the time left at that rate.

Each row's state is in Russian and a failure says why (the queue's own reason). «Повторить» sends the
selected failed and waiting rows round again and «Отменить» stops them, exactly as the deal view's upload
list does (its module-level ``uploader`` and state groups are reused). The view follows the queue through
``bridge.upload_changed`` (one row per step) and ``store_changed("upload_queue")``.

``install(window)`` puts the screen on the window's stack behind «Документы → Очередь загрузки».
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..models.uploads import UploadsModel
from .queue_actions import IN_FLIGHT, RETRYABLE, QueueActions

if TYPE_CHECKING:
    from ...store import UploadItem
    from ..context import AppContext
    from ..main_window import MainWindow

RECENT_DONE = 200  # landed rows kept on screen as the queue's recent history
MENU_TITLE = "Документы"
ACTION_TITLE = QT_TRANSLATE_NOOP("UploadsView", "Очередь загрузки")
SHORTCUT = "Ctrl+Shift+U"


WORKING = (*IN_FLIGHT, "linked")  # the uploader carries these on by itself


@dataclass(frozen=True)
class QueueTotals:
    files: int  # rows that count: everything but the cancelled
    done: int
    waiting: int  # for the user: failed, duplicate, attention
    bytes_total: int  # of the rows whose size is known (sizes are known once a file is hashed)
    bytes_done: int
    bytes_left: int  # of the rows still on their way (the waiting ones go nowhere by themselves)


def totals_of(items: Iterable[UploadItem]) -> QueueTotals:
    files = done = waiting = bytes_total = bytes_done = bytes_left = 0
    for item in items:
        if item.state == "cancelled":
            continue
        files += 1
        size = item.size or 0
        bytes_total += size
        if item.state == "done":
            done += 1
            bytes_done += size
        elif item.state in WORKING:
            bytes_left += size
        else:
            waiting += 1
    return QueueTotals(files, done, waiting, bytes_total, bytes_done, bytes_left)


def size_text(size: int) -> str:
    """Bytes as a Russian reader expects them: «512 Б», «3,4 КБ», «12,0 МБ»."""
    units = ((QCoreApplication.translate("UploadsView", "ГБ"), 1024 ** 3),
             (QCoreApplication.translate("UploadsView", "МБ"), 1024 ** 2),
             (QCoreApplication.translate("UploadsView", "КБ"), 1024))
    for unit, scale in units:
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".", ",")
    return QCoreApplication.translate("UploadsView", "{size} Б").format(size=size)


def eta_text(bytes_left: int, rate: float | None) -> str:
    """The time left at the observed rate (bytes a second), rounded as a person would say it."""
    if bytes_left <= 0:
        return QCoreApplication.translate("UploadsView", "осталось: ничего")
    if not rate or rate <= 0:
        return QCoreApplication.translate("UploadsView", "осталось: оценивается…")
    seconds = bytes_left / rate
    if seconds < 60:
        return QCoreApplication.translate("UploadsView", "осталось меньше минуты")
    minutes = round(seconds / 60)
    if minutes < 60:
        return QCoreApplication.translate("UploadsView", "осталось ≈ {minutes} мин").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    return QCoreApplication.translate("UploadsView", "осталось ≈ {hours} ч {minutes} мин").format(
        hours=hours, minutes=minutes)


class RateMeter:
    """Bytes landed per second, measured from the first landing this view saw (a fresh session's rate,
    not the history's). ``clock`` is injectable so the rate can be tested without waiting."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start: tuple[float, int] | None = None
        self._last: tuple[float, int] | None = None

    def observe(self, bytes_done: int) -> None:
        now = self._clock()
        if self._start is None or bytes_done < self._start[1]:
            self._start = (now, bytes_done)  # first sight, or the history was cleared: start again
        self._last = (now, bytes_done)

    def rate(self) -> float | None:
        if self._start is None or self._last is None:
            return None
        elapsed, landed = self._last[0] - self._start[0], self._last[1] - self._start[1]
        return landed / elapsed if elapsed > 0 and landed > 0 else None


class UploadsView(QueueActions, QWidget):
    """Attributes: ``model`` (UploadsModel), ``view``, ``progress``, ``summary``, ``eta``, ``retry_button``,
    ``cancel_button``, ``meter`` (RateMeter)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.context = context
        self.model = UploadsModel(self, deal_title=self._deal_title)
        self.meter = RateMeter(clock)
        self._running = 0
        self._closed = False
        self._build()
        context.bridge.upload_changed.connect(self._on_bridge_upload_changed)
        context.bridge.store_changed.connect(self._on_bridge_store_changed)
        self.reload()

    def _build(self) -> None:
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(0, 320)
        self.view.setColumnWidth(1, 140)
        self.progress = QProgressBar(self)
        self.progress.setFormat(self.tr("%v из %m"))
        self.summary = QLabel(self)
        self.eta = QLabel(self)
        self.retry_button = QPushButton(self.tr("Повторить"), self)
        self.cancel_button = QPushButton(self.tr("Отменить"), self)
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.model.dataChanged.connect(lambda *_: self.update_buttons())
        header = QHBoxLayout()
        title = QLabel(self.tr("<b>Очередь загрузки</b> — все файлы, ещё не загруженные, и недавно загруженные"), self)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.retry_button)
        header.addWidget(self.cancel_button)
        footer = QHBoxLayout()
        footer.addWidget(self.progress, 1)
        footer.addWidget(self.summary)
        footer.addWidget(self.eta)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

    def detach(self) -> None:
        """Closed: lane results still on their way find nothing to update (the cache may be closed next)."""
        if not self._closed:
            self._closed = True
            self.context.bridge.upload_changed.disconnect(self._on_bridge_upload_changed)
            self.context.bridge.store_changed.disconnect(self._on_bridge_store_changed)

    # -- what is shown ------------------------------------------------------------------------------

    def reload(self) -> None:
        """The queue as the cache has it: every active row and the most recent landed ones, by queue ID."""
        reader = self.context.reader
        recent = reader.uploads(["done"])[-RECENT_DONE:]
        items = sorted({item.id: item for item in [*reader.active_uploads(), *recent]}.values(),
                       key=lambda item: item.id)
        self.model.clear()
        for item in items:
            self.model.update_item(item)
        self.refresh_totals()

    def items(self) -> list[UploadItem]:
        return [item for item in (self.model.item(row) for row in range(self.model.rowCount())) if item is not None]

    def totals(self) -> QueueTotals:
        return totals_of(self.items())

    def refresh_totals(self) -> None:
        totals = self.totals()
        self.meter.observe(totals.bytes_done)
        self.progress.setRange(0, max(totals.files, 1))
        self.progress.setValue(totals.done)
        text = self.tr("Загружено {done} из {files}; {bytes_done} из {bytes_total}").format(
            done=totals.done, files=totals.files, bytes_done=size_text(totals.bytes_done),
            bytes_total=size_text(totals.bytes_total))
        if totals.waiting:
            text += self.tr("; ждут решения: {waiting}").format(waiting=totals.waiting)
        self.summary.setText(text)
        rate = self.meter.rate()
        speed = self.tr("{size_text}/с, ").format(size_text=size_text(int(rate))) if rate else ""
        self.eta.setText(speed + eta_text(totals.bytes_left, rate))
        self.update_buttons()

    # -- selection, retry, cancel -------------------------------------------------------------------

    def selected_items(self) -> list[UploadItem]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [item for item in (self.model.item(row) for row in rows) if item is not None]

    def select_ids(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        self.view.clearSelection()
        selection = self.view.selectionModel()
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item is not None and item.id in wanted:
                selection.select(self.model.index(row, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def update_buttons(self) -> None:
        chosen = self.selected_items()
        self.retry_button.setEnabled(any(item.state in RETRYABLE for item in chosen))
        self.cancel_button.setEnabled(any(item.state in self.cancellable() for item in chosen))

    def _done(self, ids: list[int]) -> None:
        self._refresh_ids(ids)

    def _deal_title(self, deal_id: int) -> str:
        deal = self.context.reader.deal(deal_id)
        return deal.title if deal is not None else f"№ {deal_id}"

    # -- following the queue ------------------------------------------------------------------------

    def _refresh_ids(self, ids: Iterable[int]) -> None:
        for item in self.context.reader.uploads_with_ids(ids):
            self.model.update_item(item)
        self.refresh_totals()

    def _on_bridge_upload_changed(self, item: UploadItem) -> None:
        self.model.update_item(item)
        self.refresh_totals()

    def _on_bridge_store_changed(self, table: str, keys: frozenset) -> None:
        if table == "upload_queue":
            self._refresh_ids(keys)


class _DetachOnClose(QObject):
    """The main window closes only its own screens; this closes the queue's too."""

    def __init__(self, view: UploadsView, parent: QObject) -> None:
        super().__init__(parent)
        self._view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._view.detach()
        return False


def find_menu(window: MainWindow, title: str) -> QMenu:
    """The window's menu whose Russian title (without its «&» mnemonic) is ``title``, whatever the interface
    language (the window names each menu by it); made when missing."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and title in (menu.objectName(), action.text().replace("&", "")):
            return menu
    menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", title))
    menu.setObjectName(title)
    return menu


def install(window: MainWindow) -> None:
    """«Документы → Очередь загрузки» (Ctrl+Shift+U): the queue as a screen on the window's stack."""
    view = UploadsView(window.context, window.stack)
    view.setObjectName("uploads_view")
    window.stack.addWidget(view)
    window.uploads_view = view  # type: ignore[attr-defined]  # for the lead and the tests
    window.installEventFilter(_DetachOnClose(view, window))
    action = QAction(QCoreApplication.translate("UploadsView", ACTION_TITLE), window)
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setStatusTip(QCoreApplication.translate("UploadsView", "Все загружаемые файлы по всем сделкам: состояние, "
                                                                  "причины ошибок, повтор и отмена"))

    def show_queue() -> None:
        view.reload()
        window.stack.setCurrentWidget(view)
        window.actions.back.setEnabled(True)  # «К списку сделок» leads out of the queue as well

    action.triggered.connect(lambda _checked=False: show_queue())
    window.addAction(action)  # the shortcut works whatever screen is shown
    find_menu(window, MENU_TITLE).addAction(action)
