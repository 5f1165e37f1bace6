"""The participant's issued document as a form: kind, series, number, register entry, date, its ФИС ФРДО
status (original or duplicate, proofs), the original's data for a duplicate or an exchange, and the
participant's overrides of the deal's programme data. «Сохранить» only while every date is right.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.frdo import FrdoIssue, FrdoProgramme, OriginalDocument
from ...domain.models import IssuedDocument, Participant
from ...rules import ValidationProblem
from ...rules.frdo import template as t
from ...rules.validators import format_date, parse_date
from ...sync.frdo_edit import edit_issued
from ..widgets.validated import ValidatedLineEdit

if TYPE_CHECKING:
    from ..context import AppContext
    from ..views.participants import ParticipantsView


def dictionary_combo(values: tuple[str, ...], current: str, parent: QWidget, *, blank: bool = True) -> QComboBox:
    """A combo of a ФИС ФРДО dictionary (item data = the value), set to ``current``."""
    combo = QComboBox(parent)
    for value in ("", *values) if blank else values:
        combo.addItem(value, value)
    if current and combo.findData(current) < 0:
        combo.addItem(current, current)  # a value typed on the portal stays visible (the pre-flight names it)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def _hours(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 10_000:
        raise ValidationProblem("hours", QCoreApplication.translate("IssuedDocumentDialog",
                                                                   "Часы — целое число от 1 до 9999"))
    return int(text)


class IssuedDocumentDialog(QDialog):
    """Edit one participant's issued document; :meth:`issued` is the result.

    Attributes:
        kind, status, loss_proof, exchange_proof, destroyed, original_kind: combos; the others are line edits.
    """

    def __init__(self, participant: Participant, person: str, kinds: tuple[str, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.participant = participant
        issued, frdo = participant.issued, participant.issued.frdo
        self.setWindowTitle(self.tr("Выданный документ: %1").replace("%1", person))
        self.kind = dictionary_combo(kinds or t.DOCUMENT_KINDS, issued.kind, self)
        self.series, self.number = QLineEdit(issued.series, self), QLineEdit(issued.number, self)
        self.registration = QLineEdit(issued.registration_number, self)
        self.issue_date = self._date(issued.issue_date)
        self.status = dictionary_combo(t.STATUSES, frdo.status or t.ORIGINAL, self, blank=False)
        self.loss_proof = dictionary_combo(t.LOSS_PROOFS, frdo.loss_proof or t.NO, self, blank=False)
        self.exchange_proof = dictionary_combo(t.EXCHANGE_PROOFS, frdo.exchange_proof or t.NO, self, blank=False)
        self.destroyed = dictionary_combo(t.DESTRUCTION, frdo.destroyed or t.NO, self, blank=False)
        original = frdo.original
        self.original_kind = dictionary_combo(t.DOCUMENT_KINDS, original.kind, self)
        self.original_series, self.original_number = QLineEdit(original.series, self), QLineEdit(original.number, self)
        self.original_registration = QLineEdit(original.registration_number, self)
        self.original_date = self._date(original.issue_date)
        self.original_last_name = QLineEdit(original.last_name, self)
        self.original_name = QLineEdit(original.name, self)
        self.original_second_name = QLineEdit(original.second_name, self)
        self.change_number = QLineEdit(frdo.change_number, self)
        programme = frdo.programme
        self.programme_name = QLineEdit(programme.name, self)
        self.programme_name.setPlaceholderText(self.tr("как в сделке"))
        self.qualification = QLineEdit(programme.qualification, self)
        self.qualification.setPlaceholderText(self.tr("как в сделке"))
        self.hours = ValidatedLineEdit(_hours, optional=True, placeholder=self.tr("как в сделке"), parent=self)
        self.hours.setText("" if programme.hours is None else str(programme.hours))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for field in (self.issue_date, self.original_date, self.hours):
            field.validity_changed.connect(self._update_save)
        columns = QHBoxLayout()
        columns.addWidget(self._group(self.tr("Документ"), (
            (self.tr("Вид документа"), self.kind), (self.tr("Серия"), self.series), (self.tr("Номер"), self.number),
            (self.tr("Регистрационный номер"), self.registration), (self.tr("Дата выдачи"), self.issue_date),
            (self.tr("Статус"), self.status), (self.tr("Подтверждение утраты"), self.loss_proof),
            (self.tr("Подтверждение обмена"), self.exchange_proof),
            (self.tr("Подтверждение уничтожения"), self.destroyed))))
        columns.addWidget(self._group(self.tr("Оригинал (для дубликата или обмена)"), (
            (self.tr("Вид документа"), self.original_kind), (self.tr("Серия"), self.original_series),
            (self.tr("Номер"), self.original_number), (self.tr("Регистрационный номер"), self.original_registration),
            (self.tr("Дата выдачи"), self.original_date), (self.tr("Фамилия"), self.original_last_name),
            (self.tr("Имя"), self.original_name), (self.tr("Отчество"), self.original_second_name),
            (self.tr("Номер документа для изменения"), self.change_number))))
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self._group(self.tr("Программа для этого участника (если не как в сделке)"), (
            (self.tr("Наименование программы"), self.programme_name), (self.tr("Квалификация"), self.qualification),
            (self.tr("Часов"), self.hours))))
        layout.addWidget(self.buttons)
        self._update_save()

    def _date(self, value: date | None) -> ValidatedLineEdit:
        field = ValidatedLineEdit(lambda text: parse_date(text, field="issue_date"), optional=True,
                                  placeholder=self.tr("ДД.ММ.ГГГГ"), parent=self)
        field.setText(format_date(value) if value else "")
        return field

    def _group(self, title: str, rows: tuple[tuple[str, QWidget], ...]) -> QGroupBox:
        group = QGroupBox(title, self)
        form = QFormLayout(group)
        for label, widget in rows:
            form.addRow(label, widget)
        return group

    def _update_save(self, *_: object) -> None:
        valid = all(field.is_valid() for field in (self.issue_date, self.original_date, self.hours))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(valid)

    def issued(self) -> IssuedDocument:
        """The document as the form now says (texts trimmed; «Оригинал» and «Нет» are the defaults)."""
        def text(edit: QLineEdit) -> str:
            return edit.text().strip()

        def chosen(combo: QComboBox, default: str = "", before: str = "") -> str:
            """The combo's value; the default stays unwritten unless it was written before."""
            value = combo.currentData() or ""
            return "" if value == default and not before else value
        original = OriginalDocument(
            kind=chosen(self.original_kind), series=text(self.original_series), number=text(self.original_number),
            registration_number=text(self.original_registration), issue_date=self.original_date.value(),
            last_name=text(self.original_last_name), name=text(self.original_name),
            second_name=text(self.original_second_name))
        programme = self.participant.issued.frdo.programme.model_copy(update={
            "name": text(self.programme_name), "qualification": text(self.qualification),
            "hours": self.hours.value()})
        before = self.participant.issued.frdo
        frdo = FrdoIssue(status=chosen(self.status, t.ORIGINAL, before.status),
                         loss_proof=chosen(self.loss_proof, t.NO, before.loss_proof),
                         exchange_proof=chosen(self.exchange_proof, t.NO, before.exchange_proof),
                         destroyed=chosen(self.destroyed, t.NO, before.destroyed),
                         change_number=text(self.change_number), original=original,
                         programme=FrdoProgramme.model_validate(programme.model_dump()))
        return IssuedDocument(kind=chosen(self.kind), series=text(self.series), number=text(self.number),
                              registration_number=text(self.registration), issue_date=self.issue_date.value(),
                              frdo=frdo)


