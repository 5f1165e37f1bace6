"""Each dropped file's fate, as the upload queue reports it: name, state in Russian, reason.

Fed by ``bridge.upload_changed`` (an :class:`~dpo_desktop.store.UploadItem` per step) and by refreshes
from the cache; a row is kept per queue ID, in the order the files were dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt

from .rows import RowsModel

if TYPE_CHECKING:
    from ...store import UploadItem

ItemRole = Qt.ItemDataRole.UserRole + 1
StateRole = Qt.ItemDataRole.UserRole + 2

NAME, STATE, REASON, DEAL = range(4)
_HEADERS = (QT_TRANSLATE_NOOP("UploadsModel", "Файл"), QT_TRANSLATE_NOOP("UploadsModel", "Состояние"),
            QT_TRANSLATE_NOOP("UploadsModel", "Причина"), QT_TRANSLATE_NOOP("UploadsModel", "Сделка"))
STATE_TITLES = {
    "queued": QT_TRANSLATE_NOOP("UploadsModel", "в очереди"),
    "hashed": QT_TRANSLATE_NOOP("UploadsModel", "проверен"),
    "classified": QT_TRANSLATE_NOOP("UploadsModel", "распознан"),
    "uploading": QT_TRANSLATE_NOOP("UploadsModel", "загружается"),
    "linked": QT_TRANSLATE_NOOP("UploadsModel", "загружается"),  # the bytes are there; the element is being made
    "done": QT_TRANSLATE_NOOP("UploadsModel", "загружен"),
    "failed": QT_TRANSLATE_NOOP("UploadsModel", "ошибка"),
    "duplicate": QT_TRANSLATE_NOOP("UploadsModel", "дубликат"),
    "attention": QT_TRANSLATE_NOOP("UploadsModel", "требует внимания"),
    "cancelled": QT_TRANSLATE_NOOP("UploadsModel", "отменён"),
}

Index = QModelIndex | QPersistentModelIndex


class UploadsModel(RowsModel):
    headers = _HEADERS
    header_context = "UploadsModel"

    def __init__(self, parent=None, *, deal_title: Callable[[int], str] | None = None) -> None:
        """``deal_title``: how a row's deal is named (the deal's title from the cache); its number without."""
        super().__init__(parent)
        self._rows: list[UploadItem] = []
        self._positions: dict[int, int] = {}
        self._deal_title = deal_title or (lambda deal_id: f"№ {deal_id}")

    def update_item(self, item: UploadItem) -> None:
        """A row's news: its cells change, or it is appended when new."""
        row = self._positions.get(item.id)
        if row is None:
            row = len(self._rows)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.append(item)
            self._positions[item.id] = row
            self.endInsertRows()
            return
        self._rows[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))

    def clear(self) -> None:
        self.beginResetModel()
        self._rows, self._positions = [], {}
        self.endResetModel()

    def ids(self) -> list[int]:
        return [item.id for item in self._rows]

    def item(self, row: int) -> UploadItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def item_by_id(self, item_id: int) -> UploadItem | None:
        row = self._positions.get(item_id)
        return None if row is None else self._rows[row]

    def in_state(self, *states: str) -> list[UploadItem]:
        return [item for item in self._rows if item.state in states]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == NAME:
                return item.name
            if column == STATE:
                return self.tr(STATE_TITLES[item.state]) if item.state in STATE_TITLES else item.state
            if column == DEAL:
                return self._deal_title(item.deal_id)
            return item.reason
        if role == ItemRole:
            return item
        if role == StateRole:
            return item.state
        return None
