"""The review's filter bar: a combo per filter field, the search line, and the saved views («мои сделки
без согласий») kept in QSettings. The screen reads :meth:`ReviewFilterBar.filters` on ``changed``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QWidget

from ...domain.models import Completeness, DocumentType
from ..models.review import STATUS_TITLES, ReviewFilters, ReviewRow

if TYPE_CHECKING:
    from ..context import AppContext

VIEWS_KEY = "review/views"
# filter field -> the «any» item of its combo
FILTER_COMBOS = {
    "event_code": QT_TRANSLATE_NOOP("ReviewFilterBar", "Все мероприятия"),
    "deal_id": QT_TRANSLATE_NOOP("ReviewFilterBar", "Все сделки"),
    "stage_id": QT_TRANSLATE_NOOP("ReviewFilterBar", "Все стадии"),
    "company": QT_TRANSLATE_NOOP("ReviewFilterBar", "Все компании"),
    "partner_code": QT_TRANSLATE_NOOP("ReviewFilterBar", "Все партнёры"),
    "manager_id": QT_TRANSLATE_NOOP("ReviewFilterBar", "Все менеджеры"),
    "document_type": QT_TRANSLATE_NOOP("ReviewFilterBar", "Любой документ"),
    "status": QT_TRANSLATE_NOOP("ReviewFilterBar", "Любая полнота"),
}


class ReviewFilterBar(QWidget):
    """Signals: changed() — a filter, the search or the chosen view changed (not while set from code
    until the whole set is in place).

    Attributes: combos (by filter field), search, views (the saved views' combo).
    """

    changed = Signal()

    def __init__(self, context: AppContext, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings
        self._updating = False
        self.views = QComboBox()
        self.views.setMinimumWidth(180)
        self.views.activated.connect(lambda index: self.apply_view(self.views.itemData(index)))
        save = QPushButton(self.tr("Сохранить вид…"))
        save.clicked.connect(self._ask_view_name)
        views_row = QHBoxLayout()
        views_row.addStretch(1)
        for widget in (QLabel(self.tr("Вид:")), self.views, save):
            views_row.addWidget(widget)

        self.combos: dict[str, QComboBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(views_row, 0, 0, 1, 4)
        for position, (field, everything) in enumerate(FILTER_COMBOS.items()):
            combo = QComboBox()
            combo.setObjectName(field)
            combo.addItem(self.tr(everything), None)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(self._emit_changed)
            self.combos[field] = combo
            grid.addWidget(combo, 1 + position // 4, position % 4)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Поиск: участник, сделка, мероприятие, компания, партнёр"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._emit_changed)
        grid.addWidget(self.search, 3, 0, 1, 4)
        self._fill_views()

    def _emit_changed(self, *_args: object) -> None:
        if not self._updating:
            self.changed.emit()

    # -- the choices -------------------------------------------------------------------------------

    def fill(self, rows: list[ReviewRow]) -> None:
        """The combos' choices from ``rows``, keeping each current choice the rows still have."""
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
            "manager_id": [(self.tr("Менеджер #{user}").format(user=user), user) for user in
                           sorted({deal.assigned_by_id for deal in deals.values() if deal.assigned_by_id})],
            "document_type": [(doc_type.title, doc_type) for doc_type in DocumentType],
            "status": [(QCoreApplication.translate("ReviewModel", title), status)
                       for status, title in STATUS_TITLES.items()],
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
        """Show ``filters`` in the controls (a value the data no longer has is dropped); one ``changed``."""
        self._updating = True
        try:
            for field, combo in self.combos.items():
                combo.setCurrentIndex(max(self._find(combo, getattr(filters, field)), 0))
            self.search.setText(filters.search)
        finally:
            self._updating = False
        self.changed.emit()

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
        self.context.messages.info(self.tr("Вид «{name}» сохранён").format(name=name))

    def apply_view(self, name: object) -> None:
        data = self.saved_views().get(str(name)) if name else None
        if isinstance(data, dict):
            self.set_filters(ReviewFilters.from_dict(data))

    def _fill_views(self, current: str | None = None) -> None:
        self.views.clear()
        self.views.addItem(self.tr("— выберите вид —"), None)
        for name in sorted(self.saved_views(), key=str.casefold):
            self.views.addItem(name, name)
        if current is not None:
            self.views.setCurrentIndex(max(self.views.findData(current), 0))

    def _ask_view_name(self) -> None:
        name, accepted = QInputDialog.getText(self, self.tr("Сохранить вид"), self.tr("Название вида:"))
        if accepted:
            self.save_view(name)
