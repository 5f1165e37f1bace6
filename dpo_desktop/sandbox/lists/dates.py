"""Dates and times as universal lists read them: ISO-8601 or the portal's own locale format.

Lists answer in the portal's locale format (``31.12.2024 23:59:59`` on a Russian portal,
``12/31/2024 11:59:59 pm`` on an English one) and accept either that or ISO-8601 on input: the
lists module sends ISO strings through ``CRestUtil::unConvertDateTime`` and everything else through
the site-format parser. Values are kept as integers — Unix seconds for datetimes, proleptic ordinals
for dates — so filters and ordering compare numbers and never re-parse text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..timefmt import PortalClock

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?)?$")

# The site formats each locale's parser understands (MakeTimeStamp with FORMAT_DATETIME / FORMAT_DATE).
_LOCALE_PATTERNS = {
    "ru": ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"),
    "en": ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"),
}


@lru_cache(maxsize=4096)
def _parse(text: str, offset_minutes: int, locale: str) -> datetime | None:
    """Cached: seeds and filters repeat the same few dates many times."""
    try:
        moment = _read(text.strip(), timezone(timedelta(minutes=offset_minutes)), locale)
    except (OverflowError, ValueError):
        return None
    # Only what a MySQL DATETIME holds is a date the portal can store.
    return moment if moment is not None and 1000 <= moment.year <= 9999 else None


def _read(text: str, zone: timezone, locale: str) -> datetime | None:
    if not text:
        return None
    if _ISO.match(text):
        iso = text.replace(" ", "T", 1).replace("z", "+00:00").replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            return None
        if moment.tzinfo is not None:
            return moment.astimezone(zone)
        return moment.replace(tzinfo=zone)
    # (unconfirmed) only the portal's own locale format is understood besides ISO: a Russian portal
    # does not read 12/31/2024, an English one does not read 31.12.2024.
    for pattern in _LOCALE_PATTERNS.get(locale, _LOCALE_PATTERNS["ru"]):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def read_moment(value: object, clock: PortalClock) -> int | None:
    """Unix seconds for a datetime written as ISO or in the portal's locale format; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    moment = _parse(str(value), clock.offset_minutes, clock.locale)
    return int(moment.timestamp()) if moment is not None else None


def read_day(value: object, clock: PortalClock) -> int | None:
    """The ordinal of a calendar date (a time part, if any, is dropped in the server's zone)."""
    if isinstance(value, bool) or value is None:
        return None
    moment = _parse(str(value), clock.offset_minutes, clock.locale)
    return moment.date().toordinal() if moment is not None else None


def show_moment(seconds: int, clock: PortalClock) -> str:
    return clock.locale_datetime(seconds)


def show_day(ordinal: int, clock: PortalClock) -> str:
    return clock.locale_date(date.fromordinal(ordinal))
