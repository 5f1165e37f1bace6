"""Values as the portal sends them → plain Python, at the boundary (reference §3, §16 gotchas 6–8).

- IDs and legacy numbers arrive as strings (``"410"``), absent links as ``null`` or ``"0"``;
- flags as ``"Y"``/``"N"`` (sometimes ``1``/``0``, ``true``/``false``);
- CRM datetimes as ISO-8601 with the server's offset; date-only CRM values as a datetime at midnight
  UTC rendered in that offset — the date is the first ten characters, never a time-zone conversion;
- universal lists write dates in the portal's locale (``31.12.2024``, ``12/31/2024 11:59:59 pm``);
- list element properties as ``{valueId: value}`` maps, even single ones.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

MAX_INT = 2**63 - 1


def to_int(value: Any) -> int | None:
    """``"410"`` → 410; ``None``, ``""``, ``"0"`` and junk → None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        try:
            number = int(float(str(value)))
        except (ValueError, OverflowError):  # "abc", "nan", "1e999"
            return None
    # Beyond what SQLite (and Bitrix24's own columns) hold: junk, not a number to carry further.
    return number if number and abs(number) <= MAX_INT else None


def to_float(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


def to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().upper() in ("Y", "1", "TRUE", "YES")
    return bool(value)


def yn(value: bool) -> str:
    return "Y" if value else "N"


def to_datetime(value: Any) -> datetime | None:
    """An ISO-8601 datetime with its offset kept; None for empty or unreadable values."""
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def to_date(value: Any) -> date | None:
    """A date-only value from a CRM datetime (first ten characters) or a plain date string."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) >= 10 and text[4] == "-":
            return date.fromisoformat(text[:10])
        return locale_date(text)
    except ValueError:
        return None


def locale_date(text: str) -> date | None:
    """``31.12.2024`` (Russian portals) or ``12/31/2024`` (English), optionally with a time after it."""
    text = text.strip()
    head = text.split(" ", 1)[0]
    try:
        if "." in head:
            return datetime.strptime(head, "%d.%m.%Y").date()
        if "/" in head:
            return datetime.strptime(head, "%m/%d/%Y").date()
        return date.fromisoformat(head[:10])
    except ValueError:
        return None


def locale_datetime(text: str) -> datetime | None:
    """``31.12.2024 23:59:59`` or ``12/31/2024 11:59:59 pm`` as a naive portal-local datetime.

    Read by position rather than ``strptime``: a full pull reads two of these per list element.
    """
    text = " ".join(str(text).split())
    day_part, _, time_part = text.partition(" ")
    try:
        if len(day_part) == 10 and day_part[2] == "." and day_part[5] == ".":
            year, month, day = int(day_part[6:]), int(day_part[3:5]), int(day_part[:2])
        elif len(day_part) == 10 and day_part[2] == "/" and day_part[5] == "/":
            year, month, day = int(day_part[6:]), int(day_part[:2]), int(day_part[3:5])
        elif len(day_part) == 10 and day_part[4] == "-":
            year, month, day = int(day_part[:4]), int(day_part[5:7]), int(day_part[8:])
        else:
            return None
        clock, _, meridiem = time_part.partition(" ")
        pieces = [int(piece) for piece in clock.split(":")] if clock else []
        hour, minute, second = [*pieces, 0, 0, 0][:3]
        if meridiem.lower() in ("am", "pm"):
            hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def property_values(value: Any) -> list[Any]:
    """A list element property (``{valueId: value}``, a list, a scalar or null) as its values."""
    if value is None or value == "" or value is False:
        return []
    if isinstance(value, dict):
        return [item for item in value.values() if item not in (None, "")]
    if isinstance(value, list):
        return [item for item in value if item not in (None, "")]
    return [value]


def property_value(value: Any) -> Any:
    """The single value of a list element property, or None."""
    values = property_values(value)
    return values[0] if values else None


def crm_link(value: Any) -> int | None:
    """A CRM link value (``"12"``, ``"C_12"``, ``12``) as the linked ID."""
    if value is None:
        return None
    text = str(value)
    if "_" in text:
        text = text.rsplit("_", 1)[1]
    return to_int(text)
