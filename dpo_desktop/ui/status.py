"""The status area and the message banner at the bottom of the main window.

:class:`StatusArea` says, from the cache alone, whether the portal answered the last time, when the
last sync finished (meta ``last_sync``), how many edits wait in the outbox and how many files are being
uploaded; it refreshes itself on the store's change notices. :class:`MessageBanner` shows the message
bridge's texts without a modal dialog: information fades after a while, errors stay (red) until closed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from .context import AppContext

log = logging.getLogger("dpo.ui")

WATCHED_TABLES = frozenset({"meta", "outbox", "upload_queue"})
INFO_SECONDS = 8
_BANNER_COLOURS = {"info": "#e8f1fb", "warning": "#fff4d6", "error": "#fbe3e3"}


def sync_time_text(value: object) -> str:
    """«28.11.2026 04:30» from the ISO time kept in meta ``last_sync``; «никогда» when there is none."""
    if not value:
        return QCoreApplication.translate("Status", "никогда")
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d.%m.%Y %H:%M")


class StatusArea(QWidget):
    """Connection, last sync, pending changes, running uploads and a busy mark, in one row.

    Attributes:
        online: whether the portal answered the last attempt (True until an attempt fails).
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.online = True
        self.connection = QLabel()
        self.last_sync = QLabel()
        self.pending = QLabel()
        self.uploads = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # an indeterminate bar: something runs on the lane
        self.busy.setMaximumWidth(80)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for label in (self.connection, self.last_sync, self.pending, self.uploads):
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.busy)
        context.bridge.store_changed.connect(self.on_bridge_store_changed)
        context.bridge.busy_changed.connect(self.on_bridge_busy_changed)
        self.refresh()

    def set_online(self, online: bool) -> None:
        self.online = online
        self.refresh()

    def refresh(self) -> None:
        reader = self.context.reader
        synced = sync_time_text(reader.get_meta("last_sync"))
        if self.online:
            self.connection.setText(self.tr("Портал: {portal}").format(portal=self.context.portal))
            self.connection.setStyleSheet("")
            self.last_sync.setText(self.tr("Синхронизация: {synced}").format(synced=synced))
        else:
            self.connection.setText(self.tr("Нет связи с порталом"))
            self.connection.setStyleSheet("color: #b00020;")
            self.last_sync.setText(self.tr("Данные кэша от: {synced}").format(synced=synced))
        pending = reader.pending_count()
        self.pending.setText(self.tr("Ждут отправки: {pending}").format(pending=pending))
        self.pending.setStyleSheet("color: #8a5a00;" if pending else "")
        self.uploads.setText(self.tr("Загрузки: {count}").format(count=len(reader.active_uploads())))

    def text(self) -> str:
        """Everything the area says, as one line (for tests and the log)."""
        return " · ".join(label.text() for label in (self.connection, self.last_sync, self.pending, self.uploads))

    @Slot(str, object)
    def on_bridge_store_changed(self, table: str, _keys: object) -> None:
        if table in WATCHED_TABLES:
            self.refresh()

    @Slot(int)
    def on_bridge_busy_changed(self, running: int) -> None:
        self.busy.setVisible(running > 0)


class MessageBanner(QFrame):
    """One message from the bridge above the status bar; never modal.

    Attributes:
        level: the level of the message shown ("info", "warning", "error"), or "" when hidden.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = ""
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Скрыть сообщение"))
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(self.dismiss)
        self.setVisible(False)

    def text(self) -> str:
        return self.label.text() if self.level else ""

    @Slot(str, str)
    def show_message(self, level: str, text: str) -> None:
        # An error on screen is not pushed away by a later piece of information.
        if self.level == "error" and level != "error":
            return
        self.level = level
        self.label.setText(text)
        self.setStyleSheet(f"MessageBanner {{ background: {_BANNER_COLOURS.get(level, '#eeeeee')}; }}")
        self.setVisible(True)
        if level == "error":
            self._fade.stop()
        else:
            self._fade.start(INFO_SECONDS * 1000)

    @Slot()
    def dismiss(self) -> None:
        self.level = ""
        self._fade.stop()
        self.setVisible(False)
