"""Validators: each spelling the office meets gives one normal form, every bad value a Russian reason."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.rules.text import clean_text, plural
from dpo_desktop.rules.validators import (
    ValidationProblem,
    format_date,
    is_foreign,
    normalize_citizenship,
    normalize_email,
    normalize_name,
    normalize_passport_number,
    normalize_passport_series,
    normalize_phone,
    parse_date,
    parse_document_type,
    validate_birth_date,
)

TODAY = date(2026, 11, 20)


def problem_of(call, *args, **kwargs) -> ValidationProblem:
    with pytest.raises(ValidationProblem) as caught:
        call(*args, **kwargs)
    return caught.value


# --- text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "clean"), [
    ("Иванова\u00a0Мария", "Иванова Мария"),
    ("\u200bИванова\u200d", "Иванова"),
    ("Иванова\tМария  Петровна\n", "Иванова Мария Петровна"),
    ("\ufeff45\u202f08", "45 08"),
    ("Ива\u00adнова", "Иванова"),
    ("", ""),
])
def test_clean_text_removes_invisible_characters_and_odd_spaces(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(("number", "word"), [(0, "лет"), (1, "год"), (2, "года"), (4, "года"), (5, "лет"),
                                              (11, "лет"), (14, "лет"), (21, "год"), (22, "года"), (101, "год"),
                                              (111, "лет")])
def test_plural(number, word):
    assert plural(number, "год", "года", "лет") == word


# --- citizenship and passport -------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "code"), [("643", "643"), (" 643 ", "643"), ("51", "051"), ("4", "004"),
                                           ("РФ", "643"), ("Россия", "643"), ("RU", "643"), ("398", "398")])
def test_citizenship_is_a_three_digit_oksm_code(raw, code):
    assert normalize_citizenship(raw) == code


@pytest.mark.parametrize("raw", ["", "0", "6430", "Казахстан", "KZ"])
def test_bad_citizenship(raw):
    assert "ОКСМ" in problem_of(normalize_citizenship, raw).message


@pytest.mark.parametrize(("citizenship", "foreign"), [("", False), ("643", False), ("РФ", False), ("398", True),
                                                      ("112", True), (" 860 ", True)])
def test_is_foreign(citizenship, foreign):
    assert is_foreign(citizenship) is foreign


@pytest.mark.parametrize(("raw", "series"), [("4508", "4508"), ("45 08", "4508"), ("45-08", "4508"),
                                             ("\u00a045\u00a008 ", "4508")])
def test_russian_passport_series(raw, series):
    assert normalize_passport_series(raw) == series
    assert normalize_passport_series(raw, "") == series  # unknown citizenship is taken as Russian


@pytest.mark.parametrize(("raw", "reason"), [("", "Серия паспорта не указана"), ("450", "4 цифры"),
                                             ("45081", "4 цифры"), ("45 0A", "«45 0A»: нужно 4 цифры"),
                                             ("МР", "4 цифры")])
def test_bad_russian_passport_series(raw, reason):
    problem = problem_of(normalize_passport_series, raw, "643")
    assert problem.field == "passport_series"
    assert reason in problem.message


@pytest.mark.parametrize(("raw", "number"), [("123456", "123456"), ("123 456", "123456"), ("012345", "012345")])
def test_russian_passport_number(raw, number):
    assert normalize_passport_number(raw, "643") == number


@pytest.mark.parametrize(("raw", "reason"), [("", "Номер паспорта не указан"), ("12345", "6 цифр"),
                                             ("1234567", "6 цифр"), ("12345А", "6 цифр")])
def test_bad_russian_passport_number(raw, reason):
    problem = problem_of(normalize_passport_number, raw, "643")
    assert (problem.field, reason in problem.message) == ("passport_number", True)


@pytest.mark.parametrize(("citizenship", "series", "number", "normal"), [
    ("398", "N", "12345678", ("N", "12345678")),  # Kazakhstan: a letter and 8 digits
    ("112", "mp", "1234567", ("MP", "1234567")),  # Belarus, typed in lower case
    ("860", "", "AA 1234567", ("", "AA1234567")),  # Uzbekistan: series written into the number
    ("417", "ID", "0123456", ("ID", "0123456")),
])
def test_foreign_documents_follow_a_relaxed_rule(citizenship, series, number, normal):
    assert (normalize_passport_series(series, citizenship), normalize_passport_number(number, citizenship)) == normal


@pytest.mark.parametrize(("series", "number"), [("ABCDEFGHIJK", "123456"), ("N#", "123456")])
def test_bad_foreign_series(series, number):
    assert problem_of(normalize_passport_series, series, "398").field == "passport_series"


@pytest.mark.parametrize("number", ["", "123", "ABCDEF", "1" * 21, "12-34/56"])
def test_bad_foreign_number(number):
    assert problem_of(normalize_passport_number, number, "398").field == "passport_number"


def test_every_generated_person_has_valid_passport_and_contacts():
    """The sandbox generator (independent of the validators) produces what offices type."""
    from dpo_desktop.sandbox.seeds.people import make_person

    rng = random.Random(7)
    for _ in range(400):
        person = make_person(rng, today=TODAY, foreign_share=0.25)
        normalize_passport_series(person.passport_series, person.citizenship)
        normalize_passport_number(person.passport_number, person.citizenship)
        assert normalize_phone(person.phone).startswith("+7")
        normalize_email(person.email)
        for part in (person.last_name, person.first_name, person.patronymic, person.diploma_surname):
            assert normalize_name(part) == part
        validate_birth_date(person.birth_date, today=TODAY)


# --- dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [
    ("05.03.1990", date(1990, 3, 5)),
    ("5.3.1990", date(1990, 3, 5)),
    ("1990-03-05", date(1990, 3, 5)),
    ("1990-03-05T00:00:00+03:00", date(1990, 3, 5)),  # a portal's date field
    ("1990-03-05T23:30:00Z", date(1990, 3, 5)),
    (" 29.02.2024\u00a0", date(2024, 2, 29)),
    (date(1990, 3, 5), date(1990, 3, 5)),
    (datetime(1990, 3, 5, 12, tzinfo=timezone(timedelta(hours=3))), date(1990, 3, 5)),
])
def test_parse_date(raw, value):
    assert parse_date(raw) == value


@pytest.mark.parametrize(("raw", "reason"), [
    ("31.02.2020", "такой даты нет"), ("29.02.2023", "такой даты нет"), ("2020-13-01", "такой даты нет"),
    ("05.03.90", "ДД.ММ.ГГГГ"), ("05/03/1990", "ДД.ММ.ГГГГ"), ("", "ДД.ММ.ГГГГ"), ("1990-3-5", "ДД.ММ.ГГГГ"),
    ("вчера", "ДД.ММ.ГГГГ"),
])
def test_bad_dates(raw, reason):
    problem = problem_of(parse_date, raw, field="received")
    assert problem.field == "received"
    assert reason in problem.message


@pytest.mark.parametrize(("value", "text"), [(date(1990, 3, 5), "05.03.1990"), (date(2001, 12, 31), "31.12.2001")])
def test_format_date(value, text):
    assert format_date(value) == text


@pytest.mark.parametrize("birth", [
    date(2012, 11, 20),  # 14 today
    date(1926, 11, 20),  # 100 today: the range is inclusive
    date(1985, 6, 1),
])
def test_plausible_birth_dates(birth):
    assert validate_birth_date(format_date(birth), today=TODAY) == birth


@pytest.mark.parametrize(("birth", "reason"), [
    (date(2012, 11, 21), "возраст 13 лет"),  # 14 tomorrow
    (date(1925, 11, 20), "возраст 101 год"),
    (date(1924, 1, 1), "возраст 102 года"),
    (date(2026, 11, 20), "возраст 0 лет"),
    (date(2027, 1, 1), "ещё не наступила"),
])
def test_implausible_birth_dates(birth, reason):
    problem = problem_of(validate_birth_date, birth, today=TODAY)
    assert problem.field == "birth_date"
    assert reason in problem.message
    assert format_date(birth) in problem.message


def test_birth_date_problem_reads_whole():
    problem = problem_of(validate_birth_date, "21.11.2012", today=TODAY)
    assert problem.message == "Дата рождения 21.11.2012: возраст 13 лет, ожидается от 14 до 100 лет"


# --- e-mail and phone ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "normal"), [
    ("m.ivanova@mail.ru", "m.ivanova@mail.ru"),
    ("M.Ivanova@Mail.RU", "M.Ivanova@mail.ru"),
    (" hr+dpo@school-12.spb.ru\u200b", "hr+dpo@school-12.spb.ru"),
    ("info@почта.рф", "info@почта.рф"),
    ("a_b-c@xn--80a1acny.xn--p1ai", "a_b-c@xn--80a1acny.xn--p1ai"),
])
def test_good_emails(raw, normal):
    assert normalize_email(raw) == normal


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "не указан"),
    ("m ivanova@mail.ru", "пробелы"),
    ("m.ivanova.mail.ru", "ровно один знак @"),
    ("m@ivanova@mail.ru", "ровно один знак @"),
    ("@mail.ru", "имя до знака @"),
    ("m..ivanova@mail.ru", "имя до знака @"),
    (".m@mail.ru", "имя до знака @"),
    ("иванова@mail.ru", "имя до знака @"),
    ("m.ivanova@mailru", "нет точки"),
    ("m.ivanova@mail.", "неверный домен"),
    ("m.ivanova@mail,ru", "нет точки"),
    ("m.ivanova@-mail.ru", "неверный домен"),
    ("m.ivanova@mail.r1", "неверный домен"),
])
def test_bad_emails(raw, reason):
    problem = problem_of(normalize_email, raw)
    assert problem.field == "email"
    assert reason in problem.message


@pytest.mark.parametrize(("raw", "normal"), [
    ("8 (912) 345-67-89", "+79123456789"),
    ("+7 912 345-67-89", "+79123456789"),
    ("+7 (912) 345 67 89", "+79123456789"),
    ("9123456789", "+79123456789"),
    ("89123456789", "+79123456789"),
    ("79123456789", "+79123456789"),
    ("8-495-123-45-67", "+74951234567"),
    ("+7\u00a0912\u00a0345-67-89", "+79123456789"),
    ("+375 29 123-45-67", "+375291234567"),  # Belarus: kept in E.164
    ("+998 90 123 45 67", "+998901234567"),
    ("+49 30 1234567", "+49301234567"),
])
def test_good_phones(raw, normal):
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "не указан"),
    ("912345678", "10 цифр после +7 или 8"),
    ("891234567890", "10 цифр после +7 или 8"),
    ("+7 912 345-67-8", "10 цифр после +7 или 8"),
    ("+7 912 345-67-890", "10 цифр после +7 или 8"),
    ("375291234567", "10 цифр после +7 или 8"),  # a foreign number without + is ambiguous
    ("+1234", "от 8 до 15 цифр"),
    ("+1234567890123456", "от 8 до 15 цифр"),
    ("8 912 345-67-89 доб. 12", "допустимы цифры"),
    ("тел. 8 912 3456789", "допустимы цифры"),
    ("0123456789", "не может начинаться с 0"),
    ("8 (112) 345-67-89", "не может начинаться с 1"),
])
def test_bad_phones(raw, reason):
    problem = problem_of(normalize_phone, raw)
    assert problem.field == "phone"
    assert reason in problem.message


# --- names ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "normal"), [
    ("Иванова", "Иванова"),
    ("Иванова\u00a0", "Иванова"),
    ("Ива\u200bнова", "Иванова"),
    ("Римская-Корсакова", "Римская-Корсакова"),
    ("Римская – Корсакова", "Римская-Корсакова"),  # an en dash from a word processor
    ("Римская - Корсакова", "Римская-Корсакова"),
    ("Д’Артаньян", "Д'Артаньян"),
    ("O\u02bbg\u02bbiloy", "O'g'iloy"),
    ("Алиев  Рустам оглы", "Алиев Рустам оглы"),
    ("Ёлкина", "Ёлкина"),
    ("Müller", "Müller"),
    ("Әлібекова", "Әлібекова"),  # Kazakh Cyrillic
])
def test_good_names(raw, normal):
    assert normalize_name(raw) == normal


@pytest.mark.parametrize(("raw", "field", "reason"), [
    ("", "last_name", "Фамилия: не заполнено"),
    ("   ", "name", "Имя: не заполнено"),
    ("Иванова1", "last_name", "допустимы только буквы"),
    ("Иванова.", "last_name", "допустимы только буквы"),
    ("-Иванова", "last_name", "допустимы только буквы"),
    ("Иванова--Петрова", "last_name", "допустимы только буквы"),
    ("Иван0в", "last_name", "допустимы только буквы"),
    ("Иванoва", "last_name", "смешаны русские и латинские буквы"),  # Latin o
    ("Пeтровна", "second_name", "Отчество «Пeтровна»: в слове «Пeтровна» смешаны"),
    ("Ивановa", "diploma_surname", "Фамилия в дипломе"),
])
def test_bad_names(raw, field, reason):
    problem = problem_of(normalize_name, raw, field=field)
    assert problem.field == field
    assert reason in problem.message


# --- document types ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "doc_type"), [
    ("passport", DocumentType.PASSPORT), ("Паспорт", DocumentType.PASSPORT), ("паспорт ", DocumentType.PASSPORT),
    ("СНИЛС", DocumentType.SNILS), ("снилс", DocumentType.SNILS), ("name_change", DocumentType.NAME_CHANGE),
    ("Документ о смене фамилии", DocumentType.NAME_CHANGE), ("согласие на обработку пд", DocumentType.CONSENT),
    ("Справка об обучении", DocumentType.STUDY_CERTIFICATE), ("Другое", DocumentType.OTHER),
])
def test_parse_document_type(raw, doc_type):
    assert parse_document_type(raw) is doc_type


@pytest.mark.parametrize("raw", ["", "pasport", "Паспорт РФ"])
def test_unknown_document_type_lists_the_known_names(raw):
    problem = problem_of(parse_document_type, raw)
    assert problem.field == "type"
    assert all(doc_type.title in problem.message for doc_type in DocumentType)
