"""check_contact: every problem of a contact card at once, none for a clean one."""

from __future__ import annotations

from datetime import date

import pytest

from dpo_desktop.domain.models import Contact
from dpo_desktop.rules.contact_check import check_contact

TODAY = date(2026, 11, 20)
CLEAN = Contact(id=1, last_name="Иванова", name="Мария", second_name="Петровна", birth_date=date(1985, 6, 1),
                phones=("+7 (912) 345-67-89",), emails=("m.ivanova@mail.ru",), snils="112-233-445 95",
                passport_series="45 08", passport_number="123456", citizenship="643", diploma_surname="Петрова")


def test_a_clean_contact_has_no_problems():
    assert check_contact(CLEAN, today=TODAY) == []


def test_empty_optional_fields_are_not_problems():
    assert check_contact(Contact(id=2, last_name="Иванова", name="Мария"), today=TODAY) == []


@pytest.mark.parametrize(("changes", "fields"), [
    ({"last_name": ""}, ["last_name"]),
    ({"second_name": "Пeтровна"}, ["second_name"]),
    ({"birth_date": date(2020, 1, 1)}, ["birth_date"]),
    ({"phones": ("+7 912 345-67-89", "12345")}, ["phone"]),
    ({"emails": ("m.ivanova@mailru",)}, ["email"]),
    ({"snils": "112-233-445 96"}, ["snils"]),
    ({"passport_number": ""}, ["passport_number"]),
    ({"citizenship": "Казахстан"}, ["citizenship"]),
    ({"citizenship": "398", "passport_series": "N", "passport_number": "12345678"}, []),
    ({"diploma_surname": "Петрова2"}, ["diploma_surname"]),
    ({"last_name": "", "name": "", "snils": "1", "emails": ("a b@c.ru",)}, ["last_name", "name", "email", "snils"]),
])
def test_problems_are_listed_in_card_order(changes, fields):
    problems = check_contact(CLEAN.model_copy(update=changes), today=TODAY)
    assert [problem.field for problem in problems] == fields
    assert all(problem.message for problem in problems)
