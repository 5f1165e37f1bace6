"""«Проверка документов»: who lacks what across every cached deal, with filters, saved views, the
overview bars, an XLSX export of what is shown and a letter to the client. Works from the cache alone.

``install(window)`` puts the screen on the main window's stack and its action (Ctrl+R) in «Документы».
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import Completeness, DocumentType
from ..context import AppContext
from ..models.review import (
    COLUMNS,
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
from ..review_export import LetterGroup, letter_text, write_review_xlsx
from ..widgets.bars import Bar, BarChart

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger("dpo.ui")

VIEWS_KEY = "review/views"
WATCHED_TABLES = frozenset({"deals", "contacts", "companies", "participants", "documents", "stages"})
STATUS_COLOURS = {Completeness.COMPLETE: "#5cb85c", Completeness.PARTIAL: "#f0ad4e", Completeness.NONE: "#d9534f"}
# filter field -> the «any» item of its combo
FILTER_COMBOS = {
    "event_code": "Все мероприятия", "deal_id": "Все сделки", "stage_id": "Все стадии",
    "company": "Все компании", "partner_code": "Все партнёры", "manager_id": "Все менеджеры",
    "document_type": "Любой документ", "status": "Любая полнота",
}


class ReviewScreen(QWidget):
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
        self._updating = False
        self._generation = 0
        self._reload_timer = QTimer(self, singleShot=True, interval=500)
        self._reload_timer.timeout.connect(self._reload_if_visible)
        self._build()
        context.bridge.store_changed.connect(self._on_store_changed)

    # -- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.back = QPushButton("К списку сделок")
        self.back.clicked.connect(self.back_requested)
        title = QLabel("<b>Проверка документов</b>")
        self.views = QComboBox()
        self.views.setMinimumWidth(180)
        self.views.activated.connect(lambda index: self.apply_view(self.views.itemData(index)))
        save = QPushButton("Сохранить вид…")
        save.clicked.connect(self._ask_view_name)
        export = QPushButton("Экспорт в Excel…")
        export.clicked.connect(self._ask_export_path)
        letter = QPushButton("Текст письма")
        letter.setToolTip("Скопировать в буфер обмена письмо ответственному клиента: кому чего не хватает")
        letter.clicked.connect(self.copy_letter)
        top = QHBoxLayout()
        for widget in (self.back, title):
            top.addWidget(widget)
        top.addStretch(1)
        for widget in (QLabel("Вид:"), self.views, save, export, letter):
            top.addWidget(widget)

        self.combos: dict[str, QComboBox] = {}
        grid = QGridLayout()
        for position, (field, everything) in enumerate(FILTER_COMBOS.items()):
            combo = QComboBox()
            combo.setObjectName(field)
            combo.addItem(everything, None)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(self._apply)
            self.combos[field] = combo
            grid.addWidget(combo, position // 4, position % 4)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Поиск: участник, сделка, мероприятие, компания, партнёр")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply)
        grid.addWidget(self.search, 2, 0, 1, 4)

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
        self.status_chart = BarChart("Полнота документов")
        self.types_chart = BarChart("Не хватает, по видам документов")
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
        layout.addLayout(grid)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self._fill_views()

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
        self._fill_combos(rows)
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

    def _fill_combos(self, rows: list[ReviewRow]) -> None:
        stages = {stage.status_id: stage.name for stage in self.context.reader.stages(self.context.mapping.pipeline_id)}
        order = list(stages)
        deals = {row.deal.id: row.deal for row in rows}
        options: dict[str, list[tuple[str, Any]]] = {
            "event_code": [(code, code) for code in sorted({row.report.event_code for row in rows} - {""})],
            "deal_id": sorted(((deal.title, deal.id) for deal in deals.values()), key=lambda item: item[0].casefold()),
            "stage_id": [(stages.get(stage, stage), stage) for stage in
                         sorted({deal.stage_id for deal in deals.values()}, key=lambda stage: (
                             order.index(stage) if stage in stages else len(order), stage))],
            "company": [(title, title) for title in sorted({row.company for row in rows} - {""}, key=str.casefold)],
            "partner_code": [(code, code) for code in sorted({deal.partner_code for deal in deals.values()} - {""})],
            "manager_id": [(f"Менеджер #{user}", user) for user in
                           sorted({deal.assigned_by_id for deal in deals.values() if deal.assigned_by_id})],
            "document_type": [(doc_type.title, doc_type) for doc_type in DocumentType],
            "status": [(title, status) for status, title in STATUS_TITLES.items()],
        }
        self._updating = True
        try:
            for field, combo in self.combos.items():
                chosen = combo.currentData()
                while combo.count() > 1:
                    combo.removeItem(1)
                for text, value in options[field]:
                    combo.addItem(text, value)
                combo.setCurrentIndex(max(self._find(combo, chosen), 0))
        finally:
            self._updating = False

    @staticmethod
    def _find(combo: QComboBox, value: Any) -> int:
        if value is None:
            return 0
        return next((index for index in range(1, combo.count()) if combo.itemData(index) == value), -1)

    # -- filters -----------------------------------------------------------------------------------

    def filters(self) -> ReviewFilters:
        values = {field: combo.currentData() for field, combo in self.combos.items()}
        # Qt hands enum members back as their plain str values
        for field, kind in (("document_type", DocumentType), ("status", Completeness)):
            values[field] = kind(values[field]) if values[field] is not None else None
        return ReviewFilters(**values, search=self.search.text())

    def set_filters(self, filters: ReviewFilters) -> None:
        """Show ``filters`` in the controls and apply them; a value the data no longer has is dropped."""
        self._updating = True
        try:
            for field, combo in self.combos.items():
                combo.setCurrentIndex(max(self._find(combo, getattr(filters, field)), 0))
            self.search.setText(filters.search)
        finally:
            self._updating = False
        self._apply()

    def set_filter(self, field: str, value: Any) -> None:
        self.set_filters(self.filters().with_(**{field: value}))

    def _toggle_filter(self, field: str, value: Any) -> None:
        """A bar click: filter by its key, or drop that filter when it is already the one in force."""
        self.set_filter(field, None if getattr(self.filters(), field) == value else value)

    def _apply(self, *_args: object) -> None:
        if self._updating:
            return
        filters = self.filters()
        self.model.set_filters(filters)
        self._update_overview(filters)

    def _update_overview(self, filters: ReviewFilters) -> None:
        rows = self.model.rows
        self.count.setText(f"Показано участников: {len(rows)} из {len(self.model.all_rows)}")
        summary = summarize_rows(rows)
        self.status_chart.set_bars([Bar(status, STATUS_TITLES[status], count, STATUS_COLOURS[status])
                                    for status, count in summary.statuses.items()], filters.status)
        self.types_chart.set_bars([Bar(doc_type, doc_type.title, count, "#4a90d9")
                                   for doc_type, count in summary.missing.items()], filters.document_type)

    # -- saved views -------------------------------------------------------------------------------

    def saved_views(self) -> dict[str, dict[str, Any]]:
        try:
            views = json.loads(str(self.settings.value(VIEWS_KEY, "{}")))
        except ValueError:
            return {}
        return views if isinstance(views, dict) else {}

    def save_view(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        views = self.saved_views()
        views[name] = self.filters().to_dict()
        self.settings.setValue(VIEWS_KEY, json.dumps(views, ensure_ascii=False))
        self.settings.sync()
        self._fill_views(name)
        self.context.messages.info(f"Вид «{name}» сохранён")

    def apply_view(self, name: object) -> None:
        data = self.saved_views().get(str(name)) if name else None
        if isinstance(data, dict):
            self.set_filters(ReviewFilters.from_dict(data))

    def _fill_views(self, current: str | None = None) -> None:
        self.views.clear()
        self.views.addItem("— выберите вид —", None)
        for name in sorted(self.saved_views(), key=str.casefold):
            self.views.addItem(name, name)
        if current is not None:
            self.views.setCurrentIndex(max(self.views.findData(current), 0))

    def _ask_view_name(self) -> None:
        name, accepted = QInputDialog.getText(self, "Сохранить вид", "Название вида:")
        if accepted:
            self.save_view(name)

    # -- export and letter -------------------------------------------------------------------------

    def _ask_export_path(self) -> None:
        suggested = str(Path.home() / f"Недостающие документы {datetime.now():%Y-%m-%d}.xlsx")
        path, _chosen = QFileDialog.getSaveFileName(self, "Экспорт в Excel", suggested, "Книга Excel (*.xlsx)")
        if path:
            self.export_to(Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the rows shown to ``path`` on the CPU pool; a message with the path when done."""
        from ...runtime.cpu import run_task

        cells = [row.cells for row in self.model.rows]
        title = f"Недостающие документы на {datetime.now():%d.%m.%Y %H:%M}: {len(cells)} участников"

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                log.warning("review export failed: %s", type(error).__name__)
                reason = getattr(error, "strerror", None) or str(error)
                self.context.messages.error(f"Не удалось сохранить отчёт в {path}: {reason}")
            else:
                self.context.messages.info(f"Отчёт сохранён: {path}")

        run_task(lambda: write_review_xlsx(path, title, COLUMNS, cells), done)

    def letter(self) -> str:
        """The letter for the rows shown, grouped by deal."""
        groups: dict[int, list[ReviewRow]] = {}
        for row in self.model.rows:
            groups.setdefault(row.deal.id, []).append(row)
        letter_groups = [LetterGroup(rows[0].report.deal_title, rows[0].report.event_code,
                                     tuple((row.report.participant, row.report.missing) for row in rows))
                         for rows in groups.values()]
        return letter_text(letter_groups, self._addressee(groups))

    def _addressee(self, groups: dict[int, list[ReviewRow]]) -> str | None:
        """The client's responsible person when every deal shown has the same one."""
        people = {rows[0].deal.client_contact_id for rows in groups.values()}
        if len(people) != 1 or None in people:
            return None
        contact = self.context.reader.contact(next(iter(people)))  # type: ignore[arg-type]
        if contact is None:
            return None
        return " ".join(part for part in (contact.name, contact.second_name) if part) or contact.full_name

    def copy_letter(self) -> None:
        QApplication.clipboard().setText(self.letter())
        self.context.messages.info("Текст письма скопирован в буфер обмена")

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
    action = QAction("Проверка документов", window)
    action.setShortcut(QKeySequence("Ctrl+R"))
    action.setStatusTip("Кто из участников не сдал какие документы — по всем сделкам")

    def show() -> None:
        window.stack.setCurrentWidget(screen)
        screen.ensure_loaded()
        screen.table.setFocus()

    action.triggered.connect(lambda _checked=False: show())
    window.addAction(action)
    menu = next((item.menu() for item in window.menuBar().actions()
                 if item.menu() is not None and item.text().replace("&", "") == "Документы"), None)
    if menu is not None:
        menu.addAction(action)
    screen.back_requested.connect(window.show_browser)
    window.syncer.online_changed.connect(screen.set_online)
    if window.syncer.online is False:
        screen.set_online(False)
