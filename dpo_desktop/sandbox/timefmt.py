"""How the portal writes and reads dates and times.

CRM methods write ISO-8601 with the *server's* offset; date-only CRM values come back as a datetime at
midnight UTC rendered in that offset (``2001-11-11T03:00:00+03:00`` on a Moscow server). Universal
lists write the portal's locale format instead (``27.11.2026 23:51:14`` on a Russian portal,
``11/27/2026 11:51:14 pm`` on an English one).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from .compare import date_key, parse_moment


class PortalClock:
    """Renders moments for one portal: its UTC offset and its locale ("ru" or "en")."""

    def __init__(self, offset_minutes: int = 180, locale: str = "ru") -> None:
        self.offset_minutes = offset_minutes
        self.locale = locale
        self.zone = timezone(timedelta(minutes=offset_minutes))

    def iso(self, timestamp: float) -> str:
        return datetime.fromtimestamp(int(timestamp), self.zone).isoformat()

    def iso_date(self, day: date) -> str:
        """A date-only CRM value: midnight UTC of that day, in the server's offset."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return midnight.astimezone(self.zone).isoformat()

    def locale_datetime(self, timestamp: float) -> str:
        moment = datetime.fromtimestamp(int(timestamp), self.zone)
        if self.locale == "ru":
            return moment.strftime("%d.%m.%Y %H:%M:%S")
        return moment.strftime("%m/%d/%Y %I:%M:%S ") + moment.strftime("%p").lower()

    def locale_date(self, day: date) -> str:
        return day.strftime("%d.%m.%Y") if self.locale == "ru" else day.strftime("%m/%d/%Y")

    def read_moment(self, text: str) -> float | None:
        """Accepts ISO (with or without offset) and the portal's own formats."""
        return parse_moment(str(text), self.offset_minutes)

    def read_date(self, text: object) -> date | None:
        text = str(text).strip()
        day = date_key(text)
        if day is not None:
            return day
        try:
            day = datetime.strptime(text[:10], "%m/%d/%Y").date()
        except ValueError:
            return None
        return day if 1000 <= day.year <= 9999 else None  # MySQL's DATE range
