"""The participants table that takes file drops: files dropped onto a row belong to that row's person."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QTableView, QWidget

from ..models import IdRole


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drop carries (remote URLs and folders are not documents)."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and Path(url.toLocalFile()).is_file()]


class ParticipantTable(QTableView):
    """The table; files dropped onto a row belong to that row's person.

    Signals:
        files_dropped(int, list): contact ID and the local file paths dropped onto its row.
    """

    files_dropped = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def _contact_at(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        index = self.indexAt(event.position().toPoint())
        contact_id = index.data(IdRole) if index.isValid() else None
        return int(contact_id) if contact_id is not None else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():  # only cheap checks here; the documents panel judges the files
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self._contact_at(event) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        contact_id = self._contact_at(event)
        paths = local_files(event.mimeData())
        if contact_id is None or not paths:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        QTimer.singleShot(0, lambda: self.files_dropped.emit(contact_id, [str(path) for path in paths]))
