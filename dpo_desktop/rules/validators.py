"""Validators for what the office types and what scans carry: each returns the normalised value or
raises :class:`ValidationProblem` with a Russian message for the user.

Every validator first removes invisible characters and odd spaces (``text.clean_text``), because
pasted values carry them and ФИС ФРДО rejects them. Normal forms: СНИЛС ``XXX-XXX-XXX XX`` (the ФРДО
prompt), a Russian passport series as 4 digits and number as 6 digits, dates as :class:`datetime.date`
(``format_date`` writes ``dd.mm.yyyy``), phones in E.164 (``+7XXXXXXXXXX`` for Russia), e-mail with
the domain in lower case, names with single spaces and plain hyphens and apostrophes.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..domain.models import DocumentType
from .snils import control_number, format_snils, is_checked
from .text import clean_text, plural, quoted

RUSSIA = "643"  # ОКСМ code
MIN_AGE, MAX_AGE = 14, 100  # a passport is issued at 14; older than 100 is a typo


class ValidationProblem(ValueError):
    """A value is not acceptable. ``field`` is the logical field name, ``message`` the Russian text."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- СНИЛС -------------------------------------------------------------------------------------------

_SEPARATOR = r"(?: ?- ?| )?"
_SNILS = re.compile(rf"([0-9]{{3}}){_SEPARATOR}([0-9]{{3}}){_SEPARATOR}([0-9]{{3}}){_SEPARATOR}([0-9]{{2}})")


def normalize_snils(value: str, *, field: str = "snils") -> str:
    """``XXX-XXX-XXX XX`` from that form, 11 bare digits or digits grouped by spaces; checksum checked
    for numbers above 001-001-998."""
    text = clean_text(value)
    if not text:
        raise ValidationProblem(field, "СНИЛС не указан")
    match = _SNILS.fullmatch(text)
    if match is None:
        raise ValidationProblem(field, f"СНИЛС {quoted(text)}: нужно 11 цифр в виде XXX-XXX-XXX XX")
    digits = "".join(match.groups())
    account, control = digits[:9], digits[9:]
    if is_checked(account):
        expected = control_number(account)
        if control != expected:
            raise ValidationProblem(
                field, f"СНИЛС {format_snils(digits)}: неверная контрольная сумма (должна быть {expected})")
    return format_snils(digits)


# --- citizenship and passport -------------------------------------------------------------------------

_RUSSIA_NAMES = {"рф", "россия", "российская федерация", "ru", "rus"}


def normalize_citizenship(value: str, *, field: str = "citizenship") -> str:
    """The 3-digit ОКСМ code; Excel's lost leading zeros are restored (``51`` → ``051``)."""
    text = clean_text(value)
    if text.casefold() in _RUSSIA_NAMES:
        return RUSSIA
    if re.fullmatch(r"[0-9]{1,3}", text) and int(text) > 0:
        return text.zfill(3)
    raise ValidationProblem(field, f"Гражданство {quoted(text)}: нужен трёхзначный код страны по ОКСМ (643 — Россия)")


def is_foreign(citizenship: str) -> bool:
    """A known citizenship other than Russia's; an empty one is taken as Russian (the usual case)."""
    if not citizenship or citizenship == RUSSIA:  # the usual case, asked for every participant
        return False
    code = clean_text(citizenship)
    return bool(code) and code.zfill(3) != RUSSIA and code.casefold() not in _RUSSIA_NAMES


_FOREIGN_PART = re.compile(r"[0-9A-ZА-ЯЁ]*")


