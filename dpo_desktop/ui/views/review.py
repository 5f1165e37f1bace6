"""«Проверка документов»: who lacks what across every cached deal, with filters, saved views, the
overview bars, an XLSX export of what is shown and a letter to the client. Works from the cache alone.

``install(window)`` puts the screen on the main window's stack and its action (Ctrl+R) in «Документы».
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import Completeness
from ..context import AppContext
from ..models.review import (
    STATUS_TITLES,
    ReviewFilters,
    ReviewModel,
    ReviewRow,
    judge_reports,
    load_review,
    offline_text,
    review_rows,
    summarize_rows,
)
from ..widgets.bars import Bar, BarChart
from .review_filters import ReviewFilterBar
from .review_output import ReviewOutput

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger("dpo.ui")

WATCHED_TABLES = frozenset({"deals", "contacts", "companies", "participants", "documents", "stages"})
STATUS_COLOURS = {Completeness.COMPLETE: "#5cb85c", Completeness.PARTIAL: "#f0ad4e", Completeness.NONE: "#d9534f"}


class ReviewScreen(ReviewOutput, QWidget):
    """The review. Signals: back_requested() — «К списку сделок».

    Attributes:
        model: the :class:`ReviewModel`; combos: the filter combos by filter field; search; views (the
        saved views' combo); banner (the offline notice); status_chart, types_chart: the overview.
    """

    back_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review")
        self.context = context
        self.settings = settings if settings is not None else QSettings()
        self.model = ReviewModel(self)
        self.loaded = False
        self.stale = True
        self._generation = 0
        self._reload_timer = QTimer(self, singleShot=True, interval=500)
        self._reload_timer.timeout.connect(self._reload_if_visible)
        self._build()
        context.bridge.store_changed.connect(self._on_store_changed)

    # -- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.back = QPushButton(self.tr("К списку сделок"))
        self.back.clicked.connect(self.back_requested)
        title = QLabel(self.tr("<b>Проверка документов</b>"))
        export = QPushButton(self.tr("Экспорт в Excel…"))
        export.clicked.connect(self._ask_export_path)
        letter = QPushButton(self.tr("Текст письма"))
        letter.setToolTip(self.tr("Скопировать в буфер обмена письмо ответственному клиента: кому чего не хватает"))
        letter.clicked.connect(self.copy_letter)
        top = QHBoxLayout()
        for widget in (self.back, title):
            top.addWidget(widget)
        top.addStretch(1)
        for widget in (export, letter):
            top.addWidget(widget)

        self.filter_bar = ReviewFilterBar(self.context, self.settings, self)
        self.filter_bar.changed.connect(self._apply)
        self.combos, self.search, self.views = self.filter_bar.combos, self.filter_bar.search, self.filter_bar.views

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4d6; padding: 4px;")
        self.banner.hide()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        for column, width in enumerate((220, 110, 180, 100, 220, 260)):
            self.table.setColumnWidth(column, width)

        self.count = QLabel()
        self.status_chart = BarChart(self.tr("Полнота документов"))
        self.types_chart = BarChart(self.tr("Не хватает, по видам документов"))
        self.status_chart.bar_clicked.connect(lambda key: self._toggle_filter("status", key))
        self.types_chart.bar_clicked.connect(lambda key: self._toggle_filter("document_type", key))
        overview = QWidget()
        side = QVBoxLayout(overview)
        for widget in (self.count, self.status_chart, self.types_chart):
            side.addWidget(widget)
        side.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(overview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

    # -- data --------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the cache again, here and now, and keep the filters."""
        self._generation += 1
        self._show_rows(load_review(self.context.reader, self.context.rules))

    def refresh(self) -> None:
        """Read the cache again with the judging on the CPU pool; the rows arrive on the GUI thread (a
        whole office takes most of a second to judge). A newer refresh supersedes an older one."""
        from ...runtime.cpu import run_task

        self._generation += 1
        generation, reader, rules = self._generation, self.context.reader, self.context.rules
        batches = reader.iter_report_source()  # reads on its own connection, on the pool's thread

        def done(result: Any, error: BaseException | None) -> None:
            if generation != self._generation:
                return
            if error is not None:
                self.context.messages.failure(error)
                return
            self._show_rows(review_rows(reader, *result))

        run_task(lambda: judge_reports(batches, rules), done)

    def _show_rows(self, rows: list[ReviewRow]) -> None:
        self.loaded, self.stale = True, False
        self.filter_bar.fill(rows)
        self.model.set_rows(rows)
        self._apply()

    def ensure_loaded(self) -> None:
        if self.stale:
            self.stale = False  # one refresh at a time; a change notice marks it stale again
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    @Slot(str, object)
    def _on_store_changed(self, table: str, _keys: object) -> None:
        if table in WATCHED_TABLES:
            self.stale = True
            self._reload_timer.start()

    def _reload_if_visible(self) -> None:
        if self.isVisible():
            self.ensure_loaded()

    def detach(self) -> None:
        """No more cache notices: the context is closing."""
        self._reload_timer.stop()
        try:
            self.context.bridge.store_changed.disconnect(self._on_store_changed)
        except (RuntimeError, TypeError):
            pass

    # -- filters -----------------------------------------------------------------------------------

    def filters(self) -> ReviewFilters:
        return self.filter_bar.filters()

    def set_filters(self, filters: ReviewFilters) -> None:
        """Show ``filters`` in the controls and apply them; a value the data no longer has is dropped."""
        self.filter_bar.set_filters(filters)

    def set_filter(self, field: str, value: Any) -> None:
        self.set_filters(self.filters().with_(**{field: value}))

    def _toggle_filter(self, field: str, value: Any) -> None:
        """A bar click: filter by its key, or drop that filter when it is already the one in force."""
        self.set_filter(field, None if getattr(self.filters(), field) == value else value)

    def _apply(self, *_args: object) -> None:
        filters = self.filters()
        self.model.set_filters(filters)
        self._update_overview(filters)

    def _update_overview(self, filters: ReviewFilters) -> None:
        rows = self.model.rows
        self.count.setText(self.tr("Показано участников: {shown} из {total}").format(shown=len(rows),
                                                                                  total=len(self.model.all_rows)))
        summary = summarize_rows(rows)
        self.status_chart.set_bars([Bar(status, QCoreApplication.translate("ReviewModel", STATUS_TITLES[status]), count,
                                        STATUS_COLOURS[status])
                                    for status, count in summary.statuses.items()], filters.status)
        self.types_chart.set_bars([Bar(doc_type, doc_type.title, count, "#4a90d9")
                                   for doc_type, count in summary.missing.items()], filters.document_type)

    # -- saved views -------------------------------------------------------------------------------

    def save_view(self, name: str) -> None:
        self.filter_bar.save_view(name)

    # -- connection --------------------------------------------------------------------------------

    @Slot(bool)
    def set_online(self, online: bool) -> None:
        if online:
            self.banner.hide()
            return
        self.banner.setText(offline_text(self.context.reader.get_meta("last_sync"), datetime.now().astimezone()))
        self.banner.show()


def review_screen(window: MainWindow) -> ReviewScreen | None:
    """The review screen :func:`install` put on ``window``'s stack."""
    return window.stack.findChild(ReviewScreen, "review")


def install(window: MainWindow) -> None:
    """The «Проверка документов» screen on the window's stack, its action (Ctrl+R) in «Документы», the
    way back to the deal list, and the offline banner fed by the background sync."""
    screen = ReviewScreen(window.context, window.stack, settings=window.settings)
    window.stack.addWidget(screen)
    action = QAction(QCoreApplication.translate("Review", "Проверка документов"), window)
    action.setShortcut(QKeySequence("Ctrl+R"))
    action.setStatusTip(QCoreApplication.translate("Review", "Кто из участников не сдал какие документы — по всем "
                                                             "сделкам"))

    def show() -> None:
        window.stack.setCurrentWidget(screen)
        screen.ensure_loaded()
        screen.table.setFocus()

    action.triggered.connect(lambda _checked=False: show())
    window.addAction(action)
    from .uploads_view import find_menu  # one place knows how menus are found by title

    find_menu(window, "Документы").addAction(action)
    screen.back_requested.connect(window.show_browser)
    window.syncer.online_changed.connect(screen.set_online)
    if window.syncer.online is False:
        screen.set_online(False)
