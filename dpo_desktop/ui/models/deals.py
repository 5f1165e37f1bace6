"""The ДПО pipeline's deals as a table (DealsModel) and its search and filters (DealsProxy).

The model reads every row once (``deal_rows.load_rows``) and afterwards re-reads only the deals the
store says changed: a deal row, a participant or document of the deal (their ELEMENT_CODEs carry the
deal ID), the responsible person or a participant's contact, the client company.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from ...domain.models import Stage
from ...runtime.cpu import run_task
from ...store.report import gc_paused
from ..context import AppContext
from . import EntityRole, IdRole, SortRole
from .deal_rows import DealRow, DealStatus, count_complete, deal_of_code, fold, load_rows, stage_map

log = logging.getLogger(__name__)

TITLE, STAGE, EVENT_CODE, EVENT_NAME, PARTNER, COMPANY, RESPONSIBLE, PARTICIPANTS, COMPLETENESS = range(9)
HEADERS = (QT_TRANSLATE_NOOP("DealsModel", "Сделка"), QT_TRANSLATE_NOOP("DealsModel", "Стадия"),
           QT_TRANSLATE_NOOP("DealsModel", "Код мероприятия"), QT_TRANSLATE_NOOP("DealsModel", "Мероприятие"),
           QT_TRANSLATE_NOOP("DealsModel", "Код партнёра"), QT_TRANSLATE_NOOP("DealsModel", "Компания клиента"),
           QT_TRANSLATE_NOOP("DealsModel", "Ответственный клиента"), QT_TRANSLATE_NOOP("DealsModel", "Участники"),
           QT_TRANSLATE_NOOP("DealsModel", "Комплектность"))
STATUS_TITLES = {DealStatus.COMPLETE: QT_TRANSLATE_NOOP("DealsModel", "Документы собраны"),
                 DealStatus.INCOMPLETE: QT_TRANSLATE_NOOP("DealsModel", "Есть недостающие"),
                 DealStatus.EMPTY: QT_TRANSLATE_NOOP("DealsModel", "Нет участников")}
AnyIndex = QModelIndex | QPersistentModelIndex


class DealsModel(QAbstractTableModel):
    """The deals of the context's pipeline, one row each, with their completeness.

    Signals:
        completeness_loaded(): the completeness column is filled (after a reload).

    Attributes:
        rows: the rows in model order (by deal ID at load; new deals are appended).
        completeness_ready: whether every row's completeness is known.
        background_from: from this many participants on, a reload works completeness out on the CPU
            pool after the first paint (0.3 s for 40,000 participants) instead of at once.
    """

    completeness_loaded = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None, *, background_from: int = 5000) -> None:
        super().__init__(parent)
        self.context = context
        self.background_from = background_from
        self.completeness_ready = False
        self._generation = 0
        self.rows: list[DealRow] = []
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self._stages: dict[str, Stage] = {}
        self._keys: list[str] = []  # per row, the folded search text of every column
        self._position: dict[int, int] = {}  # deal ID -> row
        self._by_contact: dict[int, set[int]] = {}  # contact ID -> deals it is responsible for or takes part in
        context.bridge.store_changed.connect(self.on_bridge_store_changed)
        self.reload()

    # -- loading ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every row again (a full sync, a new profile)."""
        pipeline = self.context.mapping.pipeline_id
        with gc_paused():
            stages = stage_map(self.context.reader, pipeline)
            rows, source = load_rows(self.context.reader, pipeline)
            self._generation += 1
            background = len(source.participants) >= self.background_from
            if not background:
                _fill(rows, count_complete(source, self.context.rules))
            self.beginResetModel()
            self._stages, self.rows = stages, rows
            self._keys = [self._search_key(row) for row in rows]
            self._reindex()
            self.completeness_ready = not background
            self.endResetModel()
        # The rows live as long as the window: the collector would walk these hundreds of thousands of
        # objects at every full collection (150 ms, felt as a stuck keystroke) and find nothing to free.
        # The young generations are collected first, so that fresh garbage cycles are not frozen with them.
        gc.collect(1)
        gc.freeze()
        if background:
            rules, generation = self.context.rules, self._generation
            run_task(lambda: count_complete(source, rules),
                     lambda result, error: self._on_completeness_counted(generation, result, error))
        else:
            self.completeness_loaded.emit()

    def _on_completeness_counted(self, generation: int, counted: dict[int, int] | None,
                                 error: BaseException | None) -> None:
        if generation != self._generation:
            return  # a newer reload is on its way
        if error is not None or counted is None:
            log.error("deal completeness failed: %r", error)
            self.context.messages.error(self.tr("Не удалось подсчитать комплектность документов по сделкам"))
            return
        for row in self.rows:
            if row.complete is None and row.deal.id in counted:
                row.complete = counted[row.deal.id]
        self.completeness_ready = True
        if self.rows:
            self.dataChanged.emit(self.index(0, COMPLETENESS), self.index(len(self.rows) - 1, COMPLETENESS))
        self.completeness_loaded.emit()

    def refresh(self, deal_ids: Iterable[int]) -> None:
        """Read these deals again: changed rows are updated, new ones appended, gone ones removed."""
        wanted = set(deal_ids)
        if not wanted:
            return
        inserted = False
        rows, source = load_rows(self.context.reader, self.context.mapping.pipeline_id, wanted)
        _fill(rows, count_complete(source, self.context.rules))
        fresh = {row.deal.id: row for row in rows}
        for deal_id in sorted(wanted):
            position = self._position.get(deal_id)
            row = fresh.get(deal_id)
            if position is not None and row is not None:
                self.rows[position] = row
                self._keys[position] = self._search_key(row)
                self.dataChanged.emit(self.index(position, 0), self.index(position, len(HEADERS) - 1))
            elif position is None and row is not None:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
                self.rows.append(row)
                self._keys.append(self._search_key(row))
                self._position[deal_id] = len(self.rows) - 1
                self.endInsertRows()
                inserted = True
            elif position is not None:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self.rows[position], self._keys[position]
                self._reindex()
                self.endRemoveRows()
        self._index_contacts()
        if self._sorted_by is not None and (inserted or self._sorted_by[0] != TITLE):
            self.sort(*self._sorted_by)  # a changed value may move its row

    def on_bridge_store_changed(self, table: str, keys: frozenset) -> None:
        if table == "stages":
            self._stages = stage_map(self.context.reader, self.context.mapping.pipeline_id)
            self._keys = [self._search_key(row) for row in self.rows]
            if self.rows:
                self.dataChanged.emit(self.index(0, STAGE), self.index(len(self.rows) - 1, STAGE))
            return
        affected = self.affected_deals(table, keys)
        if affected:
            self.refresh(affected)

    def affected_deals(self, table: str, keys: Iterable[Any]) -> set[int]:
        """The deals whose rows a change of ``keys`` in ``table`` may alter."""
        if table == "deals":
            return {int(key) for key in keys}
        if table in ("participants", "documents"):
            return {deal for deal in map(deal_of_code, map(str, keys)) if deal is not None}
        if table == "contacts":
            return set().union(*(self._by_contact.get(int(key), ()) for key in keys))
        if table == "companies":
            changed = {int(key) for key in keys}
            return {row.deal.id for row in self.rows if row.deal.company_id in changed}
        return set()

    def _reindex(self) -> None:
        self._position = {row.deal.id: position for position, row in enumerate(self.rows)}
        self._index_contacts()

    def _index_contacts(self) -> None:
        # Participants' contacts matter as well as the responsible person: education, a surname change
        # and citizenship change what is required of them.
        by_contact: dict[int, set[int]] = {}
        for row in self.rows:
            if row.deal.client_contact_id is not None:
                by_contact.setdefault(row.deal.client_contact_id, set()).add(row.deal.id)
            for contact_id in row.contact_ids:
                by_contact.setdefault(contact_id, set()).add(row.deal.id)
        self._by_contact = by_contact

    def _search_key(self, row: DealRow) -> str:
        deal = row.deal
        return fold(" ".join((deal.title, self.stage_name(deal.stage_id), deal.event_code, deal.event_name,
                              deal.partner_code, row.company, row.responsible)))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python by :data:`SortRole` values: a few milliseconds for thousands of rows, where the
        proxy's own sort would call :meth:`data` from C++ for every comparison (over a second)."""
        if not 0 <= column < len(HEADERS):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self.rows[index.row()].deal.id, index.column()) for index in persistent]
        values = [self._sort_value(row, column) for row in self.rows]
        ids = [row.deal.id for row in self.rows]
        descending = order == Qt.SortOrder.DescendingOrder
        ordered = sorted(range(len(self.rows)), key=lambda at: (values[at], ids[at]), reverse=descending)
        self.rows = [self.rows[at] for at in ordered]
        self._keys = [self._keys[at] for at in ordered]
        self._position = {row.deal.id: position for position, row in enumerate(self.rows)}  # contacts keep theirs
        self.changePersistentIndexList(persistent, [self.index(self._position[deal_id], column_at)
                                                    for deal_id, column_at in held])
        self.layoutChanged.emit()

    # -- reading ---------------------------------------------------------------------------------------

    def stage_name(self, stage_id: str) -> str:
        stage = self._stages.get(stage_id)
        return stage.name if stage is not None else stage_id

    @property
    def stages(self) -> list[Stage]:
        return sorted(self._stages.values(), key=lambda stage: (stage.sort, stage.status_id))

    def search_key(self, row: int) -> str:
        return self._keys[row]

    def row_of(self, deal_id: int) -> int | None:
        return self._position.get(deal_id)

    # -- Qt model --------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return self.tr(HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SortRole:
            return self._sort_value(row, column)
        if role == IdRole:
            return row.deal.id
        if role == EntityRole:
            return row
        if role == Qt.ItemDataRole.DecorationRole and column == STAGE:
            stage = self._stages.get(row.deal.stage_id)
            return QColor(stage.color) if stage is not None and stage.color else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PARTICIPANTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == COMPLETENESS:
            status = row.status
            return self.tr(STATUS_TITLES[status]) if status is not None else self.tr("Комплектность подсчитывается…")
        return None

    def _display(self, row: DealRow, column: int) -> str:
        deal = row.deal
        if column == STAGE:
            return self.stage_name(deal.stage_id)
        if column == PARTICIPANTS:
            return str(row.participants)
        if column == COMPLETENESS:
            return row.completeness_text
        return (deal.title, "", deal.event_code, deal.event_name, deal.partner_code, row.company,
                row.responsible)[column]

    def _sort_value(self, row: DealRow, column: int) -> Any:
        if column == STAGE:
            stage = self._stages.get(row.deal.stage_id)
            return stage.sort if stage is not None else -1
        if column == PARTICIPANTS:
            return row.participants
        if column == COMPLETENESS:
            share, people = row.completeness_key
            return share * 100_000 + people  # one number: Qt compares it natively, fast for thousands of rows
        return fold(self._display(row, column))


