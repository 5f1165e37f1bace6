"""The СНИЛС control number: the ПФР algorithm as dpo-domain.md §1.4 quotes it.

Kept apart from the validators so the arithmetic can be read (and tested) on its own. Note that a
"mod 11" rule circulates on explainer pages; it is wrong and is not used here.
"""

from __future__ import annotations

# The check is applied only to numbers greater than 001-001-998.
LAST_UNCHECKED_ACCOUNT = 1_001_998
_WEIGHTS = range(9, 0, -1)


def control_number(account: str) -> str:
    """The two control digits of a 9-digit account number.

    The digits are weighted 9..1 from the left and summed (S). S < 100 gives S; 100 and 101 give 00;
    otherwise S mod 101, where a remainder of 100 also gives 00.
    """
    if len(account) != 9 or not account.isdigit():
        raise ValueError(f"a СНИЛС account number has 9 digits, not {account!r}")
    total = sum(int(digit) * weight for digit, weight in zip(account, _WEIGHTS, strict=True))
    if total < 100:
        control = total
    elif total in (100, 101):
        control = 0
    else:
        control = total % 101
        if control == 100:
            control = 0
    return f"{control:02d}"


def is_checked(account: str) -> bool:
    """Whether the control number of this account number is checked at all (> 001-001-998)."""
    return int(account) > LAST_UNCHECKED_ACCOUNT


def format_snils(digits: str) -> str:
    """11 digits as the ФРДО prompt writes them: ``XXX-XXX-XXX XX``."""
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"
