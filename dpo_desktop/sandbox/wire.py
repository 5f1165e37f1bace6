"""The PHP side of the wire: how Bitrix24 reads request parameters and writes JSON.

Bitrix24 runs on PHP, so a query string or form body is read the way PHP's ``parse_str`` reads it
(bracket notation, ``+`` as a space, later keys overriding earlier ones), and every answer is written
the way ``json_encode`` writes a PHP array: an array whose keys are ``0..n-1`` becomes a JSON list,
an empty array becomes ``[]`` (never ``{}``), non-ASCII text is ``\\uXXXX``-escaped and ``/`` is
escaped as ``\\/``.

Parsed parameters are plain Python: nested ``dict`` with ``str`` keys and ``str`` leaves. PHP's
integer keys stay strings here; :func:`as_list` turns a parsed PHP array into a list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote_plus

# PHP's max_input_nesting_level: deeper variables are dropped, not an error.
MAX_NESTING = 64

_BRACKET = re.compile(r"\[([^\[\]]*)\]")


def parse_query(query: str | bytes) -> dict[str, Any]:
    """Parse ``a[b][]=1&c=2`` the way PHP's ``parse_str`` does."""
    if isinstance(query, bytes):
        query = query.decode("utf-8", errors="replace")
    result: dict[str, Any] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        assign(result, unquote_plus(raw_key), unquote_plus(raw_value))
    return result


def split_key(key: str) -> list[str] | None:
    """Split ``a[b][]`` into ``["a", "b", ""]`` with PHP's quirks, or None when PHP drops the key.

    PHP strips leading spaces, turns ``.`` and spaces in the base name into ``_``, ignores anything
    after the last well-formed bracket group, and treats an unclosed ``[`` as part of the base name
    (where it too becomes ``_``).
    """
    key = key.lstrip(" ")
    first = key.find("[")
    if first == -1 or "]" not in key[first:]:
        base = key
        rest = ""
    else:
        base, rest = key[:first], key[first:]
    base = base.replace(".", "_").replace(" ", "_").replace("[", "_")
    if not base:
        return None
    parts = [base]
    position = 0
    while position < len(rest):
        match = _BRACKET.match(rest, position)
        if match is None:
            if rest[position] == "[":
                # "a[b[c]" style: PHP keeps "b[c" as the key when the group closes later.
                close = rest.find("]", position)
                if close == -1:
                    break
                parts.append(rest[position + 1 : close])
                position = close + 1
                continue
            break
        parts.append(match.group(1))
        position = match.end()
    if len(parts) > MAX_NESTING:
        return None
    return parts


def assign(target: dict[str, Any], key: str, value: Any) -> None:
    """Store one ``key=value`` pair into ``target`` as PHP would."""
    parts = split_key(key)
    if parts is None:
        return
    node: dict[str, Any] = target
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "":
            part = str(_next_index(node))
        if last:
            node[part] = value
            return
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child


def _next_index(node: Mapping[str, Any]) -> int:
    """PHP's ``$a[] = x``: one more than the largest non-negative integer key, else 0."""
    largest = -1
    for key in node:
        if key.isdigit() or (key.startswith("-") and key[1:].isdigit()):
            largest = max(largest, int(key))
    return largest + 1


def encode_query(params: Mapping[str, Any]) -> str:
    """``http_build_query``: nested mappings and lists in bracket notation, percent-encoded."""
    pairs: list[str] = []
    for key, value in params.items():
        _encode_into(pairs, quote(str(key), safe=""), value)
    return "&".join(pairs)


def _encode_into(pairs: list[str], prefix: str, value: Any) -> None:
    if isinstance(value, Mapping):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        pairs.append(f"{prefix}={quote(php_string(value), safe='')}")
        return
    for key, item in items:
        _encode_into(pairs, f"{prefix}[{quote(str(key), safe='')}]", item)


def php_string(value: Any) -> str:
    """How PHP turns a scalar into a request string (``true`` → ``1``, ``null`` → empty)."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return str(value)


def as_list(value: Any) -> list[Any]:
    """A parsed PHP array (dict with index keys) or a JSON list as a Python list; a scalar as one item."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def as_map(value: Any) -> dict[str, Any]:
    """A parameter that must be a PHP array of key → value; a JSON list counts as index keys."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    return {}


def php_array(value: Any) -> Any:
    """Give Python data the JSON shape PHP's ``json_encode`` would give the same PHP array."""
    kind = type(value)
    if kind is dict:
        if not value:
            return []
        keys = list(value)
        if _is_list_keys(keys):
            return [php_array(item) for item in value.values()]
        return {str(key): php_array(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [php_array(item) for item in value]
    return value


def _is_list_keys(keys: list[Any]) -> bool:
    return all(key in (position, str(position)) for position, key in enumerate(keys))


def dumps(value: Any) -> bytes:
    """Serialise an answer byte-for-byte in the style of PHP's ``json_encode``."""
    text = json.dumps(php_array(value), ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")
