"""Reading list elements: ``lists.element.get``'s FILTER, ELEMENT_ORDER, SELECT and paging, and the row shape.

A row has the fields ``Element::getElements`` selects — ``ID, IBLOCK_ID, NAME, IBLOCK_SECTION_ID,
CREATED_BY, BP_PUBLISHED, CODE`` plus the list's system fields — and every property that has a
value, as ``{value ID: value}`` even when the property is single. Empty properties are left out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import errors, wire
from ..query import Predicate
from ..registry import ListResult
from . import values

if TYPE_CHECKING:
    from ..state import PortalState
    from .iblock import IBlock

BASE_SELECT = ("ID", "IBLOCK_ID", "NAME", "IBLOCK_SECTION_ID", "CREATED_BY", "BP_PUBLISHED", "CODE")
SELECTABLE = ("ID", "IBLOCK_ID", "CODE", "NAME", "IBLOCK_SECTION_ID", "CREATED_BY", "CREATED_USER_NAME",
              "BP_PUBLISHED", "DATE_CREATE", "SORT", "TIMESTAMP_X", "MODIFIED_BY", "USER_NAME", "ACTIVE_FROM",
              "ACTIVE_TO", "PREVIEW_TEXT", "DETAIL_TEXT", "PREVIEW_PICTURE", "DETAIL_PICTURE")
_MOMENTS = ("DATE_CREATE", "TIMESTAMP_X", "ACTIVE_FROM", "ACTIVE_TO")
_USERS = {"CREATED_USER_NAME": "CREATED_BY", "USER_NAME": "MODIFIED_BY"}

# Filter operations: the reference's list plus "><" (between) from the lists module.
_OPERATIONS = {"": "=", "=": "=", "!": "!=", "!=": "!=", "@": "in", "!@": "not_in", ">": ">", ">=": ">=",
               "<": "<", "<=": "<=", "%": "like", "!%": "not_like", "=%": "=like", "!=%": "!=like", "><": "between"}
_ALIASES = {"CREATED_USER_ID": "CREATED_BY", "MODIFIED_USER_ID": "MODIFIED_BY", "SECTION_ID": "IBLOCK_SECTION_ID",
            "DATE_ACTIVE_FROM": "ACTIVE_FROM", "DATE_ACTIVE_TO": "ACTIVE_TO"}
# Allowed by the portal, not modelled by the sandbox: (unconfirmed) such conditions are ignored.
_IGNORED = ("TAGS", "XML_ID", "EXTERNAL_ID", "PREVIEW_TEXT_TYPE", "DETAIL_TEXT_TYPE", "PREVIEW_PICTURE",
            "DETAIL_PICTURE", "CHECK_PERMISSIONS", "PERMISSIONS_BY", "CATALOG_TYPE", "MIN_PERMISSION",
            "SEARCHABLE_CONTENT", "ACTIVE_DATE", "IBLOCK_ID", "IBLOCK_TYPE")
_NO_SORT = ("S:Money", "PREVIEW_TEXT", "DETAIL_TEXT", "S:ECrm", "S:map_yandex", "PREVIEW_PICTURE", "DETAIL_PICTURE",
            "S:DiskFile", "IBLOCK_SECTION_ID", "BIZPROC", "COMMENTS")
_DIRECTIONS = {"asc": True, "nulls,asc": True, "asc,nulls": True, "desc": False, "nulls,desc": False,
               "desc,nulls": False}
_KEY = re.compile(r"^([^a-zA-Z]*)(.*)$", re.DOTALL)


class NoMatch(Exception):
    """The filter can match nothing (an unknown ELEMENT_CODE, ACTIVE=N)."""


def query(root: PortalState, iblock: IBlock, params: dict[str, Any]) -> ListResult | list[Any]:
    """One page of ``lists.element.get``. Nothing found answers a bare ``[]`` (no ``total``), as the portal does."""
    try:
        predicates = _identity(iblock, params) + _filter(root, iblock, params.get("FILTER"))
    except NoMatch:
        return []
    order = _order(iblock, params.get("ELEMENT_ORDER"))
    page = iblock.elements.select(predicates, order, start_of(params.get("START")))
    if not page.rows:
        return []
    select = _select(params.get("SELECT"))
    rows = [render(root, iblock, record, select) for record in page.rows]
    return ListResult(rows, page.total, page.next, page.counted)


def render(root: PortalState, iblock: IBlock, record: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    if select is None:
        names = list(BASE_SELECT)
        for item in iblock.ordered_fields():
            if item.prop_id is None and item.type not in names:
                names.append(item.type)
            if item.type in ("CREATED_BY", "MODIFIED_BY"):
                names.append("CREATED_USER_NAME" if item.type == "CREATED_BY" else "USER_NAME")
        shown = iblock.properties()
    else:
        # (unconfirmed) ID always comes back, so paging by ID works whatever is selected.
        names = [name for name in SELECTABLE if name == "ID" or name in select]
        shown = [item for item in iblock.properties() if item.field_id in select]
    row = {name: _standard(root, iblock, record, name) for name in names}
    for item in shown:
        stored = record["P"].get(item.prop_id)
        if stored:
            row[item.field_id] = {str(stored[index]): values.show(item, stored[index + 1], root)
                                  for index in range(0, len(stored), 2)}
    return row


def _standard(root: PortalState, iblock: IBlock, record: dict[str, Any], name: str) -> Any:
    if name == "IBLOCK_ID":
        return str(iblock.id)
    if name == "BP_PUBLISHED":
        return "Y"
    if name in _USERS:
        user = root.users.get(record.get(_USERS[name]) or 0)
        return f"({user.email}) {user.name} {user.last_name}" if user else None
    value = record.get(name)
    if value is None or (name == "IBLOCK_SECTION_ID" and value == 0):
        return None
    if name in _MOMENTS:
        return root.clock.locale_datetime(value)
    return str(value)


def _identity(iblock: IBlock, params: dict[str, Any]) -> list[Predicate]:
    """ELEMENT_ID / ELEMENT_CODE narrow the query to one element (an ID range of one, so it costs a bisection)."""
    wanted: list[int] = []
    if not values.is_empty(params.get("ELEMENT_ID")):
        raw = str(params["ELEMENT_ID"]).strip()
        if not raw.isdigit():
            raise NoMatch
        wanted.append(int(raw))
    if not values.is_empty(params.get("ELEMENT_CODE")):
        found = iblock.find_code(str(params["ELEMENT_CODE"]))
        if found is None:
            raise NoMatch
        wanted.append(found)
    if len(set(wanted)) > 1:
        raise NoMatch
    return [Predicate("ID", ">=", wanted[0]), Predicate("ID", "<=", wanted[0])] if wanted else []


def _filter(root: PortalState, iblock: IBlock, raw: Any) -> list[Predicate]:
    if not isinstance(raw, (dict, list)):
        return []  # the portal reads FILTER only when it is an array
    kinds = iblock.elements.kinds
    predicates: list[Predicate] = []
    for key, value in wire.as_map(raw).items():
        prefix, name = _KEY.match(str(key).upper()).groups()
        operation = _OPERATIONS.get(prefix)
        if operation is None:
            raise errors.ApiError(400, "ERROR_ARGUMENT", f"Filter operation not allowed: {prefix}")
        name = _ALIASES.get(name, name)
        if name == "ACTIVE":
            if (str(value).upper() == "Y") != (operation in ("=", "in")):
                raise NoMatch  # every element of a list is active
            continue
        if name in ("DATE_MODIFY_FROM", "DATE_MODIFY_TO"):
            operation, name = (">=" if name.endswith("FROM") else "<="), "TIMESTAMP_X"
        if name in _IGNORED:
            continue
        if name not in kinds:
            raise errors.ApiError(400, "ERROR_ARGUMENT", f"Filter field not allowed: {name}")
        predicates.extend(_predicates(name, operation, _normalise(root, iblock, name, value)))
    return predicates


def _normalise(root: PortalState, iblock: IBlock, name: str, value: Any) -> Any:
    item = iblock.fields.get(name) or next(
        (field for field in iblock.fields.values() if field.code and f"PROPERTY_{field.code.upper()}" == name), None)
    kind = item.type if item is not None and item.prop_id is not None else name
    if kind in ("S:DateTime", *_MOMENTS):
        return values.filter_date(value, root, day=False)
    if kind == "S:Date":
        return values.filter_date(value, root, day=True)
    return list(value.values()) if isinstance(value, dict) else value


def _predicates(name: str, operation: str, value: Any) -> list[Predicate]:
    if operation in (">", ">=", "<", "<=") and value in (None, "", []):
        # (unconfirmed) the iblock filter turns a comparison with nothing into "IS NULL", which no
        # element matches: a batch reference past a short page ($result[k][49][ID] -> "") ends the
        # listing instead of starting it over.
        raise NoMatch
    if operation == "between":
        bounds = value if isinstance(value, list) else []
        if len(bounds) != 2:
            return []
        return [Predicate(name, ">=", bounds[0]), Predicate(name, "<=", bounds[1])]
    if operation in ("=like", "!=like"):
        # LIKE with the caller's own wildcards; without any it is an exact (case-insensitive) match.
        wildcard = "%" in str(value)
        operation = ("like" if wildcard else "=") if operation == "=like" else ("not_like" if wildcard else "!=")
    if isinstance(value, list):
        operation = {"=": "in", "!=": "not_in"}.get(operation, operation)
    found = [Predicate(name, operation, value)]
    if name == "ID" and operation == "in" and value:
        # Bounds that change nothing but let the table bisect to the IDs' range instead of scanning.
        numbers = [int(float(item)) for item in value if values.is_numeric(item)]
        if numbers:
            found += [Predicate("ID", ">=", min(numbers)), Predicate("ID", "<=", max(numbers))]
    return found


def _order(iblock: IBlock, raw: Any) -> list[tuple[str, bool]]:
    sortable = {"ID"} | {item.field_id for item in iblock.fields.values()
                         if not item.multiple and item.type not in _NO_SORT}
    order = []
    for key, direction in wire.as_map(raw).items():
        ascending = _DIRECTIONS.get(str(direction).strip().lower())
        field_id = str(key).upper()
        if ascending is not None and field_id in sortable:
            order.append((field_id, ascending))
    return order or [("ID", True)]


def _select(raw: Any) -> list[str] | None:
    chosen = [str(item).strip().upper() for item in wire.as_list(raw) if not isinstance(item, (list, dict))]
    chosen = [item for item in chosen if item]
    return chosen or None


def start_of(raw: Any) -> int:
    """``start``: a page offset; any negative number means one page without counting."""
    try:
        start = int(float(str(raw)))
    except (TypeError, ValueError):
        return 0
    return -1 if start < 0 else start
