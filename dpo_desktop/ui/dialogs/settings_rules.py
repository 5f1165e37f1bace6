"""The settings dialog's «Правила документов» tab: the required-document rules file (JSON), checked before
it is accepted and copied into the configuration directory on «Сохранить»."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ... import paths
from ...rules.loading import OVERRIDE_NAME, load_rules


class RulesTab(QWidget):
    """Attributes: rules_path (empty: the shipped rules), rules_status (the outcome of the last check)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules_path = QLineEdit()
        self.rules_path.setPlaceholderText(self.tr("стандартные правила"))
        current = paths.config_dir() / OVERRIDE_NAME
        if current.exists():
            self.rules_path.setText(str(current))
        browse = QPushButton(self.tr("Обзор…"))
        browse.clicked.connect(self._browse_rules)
        check = QPushButton(self.tr("Проверить"))
        check.clicked.connect(self.check_rules)
        self.rules_status = QLabel()
        self.rules_status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.rules_path, 1)
        row.addWidget(browse)
        row.addWidget(check)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Файл правил обязательных документов (JSON); действует после перезапуска.")))
        layout.addLayout(row)
        layout.addWidget(self.rules_status)
        layout.addStretch(1)

    def _browse_rules(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Файл правил"), "", self.tr("JSON (*.json);;Все файлы (*)"))
        if path:
            self.rules_path.setText(path)
            self.check_rules()

    def check_rules(self) -> bool:
        text = self.rules_path.text().strip()
        if not text:
            self.rules_status.setText(self.tr("Используются стандартные правила."))
            return True
        loaded = load_rules(Path(text))
        if loaded.error:
            self.rules_status.setText(loaded.error)
            return False
        self.rules_status.setText(self.tr("Файл правил в порядке."))
        return True

    def install_rules(self) -> None:
        target = paths.config_dir() / OVERRIDE_NAME
        text = self.rules_path.text().strip()
        if not text:
            target.unlink(missing_ok=True)
        elif Path(text).resolve() != target.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(text, target)
