"""``lists.element.*``: read, add, overwrite and delete list elements, and the links to their files.

Every user may call them (the sandbox has no per-list rights). ``lists.element.update`` overwrites
the element: see ``elements.py``.
"""

from __future__ import annotations

from typing import Any

from .. import wire
from ..registry import Call, ListResult, method
from . import reading
from .params import find_element, find_iblock, given, require, upper_keys

_SEF_FOLDERS = {"lists": "/company/lists/", "lists_socnet": "/workgroups/group/{group}/lists/",
                "bitrix_processes": "/bizproc/processes/"}


@method("lists.element.get", scope="lists")
def element_get(call: Call, params: dict[str, Any]) -> ListResult | list[Any]:
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    return reading.query(call.state, iblock, params)


@method("lists.element.add", scope="lists")
def element_add(call: Call, params: dict[str, Any]) -> int:
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    fields = dict(wire.as_map(params.get("FIELDS")))
    if "IBLOCK_SECTION_ID" not in fields and given(params.get("IBLOCK_SECTION_ID")):
        fields["IBLOCK_SECTION_ID"] = params["IBLOCK_SECTION_ID"]
    code = params.get("ELEMENT_CODE")
    return call.state.lists.add_element(iblock.id, "" if code is None else str(code), fields, user_id=call.user.id)


@method("lists.element.update", scope="lists")
def element_update(call: Call, params: dict[str, Any]) -> bool:
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    record = find_element(iblock, params)
    # The module writes CODE from ELEMENT_CODE on every update. (unconfirmed) so an update by
    # ELEMENT_ID alone clears the element's code.
    code = str(params["ELEMENT_CODE"]).strip() if given(params.get("ELEMENT_CODE")) else None
    call.state.lists.update_element(iblock.id, record["ID"], wire.as_map(params.get("FIELDS")),
                                    user_id=call.user.id, code=code)
    return True


@method("lists.element.delete", scope="lists")
def element_delete(call: Call, params: dict[str, Any]) -> bool:
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    record = find_element(iblock, params)
    call.state.lists.delete_element(iblock.id, record["ID"])
    return True


@method("lists.element.get.file.url", scope="lists")
def element_file_url(call: Call, params: dict[str, Any]) -> list[str]:
    """Browser paths of a File or Drive-file property's files (session links, not REST downloads)."""
    params = upper_keys(params)
    iblock = find_iblock(call, params)
    record = find_element(iblock, params)
    # (unconfirmed) the module answers [] without FIELD_ID; the sandbox asks for it.
    require(params, "FIELD_ID")
    raw = str(params["FIELD_ID"]).strip()
    item = iblock.property(int(raw)) if raw.isdigit() else None  # a number, without "PROPERTY_"
    if item is None or item.type not in ("F", "S:DiskFile"):
        return []
    stored = record["P"].get(item.prop_id, ())
    if item.type == "S:DiskFile":
        return [f"/bitrix/tools/disk/uf.php?attachedId={attached}&action=download&ncc=1"
                for joined in stored[1::2] for attached in str(joined).split(",")]
    folder = _SEF_FOLDERS.get(iblock.iblock_type, _SEF_FOLDERS["lists"]).format(group=iblock.socnet_group_id)
    section = record.get("IBLOCK_SECTION_ID") or 0
    return [f"{folder}{iblock.id}/file/{section}/{record['ID']}/{item.field_id}/{file_id}/?ncc=y&download=y"
            for file_id in stored[1::2]]
