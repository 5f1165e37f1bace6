"""Every problem in a contact's data at once: for the contact card and the ФИС ФРДО pre-flight.

The validators stop at the first problem of one value; an office fixing a card wants the whole list.
Empty optional fields are not problems here — whether a document is owed is completeness's business.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..domain.models import Contact
from .validators import (
    ValidationProblem,
    normalize_citizenship,
    normalize_email,
    normalize_name,
    normalize_passport_number,
    normalize_passport_series,
    normalize_phone,
    normalize_snils,
    validate_birth_date,
)


def check_contact(contact: Contact, *, today: date | None = None) -> list[ValidationProblem]:
    """The problems of ``contact``'s fields, in the order of a contact card."""
    problems: list[ValidationProblem] = []

    def check(run: Callable[[], object]) -> None:
        try:
            run()
        except ValidationProblem as problem:
            problems.append(problem)

    check(lambda: normalize_name(contact.last_name, field="last_name"))
    check(lambda: normalize_name(contact.name, field="name"))
    if contact.second_name.strip():
        check(lambda: normalize_name(contact.second_name, field="second_name"))
    if contact.birth_date is not None:
        check(lambda: validate_birth_date(contact.birth_date, today=today))
    for phone in contact.phones:
        check(lambda phone=phone: normalize_phone(phone))
    for email in contact.emails:
        check(lambda email=email: normalize_email(email))
    if contact.citizenship.strip():
        check(lambda: normalize_citizenship(contact.citizenship))
    if contact.snils.strip():
        check(lambda: normalize_snils(contact.snils))
    if contact.passport_series.strip() or contact.passport_number.strip():
        check(lambda: normalize_passport_series(contact.passport_series, contact.citizenship))
        check(lambda: normalize_passport_number(contact.passport_number, contact.citizenship))
    if contact.diploma_surname.strip():
        check(lambda: normalize_name(contact.diploma_surname, field="diploma_surname"))
    return problems
