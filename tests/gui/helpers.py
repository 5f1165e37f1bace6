"""Driving widgets as a user does, offscreen (reference/environment.md §1).

``QTest.keyClicks`` aborts the process on non-ASCII text, so Cyrillic is typed one key event at a
time; drops are real ``QDropEvent``s carrying file URLs (QPointF positions: the QPoint overloads warn).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key (any script)."""
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier)


def file_mime(paths: Iterable[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def drop_files(target: QWidget, paths: Iterable[Path], at: QPointF | None = None) -> bool:
    """Drag ``paths`` onto ``target`` and drop them; True when the target accepted the drop."""
    mime = file_mime(paths)
    point = at if at is not None else QPointF(target.width() / 2, target.height() / 2)
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(target, QDragMoveEvent(point, Qt.DropAction.CopyAction, mime, buttons, modifiers))
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()
