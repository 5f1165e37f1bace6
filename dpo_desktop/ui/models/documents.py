"""The participant's documents as a table: type, original name, received date, check status.

Column 0 carries the document's thumbnail in ``DecorationRole`` once it is rendered (:meth:`set_thumbnail`);
``DocumentRole`` gives the :class:`~dpo_desktop.domain.models.Document`, ``SortRole`` a typed sort key.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage, QPixmap

from ...domain.models import CheckStatus, Document
from .rows import RowsModel

DocumentRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3

TYPE, NAME, RECEIVED, STATUS = range(4)
_HEADERS = (QT_TRANSLATE_NOOP("DocumentsModel", "Тип"), QT_TRANSLATE_NOOP("DocumentsModel", "Файл"),
            QT_TRANSLATE_NOOP("DocumentsModel", "Получен"), QT_TRANSLATE_NOOP("DocumentsModel", "Статус"))
_STATUS_ORDER = {CheckStatus.RECEIVED: 0, CheckStatus.CHECKED: 1, CheckStatus.REJECTED: 2}

Index = QModelIndex | QPersistentModelIndex


class DocumentsModel(RowsModel):
    headers = _HEADERS
    header_context = "DocumentsModel"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Document] = []
        self._pictures: dict[str, QPixmap] = {}  # by element code

    def set_documents(self, documents: list[Document]) -> None:
        self.beginResetModel()
        self._rows = list(documents)
        codes = {document.code for document in self._rows}
        self._pictures = {code: picture for code, picture in self._pictures.items() if code in codes}
        self.endResetModel()

    def document(self, row: int) -> Document | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, code: str) -> int | None:
        return next((row for row, document in enumerate(self._rows) if document.code == code), None)

    def documents(self) -> list[Document]:
        return list(self._rows)

    def set_thumbnail(self, code: str, image: QImage) -> None:
        """A rendered thumbnail (GUI thread: the pixmap is made here)."""
        row = self.row_of(code)
        if row is None or image.isNull():
            return
        self._pictures[code] = QPixmap.fromImage(image)
        cell = self.index(row, TYPE)
        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DecorationRole])

    def has_thumbnail(self, code: str) -> bool:
        return code in self._pictures

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        document, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown(document, column)
        if role == Qt.ItemDataRole.DecorationRole and column == TYPE:
            return self._pictures.get(document.code)
        if role == Qt.ItemDataRole.ToolTipRole and column == STATUS and document.comment:
            return document.comment
        if role == DocumentRole:
            return document
        if role == StatusRole:
            return document.status.value
        if role == SortRole:
            return _sort_key(document, column)
        return None


def _shown(document: Document, column: int) -> str:
    if column == TYPE:
        return document.type.title
    if column == NAME:
        return document.original_name or document.code
    if column == RECEIVED:
        return document.received.strftime("%d.%m.%Y") if document.received else ""
    return document.status.title


def _sort_key(document: Document, column: int) -> Any:
    if column == TYPE:
        return document.type.title
    if column == NAME:
        return (document.original_name or document.code).casefold()
    if column == RECEIVED:
        return (document.received or date.min).toordinal()
    return _STATUS_ORDER[document.status]
