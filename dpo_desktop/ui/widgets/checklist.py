"""The participant's required documents as a row of slots: present, missing or rejected; each one a drop target.

A file dropped onto a slot is uploaded as that slot's type (the row's owner decides for whom).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from ...domain.models import DocumentType
from ..dnd import DropZone

SLOT_TITLES = {"present": QT_TRANSLATE_NOOP("Checklist", "есть"), "missing": QT_TRANSLATE_NOOP("Checklist", "нет"),
               "rejected": QT_TRANSLATE_NOOP("Checklist", "отклонён")}

SlotDrop = Callable[[DocumentType, list[Path]], None]


class ChecklistSlot(QFrame):
    """One required type and whether the participant has it; files dropped here get this type.

    Attributes: ``doc_type``, ``state`` («present», «missing» or «rejected»).
    """

    def __init__(self, doc_type: DocumentType, state: str, on_drop: SlotDrop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc_type, self.state = doc_type, state
        self.setObjectName(f"slot_{doc_type.value}")
        self.setProperty("slotState", state)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(self.tr("Перетащите сюда файл: он будет загружен как «{title}»").format(title=doc_type.title))
        label = QLabel(f"{doc_type.title}: {QCoreApplication.translate('Checklist', SLOT_TITLES[state])}", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(label)
        self.label = label
        self.zone = DropZone(self, lambda dropped, _where: on_drop(self.doc_type, dropped))


class ChecklistRow(QWidget):
    """The slots, left to right in the order given; ``set_states`` replaces them all."""

    def __init__(self, on_drop: SlotDrop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_drop = on_drop
        self._slots: list[ChecklistSlot] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_states(self, states: Iterable[tuple[DocumentType, str]]) -> None:
        for slot in self._slots:
            self._layout.removeWidget(slot)
            slot.deleteLater()
        self._slots = []
        for doc_type, state in states:
            slot = ChecklistSlot(doc_type, state, self._on_drop, self)
            self._layout.addWidget(slot)
            self._slots.append(slot)

    def slots(self) -> list[ChecklistSlot]:
        return list(self._slots)

    def slot(self, doc_type: DocumentType) -> ChecklistSlot | None:
        return next((slot for slot in self._slots if slot.doc_type is doc_type), None)
