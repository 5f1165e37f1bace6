"""Forms for a person: a new contact (name, birth date, phone, e-mail, СНИЛС) and the fields a contact's
documents fill in (СНИЛС, passport, sex, citizenship, education, diploma). Both check as the user types,
show each reason at its field and keep «OK» disabled while anything is wrong."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from ...domain.models import Contact, EducationLevel, Sex
from ...rules.validators import (
    normalize_citizenship,
    normalize_email,
    normalize_name,
    normalize_passport_number,
    normalize_passport_series,
    normalize_phone,
    normalize_snils,
    validate_birth_date,
)
from ...sync.people import Person
from ..widgets.validated import ValidatedLineEdit

SEX_TITLES = {None: "—", Sex.MALE: QT_TRANSLATE_NOOP("ContactForm", "мужской"),
              Sex.FEMALE: QT_TRANSLATE_NOOP("ContactForm", "женский")}
LEVEL_TITLES = {None: "—", EducationLevel.HIGHER: QT_TRANSLATE_NOOP("ContactForm", "высшее (ВО)"),
                EducationLevel.VOCATIONAL: QT_TRANSLATE_NOOP("ContactForm", "среднее проф. (СПО)"),
                EducationLevel.STUDENT: QT_TRANSLATE_NOOP("ContactForm", "обучается (справка)")}


class _CheckedDialog(QDialog):
    """A dialog whose OK button follows the validity of its fields."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Отмена"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.fields: dict[str, ValidatedLineEdit] = {}

    def add_field(self, name: str, label: str, field: ValidatedLineEdit) -> ValidatedLineEdit:
        self.fields[name] = field
        field.validity_changed.connect(self._update_ok)
        self.form.addRow(label, field)
        self._update_ok()
        return field

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _update_ok(self, *_: object) -> None:
        self.ok_button.setEnabled(all(field.is_valid() for field in self.fields.values()))


class ContactForm(_CheckedDialog):
    """A new person to add to the deal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Новый контакт"), parent)
        self.add_field("last_name", self.tr("Фамилия"),
                       ValidatedLineEdit(lambda text: normalize_name(text, field="last_name")))
        self.add_field("name", self.tr("Имя"), ValidatedLineEdit(lambda text: normalize_name(text, field="name")))
        self.add_field("second_name", self.tr("Отчество"), ValidatedLineEdit(
            lambda text: normalize_name(text, field="second_name"), optional=True))
        self.add_field("birth_date", self.tr("Дата рождения"), ValidatedLineEdit(
            validate_birth_date, optional=True, placeholder=self.tr("ДД.ММ.ГГГГ")))
        self.add_field("phone", self.tr("Телефон"), ValidatedLineEdit(normalize_phone, optional=True,
                                                             placeholder="8 912 345-67-89"))
        self.add_field("email", self.tr("Эл. почта"), ValidatedLineEdit(normalize_email, optional=True))
        self.add_field("snils", self.tr("СНИЛС"), ValidatedLineEdit(normalize_snils, optional=True,
                                                           placeholder="XXX-XXX-XXX XX"))

    def person(self) -> Person:
        """The person as typed, normalised (call once OK is enabled)."""
        value = {name: field.value() for name, field in self.fields.items()}
        return Person(last_name=value["last_name"], name=value["name"], second_name=value["second_name"] or "",
                      birth_date=value["birth_date"],
                      phones=(value["phone"],) if value["phone"] else (),
                      emails=(value["email"],) if value["email"] else (),
                      extra=(("snils", value["snils"]),) if value["snils"] else ())


class ContactFieldsDialog(_CheckedDialog):
    """The fields of an existing contact that come from their documents."""

    TEXT_FIELDS = ("snils", "passport_series", "passport_number", "citizenship", "diploma_surname",
                   "diploma_series", "diploma_number")

    def __init__(self, contact: Contact, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Данные из документов: {full_name}").format(full_name=contact.full_name), parent)
        self.contact = contact
        citizenship = lambda: self.fields["citizenship"].value() or contact.citizenship or "643"  # noqa: E731
        self.add_field("snils", self.tr("СНИЛС"), ValidatedLineEdit(normalize_snils, optional=True))
        self.add_field("citizenship", self.tr("Гражданство (ОКСМ)"),
                       ValidatedLineEdit(normalize_citizenship, optional=True, placeholder="643"))
        self.add_field("passport_series", self.tr("Серия паспорта"), ValidatedLineEdit(
            lambda text: normalize_passport_series(text, citizenship()), optional=True))
        self.add_field("passport_number", self.tr("Номер паспорта"), ValidatedLineEdit(
            lambda text: normalize_passport_number(text, citizenship()), optional=True))
        self.sex = QComboBox(self)
        for sex, title in SEX_TITLES.items():
            self.sex.addItem(self.tr(title), sex)
        self.sex.setCurrentIndex(list(SEX_TITLES).index(contact.sex))
        self.form.addRow(self.tr("Пол"), self.sex)
        self.level = QComboBox(self)
        for level, title in LEVEL_TITLES.items():
            self.level.addItem(self.tr(title), level)
        self.level.setCurrentIndex(list(LEVEL_TITLES).index(contact.education_level))
        self.form.addRow(self.tr("Уровень образования"), self.level)
        self.add_field("diploma_surname", self.tr("Фамилия в дипломе"), ValidatedLineEdit(
            lambda text: normalize_name(text, field="diploma_surname"), optional=True))
        self.add_field("diploma_series", self.tr("Серия диплома"), ValidatedLineEdit(optional=True))
        self.add_field("diploma_number", self.tr("Номер диплома"), ValidatedLineEdit(optional=True))
        for name in self.TEXT_FIELDS:
            self.fields[name].setText(getattr(contact, name))

    def changes(self) -> dict[str, Any]:
        """What differs from the contact: logical field -> new value (empty text clears a field)."""
        found: dict[str, Any] = {}
        for name in self.TEXT_FIELDS:
            value = self.fields[name].value() or ""
            if value != getattr(self.contact, name):
                found[name] = value
        sex = Sex(self.sex.currentData()) if self.sex.currentData() else None  # Qt returns enums as str
        level = EducationLevel(self.level.currentData()) if self.level.currentData() else None
        if sex != self.contact.sex:
            found["sex"] = sex
        if level != self.contact.education_level:
            found["education_level"] = level
        return found
