"""``lists.field.get``, ``lists.field.add`` and ``lists.field.update``: the fields of a list."""

from __future__ import annotations

from typing import Any

from .. import wire
from ..registry import Call, method
from .iblock import IBlock
from .params import find_iblock, given, require, require_admin, upper_keys
from .state import missing


@method("lists.field.get", scope="lists")
def field_get(call: Call, params: dict[str, Any]) -> dict[str, Any] | list[Any]:
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    lists = call.state.lists
    if given(params.get("FIELD_ID")):
        item = iblock.fields.get(str(params["FIELD_ID"]).strip().upper())
        if item is None:
            return []
        # With FIELD_ID the one field comes keyed by its TYPE, not by its FIELD_ID (the portal's quirk).
        return {item.type: item.describe(_display(lists.iblocks, item))}
    return {item.field_id: item.describe(_display(lists.iblocks, item)) for item in iblock.ordered_fields()}


@method("lists.field.add", scope="lists")
def field_add(call: Call, params: dict[str, Any]) -> str:
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    require_admin(call)
    return call.state.lists.add_field(iblock.id, wire.as_map(params.get("FIELDS")))


@method("lists.field.update", scope="lists")
def field_update(call: Call, params: dict[str, Any]) -> bool:
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    require_admin(call)
    fields = wire.as_map(params.get("FIELDS"))
    absent = [name for name, value in (("FIELD_ID", params.get("FIELD_ID")), ("NAME", fields.get("NAME")),
                                       ("TYPE", fields.get("TYPE"))) if value is None]
    if absent:
        raise missing(absent[-1])
    require(params, "FIELD_ID")
    call.state.lists.update_field(iblock.id, str(params["FIELD_ID"]), fields)
    return True


def _display(iblocks: dict[int, IBlock], item: Any) -> dict[str, str] | None:
    """DISPLAY_VALUES_FORM: the choices of a list item, section or element link."""
    if item.type == "L":
        return {str(enum_id): enum["VALUE"] for enum_id, enum in item.sorted_enums()}
    if item.type == "G":
        return {}  # the sandbox has no sections
    if item.type in ("E", "E:EList"):
        linked = iblocks.get(item.link_iblock_id or 0)
        if linked is None:
            return {}
        records = sorted(linked.elements.values(), key=lambda record: (record.get("NAME") or "").casefold())
        return {str(record["ID"]): record.get("NAME") or "" for record in records}
    return None
