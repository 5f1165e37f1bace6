"""Filtering, ordering and paging of portal records, with Bitrix24's operators and page rules.

A :class:`Table` keeps the records of one entity kind in ID order, so that the fast-paging pattern
of the reference (``order ID ASC``, ``filter >ID``, ``start=-1``) costs a bisection and one page,
while counting (``start`` not -1) scans every match, as a real ``COUNT(*)`` does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .compare import DATE, DATETIME, FLOAT, INT, TEXT, converter, date_key, matcher, parse_moment, to_integer, to_number

# The names other modules import from here.
__all__ = ["DATE", "DATETIME", "FLOAT", "INT", "PAGE_SIZE", "TEXT", "FilterError", "Page", "Predicate", "Table",
           "date_key", "parse_filter", "parse_moment", "parse_order", "split_operator", "to_integer", "to_number"]

PAGE_SIZE = 50

# Longest prefixes first: "!=%" must win over "!=" and "!". "%" searches for a substring; "=%" and
# "%=" hand the value to SQL LIKE as a pattern ("%" any text, "_" one character, else the whole value).
# Other families build "like"/"not_like" predicates themselves: see compare.matcher.
_OPERATORS = (
    ("!=%", "not_pattern"),
    ("!@", "not_in"),
    ("!%", "not_like"),
    ("!=", "!="),
    (">=", ">="),
    ("<=", "<="),
    ("=%", "pattern"),
    ("%=", "pattern"),
    ("@", "in"),
    (">", ">"),
    ("<", "<"),
    ("=", "="),
    ("!", "!="),
    ("%", "like"),
)
# LIKE operations: (positive, a pattern rather than a substring).
_LIKE_OPS = {"like": (True, False), "not_like": (False, False), "pattern": (True, True), "not_pattern": (False, True)}


class FilterError(ValueError):
    """A filter names a field the entity does not have."""


@dataclass(frozen=True, slots=True)
class Predicate:
    field: str
    op: str
    value: Any


@dataclass(slots=True)
class Page:
    rows: list[dict[str, Any]]
    total: int | None  # None when counting was switched off (start=-1)
    next: int | None
    counted: int  # rows a COUNT(*) had to visit, for the latency model


def split_operator(key: str) -> tuple[str, str]:
    for prefix, op in _OPERATORS:
        if key.startswith(prefix):
            return op, key[len(prefix) :]
    return "=", key


def parse_filter(
    raw: Mapping[str, Any], kinds: Mapping[str, str], *, upper: bool = True, strict: bool = True
) -> list[Predicate]:
    """Turn ``{">ID": "5", "CATEGORY_ID": "3"}`` into predicates.

    Unknown fields raise FilterError when ``strict`` (newer methods answer INVALID_ARG_VALUE), and
    are skipped otherwise (legacy CRM lists ignore what they do not know).
    """
    predicates = []
    for key, value in raw.items():
        op, field = split_operator(str(key))
        if upper:
            field = field.upper()
        if field not in kinds:
            if strict:
                raise FilterError(field)
            continue
        if isinstance(value, dict):
            value = list(value.values())
        if op == "=" and isinstance(value, list):
            op = "in"
        elif op == "!=" and isinstance(value, list):
            op = "not_in"
        predicates.append(Predicate(field, op, value))
    return predicates


def parse_order(raw: Any, kinds: Mapping[str, str], *, upper: bool = True) -> list[tuple[str, bool]]:
    """``{"DATE_MODIFY": "ASC", "ID": "DESC"}`` → ``[("DATE_MODIFY", True), ("ID", False)]``.

    Unknown fields are skipped, as the portal does; an unreadable direction counts as ASC.
    """
    order = []
    if not isinstance(raw, dict):
        return order
    for key, direction in raw.items():
        field = str(key).upper() if upper else str(key)
        if field in kinds:
            order.append((field, str(direction).strip().upper() != "DESC"))
    return order


class Table:
    """The records of one entity kind, in ID order.

    ``kinds`` maps every filterable and sortable field to a comparison kind; ``accessors`` override
    how a field is read from a record (multifields: every VALUE of the list); on ``exact_fields`` a
    LIKE filter compares the whole value (the portal's link, status and multifield fields). A table
    pickles (``sandbox --state``) when its accessors are module-level functions or partials of them.
    """

    def __init__(
        self,
        kinds: Mapping[str, str],
        accessors: Mapping[str, Callable[[dict[str, Any]], Any]] | None = None,
        *,
        id_field: str = "ID",
        tz_minutes: int = 180,
        exact_fields: frozenset[str] = frozenset(),
    ) -> None:
        self.kinds = dict(kinds)
        self.accessors = dict(accessors or {})
        self.exact_fields = exact_fields
        self.id_field = id_field
        self.tz_minutes = tz_minutes
        self.records: dict[int, dict[str, Any]] = {}
        self._ids: list[int] = []
        self._converters = {field: converter(kind, tz_minutes) for field, kind in self.kinds.items()}

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.records

    def get(self, record_id: int) -> dict[str, Any] | None:
        return self.records.get(record_id)

    def ids(self) -> list[int]:
        return list(self._ids)

    def values(self) -> Iterator[dict[str, Any]]:
        for record_id in self._ids:
            yield self.records[record_id]

    def add_kind(self, field: str, kind: str) -> None:
        self.kinds[field] = kind
        self._converters[field] = converter(kind, self.tz_minutes)

    def insert(self, record_id: int, record: dict[str, Any]) -> None:
        if record_id not in self.records:
            if not self._ids or record_id > self._ids[-1]:
                self._ids.append(record_id)
            else:
                bisect.insort(self._ids, record_id)
        self.records[record_id] = record

    def delete(self, record_id: int) -> dict[str, Any] | None:
        record = self.records.pop(record_id, None)
        if record is not None:
            position = bisect.bisect_left(self._ids, record_id)
            del self._ids[position]
        return record

    # -- querying -------------------------------------------------------------------------------

    def _read(self, record: dict[str, Any], field: str) -> Any:
        accessor = self.accessors.get(field)
        return accessor(record) if accessor is not None else record.get(field)

    def _compile(self, predicate: Predicate) -> Callable[[dict[str, Any]], bool] | None:
        field, op, value = predicate.field, predicate.op, predicate.value
        convert = self._converters[field]
        read = self._read

        if op in ("in", "not_in"):
            wanted = {convert(item) for item in (value if isinstance(value, list) else [value])}
            inside = op == "in"

            def membership(record: dict[str, Any]) -> bool:
                found = any(convert(item) in wanted for item in _values(read(record, field)))
                return found if inside else not found
            return membership

        if isinstance(value, list):
            value = value[0] if value else ""
        if op in _LIKE_OPS and field in self.exact_fields:
            # (unconfirmed) LIKE "does not work" on link, status and multifield fields: it matches
            # the whole value, as "=" does, which is the stricter reading of the reference.
            op = "=" if _LIKE_OPS[op][0] else "!="
        if op in _LIKE_OPS:
            if isinstance(value, dict) or str(value) == "":
                return None  # (unconfirmed) an empty LIKE is dropped from the filter
            positive, pattern = _LIKE_OPS[op]
            matches = matcher(str(value), pattern)

            def like(record: dict[str, Any]) -> bool:
                found = any(matches(str(item).casefold()) for item in _values(read(record, field)) if item)
                return found if positive else not found
            return like

        if value is None or value == "" or value is False:
            if op in ("=", "!="):
                # An empty value asks for an empty field.
                empty = op == "="

                def emptiness(record: dict[str, Any]) -> bool:
                    is_empty = not any(item not in (None, "") for item in _values(read(record, field)))
                    return is_empty if empty else not is_empty
                return emptiness
            if self.kinds[field] not in (INT, FLOAT):
                # (unconfirmed) a text or date comparison with an empty value is dropped from the filter.
                return None
            # (unconfirmed) a number compared with nothing is compared with 0, as PHP's intval and
            # MySQL read ''; a batch reference to a missing row (``>ID`` of "") then starts over.
            value = 0

        target = convert(value)
        if target is None:
            return lambda record: False
        if op == "!=":
            def differs(record: dict[str, Any]) -> bool:
                return all(convert(item) != target for item in _values(read(record, field)))
            return differs
        compare = _COMPARE[op]

        def comparison(record: dict[str, Any]) -> bool:
            for item in _values(read(record, field)):
                current = convert(item)
                if current is not None and compare(current, target):
                    return True
            return False

        if field in self.accessors:
            return comparison

        def scalar_comparison(record: dict[str, Any]) -> bool:
            # The common case, a plain stored field: no accessor, no list to walk (every page of a
            # filtered ID window runs this for each record it passes).
            value = record.get(field)
            if type(value) is list or type(value) is dict:
                return comparison(record)
            current = convert(value)
            return current is not None and compare(current, target)
        return scalar_comparison

    def select(
        self,
        predicates: list[Predicate],
        order: list[tuple[str, bool]],
        start: int,
        *,
        page_size: int = PAGE_SIZE,
    ) -> Page:
        """One page of matches. A negative ``start`` (the documented -1) switches counting off: no
        ``total`` and no ``next``. Other starts are rounded down to a page boundary (unconfirmed)."""
        order = order or [(self.id_field, True)]
        by_id = len(order) == 1 and order[0][0] == self.id_field
        # (unconfirmed) the portal's navigation counts only when start >= 0, so any negative start
        # behaves like -1.
        counting = start >= 0
        offset = start - start % page_size if counting else 0

        if by_id:
            ascending = order[0][1]
            candidates, bounded = self._id_range(predicates, ascending)
            # Predicates the ID window already enforces need no check per record.
            checks = [check for predicate in predicates if predicate not in bounded
                      for check in (self._compile(predicate),) if check is not None]
            if not counting:
                return Page(_first_matches(candidates, checks, page_size), None, None, 0)
            matches = [record for record in candidates if all(check(record) for check in checks)]
        else:
            checks = [check for check in map(self._compile, predicates) if check is not None]
            matches = [record for record in self.values() if all(check(record) for check in checks)]
            for field, ascending in reversed([*order, (self.id_field, True)]):
                convert = self._converters.get(field, lambda value: value)
                matches.sort(key=lambda record, f=field, c=convert: _sort_key(c(_first(self._read(record, f)))),
                             reverse=not ascending)
            if not counting:
                return Page(matches[:page_size], None, None, len(matches))

        total = len(matches)
        rows = matches[offset : offset + page_size]
        following = offset + page_size if offset + page_size < total else None
        return Page(rows, total, following, total)

    def _id_range(
        self, predicates: list[Predicate], ascending: bool
    ) -> tuple[Iterator[dict[str, Any]], list[Predicate]]:
        """Records in ID order within the bounds the ID predicates give (the fast-paging path), and
        the predicates those bounds fully enforce."""
        low, high = 0, len(self._ids)
        bounded = []
        for predicate in predicates:
            if predicate.field != self.id_field or predicate.op not in (">", ">=", "<", "<="):
                continue
            value = predicate.value
            number = to_number(value[0] if isinstance(value, list) and value else value)
            if number is None or number != int(number):
                continue  # left to the per-record check
            bound = int(number)
            if predicate.op == ">":
                low = max(low, bisect.bisect_right(self._ids, bound))
            elif predicate.op == ">=":
                low = max(low, bisect.bisect_left(self._ids, bound))
            elif predicate.op == "<":
                high = min(high, bisect.bisect_left(self._ids, bound))
            else:
                high = min(high, bisect.bisect_right(self._ids, bound))
            bounded.append(predicate)
        ids, records = self._ids, self.records
        span = range(low, high) if ascending else range(high - 1, low - 1, -1)
        return (records[ids[position]] for position in span), bounded


def _first_matches(records: Iterator[dict[str, Any]], checks: list[Callable[[dict[str, Any]], bool]],
                   limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` records that pass every check: the fast-paging path, kept tight."""
    rows: list[dict[str, Any]] = []
    if not checks:
        for record in records:
            rows.append(record)
            if len(rows) == limit:
                break
        return rows
    only = checks[0] if len(checks) == 1 else None
    for record in records:
        if only(record) if only is not None else all(check(record) for check in checks):
            rows.append(record)
            if len(rows) == limit:
                break
    return rows


def _values(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    # NULLs first in ascending order, as MySQL sorts them.
    return (0, 0) if value is None else (1, value)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def utc_now() -> datetime:
    return datetime.now(UTC)
