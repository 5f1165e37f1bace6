"""The «Участники» tab: the deal's participants, and every way to change them.

Each change goes to the outbox and the cache on the lane first (``sync.roster``, ``sync.deal_edit``),
then the outbox is pushed; without a connection the change stays, marked «ждёт отправки». Removing
someone is not pushed at once, so it can be undone («Отменить») until the next sync sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
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
from ..dialogs.frdo_issued import open_issued_editor
from ..dialogs.paste_people import PastePeopleDialog, parse_people
from ..models.participants import ParticipantsModel, load_rows
from ..widgets.contact_search import ContactSearch
from ..widgets.participant_table import ParticipantTable

log = logging.getLogger("dpo.ui")
_WATCHED = frozenset({"participants", "contacts", "documents", "outbox", "deals"})


async def push_outbox(context: AppContext) -> PushStats:
    return await Pusher(context.client, context.store, context.mapping).push()


def report_push(context: AppContext, stats: PushStats, done_text: str) -> None:
    """Tell the user what became of a push: conflicts and failures, waiting, or done."""
    if stats.conflicts or stats.failed:
        for message in stats.messages:
            context.messages.error(message[:1].upper() + message[1:])
    elif stats.waiting:
        context.messages.warning(QCoreApplication.translate("Participants", "Нет связи с порталом: изменения сохранены "
                                                                            "и ждут отправки"))
    elif done_text:
        context.messages.info(done_text)


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
        self.new_button = QPushButton(self.tr("Новый контакт…"), self)
        self.paste_button = QPushButton(self.tr("Вставить из Excel"), self)
        self.edit_button = QPushButton(self.tr("Данные из документов…"), self)
        self.remove_button = QPushButton(self.tr("Убрать из сделки"), self)
        self.undo_button = QPushButton(self.tr("Отменить удаление"), self)
        self.issued_button = QPushButton(self.tr("Выданный документ…"), self)
        self.issued_button.setToolTip(self.tr("Удостоверение или диплом участника и данные для ФИС ФРДО"))
        self.issued_button.clicked.connect(lambda: open_issued_editor(self))
        self.undo_button.setEnabled(False)
        self.new_button.clicked.connect(self.open_contact_form)
        self.paste_button.clicked.connect(lambda: self.paste_people())
        self.edit_button.clicked.connect(self.edit_current_contact)
        self.remove_button.clicked.connect(self.remove_current)
        self.undo_button.clicked.connect(self.undo_remove)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.paste_button, self.edit_button, self.issued_button, self.remove_button,
                       self.undo_button):
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

    def select_contact(self, contact_id: int) -> None:
        """Select the participant with this contact (a problem found elsewhere points at them)."""
        position = self.model.position_of(contact_id)
        if position is not None:
            self.table.selectRow(position)
            self.table.setFocus()

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
            self.push(self.tr("Добавлено участников: {added}").format(added=added))

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
            self.context.messages.warning(self.tr("В буфере обмена нет строк с людьми (ожидаются столбцы из Excel)"))
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
            self.context.messages.warning(self.tr("Контакт ещё не отправлен на портал: дождитесь синхронизации"))
            return
        dialog = ContactFieldsDialog(contact, self)
        dialog.accepted.connect(lambda: self.update_contact(contact.id, dialog.changes()))
        self._open(dialog)

    def update_contact(self, contact_id: int, changes: dict[str, Any]) -> None:
        if not changes:
            return

        async def work(context: AppContext) -> None:
            update_contact(context.store, contact_id, changes)

        self.context.run(work, lambda _: (self.reload(), self.push(self.tr("Данные контакта отправлены на портал"))))

    def remove_current(self) -> None:
        contact_id, deal_id = self.current_contact_id(), self.deal_id
        if contact_id is None or deal_id is None:
            return
        self.context.run(lambda context: _remove(context, deal_id, contact_id), self._on_removed)

    def _on_removed(self, edit: RosterEdit) -> None:
        self._removed.append(edit)
        self.undo_button.setEnabled(True)
        self.reload()
        self.context.messages.info(self.tr("Участник убран из сделки; до синхронизации это можно отменить"))

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
        raise RosterError(QCoreApplication.translate("Participants", "Удаление уже отправлено на портал; добавьте "
                                                                     "участника заново"))
    with context.store.write() as tx:
        tx.mark_done(item.id, {"cancelled": True})  # the outbox has no delete: a settled no-op is the same
        tx.upsert_participants([edit.participant])
