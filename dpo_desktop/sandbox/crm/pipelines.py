"""Pipelines and stages: ``crm.category.*`` (entityTypeId 2), the legacy ``crm.dealcategory.*``, ``crm.status.*``."""

from __future__ import annotations

from typing import Any

from .. import errors, wire
from ..query import FilterError, Table, parse_filter, parse_order
from ..registry import Call, ListResult, method
from .state import stage_entity

DEAL_TYPE_ID = 2


def _category(call: Call, category_id: int) -> dict[str, Any]:
    record = call.state.crm.categories[category_id]
    data: dict[str, Any] = {"id": category_id, "name": record["name"], "sort": record["sort"],
                            "entityTypeId": DEAL_TYPE_ID, "isDefault": "Y" if category_id == 0 else "N"}
    if category_id != 0:
        data.update({"originId": "", "originatorId": ""})
    return data


def _entity_type(params: dict[str, Any]) -> None:
    """crm.category.* serves deals only in the sandbox; other types do not exist here."""
    value = params.get("entityTypeId")
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise errors.crm_item_not_found("Smart process not found") from None
    if number != DEAL_TYPE_ID:
        raise errors.crm_item_not_found("Smart process not found")


@method("crm.category.list", scope="crm", upper_keys=False)
def category_list(call: Call, params: dict[str, Any]) -> ListResult:
    _entity_type(params)
    categories = sorted(call.state.crm.categories, key=lambda key: (call.state.crm.categories[key]["sort"], key))
    items = [_category(call, key) for key in categories]
    return ListResult({"categories": items}, len(items))


@method("crm.category.get", scope="crm", upper_keys=False)
def category_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    _entity_type(params)
    try:
        category_id = int(str(params.get("id")))
    except ValueError:
        raise errors.crm_item_not_found() from None
    if category_id not in call.state.crm.categories:
        raise errors.crm_item_not_found()
    return {"category": _category(call, category_id)}


@method("crm.category.add", scope="crm", upper_keys=False)
def category_add(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    _entity_type(params)
    call.require_admin()
    fields = wire.as_map(params.get("fields"))
    name = str(fields.get("name") or "").strip()
    if not name:
        raise errors.invalid_arg("Field 'name' is required")
    try:
        sort = int(str(fields.get("sort", 500)))
    except ValueError:
        sort = 500
    return {"category": _category(call, call.state.crm.add_category(name, sort))}


# -- legacy crm.dealcategory.* ------------------------------------------------------------------

_DEALCATEGORY_KINDS = {"ID": "int", "NAME": "text", "SORT": "int", "IS_LOCKED": "text", "CREATED_DATE": "datetime"}


@method("crm.dealcategory.list", scope="crm")
def dealcategory_list(call: Call, params: dict[str, Any]) -> ListResult:
    # (unconfirmed) the default pipeline 0 is served by crm.dealcategory.default.get, not by .list.
    crm = call.state.crm
    table = Table(_DEALCATEGORY_KINDS)
    for category_id, record in crm.categories.items():
        if category_id:
            table.insert(category_id, {"ID": str(category_id), "CREATED_DATE": call.state.clock.iso(record["created"]),
                                       "NAME": record["name"], "IS_LOCKED": "N", "SORT": str(record["sort"])})
    try:
        predicates = parse_filter(wire.as_map(params.get("FILTER")), _DEALCATEGORY_KINDS, strict=False)
    except FilterError:
        predicates = []
    page = table.select(predicates, parse_order(params.get("ORDER"), _DEALCATEGORY_KINDS), _start(params))
    select = [str(item).upper() for item in wire.as_list(params.get("SELECT"))]
    rows = [{key: value for key, value in row.items() if not select or "*" in select or key in select or key == "ID"}
            for row in page.rows]
    return ListResult(rows, page.total, page.next, page.counted)


@method("crm.dealcategory.stage.list", scope="crm")
def dealcategory_stage_list(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        category_id = int(str(params.get("ID") or 0))
    except ValueError:
        category_id = 0
    if category_id not in call.state.crm.categories:
        return []
    return [{"NAME": stage["NAME"], "SORT": int(stage["SORT"]), "STATUS_ID": stage["STATUS_ID"]}
            for stage in call.state.crm.stages(category_id)]


# -- crm.status.* -------------------------------------------------------------------------------

_STATUS_KINDS = {"ID": "int", "ENTITY_ID": "text", "STATUS_ID": "text", "NAME": "text", "SORT": "int",
                 "SYSTEM": "text", "CATEGORY_ID": "int", "SEMANTICS": "text"}


@method("crm.status.list", scope="crm")
def status_list(call: Call, params: dict[str, Any]) -> ListResult:
    table = Table(_STATUS_KINDS)
    for record_id, record in call.state.crm.statuses.items():
        table.insert(record_id, record)
    try:
        predicates = parse_filter(wire.as_map(params.get("FILTER")), _STATUS_KINDS, strict=False)
    except FilterError:
        predicates = []
    order = parse_order(params.get("ORDER"), _STATUS_KINDS) or [("SORT", True)]
    page = table.select(predicates, order, -1, page_size=10**9)
    rows = [dict(row) for row in page.rows]
    return ListResult(rows, len(rows))


@method("crm.status.add", scope="crm")
def status_add(call: Call, params: dict[str, Any]) -> int:
    call.require_admin()
    fields = {str(key).upper(): value for key, value in wire.as_map(params.get("FIELDS")).items()}
    entity_id, status_id, name = (str(fields.get(key) or "").strip() for key in ("ENTITY_ID", "STATUS_ID", "NAME"))
    if not entity_id or not status_id or not name:
        raise errors.crm_error("The fields ENTITY_ID, STATUS_ID and NAME are required.")
    if entity_id.startswith("DEAL_STAGE"):
        suffix = entity_id.removeprefix("DEAL_STAGE").removeprefix("_")
        category_id = 0 if not suffix else wire.php_int_key(suffix)
        if category_id not in call.state.crm.categories or stage_entity(category_id) != entity_id:
            raise errors.crm_error("Entity ID is not valid.")
    semantics = str(fields.get("SEMANTICS") or "").upper() or None
    try:
        sort = int(str(fields.get("SORT") or 500))
    except ValueError:
        sort = 500
    color = fields.get("COLOR")
    record = call.state.crm.add_status(entity_id, status_id, name, sort,
                                       color=str(color) if isinstance(color, (str, int)) and color != "" else None,
                                       semantics=semantics if semantics in ("S", "F") else None)
    return int(record["ID"])


def _status_id(params: dict[str, Any]) -> int:
    record_id = wire.php_intval(params.get("ID"))
    if record_id <= 0:
        raise errors.crm_bad_id()
    return record_id


@method("crm.status.update", scope="crm")
def status_update(call: Call, params: dict[str, Any]) -> bool:
    call.require_admin()
    record_id = _status_id(params)
    fields = {str(key).upper(): value for key, value in wire.as_map(params.get("FIELDS")).items()}
    name = str(fields["NAME"]).strip() if "NAME" in fields else None
    if name == "":
        raise errors.crm_error("The field NAME is required.")
    sort = wire.php_intval(fields["SORT"]) if "SORT" in fields else None
    color = str(fields["COLOR"]) if fields.get("COLOR") not in (None, "") else None
    call.state.crm.update_status(record_id, name=name, sort=sort, color=color)
    return True


@method("crm.status.delete", scope="crm")
def status_delete(call: Call, params: dict[str, Any]) -> bool:
    call.require_admin()
    call.state.crm.delete_status(_status_id(params))
    return True


def _start(params: dict[str, Any]) -> int:
    return wire.php_intval(params.get("START"))
