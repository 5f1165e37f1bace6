"""The folder push's results, one row per participant (or per business process started on a deal)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from ...sync.folder_push import PushResult
from .rows import RowsModel

Index = QModelIndex | QPersistentModelIndex

WHO, COPIED, SKIPPED, PROBLEMS, FOLDER = range(5)
_HEADERS = (QT_TRANSLATE_NOOP("PushResultsModel", "Участник"), QT_TRANSLATE_NOOP("PushResultsModel", "Скопировано"),
            QT_TRANSLATE_NOOP("PushResultsModel", "Без изменений"), QT_TRANSLATE_NOOP("PushResultsModel", "Проблемы"),
            QT_TRANSLATE_NOOP("PushResultsModel", "Папка"))


def summary_text(results: list[PushResult]) -> str:
    """The outcome of a push in one line, as the dialog's status says it."""
    copied = sum(len(result.copied) for result in results)
    skipped = sum(len(result.skipped) for result in results)
    problems = sum(len(result.problems) for result in results)
    started = sum(1 for result in results if result.workflow_id)
    parts = []
    if started:
        parts.append(QCoreApplication.translate("PushDialog", "бизнес-процесс запущен: {started}").format(
            started=started))
    if copied:
        parts.append(QCoreApplication.translate("PushDialog", "скопировано файлов: {copied}, без изменений: {skipped}")
                     .format(copied=copied, skipped=skipped))
    elif not started:
        parts.append(QCoreApplication.translate("PushDialog", "ничего не скопировано — всё уже на месте"))
    if problems:
        parts.append(QCoreApplication.translate("PushDialog", "проблем: {problems}").format(problems=problems))
    return QCoreApplication.translate("PushDialog", "Готово: ") + "; ".join(parts)


class PushResultsModel(RowsModel):
    """One row per pushed participant (or per business process started on a deal)."""

    headers = _HEADERS
    header_context = "PushResultsModel"

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
