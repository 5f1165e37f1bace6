"""The deal browser: the ДПО pipeline's deals, found in a keystroke, opened with Enter or a double click.

Search filters as the user types (the proxy compares precomputed folded keys, a few milliseconds for
thousands of deals, so no debounce is needed). Column layout and filters live in QSettings under
``deal_browser/`` and come back on the next start.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..context import AppContext
from ..models import IdRole
from ..models.deal_rows import DealStatus
from ..models.deals import COMPLETENESS, HEADERS, STATUS_TITLES, TITLE, DealsModel, DealsProxy

SETTINGS_GROUP = "deal_browser"
WIDTHS = {TITLE: 260, COMPLETENESS: 130}
FILTERS = ("stage", "event", "partner", "status")


class DealBrowser(QWidget):
    """Signals:
        deal_opened(int): the user opened a deal (Enter or double click); its ID.

    Attributes:
        model, proxy, table, search, count_label; combos: stage_combo, event_combo, partner_combo,
        status_combo (item data: the criterion, None for «все»).
    """

    deal_opened = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings if settings is not None else QSettings()
        self._restoring = True
        self.model = DealsModel(context, self)
        self.proxy = DealsProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Поиск: название, мероприятие, код партнёра, контакт…"))
        self.search.setClearButtonEnabled(True)
        self.stage_combo = self._combo(self.tr("Стадия"))
        self.event_combo = self._combo(self.tr("Мероприятие"))
        self.partner_combo = self._combo(self.tr("Код партнёра"))
        self.status_combo = self._combo(self.tr("Комплектность"))
        self.count_label = QLabel(self)
        self.table = self._make_table()

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for combo in self._combos():
            bar.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._fill_combos()
        self._restore()
        self._restoring = False
        self.search.textChanged.connect(self.on_search_text_changed)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self.on_filter_changed)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
        self.model.modelReset.connect(self._fill_combos)
        self.model.rowsInserted.connect(self._fill_combos)
        header = self.table.horizontalHeader()
        for signal in (header.sectionMoved, header.sectionResized, header.sortIndicatorChanged):
            signal.connect(self._save_layout)
        self._update_count()

    # -- building --------------------------------------------------------------------------------------

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setToolTip(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        return combo

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.stage_combo, self.event_combo, self.partner_combo, self.status_combo)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.proxy)
        # Sorting is switched on by _restore, once the saved order is known: each sort costs 5,000 rows.
        table.horizontalHeader().setSortIndicator(TITLE, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.on_header_menu_requested)
        for column, width in WIDTHS.items():
            table.setColumnWidth(column, width)
        table.doubleClicked.connect(self.on_table_double_clicked)
        table.installEventFilter(self)
        return table

    def _fill_combos(self) -> None:
        """Choices from the loaded deals; the current choice survives a reload."""
        rows = self.model.rows
        events = sorted({(row.deal.event_code, row.deal.event_name) for row in rows if row.deal.event_code})
        partners = sorted({row.deal.partner_code for row in rows if row.deal.partner_code})
        choices = {
            self.stage_combo: [(self.tr("Все стадии"), None)]
            + [(stage.name, stage.status_id) for stage in self.model.stages],
            self.event_combo: [(self.tr("Все мероприятия"), None)]
            + [(f"{code} {name}".strip(), code) for code, name in events],
            self.partner_combo: [(self.tr("Все партнёры"), None)] + [(code, code) for code in partners],
            self.status_combo: [(self.tr("Любая комплектность"), None)]
            + [(QCoreApplication.translate("DealsModel", title), status.value)
               for status, title in STATUS_TITLES.items()],
        }
        for combo, items in choices.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, value in items:
                combo.addItem(text, value)
            found = combo.findData(current)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)
        self._apply_filters()

    # -- the user's actions ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def on_search_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._save_filters()

    def on_filter_changed(self, _index: int) -> None:
        self._apply_filters()
        self._save_filters()

    def _apply_filters(self) -> None:
        self.proxy.set_stage(self.stage_combo.currentData())
        self.proxy.set_event(self.event_combo.currentData())
        self.proxy.set_partner(self.partner_combo.currentData())
        status = self.status_combo.currentData()
        self.proxy.set_status(DealStatus(status) if status else None)

    def open_current(self) -> None:
        """The menu's «Открыть сделку»: the selected deal, or the first one shown."""
        index = self.table.currentIndex()
        if not index.isValid() and self.proxy.rowCount() > 0:
            index = self.proxy.index(0, TITLE)
        self._open(index)

    def on_table_double_clicked(self, index: QModelIndex) -> None:
        self._open(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            deal_id = index.siblingAtColumn(TITLE).data(IdRole)
            if deal_id is not None:
                self.deal_opened.emit(int(deal_id))

    def on_header_menu_requested(self, position: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        visible = [column for column in range(len(HEADERS)) if not header.isSectionHidden(column)]
        for column, title in enumerate(HEADERS):
            action = menu.addAction(QCoreApplication.translate("DealsModel", title))
            action.setCheckable(True)
            action.setChecked(column in visible)
            action.setEnabled(not (column in visible and len(visible) == 1))  # one column always stays
            action.toggled.connect(lambda shown, column=column: self.set_column_visible(column, shown))
        menu.exec(header.mapToGlobal(position))

    def set_column_visible(self, column: int, visible: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(column, not visible)
        self._save_layout()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("Сделок: {shown} из {total}").format(shown=self.proxy.rowCount(),
                                                                                     total=self.model.rowCount()))

    # -- remembering -----------------------------------------------------------------------------------

    def _save_layout(self) -> None:
        if not self._restoring:
            self.settings.setValue(f"{SETTINGS_GROUP}/header", self.table.horizontalHeader().saveState())

    def _save_filters(self) -> None:
        if self._restoring:
            return
        values = dict(zip(FILTERS, (combo.currentData() for combo in self._combos()), strict=True))
        values["text"] = self.search.text()
        self.settings.setValue(f"{SETTINGS_GROUP}/filters", json.dumps(values, ensure_ascii=False))

    def _restore(self) -> None:
        header = self.table.horizontalHeader()
        state = self.settings.value(f"{SETTINGS_GROUP}/header")
        if state is not None:
            header.restoreState(state)
        self.table.setSortingEnabled(True)  # sorts by the restored (or default) indicator: one sort at start
        try:
            values = json.loads(str(self.settings.value(f"{SETTINGS_GROUP}/filters", "{}")))
        except ValueError:
            values = {}
        if not isinstance(values, dict):
            return
        for name, combo in zip(FILTERS, self._combos(), strict=True):
            found = combo.findData(values.get(name))
            if values.get(name) is not None and found >= 0:
                combo.setCurrentIndex(found)
        self._apply_filters()
        text = values.get("text")
        if isinstance(text, str) and text:
            self.search.setText(text)
            self.proxy.set_text(text)
