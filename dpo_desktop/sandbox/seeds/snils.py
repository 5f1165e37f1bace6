"""СНИЛС numbers with a correct control number (ПФР algorithm, dpo-domain.md §1.4)."""

from __future__ import annotations

import random

# Account numbers up to 001-001-998 are not checked (and were never issued to people).
_FIRST_CHECKED = 1001998


def control_number(account: str) -> str:
    """The two control digits for a 9-digit account number: weights 9..1 from the left, then
    S < 100 → S; S in (100, 101) → 00; otherwise S mod 101, where a remainder of 100 → 00."""
    if len(account) != 9 or not account.isdigit():
        raise ValueError(f"a СНИЛС account number has 9 digits, not {account!r}")
    total = sum(int(digit) * weight for digit, weight in zip(account, range(9, 0, -1), strict=True))
    if total < 100:
        control = total
    elif total in (100, 101):
        control = 0
    else:
        control = total % 101
        if control == 100:
            control = 0
    return f"{control:02d}"


def format_snils(digits: str) -> str:
    """11 digits as the ФРДО prompt writes them: ``XXX-XXX-XXX XX``."""
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def random_snils(rng: random.Random) -> str:
    """11 digits (no separators) of a plausible, checksum-valid СНИЛС."""
    account = rng.randrange(_FIRST_CHECKED + 1, 999_999_999)
    text = f"{account:09d}"
    return text + control_number(text)
