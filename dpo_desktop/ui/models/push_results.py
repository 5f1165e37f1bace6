"""The folder push's results, one row per participant (or per business process started on a deal)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ...sync.folder_push import PushResult
from .rows import RowsModel

Index = QModelIndex | QPersistentModelIndex

WHO, COPIED, SKIPPED, PROBLEMS, FOLDER = range(5)
_HEADERS = ("Участник", "Скопировано", "Без изменений", "Проблемы", "Папка")


class PushResultsModel(RowsModel):
    """One row per pushed participant (or per business process started on a deal)."""

    headers = _HEADERS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, PushResult]] = []

    def add(self, who: str, result: PushResult) -> None:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append((who, result))
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def result(self, row: int) -> PushResult | None:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    def results(self) -> list[PushResult]:
        return [result for _who, result in self._rows]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        who, result = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (who, str(len(result.copied)), str(len(result.skipped)), "; ".join(result.problems),
                    result.path)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (who, "\n".join(result.copied), "\n".join(result.skipped), "\n".join(result.problems),
                    result.link)[column]
        return None
