"""Finding the schema's objects among what a portal has: by code, then XML_ID, then by name.

Names are compared the way a person reads them: case, ё/е, punctuation and spacing do not matter
(«Гражданство (код ОКСМ)» is «гражданство код оксм»). Pure functions over the snapshot's records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from .schema import CrmFieldSpec, EnumValue, ListFieldSpec, ListSpec

if TYPE_CHECKING:
    from .snapshot import Item, RemoteList, RemoteListField, RemoteUserField

_NOT_WORD = re.compile(r"[\W_]+")
T = TypeVar("T")

BY_CODE, BY_XML_ID, BY_NAME, BY_LINK = "code", "xml_id", "name", "link"


def norm(text: str | None) -> str:
    """``text`` as compared: case-folded, ё as е, words separated by single spaces."""
    if not text:
        return ""
    text = text.replace("ё", "е").replace("Ё", "Е").casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def same(left: str | None, right: str | None) -> bool:
    return bool(norm(left)) and norm(left) == norm(right)


def pick_by_name(candidates: Iterable[tuple[str, T]], names: Sequence[str]) -> T | None:
    """The first candidate whose name is one of ``names``, trying the names in their order."""
    pool = [(norm(name), item) for name, item in candidates]
    for wanted in names:
        key = norm(wanted)
        for name, item in pool:
            if key and name == key:
                return item
    return None


def pick_list(lists: Sequence[RemoteList], spec: ListSpec) -> tuple[RemoteList, str] | None:
    by_code = next((item for item in lists if item.code.casefold() == spec.code.casefold()), None)
    if by_code is not None:
        return by_code, BY_CODE
    by_name = pick_by_name(((item.name, item) for item in lists), (spec.title, *spec.names))
    return (by_name, BY_NAME) if by_name is not None else None


def pick_userfield(
    fields: Sequence[RemoteUserField], spec: CrmFieldSpec, codes: Sequence[str], taken: set[str]
) -> tuple[RemoteUserField, str] | None:
    """A deal or contact field for ``spec``: configured or conventional code, then XML_ID, then label."""
    free = [item for item in fields if item.field_name not in taken]
    for code in (*codes, spec.field_name):
        found = next((item for item in free if item.field_name.upper() == code.upper()), None)
        if found is not None:
            return found, BY_CODE
    found = next((item for item in free if item.xml_id.upper() == spec.xml_id.upper()), None)
    if found is not None:
        return found, BY_XML_ID
    # Among same-named fields prefer one of a type the app can use.
    usable = [item for item in free if item.user_type in spec.accepts]
    for pool in (usable, free):
        found = pick_by_name(((item.label, item) for item in pool), (spec.title, *spec.labels))
        if found is not None:
            return found, BY_NAME
    return None


def pick_list_field(
    fields: Sequence[RemoteListField], spec: ListFieldSpec, taken: set[str]
) -> tuple[RemoteListField, str] | None:
    """A list property for ``spec``: CODE, then name; a CRM link also by what it may point at."""
    free = [item for item in fields if item.field_id not in taken and item.field_id.startswith("PROPERTY_")]
    codes = {code.casefold() for code in (spec.code, *spec.codes)}
    found = next((item for item in free if item.code.casefold() in codes), None)
    if found is not None:
        return found, BY_CODE
    usable = [item for item in free if item.type in spec.accepts]
    for pool in (usable, free):
        found = pick_by_name(((item.name, item) for item in pool), (spec.title, *spec.names))
        if found is not None:
            return found, BY_NAME
    if spec.link is not None:
        # «Сделка»/«Участник» may be called anything; a link that allows exactly this entity is it.
        links = [item for item in usable if linked_types(item.settings) == {spec.link}]
        if len(links) == 1:
            return links[0], BY_LINK
    return None


def linked_types(settings: dict[str, object]) -> set[str]:
    """The CRM entity types an S:ECrm property or a ``crm`` user field may point at."""
    return {name for name in ("LEAD", "CONTACT", "COMPANY", "DEAL")
            if str(settings.get(name, "N")).strip().upper() in ("Y", "1", "TRUE")}


def map_values(items: Sequence[Item], values: Sequence[EnumValue]) -> tuple[dict[str, str], list[EnumValue]]:
    """(item ID -> logical value, the logical values the portal lacks).

    Every XML_ID is matched before any text, so an item whose XML_ID names one value is never taken
    for another value by its text.
    """
    chosen: dict[str, Item] = {}  # logical value -> item
    used: set[str] = set()
    for value in values:
        found = next((item for item in items if value.xml_id and item.id not in used
                      and item.xml_id.upper() == value.xml_id.upper()), None)
        if found is not None:
            chosen[value.logical] = found
            used.add(found.id)
    for value in values:
        if value.logical in chosen:
            continue
        free = [item for item in items if item.id not in used]
        found = pick_by_name(((item.value, item) for item in free), (value.title, *value.synonyms))
        if found is not None:
            chosen[value.logical] = found
            used.add(found.id)
    mapped = {chosen[value.logical].id: value.logical for value in values if value.logical in chosen}
    return mapped, [value for value in values if value.logical not in chosen]
