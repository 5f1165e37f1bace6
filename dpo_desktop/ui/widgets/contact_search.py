"""Finding a contact to add to a deal: a search line over the cached contacts and its results."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ..context import AppContext
from ..models.participants import search_contacts


class ContactSearch(QWidget):
    """Find a contact to add by name, phone or e-mail; look-alikes are flagged «похожий контакт уже есть».

    Signals:
        contact_chosen(int): the user picked this contact (double click, Enter or «Добавить»).
    """

    contact_chosen = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.deal_id: int | None = None
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Найти контакт для добавления: ФИО, телефон или эл. почта"))
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setMaximumHeight(140)
        self.results.hide()
        self.add_button = QPushButton(self.tr("Добавить"), self)
        self.add_button.setEnabled(False)
        self.add_button.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)  # debounce keystrokes
        self._timer.timeout.connect(self.refresh)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.results.itemActivated.connect(self._choose)
        self.results.currentItemChanged.connect(lambda item, _old: self.add_button.setEnabled(self._usable(item)))
        self.add_button.clicked.connect(lambda: self._choose(self.results.currentItem()))
        line = QHBoxLayout()
        line.addWidget(self.edit, 1)
        line.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.results)

    def detach(self) -> None:
        self.deal_id = None  # a pending keystroke timer finds nothing to search
        self._timer.stop()

    def set_deal(self, deal_id: int) -> None:
        self.deal_id = deal_id
        self.edit.clear()

    def refresh(self) -> None:
        query = self.edit.text().strip()
        self.results.clear()
        if not query or self.deal_id is None:
            self.results.hide()
            self.add_button.hide()
            return
        taken = {participant.contact_id for participant in self.context.reader.participants(deal_id=self.deal_id)}
        hits = search_contacts(self.context.reader.search_contacts(query), query, taken)
        for hit in hits:
            item = QListWidgetItem(hit.text, self.results)
            item.setData(Qt.ItemDataRole.UserRole, hit.contact.id)
            if hit.taken:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        if not hits:
            empty = QListWidgetItem(self.tr("Ничего не найдено — создайте новый контакт"), self.results)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        self.results.show()
        self.add_button.show()

    @staticmethod
    def _usable(item: QListWidgetItem | None) -> bool:
        return item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled) \
            and item.data(Qt.ItemDataRole.UserRole) is not None

    def _choose(self, item: QListWidgetItem | None) -> None:
        if self._usable(item):
            self.contact_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
            self.edit.clear()
