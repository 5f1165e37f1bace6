"""``lists.get`` and ``lists.add``: the lists (information blocks) of a type."""

from __future__ import annotations

from typing import Any

from .. import errors, wire
from ..query import PAGE_SIZE
from ..registry import Call, ListResult, method
from .params import check_group, given, matching, require, require_admin, upper_keys
from .reading import start_of


@method("lists.get", scope="lists")
def lists_get(call: Call, params: dict[str, Any]) -> ListResult | list[Any]:
    params = upper_keys(params)
    require(params, "IBLOCK_TYPE_ID")
    iblock_type = str(params["IBLOCK_TYPE_ID"]).strip()
    check_group(iblock_type, params)
    if given(params.get("IBLOCK_ID")) or given(params.get("IBLOCK_CODE")):
        found = matching(call, params)
    else:
        found = list(call.state.lists.iblocks.values())
    group = str(params.get("SOCNET_GROUP_ID") or "").strip()
    found = [item for item in found if item.iblock_type == iblock_type
             and (iblock_type != "lists_socnet" or str(item.socnet_group_id) == group)]
    # The module orders by ID first and appends IBLOCK_ORDER after it, so only a direction given
    # for ID itself (in lower case, as it compares) changes the order.
    direction = wire.as_map(params.get("IBLOCK_ORDER")).get("ID")
    found.sort(key=lambda item: item.id, reverse=direction == "desc")
    start = start_of(params.get("START"))
    offset = 0 if start == -1 else start - start % PAGE_SIZE
    page = found[offset : offset + PAGE_SIZE]
    if not page:
        return []  # the portal answers an empty result without total
    rows = [item.to_wire(call.state.clock) for item in page]
    if start == -1:
        return ListResult(rows, None)
    following = offset + PAGE_SIZE if offset + PAGE_SIZE < len(found) else None
    return ListResult(rows, len(found), following, len(found))


@method("lists.add", scope="lists")
def lists_add(call: Call, params: dict[str, Any]) -> int:
    params = upper_keys(params)
    lists = call.state.lists
    if given(params.get("IBLOCK_TYPE_ID")) and (given(params.get("IBLOCK_CODE")) or given(params.get("IBLOCK_ID"))):
        # Iblock::isExist runs before the rights check and looks at the code (or ID) across all types.
        code = str(params.get("IBLOCK_CODE") or "").strip().casefold()
        raw_id = str(params.get("IBLOCK_ID") or "").strip()
        if any((code and (item.code or "").casefold() == code) or str(item.id) == raw_id
               for item in lists.iblocks.values()):
            raise errors.lists_error("ERROR_IBLOCK_ALREADY_EXISTS", "Iblock already exists")
    require_admin(call)
    if given(params.get("IBLOCK_TYPE_ID")):
        check_group(str(params["IBLOCK_TYPE_ID"]).strip(), params)
    fields = wire.as_map(params.get("FIELDS"))
    # (unconfirmed) IBLOCK_CODE is required even where the portal would settle for IBLOCK_ID.
    require({**params, "NAME": fields.get("NAME")}, "IBLOCK_TYPE_ID", "IBLOCK_CODE", "NAME")
    group = str(params.get("SOCNET_GROUP_ID") or "").strip()
    return lists.add_list(
        str(params["IBLOCK_CODE"]).strip(), str(fields["NAME"]), user_id=call.user.id,
        iblock_type=str(params["IBLOCK_TYPE_ID"]).strip(), description=str(fields.get("DESCRIPTION") or ""),
        sort=_int(fields.get("SORT"), 500), socnet_group_id=int(group) if group.isdigit() else None,
        bizproc="Y" if str(fields.get("BIZPROC", "N")).upper() == "Y" else "N",
        messages={key: str(value) for key, value in wire.as_map(params.get("MESSAGES")).items()},
    )


def _int(value: Any, default: int) -> int:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return default
