"""Text as it arrives from scans, spreadsheets and messengers, made safe to compare and to export.

ФИС ФРДО rejects rows with invisible characters (NBSP, zero-width spaces, tabs; dpo-domain.md §1.3), and
people paste names and numbers from PDFs that carry them. Every validator cleans its input here first.
"""

from __future__ import annotations

import re

# Characters that take no room on screen but break matching and ФРДО validation.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
                               "\u202a\u202b\u202c\u202d\u202e\ufeff"), None)
# Space-like characters that should simply be a space.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                            "\u202f\u205f\u3000\t\r\n\v\f"), " ")
_TRANSLATION = {**_INVISIBLE, **_SPACES}
_RUNS_OF_SPACES = re.compile(r" {2,}")


def clean_text(value: str) -> str:
    """``value`` without invisible characters, with every kind of space as one plain space, trimmed."""
    return _RUNS_OF_SPACES.sub(" ", value.translate(_TRANSLATION)).strip()


def quoted(value: str, limit: int = 40) -> str:
    """``value`` in «ёлочки» for a message, shortened so a pasted paragraph does not flood the screen."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return f"«{shown}»"


def plural(number: int, one: str, few: str, many: str) -> str:
    """The Russian plural form for ``number``: 1 год, 2 года, 5 лет, 11 лет, 21 год."""
    tens, units = number % 100, number % 10
    if 11 <= tens <= 14:
        return many
    if units == 1:
        return one
    if 2 <= units <= 4:
        return few
    return many
