"""``crm.deal.*``, ``crm.contact.*`` and ``crm.company.*``: list, get, add, update, delete, fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import errors
from ..registry import Call, ListResult, method
from .entity import CrmEntity

EntityOf = Callable[[Call], CrmEntity]


def _fields_param(params: dict[str, Any]) -> dict[str, Any]:
    raw = params.get("FIELDS")
    if isinstance(raw, list):
        raw = {str(index): item for index, item in enumerate(raw)}
    if not isinstance(raw, dict):
        raise errors.crm_bad_fields()
    return raw


def register(kind: str, entity_of: EntityOf) -> None:
    def entity_list(call: Call, params: dict[str, Any]) -> ListResult:
        return entity_of(call).list(params)

    def entity_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
        entity = entity_of(call)
        return entity.read(entity.get(params.get("ID")))

    def entity_add(call: Call, params: dict[str, Any]) -> int:
        return entity_of(call).add(_fields_param(params), call.user.id)

    def entity_update(call: Call, params: dict[str, Any]) -> bool:
        entity = entity_of(call)
        entity.get(params.get("ID"))  # an unknown ID answers "Not found" before the fields are read
        entity.update(params.get("ID"), _fields_param(params), call.user.id)
        return True

    def entity_delete(call: Call, params: dict[str, Any]) -> bool:
        entity_of(call).delete(params.get("ID"))
        return True

    def entity_fields(call: Call, params: dict[str, Any]) -> dict[str, Any]:
        return entity_of(call).describe_fields()

    for action, func in (("list", entity_list), ("get", entity_get), ("add", entity_add),
                         ("update", entity_update), ("delete", entity_delete), ("fields", entity_fields)):
        method(f"crm.{kind}.{action}", scope="crm")(func)


register("deal", lambda call: call.state.crm.deals)
register("contact", lambda call: call.state.crm.contacts)
register("company", lambda call: call.state.crm.companies)
