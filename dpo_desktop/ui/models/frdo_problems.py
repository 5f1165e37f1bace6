"""The ФИС ФРДО pre-flight's problems, one row each: participant, column, why, how to fix."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt

from ...rules.frdo import FrdoProblem
from . import EntityRole
from .rows import RowsModel

Index = QModelIndex | QPersistentModelIndex

PERSON, COLUMN, WHY, FIX = range(4)
_HEADERS = (QT_TRANSLATE_NOOP("FrdoProblemsModel", "Участник"), QT_TRANSLATE_NOOP("FrdoProblemsModel", "Столбец"),
            QT_TRANSLATE_NOOP("FrdoProblemsModel", "Что не так"),
            QT_TRANSLATE_NOOP("FrdoProblemsModel", "Как исправить"))


class FrdoProblemsModel(RowsModel):
    """Rows of :class:`FrdoProblem`; ``EntityRole`` gives the problem itself."""

    headers = _HEADERS
    header_context = "FrdoProblemsModel"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[FrdoProblem] = []

    def set_problems(self, problems: list[FrdoProblem]) -> None:
        self.beginResetModel()
        self._rows = list(problems)
        self.endResetModel()

    def problem(self, row: int) -> FrdoProblem:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        problem = self._rows[index.row()]
        if role == EntityRole:
            return problem
        if role == Qt.ItemDataRole.DisplayRole:
            return (problem.person, f"{problem.column} — {problem.header}", problem.why, problem.fix)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem.text()
        return None
