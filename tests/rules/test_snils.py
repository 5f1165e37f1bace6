"""СНИЛС: the control number of dpo-domain.md §1.4 and the accepted spellings."""

from __future__ import annotations

import pytest

from dpo_desktop.rules.snils import control_number, is_checked
from dpo_desktop.rules.validators import ValidationProblem, normalize_snils

# Every worked example of the reference: account number, control number.
WORKED_EXAMPLES = [
    ("112233445", "95"),  # S = 95 < 100: the official example
    ("123456789", "64"),  # S = 165, 165 mod 101 = 64
    ("100018999", "00"),  # S = 100
    ("985001413", "00"),  # S = 201, 201 mod 101 = 100 -> 00
    ("999999999", "01"),  # S = 405, 405 mod 101 = 1
]


@pytest.mark.parametrize(("account", "control"), WORKED_EXAMPLES)
def test_control_number_of_the_worked_examples(account, control):
    assert control_number(account) == control


# The branches the worked examples leave out, with the sums written out.
@pytest.mark.parametrize(("account", "control"), [
    ("100019899", "00"),  # 1·9 + 1·5 + 9·4 + 8·3 + 9·2 + 9·1 = 101 -> 00
    ("123000998", "99"),  # 1·9 + 2·8 + 3·7 + 9·3 + 9·2 + 8·1 = 99, the largest S kept as it is
    ("000000001", "01"),  # 1·1 = 1: written with two digits
    ("200000000", "18"),  # 2·9 = 18
])
def test_control_number_boundaries(account, control):
    assert control_number(account) == control


@pytest.mark.parametrize(("account", "control"), WORKED_EXAMPLES)
def test_worked_examples_are_valid_in_every_spelling(account, control):
    expected = f"{account[:3]}-{account[3:6]}-{account[6:]} {control}"
    for spelling in (expected, account + control, f"{account[:3]} {account[3:6]} {account[6:]} {control}",
                     f"{account[:3]}-{account[3:6]}-{account[6:]}-{control}", f" {expected}\u00a0"):
        assert normalize_snils(spelling) == expected


@pytest.mark.parametrize(("account", "control"), WORKED_EXAMPLES)
def test_every_other_control_number_is_refused_with_the_right_one_named(account, control):
    for wrong in (f"{number:02d}" for number in range(100)):
        if wrong == control:
            continue
        with pytest.raises(ValidationProblem) as caught:
            normalize_snils(account + wrong)
        assert caught.value.field == "snils"
        assert f"(должна быть {control})" in caught.value.message


def test_message_names_the_number_and_the_expected_control():
    with pytest.raises(ValidationProblem) as caught:
        normalize_snils("123-456-789 65")
    assert caught.value.message == "СНИЛС 123-456-789 65: неверная контрольная сумма (должна быть 64)"


# S of 001-001-998 is 1·7 + 1·4 + 9·3 + 9·2 + 8·1 = 64, so a wrong control shows whether it was checked.
@pytest.mark.parametrize("number", ["000-000-000 00", "001-001-998 00", "001-001-998 13", "000-000-001 99",
                                    "001-001-001 55"])
def test_numbers_up_to_001_001_998_are_not_checksum_checked(number):
    assert not is_checked(number.replace("-", "").replace(" ", "")[:9])
    assert normalize_snils(number) == number


@pytest.mark.parametrize(("number", "valid"), [
    ("001-001-999 65", True),  # S = 65 (1·7 + 1·4 + 9·3 + 9·2 + 9·1), the first checked number
    ("001-001-999 64", False),
    ("001-001-999 00", False),
])
def test_the_first_checked_number_is_checked(number, valid):
    assert is_checked("001001999")
    if valid:
        assert normalize_snils(number) == number
    else:
        with pytest.raises(ValidationProblem):
            normalize_snils(number)


@pytest.mark.parametrize("text", ["", "   ", "\u200b"])
def test_empty_snils_is_a_problem(text):
    with pytest.raises(ValidationProblem, match="СНИЛС не указан"):
        normalize_snils(text)


@pytest.mark.parametrize("text", ["1234567896", "123456789644", "123--456-789 64", "123.456.789 64", "12З-456-789 64",
                                  "123-456-789 6 4", "１２３４５６７８９６４", "СНИЛС 123-456-789 64"])
def test_malformed_snils_is_refused_with_the_expected_form(text):
    with pytest.raises(ValidationProblem) as caught:
        normalize_snils(text)
    assert "XXX-XXX-XXX XX" in caught.value.message


def test_snils_with_invisible_characters_is_cleaned():
    assert normalize_snils("112\u200b-233-445\u00a095\ufeff") == "112-233-445 95"


@pytest.mark.parametrize("account", ["12345678", "1234567890", "12345678x"])
def test_control_number_wants_nine_digits(account):
    with pytest.raises(ValueError):
        control_number(account)


def test_every_demo_person_has_a_valid_snils():
    """The sandbox's generator was written apart from the validator; they must agree."""
    import random
    from datetime import date

    from dpo_desktop.sandbox.seeds.people import make_person

    rng = random.Random(4)
    people = [make_person(rng, today=date(2026, 11, 20), foreign_share=0.2) for _ in range(500)]
    numbers = [person.snils for person in people if person.snils]
    assert len(numbers) > 400
    for number in numbers:
        assert normalize_snils(number).replace("-", "").replace(" ", "") == number.replace("-", "").replace(" ", "")
