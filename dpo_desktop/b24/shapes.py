"""The shapes a facade expects of ``result``, checked where it is read: a typed error, never a KeyError.

A portal (or whatever stands in front of it) may answer a string where a list of rows belongs, a row
without its ID, ``[]`` where a record belongs. PHP's own quirks are accepted — an empty map sent as
``[]``, a list of rows sent as a map keyed ``0..n-1`` — anything else ends in :class:`ProtocolError`
with a short Russian description naming the method.
"""

from __future__ import annotations

from typing import Any

from .errors import ProtocolError
from .normalize import MAX_INT


def rows(result: Any, method: str) -> list[dict[str, Any]]:
    """``result`` as a list of rows: ``None``, ``[]`` and ``{}`` are no rows, a map's values are rows."""
    if result is None or result == "":
        return []
    if isinstance(result, dict):  # PHP sends a list as a map when its keys are not 0..n-1
        result = list(result.values())
    if not isinstance(result, list):
        raise ProtocolError(f"вместо списка записей пришло {_kind(result)}", method=method)
    for row in result:
        if not isinstance(row, dict):
            raise ProtocolError(f"в списке записей {_kind(row)} вместо записи", method=method)
    return result


def record(result: Any, method: str) -> dict[str, Any]:
    """``result`` as one record (a JSON object)."""
    if not isinstance(result, dict):
        raise ProtocolError(f"вместо записи пришло {_kind(result)}", method=method)
    return result


def mapping(result: Any, method: str) -> dict[str, Any]:
    """``result`` as a map, where PHP sends an empty one as ``[]``."""
    if result is None or result == []:
        return {}
    return record(result, method)


def identifier(value: Any, what: str, method: str) -> int:
    """A non-negative integer ID (``"410"`` or 410; 0 is the default pipeline), or ProtocolError."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not 0 <= number <= MAX_INT:
        raise ProtocolError(f"{what}: нет числового ID (пришло {_kind(value)})", method=method)
    return number


def _kind(value: Any) -> str:
    names = {dict: "объект", list: "список", str: "строка", int: "число", float: "число", bool: "true/false"}
    if value is None:
        return "null"
    name = names.get(type(value), type(value).__name__)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        shown = str(value)
        return f"{name} «{shown[:40]}{'…' if len(shown) > 40 else ''}»"
    return name
