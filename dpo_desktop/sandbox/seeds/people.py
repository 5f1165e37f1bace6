"""Generated participants: consistent Russian (and a few foreign) people with their documents' data.

Everything is drawn from the ``random.Random`` passed in, so the same generator state gives the same
person on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .names import EXTRA_SURNAMES, FEMALE_NAMES, MALE_NAMES, SURNAMES, feminine_surname, transliterate
from .snils import format_snils, random_snils

RUSSIA = "643"
# ОКСМ codes of the foreign citizens a Russian ДПО office typically teaches, with their weights.
FOREIGN_CITIZENSHIPS = (("112", 3), ("398", 3), ("860", 2), ("417", 1))

HIGHER, VOCATIONAL, STUDENT = "ВО", "СПО", "Справка"

_CENTRAL_ASIAN_MALE = (("Рустам", "Рустамович", "Рустамовна"), ("Фарход", "Фарходович", "Фарходовна"),
                       ("Шерзод", "Шерзодович", "Шерзодовна"), ("Бахтияр", "Бахтиярович", "Бахтияровна"),
                       ("Азамат", "Азаматович", "Азаматовна"))
_CENTRAL_ASIAN_FEMALE = ("Дилноза", "Гульнара", "Нигора", "Малика", "Айгуль", "Камила")
_OLD_HIGHER_SERIES = (("ТВ", "УВ", "ФВ", "ЦВ", "ЭВ"), ("АВС", "БВС", "ДВС", "ИВС", "ВСА", "ВСБ"),
                      ("ВСГ", "ВСА", "ВСБ", "КА", "КБ"))
_MAIL_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "ya.ru")
_PASSPORT_REGIONS = ("45", "46", "40", "41", "65", "50", "52", "60", "63", "75", "80", "92", "36", "04", "14")
_MOBILE_CODES = ("900", "901", "903", "905", "906", "909", "910", "912", "915", "916", "917", "919", "921",
                 "922", "925", "926", "929", "937", "950", "951", "953", "960", "961", "977", "985", "999")


@dataclass(frozen=True, slots=True)
class Person:
    last_name: str
    first_name: str
    patronymic: str
    sex: str  # "Муж" or "Жен", as ФРДО column Z writes it
    birth_date: date
    citizenship: str  # ОКСМ code
    snils: str  # as typed by the office ("XXX-XXX-XXX XX" or 11 digits); "" for some foreigners
    passport_series: str
    passport_number: str
    passport_issued: date
    phone: str
    email: str
    education: str  # HIGHER, VOCATIONAL or STUDENT
    diploma_surname: str  # the surname printed in the base diploma (ФРДО column P)
    diploma_series: str
    diploma_number: str
    diploma_year: int

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        """Иванова М. П."""
        initials = " ".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}"

    @property
    def surname_changed(self) -> bool:
        return self.diploma_surname != self.last_name


def make_person(rng: random.Random, *, today: date, foreign_share: float = 0.05) -> Person:
    citizenship = RUSSIA
    if rng.random() < foreign_share:
        codes, weights = zip(*FOREIGN_CITIZENSHIPS, strict=True)
        citizenship = rng.choices(codes, weights)[0]
    female = rng.random() < 0.68  # ДПО audiences (teachers, nurses, HR) are mostly women
    central_asian = citizenship in ("860", "417") and rng.random() < 0.7
    surname = rng.choice(EXTRA_SURNAMES if central_asian else SURNAMES)
    father = rng.choice(_CENTRAL_ASIAN_MALE if central_asian else MALE_NAMES)
    if female:
        first_name = rng.choice(_CENTRAL_ASIAN_FEMALE if central_asian else FEMALE_NAMES)
        last_name, patronymic = feminine_surname(surname), father[2]
    else:
        first_name = rng.choice(_CENTRAL_ASIAN_MALE if central_asian else MALE_NAMES)[0]
        last_name, patronymic = surname, father[1]
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange((date(2004, 12, 31) - date(1960, 1, 1)).days))

    education = rng.choices((HIGHER, VOCATIONAL, STUDENT), (62, 30, 8))[0]
    if education == STUDENT and birth.year < 1999:
        education = HIGHER
    diploma_year = min(today.year - 1, birth.year + (22 if education == HIGHER else 20))
    if education == STUDENT:
        diploma_year = today.year
    diploma_surname = last_name
    if female and education != STUDENT and birth.year <= 1998 and rng.random() < 0.3:
        # Married after graduating: the diploma still carries the maiden name.
        maiden = feminine_surname(rng.choice(SURNAMES))
        if maiden != last_name:
            diploma_surname = maiden
    series, number = _diploma_numbers(rng, education, diploma_year)
    passport_series, passport_number, issued = _passport(rng, citizenship, birth, today)

    snils = random_snils(rng)
    if citizenship != RUSSIA and rng.random() < 0.5:
        snils = ""  # not every foreign participant is registered with the pension fund
    elif rng.random() < 0.85:
        snils = format_snils(snils)
    return Person(
        last_name=last_name, first_name=first_name, patronymic=patronymic, sex="Жен" if female else "Муж",
        birth_date=birth, citizenship=citizenship, snils=snils,
        passport_series=passport_series, passport_number=passport_number, passport_issued=issued,
        phone=_phone(rng), email=_email(rng, first_name, last_name, birth),
        education=education, diploma_surname=diploma_surname, diploma_series=series, diploma_number=number,
        diploma_year=diploma_year,
    )


def _diploma_numbers(rng: random.Random, education: str, year: int) -> tuple[str, str]:
    if education == STUDENT:
        return "", f"{rng.randrange(12, 980)}/к-{year % 100:02d}"  # a college's certificate of study
    number = f"{rng.randrange(10**7):07d}"
    if year < 2014:  # forms before 2014 carried letter series, changed with each form
        if education == HIGHER:
            letters = _OLD_HIGHER_SERIES[0 if year < 1996 else 1 if year < 2009 else 2]
        else:
            letters = ("МТ", "ПТ", "УТ") if year < 1996 else ("СБ", "АК", "СТ")
        return rng.choice(letters), number
    prefix = "10" if education == HIGHER else "11"
    return f"{prefix}{rng.randrange(7700, 7799):04d}", number


def _passport(rng: random.Random, citizenship: str, birth: date, today: date) -> tuple[str, str, date]:
    # A Russian passport is replaced at 14, 20 and 45: the current one is from the latest of those ages.
    age_at_issue = max(age for age in (14, 20, 45) if birth.year + age <= today.year - 1 or age == 14)
    issued = date(birth.year + age_at_issue, birth.month, min(birth.day, 28)) + timedelta(days=rng.randrange(10, 60))
    if issued.year < 1997:  # the current passport form dates from 1997
        issued = date(1997 + rng.randrange(0, 5), rng.randrange(1, 13), rng.randrange(1, 29))
    if issued > today:
        issued = today - timedelta(days=rng.randrange(30, 400))
    if citizenship == RUSSIA:
        return f"{rng.choice(_PASSPORT_REGIONS)} {issued.year % 100:02d}", f"{rng.randrange(10**6):06d}", issued
    letters = {"112": ("MP", "MC", "KH"), "398": ("N",), "860": ("AA", "AB", "FA"), "417": ("AC", "ID")}[citizenship]
    digits = 8 if citizenship == "398" else 7
    return rng.choice(letters), f"{rng.randrange(10**digits):0{digits}d}", issued


def _phone(rng: random.Random) -> str:
    code, rest = rng.choice(_MOBILE_CODES), rng.randrange(10**7)
    digits = f"{rest:07d}"
    if rng.random() < 0.6:
        return f"+7{code}{digits}"
    return f"+7 ({code}) {digits[:3]}-{digits[3:5]}-{digits[5:]}"  # typed by hand into the CRM form


def _email(rng: random.Random, first_name: str, last_name: str, birth: date) -> str:
    first, last = transliterate(first_name), transliterate(last_name)
    style = rng.randrange(4)
    if style == 0:
        local = f"{first[0]}.{last}"
    elif style == 1:
        local = f"{last}.{first}"
    elif style == 2:
        local = f"{last}{birth.year % 100:02d}"
    else:
        local = f"{first}.{last}{rng.randrange(1, 999)}"
    return f"{local}@{rng.choice(_MAIL_DOMAINS)}"
