"""The deal's programme as ФИС ФРДО names it: the programme's name, field, group of specialties,
qualification, years of study, form, funding and where it was studied. Empty values fall back to the
deal's own fields (its event name, dates and hours) in the export; participants may override them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ...domain.frdo import FrdoProgramme
from ...domain.models import Deal
from ...rules import ValidationProblem
from ...rules.frdo import template as t
from ...sync.deal_edit import update_deal
from ..widgets.validated import ValidatedLineEdit
from .frdo_issued import dictionary_combo

if TYPE_CHECKING:
    from ..context import AppContext


def _year(text: str) -> int:
    if not text.isdigit() or not t.FIRST_YEAR <= int(text) <= t.LAST_YEAR:
        raise ValidationProblem("year", QCoreApplication.translate(
            "FrdoProgrammeDialog", "Год — четыре цифры, от %1 до %2").replace("%1", str(t.FIRST_YEAR)).replace(
            "%2", str(t.LAST_YEAR)))
    return int(text)


class FrdoProgrammeDialog(QDialog):
    """Edit the deal's ФИС ФРДО programme data; :meth:`programme` is the result.

    Attributes:
        name, specialty_group, qualification: line edits; start_year, end_year: checked years;
        activity_field, study_form, funding, study_place: the template's dictionaries as combos.
    """

    def __init__(self, deal: Deal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deal = deal
        programme = deal.programme
        self.setWindowTitle(self.tr("Данные для ФИС ФРДО: %1").replace("%1", deal.title))
        self.name = QLineEdit(programme.name, self)
        self.name.setPlaceholderText(deal.event_name)
        self.activity_field = dictionary_combo(t.ACTIVITY_FIELDS, programme.activity_field, self)
        self.specialty_group = QLineEdit(programme.specialty_group, self)
        self.qualification = QLineEdit(programme.qualification, self)
        self.qualification.setPlaceholderText(self.tr("для переподготовки"))
        self.start_year = ValidatedLineEdit(_year, optional=True, parent=self)
        self.end_year = ValidatedLineEdit(_year, optional=True, parent=self)
        for field, value, fallback in ((self.start_year, programme.start_year, deal.start_date),
                                       (self.end_year, programme.end_year, deal.end_date)):
            field.setText("" if value is None else str(value))
            field.edit.setPlaceholderText(str(fallback.year) if fallback else "")
        self.study_form = dictionary_combo(t.STUDY_FORMS, programme.study_form, self)
        self.funding = dictionary_combo(t.FUNDING, programme.funding, self)
        self.study_place = dictionary_combo(t.STUDY_PLACES, programme.study_place, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for field in (self.start_year, self.end_year):
            field.validity_changed.connect(self._update_save)
        form = QFormLayout()
        for label, widget in ((self.tr("Наименование программы"), self.name),
                              (self.tr("Область профессиональной деятельности"), self.activity_field),
                              (self.tr("Укрупнённая группа специальностей"), self.specialty_group),
                              (self.tr("Квалификация"), self.qualification),
                              (self.tr("Год начала обучения"), self.start_year),
                              (self.tr("Год окончания обучения"), self.end_year),
                              (self.tr("Форма обучения"), self.study_form),
                              (self.tr("Источник финансирования"), self.funding),
                              (self.tr("Форма получения образования"), self.study_place)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _update_save(self, *_: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            self.start_year.is_valid() and self.end_year.is_valid())

    def programme(self) -> FrdoProgramme:
        """The programme as the form says; the hours stay the deal's (its own field)."""
        return self.deal.programme.model_copy(update={
            "name": self.name.text().strip(), "activity_field": self.activity_field.currentData() or "",
            "specialty_group": self.specialty_group.text().strip(), "qualification": self.qualification.text().strip(),
            "start_year": self.start_year.value(), "end_year": self.end_year.value(),
            "study_form": self.study_form.currentData() or "", "funding": self.funding.currentData() or "",
            "study_place": self.study_place.currentData() or ""})


def open_programme_editor(parent: QWidget, context: AppContext, deal_id: int | None,
                          on_saved: Callable[[Any], None] | None = None) -> FrdoProgrammeDialog | None:
    """Open the editor for a cached deal; a save goes to the outbox (``deal.update``) and ``on_saved(result)``
    runs on the GUI thread afterwards."""
    deal = context.reader.deal(deal_id) if deal_id is not None else None
    if deal is None:
        return None
    dialog = FrdoProgrammeDialog(deal, parent)

    def save() -> None:
        programme = FrdoProgramme.model_validate(dialog.programme().model_dump())
        if programme == deal.programme:
            return

        async def work(ctx: AppContext) -> None:
            update_deal(ctx.store, deal.id, {"frdo": programme})

        context.run(work, on_saved)

    dialog.accepted.connect(save)
    dialog.open()
    return dialog
