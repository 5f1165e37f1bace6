"""The «Участники» tab: the deal's participants, and every way to change them.

Each change goes to the outbox and the cache on the lane first (``sync.roster``, ``sync.deal_edit``),
then the outbox is pushed; without a connection the change stays, marked «ждёт отправки». Removing
someone is not pushed at once, so it can be undone («Отменить») until the next sync sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import Contact
from ...sync.deal_edit import update_contact
from ...sync.people import Person
from ...sync.push import Pusher, PushStats
from ...sync.roster import RosterEdit, RosterError, add_participant, remove_participant
from ..context import AppContext
from ..dialogs.contact_form import ContactFieldsDialog, ContactForm
from ..dialogs.paste_people import PastePeopleDialog, parse_people
from ..models import IdRole
from ..models.participants import ParticipantsModel, load_rows, search_contacts

log = logging.getLogger("dpo.ui")
_WATCHED = frozenset({"participants", "contacts", "documents", "outbox", "deals"})


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drop carries (remote URLs and folders are not documents)."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and Path(url.toLocalFile()).is_file()]


async def push_outbox(context: AppContext) -> PushStats:
    return await Pusher(context.client, context.store, context.mapping).push()


def report_push(context: AppContext, stats: PushStats, done_text: str) -> None:
    """Tell the user what became of a push: conflicts and failures, waiting, or done."""
    if stats.conflicts or stats.failed:
        for message in stats.messages:
            context.messages.error(message[:1].upper() + message[1:])
    elif stats.waiting:
        context.messages.warning("Нет связи с порталом: изменения сохранены и ждут отправки")
    elif done_text:
        context.messages.info(done_text)


class ParticipantTable(QTableView):
    """The table; files dropped onto a row belong to that row's person.

    Signals:
        files_dropped(int, list): contact ID and the local file paths dropped onto its row.
    """

    files_dropped = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def _contact_at(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        index = self.indexAt(event.position().toPoint())
        contact_id = index.data(IdRole) if index.isValid() else None
        return int(contact_id) if contact_id is not None else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():  # only cheap checks here; the documents panel judges the files
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self._contact_at(event) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        contact_id = self._contact_at(event)
        paths = local_files(event.mimeData())
        if contact_id is None or not paths:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        QTimer.singleShot(0, lambda: self.files_dropped.emit(contact_id, [str(path) for path in paths]))


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
        self._contacts: list[Contact] | None = None  # loaded on the first search, dropped when contacts change
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Найти контакт для добавления: ФИО, телефон или эл. почта")
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setMaximumHeight(140)
        self.results.hide()
        self.add_button = QPushButton("Добавить", self)
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
        context.bridge.store_changed.connect(self._on_bridge_store_changed)
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
        self.context.bridge.store_changed.disconnect(self._on_bridge_store_changed)

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
        if self._contacts is None:
            reader = self.context.reader
            self._contacts = reader.contacts(reader.ids("contacts"))
        taken = {participant.contact_id for participant in self.context.reader.participants(deal_id=self.deal_id)}
        hits = search_contacts(self._contacts, query, taken)
        for hit in hits:
            item = QListWidgetItem(hit.text, self.results)
            item.setData(Qt.ItemDataRole.UserRole, hit.contact.id)
            if hit.taken:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        if not hits:
            empty = QListWidgetItem("Ничего не найдено — создайте новый контакт", self.results)
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

    def _on_bridge_store_changed(self, table: str, _keys: object) -> None:
        if table == "contacts":
            self._contacts = None


class ParticipantsView(QWidget):
    """A deal's participants with add / new / paste / edit / remove / undo.

    Signals:
        files_dropped(int, list): files dropped onto a participant (contact ID, paths).
        participant_selected(int): the current participant's contact ID (0: none).

    Attributes:
        model: the ParticipantsModel; table: the view; search: the contact search;
        dialog: the dialog opened last (forms open non-modally, so tests and users can reach them).
    """

    files_dropped = Signal(int, list)
    participant_selected = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.deal_id: int | None = None
        self.dialog: QDialog | None = None
        self._removed: list[RosterEdit] = []  # removals that can still be undone, newest last
        self.model = ParticipantsModel(self)
        self.table = ParticipantTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.files_dropped.connect(self.files_dropped)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.search = ContactSearch(context, self)
        self.search.contact_chosen.connect(self.add_contact)
        self.new_button = QPushButton("Новый контакт…", self)
        self.paste_button = QPushButton("Вставить из Excel", self)
        self.edit_button = QPushButton("Данные из документов…", self)
        self.remove_button = QPushButton("Убрать из сделки", self)
        self.undo_button = QPushButton("Отменить удаление", self)
        self.undo_button.setEnabled(False)
        self.new_button.clicked.connect(self.open_contact_form)
        self.paste_button.clicked.connect(lambda: self.paste_people())
        self.edit_button.clicked.connect(self.edit_current_contact)
        self.remove_button.clicked.connect(self.remove_current)
        self.undo_button.clicked.connect(self.undo_remove)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.paste_button, self.edit_button, self.remove_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(30)  # a sync writes in bursts: one reload per burst
        self._reload_timer.timeout.connect(self.reload)
        context.bridge.store_changed.connect(self._on_bridge_store_changed)

    def detach(self) -> None:
        """Stop following the cache (before the context closes): no reload may touch a closed reader."""
        self._reload_timer.stop()
        self.context.bridge.store_changed.disconnect(self._on_bridge_store_changed)
        self.search.detach()

    # -- showing -----------------------------------------------------------------------------------------

    def show_deal(self, deal_id: int) -> None:
        self.deal_id = deal_id
        self._removed.clear()
        self.undo_button.setEnabled(False)
        self.search.set_deal(deal_id)
        self.reload()

    def reload(self) -> None:
        deal = self.context.reader.deal(self.deal_id) if self.deal_id is not None else None
        current = self.current_contact_id()
        self.model.set_rows(load_rows(self.context.reader, deal, self.context.rules) if deal else [])
        position = self.model.position_of(current) if current else None
        if position is not None:
            self.table.selectRow(position)
        self.search.refresh()

    def current_contact_id(self) -> int | None:
        row = self.model.row_at(self.table.currentIndex().row())
        return row.contact_id if row is not None else None

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row())
        self.participant_selected.emit(row.contact_id if row is not None else 0)

    def _on_bridge_store_changed(self, table: str, _keys: object) -> None:
        if table in _WATCHED and self.deal_id is not None:
            self._reload_timer.start()

    # -- adding --------------------------------------------------------------------------------------------

    def add_contact(self, contact_id: int) -> None:
        self._add([(contact_id, None)])

    def add_people(self, people: Iterable[Person]) -> None:
        self._add([(None, person) for person in people])

    def _add(self, entries: list[tuple[int | None, Person | None]]) -> None:
        deal_id = self.deal_id
        if deal_id is None:
            return

        async def work(context: AppContext) -> tuple[int, list[str]]:
            added, refused = 0, []
            for contact_id, person in entries:
                try:
                    add_participant(context.store, deal_id, contact_id=contact_id, person=person)
                    added += 1
                except RosterError as error:
                    refused.append(str(error))
            return added, refused

        self.context.run(work, self._on_added)

    def _on_added(self, outcome: tuple[int, list[str]]) -> None:
        added, refused = outcome
        self.reload()  # the new rows show at once, marked «ждёт отправки»
        for reason in refused:
            self.context.messages.warning(reason[:1].upper() + reason[1:])
        if added:
            self.push(f"Добавлено участников: {added}")

    def push(self, done_text: str = "") -> None:
        """Send the outbox; the marks go when the portal has the changes."""
        self.context.run(push_outbox, lambda stats: self._on_pushed(stats, done_text))

    def _on_pushed(self, stats: PushStats, done_text: str) -> None:
        self.reload()
        report_push(self.context, stats, done_text)

    def open_contact_form(self) -> None:
        form = ContactForm(self)
        form.accepted.connect(lambda: self.add_people([form.person()]))
        self._open(form)

    def paste_people(self, text: str | None = None) -> None:
        """People copied from Excel (the clipboard unless ``text`` is given) → a preview → add the valid."""
        text = QApplication.clipboard().text() if text is None else text
        rows = parse_people(text)
        if not rows:
            self.context.messages.warning("В буфере обмена нет строк с людьми (ожидаются столбцы из Excel)")
            return
        dialog = PastePeopleDialog(rows, self)
        dialog.accepted.connect(lambda: self.add_people(dialog.valid_people()))
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- editing and removing -------------------------------------------------------------------------------

    def edit_current_contact(self) -> None:
        contact_id = self.current_contact_id()
        contact: Contact | None = self.context.reader.contact(contact_id) if contact_id else None
        if contact is None:
            return
        if contact.id < 0:
            self.context.messages.warning("Контакт ещё не отправлен на портал: дождитесь синхронизации")
            return
        dialog = ContactFieldsDialog(contact, self)
        dialog.accepted.connect(lambda: self.update_contact(contact.id, dialog.changes()))
        self._open(dialog)

    def update_contact(self, contact_id: int, changes: dict[str, Any]) -> None:
        if not changes:
            return

        async def work(context: AppContext) -> None:
            update_contact(context.store, contact_id, changes)

        self.context.run(work, lambda _: (self.reload(), self.push("Данные контакта отправлены на портал")))

    def remove_current(self) -> None:
        contact_id, deal_id = self.current_contact_id(), self.deal_id
        if contact_id is None or deal_id is None:
            return
        self.context.run(lambda context: _remove(context, deal_id, contact_id), self._on_removed)

    def _on_removed(self, edit: RosterEdit) -> None:
        self._removed.append(edit)
        self.undo_button.setEnabled(True)
        self.reload()
        self.context.messages.info("Участник убран из сделки; до синхронизации это можно отменить")

    def undo_remove(self) -> None:
        if not self._removed:
            return
        edit = self._removed.pop()
        self.undo_button.setEnabled(bool(self._removed))
        self.context.run(lambda context: _undo_remove(context, edit), lambda _: self.reload())


async def _remove(context: AppContext, deal_id: int, contact_id: int) -> RosterEdit:
    return remove_participant(context.store, deal_id, contact_id)


async def _undo_remove(context: AppContext, edit: RosterEdit) -> None:
    """Take back a removal the portal has not seen: its outbox item is settled as cancelled, the row restored."""
    item = context.store.outbox_item(edit.outbox_id)
    if item is None or item.state != "pending":
        raise RosterError("Удаление уже отправлено на портал; добавьте участника заново")
    with context.store.write() as tx:
        tx.mark_done(item.id, {"cancelled": True})  # the outbox has no delete: a settled no-op is the same
        tx.upsert_participants([edit.participant])
