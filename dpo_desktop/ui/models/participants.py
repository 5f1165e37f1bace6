"""The participants of one deal as a table: who they are, how complete their documents are, and whether
an edit of them still waits in the outbox («ждёт отправки»)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ...domain.models import Completeness, Contact, Deal, Participant, full_name_of
from ...rules import DocumentRules, evaluate
from ...rules.snils import format_snils
from ...rules.validators import format_date
from . import EntityRole, IdRole, SortRole

if TYPE_CHECKING:
    from ...store import StoreReader

Index = QModelIndex | QPersistentModelIndex

NAME, BIRTH_DATE, SNILS, PHONE, EMAIL, COMPLETENESS, SYNC = range(7)
_HEADERS = (QT_TRANSLATE_NOOP("ParticipantsModel", "ФИО"), QT_TRANSLATE_NOOP("ParticipantsModel", "Дата рождения"),
            QT_TRANSLATE_NOOP("ParticipantsModel", "СНИЛС"), QT_TRANSLATE_NOOP("ParticipantsModel", "Телефон"),
            QT_TRANSLATE_NOOP("ParticipantsModel", "Эл. почта"), QT_TRANSLATE_NOOP("ParticipantsModel", "Документы"),
            QT_TRANSLATE_NOOP("ParticipantsModel", "Отправка"))
COMPLETENESS_TITLES = {Completeness.COMPLETE: QT_TRANSLATE_NOOP("ParticipantsModel", "полный"),
                       Completeness.PARTIAL: QT_TRANSLATE_NOOP("ParticipantsModel", "частично"),
                       Completeness.NONE: QT_TRANSLATE_NOOP("ParticipantsModel", "нет")}
_COMPLETENESS_COLOURS = {Completeness.COMPLETE: "#2e7d32", Completeness.PARTIAL: "#ef6c00",
                         Completeness.NONE: "#c62828"}
PENDING = QT_TRANSLATE_NOOP("ParticipantsModel", "ждёт отправки")


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    contact: Contact | None
    completeness: Completeness | None
    pending: bool  # an edit of this participant or their contact waits in the outbox

    @property
    def contact_id(self) -> int:
        return self.participant.contact_id

    @property
    def full_name(self) -> str:
        if self.contact is None:
            return f"#{self.contact_id}"
        return full_name_of(self.contact.id, self.contact.last_name, self.contact.name, self.contact.second_name)


class ParticipantsModel(QAbstractTableModel):
    """One deal's participants, one row each, keyed by contact ID."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ParticipantRow] = []

    # -- filling ---------------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[ParticipantRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_rows(self, rows: Iterable[ParticipantRow]) -> None:
        """Replace rows with the same contact ID in place (only their cells change)."""
        at = {row.contact_id: position for position, row in enumerate(self._rows)}
        for row in rows:
            position = at.get(row.contact_id)
            if position is not None:
                self._rows[position] = row
                self.dataChanged.emit(self.index(position, 0), self.index(position, len(_HEADERS) - 1))

    def row_at(self, position: int) -> ParticipantRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def position_of(self, contact_id: int) -> int | None:
        return next((position for position, row in enumerate(self._rows) if row.contact_id == contact_id), None)

    def rows(self) -> list[ParticipantRow]:
        return list(self._rows)

    # -- Qt -------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(_HEADERS):
            return self.tr(_HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SortRole:
            return self._sort_key(row, column)
        if role == IdRole:
            return row.contact_id
        if role == EntityRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and column == COMPLETENESS and row.completeness is not None:
            return QColor(_COMPLETENESS_COLOURS[row.completeness])
        if role == Qt.ItemDataRole.ToolTipRole and column == SYNC and row.pending:
            return self.tr("Изменение сохранено и будет отправлено на портал при следующей синхронизации")
        return None

    @staticmethod
    def _display(row: ParticipantRow, column: int) -> str:
        contact = row.contact
        if column == NAME:
            return row.full_name
        if column == COMPLETENESS:
            title = COMPLETENESS_TITLES.get(row.completeness) if row.completeness else None
            return QCoreApplication.translate("ParticipantsModel", title) if title else ""
        if column == SYNC:
            return QCoreApplication.translate("ParticipantsModel", PENDING) if row.pending else ""
        if contact is None:
            return ""
        if column == BIRTH_DATE:
            return format_date(contact.birth_date) if contact.birth_date else ""
        if column == SNILS:
            return shown_snils(contact.snils)
        if column == PHONE:
            return ", ".join(contact.phones)
        if column == EMAIL:
            return ", ".join(contact.emails)
        return ""

    def _sort_key(self, row: ParticipantRow, column: int) -> Any:
        if column == BIRTH_DATE:
            return row.contact.birth_date.isoformat() if row.contact and row.contact.birth_date else ""
        if column == COMPLETENESS:
            order = (Completeness.NONE, Completeness.PARTIAL, Completeness.COMPLETE)
            return order.index(row.completeness) if row.completeness else -1
        return self._display(row, column).casefold()


def pending_contacts(reader: StoreReader, deal_id: int) -> set[int]:
    """Contact IDs of this deal's participants whose edit still waits in the outbox."""
    waiting: set[int] = set()
    for item in reader.pending():
        payload = item.payload
        if item.kind == "participant.add" and payload.get("deal_id") == deal_id:
            contact = payload.get("contact_id")
            waiting.add(int(contact) if contact is not None else -item.id)  # a new person: provisional ID
        elif item.kind == "contact.update":
            waiting.add(int(payload["contact_id"]))
    return waiting


def load_rows(reader: StoreReader, deal: Deal, rules: DocumentRules) -> list[ParticipantRow]:
    """The deal's participants from the cache, judged against the rules, in the order they were added."""
    participants = reader.participants(deal_id=deal.id)
    contacts = {contact.id: contact for contact in reader.contacts(p.contact_id for p in participants)}
    judged = {evaluation.result.contact_id: evaluation.result.status for evaluation in
              evaluate([deal], contacts, participants, reader.documents(deal_id=deal.id), rules)}
    waiting = pending_contacts(reader, deal.id)
    return [ParticipantRow(participant, contacts.get(participant.contact_id), judged.get(participant.contact_id),
                           participant.id is None or participant.contact_id in waiting)
            for participant in participants]


@dataclass(frozen=True)
class SearchHit:
    contact: Contact
    text: str  # what the list shows, with the warnings
    taken: bool  # already a participant of the deal


def _fold(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def _haystack(contact: Contact) -> str:
    digits = " ".join("".join(ch for ch in phone if ch.isdigit()) for phone in contact.phones)
    return " ".join([_fold(contact.full_name), digits, *(email.casefold() for email in contact.emails)])


def search_contacts(contacts: Iterable[Contact], query: str, taken: set[int], limit: int = 30) -> list[SearchHit]:
    """Contacts matching every term of ``query`` (name parts, phone digits, e-mail), look-alikes flagged."""
    terms = [_fold(term) for term in query.split()][:6]
    terms = ["".join(ch for ch in term if ch.isdigit()) if term.lstrip("+").replace("-", "").isdigit() else term
             for term in terms]
    everyone = list(contacts)
    names: dict[str, list[Contact]] = {}
    for contact in everyone:
        if contact.id > 0:
            names.setdefault(_fold(contact.full_name), []).append(contact)
    hits = []
    for contact in everyone:
        if contact.id <= 0 or not all(term and term in _haystack(contact) for term in terms):
            continue
        parts = [contact.full_name]
        if contact.birth_date:
            parts.append(format_date(contact.birth_date))
        parts += list(contact.phones[:1]) + list(contact.emails[:1])
        text = ", ".join(parts)
        alike = [other.id for other in names.get(_fold(contact.full_name), [])
                 if other.id != contact.id and (not other.birth_date or not contact.birth_date
                                                or other.birth_date == contact.birth_date)]
        if alike:
            text += QCoreApplication.translate("Participants", " — похожий контакт уже есть (№ {ids})").format(
                ids=", ".join(map(str, alike)))
        if contact.id in taken:
            text += QCoreApplication.translate("Participants", " — уже участник")
        hits.append(SearchHit(contact, text, contact.id in taken))
        if len(hits) >= limit:
            break
    return hits


def shown_snils(value: str) -> str:
    """One way of writing a СНИЛС on screen (``XXX-XXX-XXX XX``), whatever form the portal keeps it in."""
    digits = "".join(char for char in value if char.isdigit())
    return format_snils(digits) if len(digits) == 11 else value
