"""Deal ↔ contact bindings: ``crm.deal.contact.items.get/set/delete``, ``crm.deal.contact.add/delete/fields``.

These methods answer integers (``"CONTACT_ID": 55``), unlike the rest of legacy CRM.
"""

from __future__ import annotations

from typing import Any

from .. import errors, wire
from ..registry import Call, method


def _deal_id(call: Call, params: dict[str, Any]) -> int:
    try:
        deal_id = int(str(params.get("ID")).strip())
    except (TypeError, ValueError):
        deal_id = 0
    if deal_id <= 0:
        raise errors.crm_error("The parameter ownerEntityID is invalid or not defined.")
    if call.state.crm.deals.table.get(deal_id) is None:
        raise errors.crm_error("Not found.")
    return deal_id


def _contact_id(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        raise errors.crm_error("The parameter 'fields' is not valid.")
    return number


def _item(raw: Any, position: int) -> dict[str, Any]:
    raw = {str(key).upper(): value for key, value in wire.as_map(raw).items()}
    try:
        sort = int(str(raw.get("SORT")))
    except ValueError:
        sort = (position + 1) * 10
    return {"CONTACT_ID": _contact_id(raw.get("CONTACT_ID")), "SORT": sort, "ROLE_ID": 0,
            "IS_PRIMARY": "Y" if str(raw.get("IS_PRIMARY", "N")).upper() == "Y" else "N"}


@method("crm.deal.contact.items.get", scope="crm")
def items_get(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    deal_id = _deal_id(call, params)
    return [dict(item) for item in sorted(call.state.crm.bindings(deal_id), key=lambda item: item["SORT"])]


@method("crm.deal.contact.items.set", scope="crm")
def items_set(call: Call, params: dict[str, Any]) -> bool:
    deal_id = _deal_id(call, params)
    items = [_item(raw, position) for position, raw in enumerate(wire.as_list(params.get("ITEMS")))]
    for item in items:
        if call.state.crm.contacts.table.get(item["CONTACT_ID"]) is None:
            raise errors.crm_error("The parameter 'fields' is not valid.")
    unique = list({item["CONTACT_ID"]: item for item in items}.values())
    call.state.crm.set_bindings(deal_id, unique)
    return True


@method("crm.deal.contact.items.delete", scope="crm")
def items_delete(call: Call, params: dict[str, Any]) -> bool:
    call.state.crm.set_bindings(_deal_id(call, params), [])
    return True


@method("crm.deal.contact.add", scope="crm")
def contact_add(call: Call, params: dict[str, Any]) -> bool:
    deal_id = _deal_id(call, params)
    current = call.state.crm.bindings(deal_id)
    item = _item(params.get("FIELDS"), len(current))
    if call.state.crm.contacts.table.get(item["CONTACT_ID"]) is None:
        raise errors.crm_error("The parameter 'fields' is not valid.")
    if any(existing["CONTACT_ID"] == item["CONTACT_ID"] for existing in current):
        return False
    items = [dict(existing) for existing in current]
    if item["IS_PRIMARY"] == "Y":
        for existing in items:
            existing["IS_PRIMARY"] = "N"
    items.append(item)
    call.state.crm.set_bindings(deal_id, items)
    return True


@method("crm.deal.contact.delete", scope="crm")
def contact_delete(call: Call, params: dict[str, Any]) -> bool:
    deal_id = _deal_id(call, params)
    fields = {str(key).upper(): value for key, value in wire.as_map(params.get("FIELDS")).items()}
    contact_id = _contact_id(fields.get("CONTACT_ID"))
    current = call.state.crm.bindings(deal_id)
    remaining = [dict(item) for item in current if item["CONTACT_ID"] != contact_id]
    if len(remaining) == len(current):
        return False
    # Removing the primary contact promotes the next one (set_bindings picks the first).
    call.state.crm.set_bindings(deal_id, sorted(remaining, key=lambda item: item["SORT"]))
    return True


@method("crm.deal.contact.fields", scope="crm")
def contact_fields(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    def field(kind: str, title: str, required: bool = False) -> dict[str, Any]:
        return {"type": kind, "isRequired": required, "isReadOnly": False, "isImmutable": False,
                "isMultiple": False, "isDynamic": False, "title": title}
    return {"CONTACT_ID": field("integer", "Контакт", True), "SORT": field("integer", "Индекс сортировки"),
            "ROLE_ID": field("integer", "Роль"), "IS_PRIMARY": field("char", "Первичный")}
