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
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote_plus

# PHP's max_input_nesting_level: a variable with more bracket groups is dropped, not an error.
MAX_NESTING = 64

_BRACKET = re.compile(r"\[([^\[\]]*)\]")
# A string PHP turns into an integer array key: canonical decimal, no sign on zero, within 64 bits.
_INT_KEY = re.compile(r"-?(?:0|[1-9][0-9]*)")
_INT64_MAX = 2**63 - 1
_LEADING_NUMBER = re.compile(r"[ \t\n\r\v\f]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
# The scalar types json_encode writes as they are; everything else may need reshaping.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def parse_query(query: str | bytes) -> dict[str, Any]:
    """Parse ``a[b][]=1&c=2`` the way PHP's ``parse_str`` does."""
    if isinstance(query, bytes):
        query = query.decode("utf-8", errors="replace")
    result: dict[str, Any] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        assign(result, _decode(raw_key), _decode(raw_value))
    return result


def _decode(text: str) -> str:
    """``urldecode``: ``+`` is a space, ``%XX`` a byte (UTF-8 text). Short texts are cached: a batch
    repeats its names (``filter%5B%3EID%5D``) in every command; long ones (file contents) are not kept."""
    if "%" not in text and "+" not in text:
        return text
    return _decode_short(text) if len(text) <= 200 else unquote_plus(text)


@lru_cache(maxsize=16384)
def _decode_short(text: str) -> str:
    return unquote_plus(text)


def split_key(key: str) -> list[str] | None:
    """Split ``a[b][]`` into ``["a", "b", ""]`` with PHP's quirks, or None when PHP drops the key.

    PHP reads the name as a C string (it ends at a NUL byte), strips leading spaces, turns ``.`` and
    spaces in the base name into ``_``, ignores anything after the last well-formed bracket group,
    and treats an unclosed ``[`` as part of the base name (where it too becomes ``_``).
    """
    key = key.split("\x00", 1)[0].lstrip(" ")
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
    return parts


@lru_cache(maxsize=16384)
def _split_key_cached(key: str) -> tuple[str, ...] | None:
    parts = split_key(key)
    return None if parts is None else tuple(parts)


def assign(target: dict[str, Any], key: str, value: Any) -> None:
    """Store one ``key=value`` pair into ``target`` as PHP would."""
    parts = _split_key_cached(key) if len(key) <= 200 else split_key(key)
    if parts is None:
        return
    if len(parts) - 1 > MAX_NESTING:
        # PHP drops the variable and, with it, whatever the base name already held.
        target.pop(parts[0], None)
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
    """PHP's ``$a[] = x``: one more than the largest integer key (0 when none is positive).

    Only canonical integer strings are integer keys in PHP: ``"5"`` is, ``"05"`` and ``"5 "`` are not.
    """
    largest = -1
    for key in node:
        number = php_int_key(key)
        if number is not None and number > largest:
            largest = number
    return largest + 1


def php_int_key(key: Any) -> int | None:
    """The integer PHP uses for an array key such as ``"12"``, or None when the key stays a string."""
    if type(key) is int:
        return key
    if not isinstance(key, str) or not _INT_KEY.fullmatch(key) or key == "-0":
        return None
    number = int(key)
    return number if -_INT64_MAX - 1 <= number <= _INT64_MAX else None


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


def php_intval(value: Any) -> int:
    """PHP's ``intval``: ``"12abc"`` → 12, ``"1e2"`` → 100, ``"abc"`` → 0, a non-empty array → 1.

    List methods read ``start`` this way, so junk never fails a call.
    """
    kind = type(value)
    if kind is int:
        return max(-_INT64_MAX - 1, min(_INT64_MAX, value))  # a JSON number beyond 64 bits
    if kind is bool:
        return int(value)
    if kind is float:
        number = value
    elif kind is str:
        match = _LEADING_NUMBER.match(value)
        if match is None:
            return 0
        text = match.group(1)
        number = float(text) if any(mark in text for mark in ".eE") else int(text)
    elif kind in (dict, list):
        return 1 if value else 0
    else:
        return 0
    if isinstance(number, float):
        if not math.isfinite(number):
            return 0
        number = int(number)
    return max(-_INT64_MAX - 1, min(_INT64_MAX, number))  # PHP saturates integer strings


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


class Shaped(dict):  # type: ignore[type-arg]
    """A row already in the shape ``json_encode`` gives it: string keys that are not ``0..n-1``, and
    inside only scalars and lists or maps that are themselves in final shape (no empty maps).

    :func:`php_array` passes it through untouched; list methods build their rows this way because a
    batch of 50 pages carries 2,500 of them.
    """

    __slots__ = ()


def php_array(value: Any) -> Any:
    """Give Python data the JSON shape PHP's ``json_encode`` would give the same PHP array.

    Answers carry thousands of rows, so scalars (and :class:`Shaped` rows) are passed through inline
    rather than by a call.
    """
    kind = type(value)
    if kind is dict:
        if not value:
            return []
        if _is_list_keys(value):
            return [item if type(item) in _SCALARS else php_array(item) for item in value.values()]
        return {key if type(key) is str else str(key): item if type(item) in _SCALARS else php_array(item)
                for key, item in value.items()}
    if kind is list or kind is tuple:
        return [item if type(item) in _SCALARS else php_array(item) for item in value]
    return value


def _is_list_keys(value: dict[Any, Any]) -> bool:
    """Keys ``0..n-1`` in this order (as ints or their canonical strings): PHP writes a JSON list."""
    first = next(iter(value))
    if first != 0 and first != "0":
        return False  # the common case, a record keyed by field names, is decided here
    return all(key == position or key == str(position) for position, key in enumerate(value))


def dumps(value: Any) -> bytes:
    """Serialise an answer byte-for-byte in the style of PHP's ``json_encode``."""
    text = json.dumps(php_array(value), ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")
