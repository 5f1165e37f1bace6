"""One bridge for every message the user sees: screens emit here, the main window shows them.

Errors from the lane arrive as exceptions; :meth:`Messages.failure` turns the app's typed errors into
one Russian sentence (never a traceback, never a secret).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("dpo.ui")


class Messages(QObject):
    message = Signal(str, str)  # level ("info", "warning", "error"), text

    def info(self, text: str) -> None:
        self.message.emit("info", text)

    def warning(self, text: str) -> None:
        self.message.emit("warning", text)

    def error(self, text: str) -> None:
        self.message.emit("error", text)

    def failure(self, error: BaseException) -> None:
        """A lane task failed: say why in the user's words."""
        description = getattr(error, "description", None)
        text = str(description or error) or type(error).__name__
        log.warning("task failed: %s", text)
        self.error(text)