def _fill(rows: list[DealRow], counted: dict[int, int]) -> None:
    for row in rows:
        row.complete = counted.get(row.deal.id, 0)


class DealsProxy(QSortFilterProxyModel):
    """Search (every word must occur, in any column, case and ё ignored) and the filters of the browser.

    Sorting is the source model's (:meth:`DealsModel.sort`, by :data:`SortRole`); the proxy keeps its
    order. Each criterion setter re-filters at once.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self._terms: tuple[str, ...] = ()
        self._stage: str | None = None
        self._event: str | None = None
        self._partner: str | None = None
        self._status: DealStatus | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, DealsModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def set_text(self, text: str) -> None:
        terms = tuple(fold(text).split()[:8])  # a pasted paragraph must not cost a second per keystroke
        if terms != self._terms:
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_stage(self, stage_id: str | None) -> None:
        self._set("_stage", stage_id or None)

    def set_event(self, event_code: str | None) -> None:
        self._set("_event", event_code or None)

    def set_partner(self, partner_code: str | None) -> None:
        self._set("_partner", partner_code or None)

    def set_status(self, status: DealStatus | str | None) -> None:
        self._set("_status", DealStatus(status) if status else None)

    def _set(self, name: str, value: Any) -> None:
        if getattr(self, name) != value:
            self.beginFilterChange()
            setattr(self, name, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DealsModel) or source_row >= len(model.rows):
            return True
        row = model.rows[source_row]
        deal = row.deal
        if self._stage is not None and deal.stage_id != self._stage:
            return False
        if self._event is not None and deal.event_code != self._event:
            return False
        if self._partner is not None and deal.partner_code != self._partner:
            return False
        if self._status is not None and row.status is not self._status:
            return False
        if self._terms:
            key = model.search_key(source_row)
            return all(term in key for term in self._terms)
        return True
