"""Questions an upload batch leaves for the user: what to do with duplicates, and where unplaced files go.

Both dialogs are non-blocking: show them with ``open()`` and listen to ``decided``; their choices can be
set in code (``choose``, ``confirm``), which is also how tests drive them (no modal ``exec``).

DuplicatesDialog — files whose content the person already has: «Привязать имеющийся» (link the existing
file), «Загрузить ещё раз» (upload another copy) or «Пропустить» (skip), per file or one for all.
AttentionDialog — files the classification could not place with certainty: the user picks type and person.

Signals: ``decided(dict)`` — on «Готово»: item ID → decision (duplicates) or → (DocumentType, contact ID).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import DocumentType

if TYPE_CHECKING:
    from ...store import UploadItem
    from ...store.uploads import Decision

CHOICES: tuple[tuple[Decision, str], ...] = (
    ("link", QT_TRANSLATE_NOOP("Duplicates", "Привязать имеющийся")),
    ("keep", QT_TRANSLATE_NOOP("Duplicates", "Загрузить ещё раз")),
    ("skip", QT_TRANSLATE_NOOP("Duplicates", "Пропустить")),
)


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(QCoreApplication.translate("Duplicates", "Готово"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(QCoreApplication.translate("Duplicates", "Отложить"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class DuplicatesDialog(QDialog):
    decided = Signal(object)  # dict[int, Decision]

    def __init__(self, items: Sequence[UploadItem], describe: Callable[[str], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Такие документы уже есть"))
        self._boxes: dict[int, QComboBox] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Файл")), 0, 0)
        grid.addWidget(QLabel(self.tr("Уже есть")), 0, 1)
        grid.addWidget(QLabel(self.tr("Что сделать")), 0, 2)
        for row, item in enumerate(items, start=1):
            grid.addWidget(QLabel(item.name), row, 0)
            existing = describe(item.duplicate_of) if describe and item.duplicate_of else (item.duplicate_of or "")
            grid.addWidget(QLabel(existing), row, 1)
            box = QComboBox()
            for decision, title in CHOICES:
                box.addItem(QCoreApplication.translate("Duplicates", title), decision)
            box.currentIndexChanged.connect(lambda _index, box=box: self._follow(box))
            grid.addWidget(box, row, 2)
            self._boxes[item.id] = box
        self.apply_to_all = QCheckBox(self.tr("Применить ко всем"))
        self.apply_to_all.setVisible(len(items) > 1)
        self.apply_to_all.toggled.connect(self._on_apply_to_all_toggled)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("У этих людей уже есть документы с таким же содержимым.")))
        layout.addLayout(grid)
        layout.addWidget(self.apply_to_all)
        layout.addWidget(_buttons(self))
        self.accepted.connect(lambda: self.decided.emit(self.decisions()))

    def choose(self, item_id: int, decision: Decision) -> None:
        box = self._boxes[item_id]
        box.setCurrentIndex(box.findData(decision))

    def set_apply_to_all(self, on: bool) -> None:
        self.apply_to_all.setChecked(on)

    def decisions(self) -> dict[int, Decision]:
        return {item_id: box.currentData() for item_id, box in self._boxes.items()}

    def confirm(self) -> None:
        self.accept()

    def _on_apply_to_all_toggled(self, on: bool) -> None:
        if on and self._boxes:
            self._follow(next(iter(self._boxes.values())))  # the first row's choice goes to all

    def _follow(self, changed: QComboBox) -> None:
        if not self.apply_to_all.isChecked():
            return
        for box in self._boxes.values():
            if box is not changed and box.currentIndex() != changed.currentIndex():
                box.blockSignals(True)
                box.setCurrentIndex(changed.currentIndex())
                box.blockSignals(False)


class AttentionDialog(QDialog):
    decided = Signal(object)  # dict[int, tuple[DocumentType, int]]: only rows with both chosen

    def __init__(self, items: Sequence[UploadItem], people: Sequence[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Уточните документы"))
        self._types: dict[int, QComboBox] = {}
        self._people: dict[int, QComboBox] = {}
        grid = QGridLayout()
        for column, title in enumerate((self.tr("Файл"), self.tr("Почему"), self.tr("Тип"), self.tr("Участник"))):
            grid.addWidget(QLabel(title), 0, column)
        for row, item in enumerate(items, start=1):
            grid.addWidget(QLabel(item.name), row, 0)
            reason = QLabel(item.reason)
            reason.setWordWrap(True)
            grid.addWidget(reason, row, 1)
            types = QComboBox()
            types.addItem(self.tr("— выберите —"), None)
            for doc_type in DocumentType:
                types.addItem(doc_type.title, doc_type.value)
            if item.doc_type:
                types.setCurrentIndex(types.findData(item.doc_type))
            persons = QComboBox()
            persons.addItem(self.tr("— выберите —"), None)
            for contact_id, name in people:
                persons.addItem(name, contact_id)
            if item.contact_id is not None:
                persons.setCurrentIndex(max(persons.findData(item.contact_id), 0))
            grid.addWidget(types, row, 2)
            grid.addWidget(persons, row, 3)
            self._types[item.id], self._people[item.id] = types, persons
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Не удалось уверенно определить тип или участника. Выберите сами.")))
        layout.addLayout(grid)
        layout.addWidget(_buttons(self))
        self.accepted.connect(lambda: self.decided.emit(self.choices()))

    def choose(self, item_id: int, *, doc_type: DocumentType | None = None, contact_id: int | None = None) -> None:
        if doc_type is not None:
            self._types[item_id].setCurrentIndex(self._types[item_id].findData(doc_type.value))
        if contact_id is not None:
            self._people[item_id].setCurrentIndex(self._people[item_id].findData(contact_id))

    def choices(self) -> dict[int, tuple[DocumentType, int]]:
        chosen = {}
        for item_id, types in self._types.items():
            doc_type, contact_id = types.currentData(), self._people[item_id].currentData()
            if doc_type is not None and contact_id is not None:
                chosen[item_id] = (DocumentType(doc_type), int(contact_id))
        return chosen

    def confirm(self) -> None:
        self.accept()
