"""A line edit that checks its text as the user types and shows the reason right under the field.

The check is one of ``rules.validators``' functions: it returns the normalised value or raises
``ValidationProblem`` with a Russian message. An optional field may stay empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ...rules import ValidationProblem

Check = Callable[[str], Any]

_BAD_STYLE = "QLineEdit { border: 1px solid #c62828; }"
_REASON_STYLE = "color: #c62828;"


class ValidatedLineEdit(QWidget):
    """A field and its reason.

    Signals:
        validity_changed(bool): the field became valid or invalid.

    Attributes:
        edit: the QLineEdit the user types into.
        reason: the QLabel with the reason (hidden while the value is valid).
    """

    validity_changed = Signal(bool)

    def __init__(self, check: Check | None = None, *, optional: bool = False, placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._optional = optional
        self._value: Any = None
        self._valid = True
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.reason = QLabel(self)
        self.reason.setStyleSheet(_REASON_STYLE)
        self.reason.setWordWrap(True)
        self.reason.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.reason)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self._on_edit_text_changed(self.edit.text())

    # -- what the form reads -------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # Qt's name: forms treat it like a QLineEdit
        self.edit.setText(text)

    def is_valid(self) -> bool:
        return self._valid

    def value(self) -> Any:
        """The normalised value (None for an empty optional field or an invalid one)."""
        return self._value if self._valid else None

    def reason_text(self) -> str:
        return self.reason.text() if not self._valid else ""

    # -- checking --------------------------------------------------------------------------------------

    def _on_edit_text_changed(self, text: str) -> None:
        was = self._valid
        reason = ""
        self._value = None
        if not text.strip():
            self._valid = self._optional
            reason = "" if self._optional else self.tr("Поле обязательно")
        elif self._check is None:
            self._valid, self._value = True, text.strip()
        else:
            try:
                self._value = self._check(text)
                self._valid = True
            except ValidationProblem as problem:
                self._valid, reason = False, problem.message
        # An empty required field is not shown as an error until the user typed something there.
        shown = reason if (reason and text.strip()) else ""
        self.reason.setText(shown)
        self.reason.setVisible(bool(shown))
        self.edit.setStyleSheet(_BAD_STYLE if shown else "")
        self.edit.setToolTip(shown)
        if was != self._valid:
            self.validity_changed.emit(self._valid)