def open_issued_editor(view: ParticipantsView) -> None:
    """The participants view's «Выданный документ…»: edit the current participant's document, then queue it
    (``sync.frdo_edit``) and send the outbox."""
    contact_id, deal_id = view.current_contact_id(), view.deal_id
    if contact_id is None or deal_id is None:
        return
    participant = next((item for item in view.context.reader.participants(deal_id=deal_id)
                        if item.contact_id == contact_id), None)
    if participant is None:
        return
    if participant.id is None:
        view.context.messages.warning(QCoreApplication.translate(
            "IssuedDocumentDialog", "Участник ещё не отправлен на портал: дождитесь синхронизации"))
        return
    contact = view.context.reader.contact(contact_id)
    kind_field = view.context.mapping.participants.fields.get("issued_kind")
    kinds = tuple(dict.fromkeys(kind_field.values.values())) if kind_field is not None else ()
    dialog = IssuedDocumentDialog(participant, contact.full_name if contact else f"#{contact_id}", kinds, view)

    def save() -> None:
        issued, code = dialog.issued(), participant.code
        if issued == participant.issued:
            return

        async def work(context: AppContext) -> None:
            edit_issued(context.store, code, issued)

        view.context.run(work, lambda _: (view.reload(), view.push(QCoreApplication.translate(
            "IssuedDocumentDialog", "Выданный документ отправлен на портал"))))

    dialog.accepted.connect(save)
    view._open(dialog)
