"""Characters that must not reach a file name or a one-line message as they are."""

from __future__ import annotations

import unicodedata

# Bidirectional embeddings, overrides and isolates: «скан\u202efdp.exe» displays as «сканexe.pdf».
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SHOWN_NAME_LIMIT = 80


def is_control(char: str) -> bool:
    """A control character, a lone surrogate (an undecodable byte of a file name) or a bidi control."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS


def shown_name(name: str) -> str:
    """A file name as a one-line message may quote it: control characters made visible as «?», very long
    names shortened in the middle so that the extension stays in sight."""
    visible = "".join("?" if is_control(char) else char for char in name)
    if len(visible) <= _SHOWN_NAME_LIMIT:
        return visible
    return visible[:60] + "…" + visible[-(_SHOWN_NAME_LIMIT - 61):]
