"""Files dropped from outside: the drop's URLs as local paths, and a helper that makes any widget a drop zone.

A folder is passed on as it is (not expanded): the upload queue refuses it with its own reason, so the user
sees why rather than a file silently missing. Only cheap checks happen while dragging (local file URLs);
the work starts after the drop event has returned (``QTimer.singleShot(0, …)``), as Picard does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

OnDrop = Callable[[list[Path], QPoint], None]  # the paths and where (in the widget's coordinates)


def parse_drop(mime: QMimeData | None) -> list[Path]:
    """The local files and folders a drop carries, in order, each once; other URLs (web, mail) left out."""
    if mime is None or not mime.hasUrls():
        return []
    found: dict[str, Path] = {}
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile():
            path = Path(url.toLocalFile())
            found.setdefault(str(path), path)
    return list(found.values())


def carries_files(mime: QMimeData | None) -> bool:
    """The cheap check made while dragging: at least one local file URL."""
    return mime is not None and mime.hasUrls() and any(url.isLocalFile() for url in mime.urls())


class DropZone(QObject):
    """Makes ``widget`` accept dropped files; ``on_drop(paths, position)`` runs just after the drop.

    Installed as an event filter, so any widget (a frame, a table's viewport) can be one without subclassing.

    Signals: none. Attributes: ``widget`` (the zone), ``hovering`` (a drag with files is over it).
    """

    def __init__(self, widget: QWidget, on_drop: OnDrop) -> None:
        super().__init__(widget)
        self.widget = widget
        self.on_drop = on_drop
        self.hovering = False
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, (QDragEnterEvent, QDragMoveEvent))
            if carries_files(event.mimeData()):
                event.setDropAction(Qt.DropAction.CopyAction)  # files from outside are always copied
                event.accept()
                self._hover(True)
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.DragLeave:
            self._hover(False)
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            self._hover(False)
            paths = parse_drop(event.mimeData())
            if not paths:
                event.ignore()
                return True
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            position = event.position().toPoint()
            QTimer.singleShot(0, self, lambda: self.on_drop(paths, position))
            return True
        return False

    def _hover(self, on: bool) -> None:
        if on != self.hovering:
            self.hovering = on
            self.widget.setProperty("dropHover", on)  # a style sheet may highlight the zone
            self.widget.style().unpolish(self.widget)
            self.widget.style().polish(self.widget)
