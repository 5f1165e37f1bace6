"""The seeds' generators: СНИЛС checksums, people, scans and tiny PDFs — pure and deterministic."""

from __future__ import annotations

import hashlib
import io
import random
import re
from datetime import date

import pypdfium2
import pytest
from PIL import Image

from dpo_desktop.sandbox.seeds import scans
from dpo_desktop.sandbox.seeds.large import spread
from dpo_desktop.sandbox.seeds.names import feminine_surname, transliterate
from dpo_desktop.sandbox.seeds.people import FOREIGN_CITIZENSHIPS, HIGHER, RUSSIA, STUDENT, VOCATIONAL, make_person
from dpo_desktop.sandbox.seeds.snils import control_number, format_snils, random_snils
from dpo_desktop.sandbox.seeds.tiny_pdf import render_tiny_pdf

TODAY = date(2026, 11, 20)
# dpo-domain.md §1.4, worked examples: (account number, control number)
WORKED_EXAMPLES = [("112233445", "95"), ("123456789", "64"), ("100018999", "00"), ("985001413", "00"),
                   ("999999999", "01")]


def snils_is_valid(text: str) -> bool:
    """An independent reading of the ПФР rule (dpo-domain.md §1.4), used to check everything seeded."""
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{11}", digits):
        return False
    account, control = digits[:9], int(digits[9:])
    if int(account) <= 1001998:
        return True  # numbers up to 001-001-998 are not checked
    total = sum(int(digit) * (9 - position) for position, digit in enumerate(account))
    expected = total if total < 100 else 0 if total in (100, 101) else total % 101
    return control == (0 if expected == 100 else expected)


@pytest.mark.parametrize(("account", "control"), WORKED_EXAMPLES)
def test_validator_and_generator_agree_with_the_worked_examples(account, control):
    assert snils_is_valid(f"{account}{control}")
    assert snils_is_valid(format_snils(f"{account}{control}"))
    assert not snils_is_valid(f"{account}{(int(control) + 1) % 100:02d}")
    assert control_number(account) == control


def test_random_snils_are_valid_formatted_and_checked():
    rng = random.Random(5)
    numbers = [random_snils(rng) for _ in range(2000)]
    assert all(snils_is_valid(number) and int(number[:9]) > 1001998 for number in numbers)
    assert len(set(numbers)) == len(numbers)
    assert re.fullmatch(r"\d{3}-\d{3}-\d{3} \d{2}", format_snils(numbers[0]))


def test_surnames_and_transliteration():
    assert [feminine_surname(name) for name in ("Иванов", "Никитин", "Островский", "Толстой", "Шевченко", "Ким")] \
        == ["Иванова", "Никитина", "Островская", "Толстая", "Шевченко", "Ким"]
    assert transliterate("Щербакова Юлия") == "shcherbakova yuliya"


def test_people_are_consistent_and_reproducible():
    people = [make_person(random.Random(11), today=TODAY) for _ in range(2)]
    assert people[0] == people[1]
    rng = random.Random(12)
    crowd = [make_person(rng, today=TODAY, foreign_share=0.2) for _ in range(1500)]
    foreign_codes = {code for code, _ in FOREIGN_CITIZENSHIPS}
    for person in crowd:
        assert date(1960, 1, 1) <= person.birth_date <= date(2004, 12, 31)
        assert person.patronymic.endswith(("вич", "ич") if person.sex == "Муж" else ("вна", "чна"))
        assert person.citizenship == RUSSIA or person.citizenship in foreign_codes
        assert not person.snils or snils_is_valid(person.snils)
        assert re.fullmatch(r"\+7 ?\(?9\d\d\)? ?\d{3}-?\d{2}-?\d{2}", person.phone)
        assert re.fullmatch(r"[a-z0-9.]+@[a-z.]+\.ru|[a-z0-9.]+@gmail\.com", person.email)
        if person.citizenship == RUSSIA:
            assert re.fullmatch(r"\d\d \d\d", person.passport_series) and re.fullmatch(r"\d{6}", person.passport_number)
            assert person.snils
        if person.surname_changed:
            assert person.sex == "Жен" and person.education != STUDENT
        if person.education == STUDENT:
            assert person.birth_date.year >= 1999 and person.diploma_series == ""
    levels = {person.education for person in crowd}
    assert levels == {HIGHER, VOCATIONAL, STUDENT}
    assert sum(person.surname_changed for person in crowd) > 50
    assert {person.citizenship for person in crowd} >= {RUSSIA, *foreign_codes}
    assert any(not person.snils for person in crowd)  # some foreigners have none


@pytest.mark.parametrize("kind", sorted(scans.TEMPLATES))
@pytest.mark.parametrize("fmt", [scans.JPEG, scans.PDF])
def test_scans_decode_fit_the_size_range_and_repeat_exactly(kind, fmt):
    lines = ("Фамилия: Майорова", "Имя: Алина", "Отчество: Никитична", "Дата рождения: 03.02.1991")
    data = scans.render(kind, fmt, 7, lines)
    assert data == scans.render(kind, fmt, 7, lines)
    assert 20 * 1024 <= len(data) <= 120 * 1024
    other = scans.render(kind, fmt, 7, ("Фамилия: Лебедева", *lines[1:]))
    assert hashlib.sha256(other).digest() != hashlib.sha256(data).digest()
    if fmt == scans.JPEG:
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and image.width > 500
        image.load()
    else:
        document = pypdfium2.PdfDocument(data)
        try:
            assert len(document) == 1
            width, height = document[0].get_size()
            assert height / width == pytest.approx(297 / 210, rel=0.01)  # an A4 page
        finally:
            document.close()


def test_tiny_pdf_opens_and_names_the_person():
    data = render_tiny_pdf("Паспорт — Майорова Алина Никитична", ("Pasport", "Mayorova Alina", "Contact 7"))
    document = pypdfium2.PdfDocument(data)
    try:
        assert document.get_metadata_dict()["Title"] == "Паспорт — Майорова Алина Никитична"
        text = document[0].get_textpage().get_text_range()
        assert "Mayorova Alina" in text
    finally:
        document.close()


@pytest.mark.parametrize(("total", "parts", "mean", "width"), [(40_000, 5_000, 8, 7), (2_000, 400, 5, 3), (7, 3, 2, 1)])
def test_spread_adds_up_exactly(total, parts, mean, width):
    sizes = spread(random.Random(3), total, parts, mean, width)
    assert len(sizes) == parts and sum(sizes) == total and min(sizes) >= 1
    assert max(sizes) <= mean + width + 1