def normalize_passport_series(value: str, citizenship: str = RUSSIA, *, field: str = "passport_series") -> str:
    """A Russian passport: 4 digits (``45 08`` → ``4508``). A foreign one: up to 10 letters and digits,
    possibly none."""
    text = clean_text(value)
    compact = re.sub(r"[ -]", "", text).upper()
    if is_foreign(citizenship):
        if len(compact) > 10 or not _FOREIGN_PART.fullmatch(compact):
            raise ValidationProblem(field, f"Серия документа {quoted(text)}: "
                                           "допустимы буквы и цифры, не более 10 знаков")
        return compact
    if not compact:
        raise ValidationProblem(field, "Серия паспорта не указана")
    if not re.fullmatch(r"[0-9]{4}", compact):
        raise ValidationProblem(field, f"Серия паспорта {quoted(text)}: нужно 4 цифры (например, 45 08)")
    return compact


def normalize_passport_number(value: str, citizenship: str = RUSSIA, *, field: str = "passport_number") -> str:
    """A Russian passport: 6 digits. A foreign one: 4 to 20 letters and digits, with at least one digit."""
    text = clean_text(value)
    compact = re.sub(r"[ -]", "", text).upper()
    if not compact:
        raise ValidationProblem(field, "Номер документа не указан" if is_foreign(citizenship)
                                else "Номер паспорта не указан")
    if is_foreign(citizenship):
        if not (4 <= len(compact) <= 20 and _FOREIGN_PART.fullmatch(compact) and re.search(r"[0-9]", compact)):
            raise ValidationProblem(field, f"Номер документа {quoted(text)}: нужно от 4 до 20 букв и цифр, "
                                           "среди них хотя бы одна цифра")
        return compact
    if not re.fullmatch(r"[0-9]{6}", compact):
        raise ValidationProblem(field, f"Номер паспорта {quoted(text)}: нужно 6 цифр")
    return compact


# --- dates -----------------------------------------------------------------------------------------------

_RU_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?")


def parse_date(value: str | date, *, field: str = "date") -> date:
    """A date from ``dd.mm.yyyy``, ISO ``yyyy-mm-dd`` (a portal's ISO datetime gives its own date part),
    or a date object."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if match := _RU_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValidationProblem(field, f"Дата {quoted(text)}: нужна в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationProblem(field, f"Дата {quoted(text)}: такой даты нет")


def format_date(value: date) -> str:
    """``dd.mm.yyyy``, as ФИС ФРДО and Russian forms write dates."""
    return value.strftime("%d.%m.%Y")


def age_on(birth: date, today: date) -> int:
    """Full years on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def validate_birth_date(value: str | date, *, today: date | None = None, field: str = "birth_date") -> date:
    """A plausible birth date: the person is 14 to 100 years old today."""
    birth = parse_date(value, field=field)
    today = today or date.today()
    if birth > today:
        raise ValidationProblem(field, f"Дата рождения {format_date(birth)} ещё не наступила")
    age = age_on(birth, today)
    if not MIN_AGE <= age <= MAX_AGE:
        years = plural(age, "год", "года", "лет")
        raise ValidationProblem(field, f"Дата рождения {format_date(birth)}: возраст {age} {years}, "
                                       f"ожидается от {MIN_AGE} до {MAX_AGE} лет")
    return birth


# --- e-mail and phone -------------------------------------------------------------------------------------

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?")  # letters of any script: почта.рф is a domain


def normalize_email(value: str, *, field: str = "email") -> str:
    """A sane address: one ``@``, no spaces, a dot in the domain; the domain is written in lower case."""
    text = clean_text(value)
    if not text:
        raise ValidationProblem(field, "Адрес электронной почты не указан")
    shown = f"Адрес электронной почты {quoted(text)}"
    if " " in text:
        raise ValidationProblem(field, f"{shown}: пробелы недопустимы")
    if text.count("@") != 1:
        raise ValidationProblem(field, f"{shown}: нужен ровно один знак @")
    local, domain = text.split("@")
    if not _EMAIL_LOCAL.fullmatch(local):
        raise ValidationProblem(field, f"{shown}: недопустимое имя до знака @")
    labels = domain.split(".")
    if len(labels) < 2:
        raise ValidationProblem(field, f"{shown}: в домене нет точки")
    tld = labels[-1]
    if not all(_DOMAIN_LABEL.fullmatch(label) for label in labels) or not (tld.isalpha() or tld.startswith("xn--")):
        raise ValidationProblem(field, f"{shown}: неверный домен после знака @")
    return f"{local}@{domain.lower()}"


