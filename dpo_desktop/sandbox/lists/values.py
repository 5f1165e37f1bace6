"""Property values: what each field type stores, how it reads back, and how filters compare it.

Values are stored compactly (numbers for list items, dates, users, files; text otherwise) and
rendered only when an element is read. Files (``F``) and Drive files (``S:DiskFile``) have side
effects and are handled in ``elements.py``; everything else is a pure conversion here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import errors
from ..query import FLOAT, INT, TEXT
from . import dates

if TYPE_CHECKING:
    from ..state import PortalState
    from .fields import ListField

# How filters and ordering compare a property of each type (the stored value's kind).
QUERY_KIND = {
    "S": TEXT, "S:HTML": TEXT, "S:Money": TEXT, "S:ECrm": TEXT, "S:DiskFile": TEXT,
    "N": FLOAT, "N:Sequence": INT, "L": INT, "F": INT, "G": INT, "E": INT, "E:EList": INT, "S:employee": INT,
    "S:Date": INT, "S:DateTime": INT,  # proleptic ordinals and Unix seconds
}
_NUMERIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_CRM_VALUE = re.compile(r"^([A-Z]+)_(\d+)$")


def not_correct(item: ListField) -> errors.ApiError:
    return errors.lists_error("ERROR_ELEMENT_FIELD_VALUE", f'Value of the "{item.name}" field is not correct')


def is_empty(value: Any) -> bool:
    """PHP's ``empty()`` for a request value: "", "0", 0, null, false and empty arrays."""
    if isinstance(value, (list, dict)):
        return not value
    return value in (None, "", "0", 0, False)


def is_numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value.strip()))


def items(raw: Any) -> list[tuple[str | None, Any]]:
    """A property value as (key, item) pairs: a scalar is one item, a list keeps order, a mapping its keys.

    An inner array is flattened with its own keys, as ``Element::setPropertyValue`` does.
    """
    if isinstance(raw, dict):
        pairs: list[tuple[str | None, Any]] = [(str(key), value) for key, value in raw.items()]
    elif isinstance(raw, list):
        pairs = [(None, value) for value in raw]
    else:
        return [(None, raw)]
    flat: list[tuple[str | None, Any]] = []
    for key, value in pairs:
        if isinstance(value, dict):
            flat.extend((str(inner), item) for inner, item in value.items())
        elif isinstance(value, list):
            flat.extend((None, item) for item in value)
        else:
            flat.append((key, value))
    return flat


def store(item: ListField, raw: Any, root: PortalState) -> Any:
    """The stored form of one written value, None for an empty one; raises ERROR_ELEMENT_FIELD_VALUE."""
    if raw is None or raw is False:
        return None
    text = raw.strip() if isinstance(raw, str) else str(raw).strip()
    if not text:
        return None
    return _STORE[item.type](item, raw, text, root)


def _text(item: ListField, raw: Any, text: str, root: PortalState) -> str:
    return raw if isinstance(raw, str) else str(raw)


def _number(item: ListField, raw: Any, text: str, root: PortalState) -> str:
    number = text.replace(",", ".").replace(" ", "")
    if not is_numeric(number):
        raise not_correct(item)
    return php_float(float(number))


def _enum(item: ListField, raw: Any, text: str, root: PortalState) -> int:
    if text.isdigit() and int(text) in item.enums:
        return int(text)
    raise not_correct(item)  # (unconfirmed) an unknown list item ID is refused rather than dropped


def _day(item: ListField, raw: Any, text: str, root: PortalState) -> int:
    day = dates.read_day(text, root.clock)
    if day is None:
        raise not_correct(item)  # (unconfirmed) the portal may store an unreadable date as empty
    return day


def _moment(item: ListField, raw: Any, text: str, root: PortalState) -> int:
    moment = dates.read_moment(text, root.clock)
    if moment is None:
        raise not_correct(item)
    return moment


def _crm_link(item: ListField, raw: Any, text: str, root: PortalState) -> str:
    """S:ECrm: a bare ID when the field links one entity type, ``C_3``/``D_5`` when it links several.

    (unconfirmed) a value in the other form, or of a type the field does not link, is refused.
    """
    prefixes = item.crm_allowed or tuple(item.crm_prefixes())
    if len(prefixes) == 1:
        if text.isdigit():
            return text
        raise not_correct(item)
    match = _CRM_VALUE.match(text.upper())
    if match and match.group(1) in prefixes:
        return f"{match.group(1)}_{int(match.group(2))}"
    raise not_correct(item)


def _user(item: ListField, raw: Any, text: str, root: PortalState) -> int:
    if text.isdigit() and int(text) in root.users:
        return int(text)
    raise not_correct(item)  # (unconfirmed) a user that does not exist is refused


def _reference(item: ListField, raw: Any, text: str, root: PortalState) -> int:
    if text.isdigit():
        return int(text)
    raise not_correct(item)


_STORE = {
    "S": _text, "S:HTML": _text, "S:Money": _text, "N": _number, "L": _enum, "S:Date": _day,
    "S:DateTime": _moment, "S:ECrm": _crm_link, "S:employee": _user,
    "E": _reference, "E:EList": _reference, "G": _reference, "N:Sequence": _reference,
}


def show(item: ListField, value: Any, root: PortalState) -> Any:
    """One stored value as ``lists.element.get`` returns it."""
    kind = item.type
    if kind == "S:Date":
        return dates.show_day(value, root.clock)
    if kind == "S:DateTime":
        return dates.show_moment(value, root.clock)
    if kind == "S:HTML":
        # (unconfirmed) HTML values come back as the {TEXT, TYPE} pair they are stored as.
        return {"TEXT": value, "TYPE": "HTML"}
    return str(value)


def php_float(number: float) -> str:
    """How PHP prints a float (14 significant digits): 12.0 -> "12", 0.1 + 0.2 -> "0.3"."""
    text = f"{number:.14G}"
    return "0" if text == "-0" else text


def filter_date(raw: Any, root: PortalState, *, day: bool) -> Any:
    """A date filter value in the stored form (ordinal or Unix seconds); lists are mapped item by item.

    Text that is no date stays as it is, so the comparison matches nothing.
    """
    if isinstance(raw, dict):
        raw = list(raw.values())
    if isinstance(raw, list):
        return [filter_date(item, root, day=day) for item in raw]
    if raw in (None, "", False) or is_numeric(raw):
        return raw
    converted = dates.read_day(raw, root.clock) if day else dates.read_moment(raw, root.clock)
    return raw if converted is None else converted
