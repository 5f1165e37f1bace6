"""``crm.item.*`` for deals (``entityTypeId`` 2), contacts (3) and companies (4).

The same records the legacy ``crm.deal.*``/``crm.contact.*``/``crm.company.*`` methods serve, answered
the newer way: camelCase keys, real numbers, ``{"item": …}`` and ``{"items": […]}`` wrappers, named
error codes (reference §15, §3, §4.2). ``crm.item.update`` is also how a deal changes pipeline (§8.1).
"""

from __future__ import annotations

import re
from typing import Any

from .. import errors, wire
from ..compare import to_integer
from ..registry import Call, ListResult, method
from .item_query import build_filter, build_order
from .item_schema import ITEM_TYPES, ItemSchema, ItemType, invalid_value

_INTEGER = re.compile(r"[+-]?[0-9]+")


def _missing(name: str) -> errors.ApiError:
    # (unconfirmed) the code and text the portal's argument binder answers for a required parameter.
    return errors.invalid_arg(f"Could not find value for parameter {{{name}}}")


def _wrong_type(name: str, expected: str) -> errors.ApiError:
    # (unconfirmed) as above, for a value of the wrong type.
    return errors.invalid_arg(f"Invalid value to match with parameter {{{name}}}. Should be value of type {expected}.")


def _integer(params: dict[str, Any], name: str) -> int:
    value = params.get(name)
    if value is None:
        raise _missing(name)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _wrong_type(name, "int")


def _array(params: dict[str, Any], name: str, *, required: bool = False) -> dict[str, Any] | list[Any] | None:
    value = params.get(name)
    if value is None:
        if required:
            raise _missing(name)
        return None
    if not isinstance(value, (dict, list)):
        raise _wrong_type(name, "array")
    return value


def _schema(call: Call, params: dict[str, Any]) -> ItemSchema:
    item_type = ITEM_TYPES.get(_integer(params, "entityTypeId"))
    if item_type is None:
        # The sandbox keeps no leads, invoices or smart processes.
        raise errors.crm_item_not_found("Smart process not found")
    original = params.get("useOriginalUfNames")
    original_names = original is True or (isinstance(original, str) and original.strip().upper() == "Y")
    return ItemSchema(item_type, call.state.crm, original_uf_names=original_names)


def _record(schema: ItemSchema, params: dict[str, Any]) -> dict[str, Any]:
    record = schema.entity.table.get(_integer(params, "id"))
    if record is None:
        raise errors.crm_item_not_found("Item not found")
    return record


def _answer(schema: ItemSchema, record_id: int) -> dict[str, Any]:
    return {"item": schema.reader(schema.order)(schema.entity.table.get(record_id))}


@method("crm.item.list", scope="crm", upper_keys=False)
def item_list(call: Call, params: dict[str, Any]) -> ListResult:
    schema = _schema(call, params)
    select = _array(params, "select")
    predicates = build_filter(schema, _array(params, "filter"))
    order = build_order(schema, _array(params, "order"))
    page = schema.entity.table.select(predicates, order, wire.php_intval(params.get("start")))
    # (unconfirmed) an empty select answers like no select at all.
    read = schema.reader(schema.selected(wire.as_list(select) if select else None))
    # The wrapper is the list's items, so batch references such as $result[p][items][49][id] resolve.
    return ListResult({"items": [read(record) for record in page.rows]}, page.total, page.next, page.counted)


@method("crm.item.get", scope="crm", upper_keys=False)
def item_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    schema = _schema(call, params)
    return _answer(schema, int(_record(schema, params)["ID"]))


@method("crm.item.add", scope="crm", upper_keys=False)
def item_add(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    schema = _schema(call, params)
    legacy = schema.legacy_fields(wire.as_map(_array(params, "fields", required=True)), creating=True)
    if schema.type.kind == "deal":
        category = _target_category(schema, legacy.get("CATEGORY_ID"))
        legacy["CATEGORY_ID"] = category
        _check_stage(schema, category, legacy.get("STAGE_ID"))
    record_id = _name_if_nameless(call, schema.type, legacy)
    return _answer(schema, schema.entity.add(legacy, call.user.id, record_id=record_id))


@method("crm.item.update", scope="crm", upper_keys=False)
def item_update(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    schema = _schema(call, params)
    record = _record(schema, params)
    record_id = int(record["ID"])
    legacy = schema.legacy_fields(wire.as_map(_array(params, "fields", required=True)), creating=False)
    if schema.type.kind == "deal":
        current = to_integer(record.get("CATEGORY_ID")) or 0
        category = _target_category(schema, legacy.pop("CATEGORY_ID", current))
        stage = legacy.pop("STAGE_ID", None)
        _check_stage(schema, category, stage)
        if category != current:
            _move_deal(schema, record_id, category, stage, call.user.id)
        elif stage is not None:
            legacy["STAGE_ID"] = stage
    schema.entity.update(record_id, legacy, call.user.id)
    return _answer(schema, record_id)


@method("crm.item.delete", scope="crm", upper_keys=False)
def item_delete(call: Call, params: dict[str, Any]) -> list[Any]:
    schema = _schema(call, params)
    schema.entity.delete(int(_record(schema, params)["ID"]))
    return []  # the documented answer: "result": []


# -- deals: pipelines and stages --------------------------------------------------------------------

def _target_category(schema: ItemSchema, value: Any) -> int:
    category = 0 if value is None else to_integer(value) if isinstance(value, (str, int, float)) else None
    if category is None or category not in schema.crm.categories:
        raise invalid_value("Category")
    return category


def _check_stage(schema: ItemSchema, category: int, stage: Any) -> None:
    """(unconfirmed) A stage of another pipeline is refused; legacy crm.deal.update ignores it silently."""
    if stage is not None and stage not in [item["STATUS_ID"] for item in schema.crm.stages(category)]:
        raise invalid_value("Stage")


def _move_deal(schema: ItemSchema, deal_id: int, category: int, stage: str | None, user_id: int) -> None:
    schema.entity.move(deal_id, category, stage, user_id)


def _name_if_nameless(call: Call, item_type: ItemType, legacy: dict[str, Any]) -> int | None:
    """An item may be added with no fields at all: a nameless contact or company is named after its ID
    (docs object-fields, "Required fields"). Returns the ID reserved for that name, if any."""
    if item_type.default_name is None:
        return None
    codes = ("NAME", "LAST_NAME", "SECOND_NAME") if item_type.kind == "contact" else ("TITLE",)
    if any(_has_text(legacy.get(code)) for code in codes):
        return None
    record_id = call.state.next_id(f"crm.{item_type.kind}")
    code, template = item_type.default_name
    legacy[code] = template.format(record_id)
    return record_id


def _has_text(value: Any) -> bool:
    return value is not None and not isinstance(value, (dict, list)) and bool(wire.php_string(value).strip())