_PHONE_TEXT = re.compile(r"\+?[0-9 ()\-.]+")


def normalize_phone(value: str, *, field: str = "phone") -> str:
    """E.164: a Russian number as ``+7XXXXXXXXXX`` (from ``8 (912) 345-67-89``, ``+7 912 …``,
    ``9123456789``); a foreign number is kept when it starts with ``+``."""
    text = clean_text(value)
    if not text:
        raise ValidationProblem(field, "Телефон не указан")
    shown = f"Телефон {quoted(text)}"
    if not _PHONE_TEXT.fullmatch(text):
        raise ValidationProblem(field, f"{shown}: допустимы цифры, пробелы, скобки, дефисы и + в начале")
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+") and not digits.startswith("7"):
        if not 8 <= len(digits) <= 15 or digits.startswith("0"):
            raise ValidationProblem(field, f"{shown}: международный номер — от 8 до 15 цифр после +")
        return f"+{digits}"
    if text.startswith("+") or (len(digits) == 11 and digits[0] in "78"):
        national = digits[1:] if len(digits) == 11 else ""
    else:
        national = digits if len(digits) == 10 else ""
    if not national:
        raise ValidationProblem(field, f"{shown}: нужно 10 цифр после +7 или 8, например 8 912 345-67-89; "
                                       "международный номер начинается с +")
    if national[0] in "012":
        raise ValidationProblem(field, f"{shown}: код города или оператора не может начинаться с {national[0]}")
    return f"+7{national}"


# --- names -------------------------------------------------------------------------------------------------

NAME_LABELS = {"last_name": "Фамилия", "name": "Имя", "second_name": "Отчество",
               "diploma_surname": "Фамилия в дипломе"}
_CYRILLIC = "\u0400-\u0481\u048a-\u052f"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD = re.compile(rf"[{_CYRILLIC}]+|[{_LATIN}]+")
_NAME = re.compile(rf"[{_CYRILLIC}{_LATIN}]+(?:(?:-|'| )[{_CYRILLIC}{_LATIN}]+)*")
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u02bb\u0060\u00b4"), "'")
_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def normalize_name(value: str, *, field: str = "last_name") -> str:
    """A surname, first name or patronymic: Cyrillic or Latin letters, hyphen, apostrophe, space.

    Typographic apostrophes and dashes become ``'`` and ``-``; spaces around a hyphen go. A word that
    mixes Cyrillic and Latin letters is refused: a Latin «о» in «Иванoв» looks right and matches nothing.
    """
    label = NAME_LABELS.get(field, "Имя")
    text = clean_text(value).translate(_APOSTROPHES).translate(_HYPHENS)
    text = re.sub(r" ?- ?", "-", text)
    if not text:
        raise ValidationProblem(field, f"{label}: не заполнено")
    if not _NAME.fullmatch(text):
        raise ValidationProblem(field, f"{label} {quoted(text)}: допустимы только буквы, дефис, апостроф и пробел")
    for word in re.split(r"[-' ]", text):
        if _WORD.fullmatch(word) is None:
            raise ValidationProblem(field, f"{label} {quoted(text)}: в слове {quoted(word)} "
                                           "смешаны русские и латинские буквы")
    return text


# --- document types -----------------------------------------------------------------------------------------


def parse_document_type(value: str, *, field: str = "type") -> DocumentType:
    """A document type from its code (``passport``) or its name as on the portal (``Паспорт``), any case."""
    text = clean_text(value)
    wanted = _fold(text)
    for doc_type in DocumentType:
        if wanted in (doc_type.value, _fold(doc_type.title)):
            return doc_type
    known = ", ".join(doc_type.title for doc_type in DocumentType)
    raise ValidationProblem(field, f"Тип документа {quoted(text)} неизвестен; известны: {known}")


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")
