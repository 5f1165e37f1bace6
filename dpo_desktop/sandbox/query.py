"""Filtering, ordering and paging of portal records, with Bitrix24's operators and page rules.

A :class:`Table` keeps the records of one entity kind in ID order, so that the fast-paging pattern
of the reference (``order ID ASC``, ``filter >ID``, ``start=-1``) costs a bisection and one page,
while counting (``start`` not -1) scans every match, as a real ``COUNT(*)`` does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

PAGE_SIZE = 50

# Longest prefixes first: "!=%" must win over "!=" and "!".
_OPERATORS = (
    ("!=%", "not_like"),
    ("!@", "not_in"),
    ("!%", "not_like"),
    ("!=", "!="),
    (">=", ">="),
    ("<=", "<="),
    ("=%", "like"),
    ("%=", "like"),
    ("@", "in"),
    (">", ">"),
    ("<", "<"),
    ("=", "="),
    ("!", "!="),
    ("%", "like"),
)

# Comparison kinds of fields.
INT, FLOAT, TEXT, DATETIME, DATE = "int", "float", "text", "datetime", "date"


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
    return moment.timestamp()


def date_key(text: str) -> date | None:
    """Date-only values compare on their calendar date: ISO's first ten characters or dd.mm.yyyy."""
    text = text.strip()
    try:
        if len(text) >= 10 and text[4] == "-":
            return date.fromisoformat(text[:10])
        if len(text) >= 10 and text[2] == ".":
            return datetime.strptime(text[:10], "%d.%m.%Y").date()
    except ValueError:
        return None
    return None


def _converter(kind: str, tz_minutes: int) -> Callable[[Any], Any]:
    if kind == INT:
        def to_int(value: Any) -> Any:
            try:
                return int(float(value))
            except (TypeError, ValueError):
                return None
        return to_int
    if kind == FLOAT:
        def to_float(value: Any) -> Any:
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        return to_float
    if kind == DATETIME:
        return lambda value: parse_moment(str(value), tz_minutes) if value not in (None, "") else None
    if kind == DATE:
        return lambda value: date_key(str(value)) if value not in (None, "") else None
    # MySQL's default collation compares text case-insensitively.
    return lambda value: str(value).casefold() if value is not None else None


def _like(pattern: str, value: str) -> bool:
    """``%`` filters: a substring match; explicit ``%`` in the pattern are wildcards."""
    pattern = pattern.casefold()
    if "%" not in pattern:
        return pattern in value
    pieces = pattern.split("%")
    position = 0
    for index, piece in enumerate(pieces):
        if not piece:
            continue
        found = value.find(piece, position)
        if found == -1 or (index == 0 and found != 0):
            return False
        position = found + len(piece)
    return pieces[-1] == "" or value.endswith(pieces[-1])


class Table:
    """The records of one entity kind, in ID order.

    ``kinds`` maps every filterable and sortable field to a comparison kind; ``accessors`` override
    how a field is read from a record (multifields: every VALUE of the list).
    """

    def __init__(
        self,
        kinds: Mapping[str, str],
        accessors: Mapping[str, Callable[[dict[str, Any]], Any]] | None = None,
        *,
        id_field: str = "ID",
        tz_minutes: int = 180,
    ) -> None:
        self.kinds = dict(kinds)
        self.accessors = dict(accessors or {})
        self.id_field = id_field
        self.tz_minutes = tz_minutes
        self.records: dict[int, dict[str, Any]] = {}
        self._ids: list[int] = []
        self._converters = {field: _converter(kind, tz_minutes) for field, kind in self.kinds.items()}

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
        self._converters[field] = _converter(kind, self.tz_minutes)

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
        if op in ("like", "not_like"):
            pattern = str(value)
            if pattern == "":
                return None
            positive = op == "like"

            def like(record: dict[str, Any]) -> bool:
                found = any(_like(pattern, str(item).casefold()) for item in _values(read(record, field)) if item)
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
            # (unconfirmed) a comparison with an empty value is dropped from the filter.
            return None

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
        return comparison

    def select(
        self,
        predicates: list[Predicate],
        order: list[tuple[str, bool]],
        start: int,
        *,
        page_size: int = PAGE_SIZE,
    ) -> Page:
        """One page of matches. ``start=-1`` switches counting off: no ``total`` and no ``next``."""
        checks = [check for check in map(self._compile, predicates) if check is not None]
        order = order or [(self.id_field, True)]
        by_id = len(order) == 1 and order[0][0] == self.id_field
        counting = start != -1
        offset = max(0, start - start % page_size) if counting else 0

        if by_id:
            ascending = order[0][1]
            candidates = self._id_range(predicates, ascending)
            if not counting:
                rows = []
                for record in candidates:
                    if all(check(record) for check in checks):
                        rows.append(record)
                        if len(rows) == page_size:
                            break
                return Page(rows, None, None, 0)
            matches = [record for record in candidates if all(check(record) for check in checks)]
        else:
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

    def _id_range(self, predicates: list[Predicate], ascending: bool) -> Iterator[dict[str, Any]]:
        """Records in ID order, starting at the bound an ID predicate gives (the fast-paging path)."""
        low, high = 0, len(self._ids)
        for predicate in predicates:
            if predicate.field != self.id_field or isinstance(predicate.value, list):
                continue
            try:
                bound = int(float(predicate.value))
            except (TypeError, ValueError):
                continue
            if predicate.op == ">":
                low = max(low, bisect.bisect_right(self._ids, bound))
            elif predicate.op == ">=":
                low = max(low, bisect.bisect_left(self._ids, bound))
            elif predicate.op == "<":
                high = min(high, bisect.bisect_left(self._ids, bound))
            elif predicate.op == "<=":
                high = min(high, bisect.bisect_right(self._ids, bound))
        ids, records = self._ids, self.records
        span = range(low, high) if ascending else range(high - 1, low - 1, -1)
        for position in span:
            yield records[ids[position]]


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
