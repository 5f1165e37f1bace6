"""How the portal compares values in filters and ordering: the comparison kind of a field, and
reading numbers, moments and dates the way the portal reads them (finite numbers only; dates within
MySQL's range; ISO with or without an offset, or the portal's own ``dd.mm.yyyy`` and ``mm/dd/yyyy``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache, partial
from typing import Any

# Comparison kinds of fields.
INT, FLOAT, TEXT, DATETIME, DATE = "int", "float", "text", "datetime", "date"

# MySQL DATETIME's range: moments outside it are not dates the portal can store.
_EARLIEST = datetime(1000, 1, 2, tzinfo=UTC).timestamp()
_LATEST = datetime(9999, 12, 30, tzinfo=UTC).timestamp()


@lru_cache(maxsize=65536)
def parse_moment(text: str, tz_offset_minutes: int = 180) -> float | None:
    """A timestamp for ISO (with or without offset), ``dd.mm.yyyy[ hh:mm[:ss]]`` or ``mm/dd/yyyy`` text."""
    text = text.strip()
    if not text:
        return None
    local = timezone(timedelta(minutes=tz_offset_minutes))
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if "-" in text[:10] else text)
    except ValueError:
        moment = None
        for pattern in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y"):
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local)
    try:
        stamp = moment.timestamp()
    except (OverflowError, ValueError):
        return None
    return stamp if _EARLIEST <= stamp <= _LATEST else None


def date_key(text: str) -> date | None:
    """Date-only values compare on their calendar date: ISO's first ten characters or dd.mm.yyyy."""
    text = text.strip()
    try:
        if len(text) >= 10 and text[4] == "-":
            day = date.fromisoformat(text[:10])
        elif len(text) >= 10 and text[2] == ".":
            day = datetime.strptime(text[:10], "%d.%m.%Y").date()
        else:
            return None
    except ValueError:
        return None
    return day if 1000 <= day.year <= 9999 else None


def to_number(value: Any) -> float | None:
    """A finite number from a filter or field value (``5``, ``"5"``, ``"5.5"``), or None."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def to_integer(value: Any) -> int | None:
    number = to_number(value)
    return None if number is None else int(number)


def converter(kind: str, tz_minutes: int) -> Callable[[Any], Any]:
    """How values of a kind compare. Module-level functions (and partials of them), so a table pickles."""
    if kind == INT:
        return to_integer
    if kind == FLOAT:
        return to_number
    if kind == DATETIME:
        return partial(_moment_key, tz_minutes=tz_minutes)
    if kind == DATE:
        return _date_key
    return _text_key


def _moment_key(value: Any, tz_minutes: int) -> float | None:
    return parse_moment(str(value), tz_minutes) if value not in (None, "") else None


def _date_key(value: Any) -> date | None:
    return date_key(str(value)) if value not in (None, "") else None


def _text_key(value: Any) -> str | None:
    # MySQL's default collation compares text case-insensitively.
    return str(value).casefold() if value is not None else None


def matcher(text: str, pattern: bool) -> Callable[[str], bool]:
    """A case-insensitive test of casefolded values.

    ``pattern`` (``=%``, ``%=``): SQL LIKE — ``%`` any text, ``_`` one character, else the whole value.
    Otherwise (``%``, and the ``like`` predicates other families build): a substring, unless the text
    brings its own ``%``, which then make it a whole-value pattern.
    """
    text = text.casefold()
    if not pattern and "%" not in text:
        return lambda value: text in value
    one_char = "." if pattern else "_"
    expression = "".join(".*" if char == "%" else one_char if char == "_" else re.escape(char) for char in text)
    return re.compile(expression, re.DOTALL).fullmatch  # type: ignore[return-value]
