"""Parameters as a batch command string: PHP bracket notation, percent-encoded (``http_build_query``).

Python values are sent the way the portal reads them: ``True``/``False`` as ``Y``/``N`` (neither SDK
does this for you, reference §2), ``None`` as an empty string, lists as ``key[0]=..&key[1]=..``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote


def command(method: str, params: Mapping[str, Any] | None = None) -> str:
    """``crm.deal.list?filter%5B%3EID%5D=5&...`` for one batch command."""
    query = encode(params or {})
    return f"{method}?{query}" if query else method


def encode(params: Mapping[str, Any]) -> str:
    pairs: list[str] = []
    for key, value in params.items():
        _flatten(pairs, quote(str(key), safe=""), value)
    return "&".join(pairs)


def _flatten(pairs: list[str], prefix: str, value: Any) -> None:
    if isinstance(value, Mapping):
        if not value:
            pairs.append(f"{prefix}=")
        for key, item in value.items():
            _flatten(pairs, f"{prefix}%5B{quote(str(key), safe='')}%5D", item)
    elif isinstance(value, (list, tuple)):
        if not value:
            pairs.append(f"{prefix}=")
        for index, item in enumerate(value):
            _flatten(pairs, f"{prefix}%5B{index}%5D", item)
    else:
        pairs.append(f"{prefix}={quote(scalar(value), safe='')}")


def scalar(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "Y"
    if value is False:
        return "N"
    return str(value)
