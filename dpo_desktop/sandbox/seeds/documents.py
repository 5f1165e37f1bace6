"""What a participant's scans say and how their files are named, per document type.

A :class:`ScanPlan` is a recipe, not bytes: ``scans.render(*plan.recipe)`` makes the file. The wording
is the person's own (their name, numbers, dates), so every scan is unique to its person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .names import MALE_NAMES, masculine_surname, transliterate
from .people import HIGHER, RUSSIA, STUDENT, VOCATIONAL, Person
from .programmes import Event
from .scans import JPEG, PDF

# Document type code -> (scan kind, share of JPEG phone photos; the rest are scanner PDFs)
_LAYOUT = {
    "passport": ("passport", 0.8),
    "snils": ("snils", 0.8),
    "diploma": ("diploma", 0.45),
    "study_certificate": ("study_certificate", 0.2),
    "name_change": ("marriage", 0.6),
    "consent": ("consent", 0.15),
    "application": ("application", 0.1),
    "contract": ("contract", 0.05),
}
_AUTHORITIES = ("ГУ МВД России по г. Москве", "ГУ МВД России по Московской области", "УМВД России по Тульской области",
                "ГУ МВД России по Свердловской области", "МВД по Республике Татарстан",
                "ОУФМС России по Калужской области", "ГУ МВД России по Самарской области")
_CITIES = ("г. Москва", "г. Подольск", "г. Екатеринбург", "г. Казань", "г. Тула", "г. Калуга", "г. Воронеж",
           "г. Рязань", "г. Ярославль", "г. Самара", "г. Пермь", "г. Челябинск", "г. Нижний Новгород")
_QUALIFICATIONS = {HIGHER: ("Учитель", "Инженер", "Экономист", "Врач-лечебник", "Юрист", "Бакалавр",
                            "Менеджер", "Специалист по социальной работе"),
                   VOCATIONAL: ("Медицинская сестра", "Техник", "Бухгалтер", "Учитель начальных классов",
                           "Воспитатель детей дошкольного возраста", "Электромонтёр", "Фельдшер")}


@dataclass(frozen=True, slots=True)
class ScanPlan:
    type_code: str
    file_name: str
    recipe: tuple  # (kind, fmt, variant, lines): the arguments of scans.render


@dataclass(frozen=True, slots=True)
class DealContext:
    """What deal-specific papers (application, contract) mention."""

    event: Event
    customer: str  # the company's title, or the person's own name for a private client
    contract_number: str
    signed: date
    price: int


def plan_scan(rng: random.Random, type_code: str, person: Person, deal: DealContext, received: datetime,
              *, variant: int) -> ScanPlan:
    kind, photo_share = _LAYOUT[type_code]
    if type_code == "passport" and person.citizenship != RUSSIA:
        kind = "foreign_passport"
    fmt = JPEG if rng.random() < photo_share else PDF
    lines = tuple(_LINES[type_code](rng, person, deal))
    return ScanPlan(type_code, _file_name(rng, type_code, person, fmt, received), (kind, fmt, variant, lines))


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _passport_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    if person.citizenship != RUSSIA:
        return [f"Фамилия / Surname: {person.last_name} / {transliterate(person.last_name).upper()}",
                f"Имя / Given names: {person.first_name} {person.patronymic}",
                f"Гражданство: код ОКСМ {person.citizenship}", f"Дата рождения: {_d(person.birth_date)}",
                f"Пол: {person.sex}", f"Номер паспорта: {person.passport_series}{person.passport_number}",
                f"Дата выдачи: {_d(person.passport_issued)}"]
    return [f"Паспорт выдан: {rng.choice(_AUTHORITIES)}", f"Дата выдачи: {_d(person.passport_issued)}",
            f"Код подразделения: {rng.randrange(100, 999)}-{rng.randrange(1, 99):03d}",
            f"Серия {person.passport_series} № {person.passport_number}",
            f"Фамилия: {person.last_name.upper()}", f"Имя: {person.first_name.upper()}",
            f"Отчество: {person.patronymic.upper()}", f"Пол: {person.sex.upper()}.",
            f"Дата рождения: {_d(person.birth_date)}", f"Место рождения: {rng.choice(_CITIES)}"]


def _snils_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    return [f"Страховой номер: {person.snils}", f"Ф.И.О.: {person.full_name}",
            f"Дата рождения: {_d(person.birth_date)}", f"Пол: {'мужской' if person.sex == 'Муж' else 'женский'}"]


def _diploma_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    level = "о высшем образовании" if person.education == HIGHER else "о среднем профессиональном образовании"
    return [f"Диплом {level}", f"Серия {person.diploma_series} № {person.diploma_number}",
            f"{person.diploma_surname} {person.first_name} {person.patronymic}",
            f"Квалификация: {rng.choice(_QUALIFICATIONS[person.education])}",
            f"Год окончания: {person.diploma_year}", f"Регистрационный номер: {rng.randrange(100, 9999)}"]


def _certificate_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    course = rng.randrange(2, 5)
    return [f"Дана {person.full_name}, {_d(person.birth_date)} г. р.,",
            f"в том, что {'он' if person.sex == 'Муж' else 'она'} обучается на {course} курсе по очной форме.",
            f"Справка № {person.diploma_number}", f"Окончание обучения: 30.06.{person.diploma_year + 5 - course}"]


def _marriage_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    husband_surname = masculine_surname(person.last_name)
    registered = date(person.diploma_year + rng.randrange(1, 8), rng.randrange(1, 13), rng.randrange(1, 29))
    return [f"Он: {husband_surname} {rng.choice(MALE_NAMES)[0]}",
            f"Она: {person.diploma_surname} {person.first_name} {person.patronymic}",
            f"Дата государственной регистрации: {_d(registered)}",
            f"После заключения брака присвоены фамилии: мужу — {husband_surname}, жене — {person.last_name}",
            f"Серия I-МЮ № {rng.randrange(10**6):06d}"]


def _consent_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    return [f"Я, {person.full_name}, {_d(person.birth_date)} г. р.,",
            f"паспорт {person.passport_series} № {person.passport_number}, телефон {person.phone},",
            f"Дата: {_d(deal.signed)}"]


def _application_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    event = deal.event
    return [f"Я, {person.full_name}, прошу зачислить меня на обучение по программе", f"«{event.name}»",
            f"({event.hours} ч., {event.kind}), код мероприятия {event.code}",
            f"Сроки обучения: {_d(event.start)} — {_d(event.end)}", f"Телефон: {person.phone}, e-mail: {person.email}",
            f"Дата: {_d(deal.signed)}"]


def _contract_lines(rng: random.Random, person: Person, deal: DealContext) -> list[str]:
    event = deal.event
    return [f"№ {deal.contract_number} от {_d(deal.signed)}", f"Заказчик: {deal.customer}",
            f"Обучающийся: {person.full_name}", f"Программа: «{event.name}», {event.hours} ч.",
            f"Стоимость обучения: {deal.price:,} руб. 00 коп.".replace(",", " ")]


_LINES = {"passport": _passport_lines, "snils": _snils_lines, "diploma": _diploma_lines,
          "study_certificate": _certificate_lines, "name_change": _marriage_lines, "consent": _consent_lines,
          "application": _application_lines, "contract": _contract_lines}
_TITLES = {"passport": "Паспорт", "snils": "СНИЛС", "diploma": "Диплом", "study_certificate": "Справка",
           "name_change": "Свидетельство о браке", "consent": "Согласие ПД", "application": "Заявление",
           "contract": "Договор"}


def _file_name(rng: random.Random, type_code: str, person: Person, fmt: str, received: datetime) -> str:
    """Names as they arrive: phone camera and messenger names, scanner names, names people typed."""
    shot = datetime.combine(received.date(), time(rng.randrange(8, 21), rng.randrange(60), rng.randrange(60)))
    shot -= timedelta(days=rng.randrange(0, 3))
    style = rng.random()
    if fmt == JPEG and style < 0.35:
        return f"IMG_{shot:%Y%m%d_%H%M%S}.jpg"
    if fmt == JPEG and style < 0.55:
        return f"photo_{shot:%Y-%m-%d_%H-%M-%S}.jpg"
    if fmt == PDF and style < 0.3:
        return f"Scan_{shot:%Y%m%d}_{rng.randrange(1, 40):04d}.pdf"
    initials = f"{person.first_name[0]}.{person.patronymic[0]}." if person.patronymic else f"{person.first_name[0]}."
    title = _TITLES[type_code]
    if style < 0.8:
        return f"{title} {person.last_name} {initials}.{fmt}"
    return f"{person.last_name}_{title.replace(' ', '_').lower()}.{fmt}"


def needed_types(person: Person) -> list[str]:
    """The document types a complete file of this person holds (dpo-domain.md §1.2)."""
    types = ["passport"]
    if person.snils:
        types.append("snils")
    types.append("study_certificate" if person.education == STUDENT else "diploma")
    if person.surname_changed:
        types.append("name_change")
    types.extend(("consent", "application", "contract"))
    return types
