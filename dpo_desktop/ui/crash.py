"""A bug becomes a dialog with a copyable report, not a silent exit (style «Errors, messages and logging»).

:class:`CrashHook` takes over ``sys.excepthook`` and ``threading.excepthook``. Whatever thread the
exception happened on, the dialog is made on the GUI thread (a queued signal carries it there). The
report holds the versions, the platform, the traceback and the last log lines, and is redacted as a
whole with :func:`logs.redact`: a webhook that slipped into an exception text does not reach it.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, Signal, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from .. import __version__
from ..logs import RecentLines, redact

log = logging.getLogger("dpo.ui")

LOG_LINES = 50
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def crash_report(exc_type: type[BaseException], error: BaseException, tb: TracebackType | None,
                 log_lines: Sequence[str] = (), thread: str = "") -> str:
    """The text a user copies into a bug report: versions, platform, the exception, the last log lines."""
    lines = [
        f"DPO Desk {__version__}",
        f"Python {sys.version.split()[0]} ({platform.python_implementation()})",
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}",
        QCoreApplication.translate("Crash", "Система: {platform}").format(platform=platform.platform()),
    ]
    if thread:
        lines.append(QCoreApplication.translate("Crash", "Поток: {thread}").format(thread=thread))
    lines += ["", QCoreApplication.translate("Crash", "Ошибка:"),
              "".join(traceback.format_exception(exc_type, error, tb)).rstrip()]
    tail = list(log_lines)[-LOG_LINES:]
    if tail:
        heading = QCoreApplication.translate("Crash", "Последние строки журнала ({count}):").format(count=len(tail))
        lines += ["", heading, *tail]
    return redact("\n".join(lines))


def recent_lines() -> RecentLines:
    """The root logger's memory tail (added when logging was set up without one)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RecentLines):
            return handler
    tail = RecentLines()
    root.addHandler(tail)
    return tail


class CrashDialog(QDialog):
    """The report in a read-only text box with «Скопировать»; non-modal, so tests need no exec()."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("DPO Desk — внутренняя ошибка"))
        self.resize(760, 520)
        intro = QLabel(self.tr("В программе произошла ошибка. Данные в кэше и очередь изменений сохранены. Скопируйте "
                       "отчёт и отправьте его разработчикам: в нём нет вебхука и паролей."))
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Скопировать"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())


class CrashHook(QObject):
    """Owns the exception hooks while installed; shows one :class:`CrashDialog` per uncaught exception.

    Signals:
        crashed(str): the report, on the GUI thread (emitted from any thread).

    Attributes:
        dialogs: the dialogs shown (the latest last).
    """

    crashed = Signal(str)

    def __init__(self, tail: RecentLines | None = None, parent: QObject | None = None,
                 dialog_factory: Callable[[str], QDialog] | None = None) -> None:
        super().__init__(parent)
        self.tail = tail
        self.dialogs: list[QDialog] = []
        self._factory = dialog_factory or (lambda report: CrashDialog(report))
        self._previous: tuple[Any, Any] | None = None
        self.crashed.connect(self._show)

    def install(self) -> CrashHook:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            self.tail = self.tail or recent_lines()
            sys.excepthook = self.on_exception
            threading.excepthook = self.on_thread_exception
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def on_exception(self, exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, error, tb)
            return
        self._report((exc_type, error, tb), threading.current_thread().name)

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        self._report((args.exc_type, args.exc_value, args.exc_traceback), name)

    def _report(self, info: ExcInfo, thread: str) -> None:
        lines = list(self.tail.lines) if self.tail is not None else []
        report = crash_report(*info, log_lines=lines, thread=thread)
        log.critical("uncaught exception in thread %s:\n%s", thread, report)  # redacted already, for any handler
        # Queued onto the GUI thread when raised elsewhere; direct when raised there.
        self.crashed.emit(report)

    def _show(self, report: str) -> None:
        dialog = self._factory(report)
        self.dialogs.append(dialog)
        dialog.show()


def install_crash_hook(parent: QObject | None = None) -> CrashHook:
    """The hook for ``run_gui``: installed now, uninstalled by the caller when the GUI ends."""
    return CrashHook(parent=parent).install()
