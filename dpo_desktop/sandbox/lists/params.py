"""How every ``lists.*`` method reads its parameters and finds its list and element.

The lists module upper-cases parameter keys at every depth (``Param::changeKeyCaseRecursive``), so
``fields``/``FIELDS``, ``filter[=property_12]`` and ``FILTER[=PROPERTY_12]`` are the same. A missing
required parameter is ``ERROR_REQUIRED_PARAMETERS_MISSING`` naming the last one missing; a list is
identified by ``IBLOCK_ID`` or ``IBLOCK_CODE``, an element by ``ELEMENT_ID`` or ``ELEMENT_CODE``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..registry import Call
from .iblock import IBLOCK_TYPES
from .state import access_denied, element_not_found, missing, not_found

if TYPE_CHECKING:
    from .iblock import IBlock


def upper_keys(value: Any) -> Any:
    """Keys upper-cased at every depth; values (SELECT entries, file contents) are left alone."""
    if isinstance(value, dict):
        return {str(key).upper(): upper_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [upper_keys(item) for item in value]
    return value


def given(value: Any) -> bool:
    # (unconfirmed) the portal's isset() lets an empty string through; the sandbox treats it as missing.
    return value is not None and not (isinstance(value, str) and not value.strip())


def require(params: dict[str, Any], *names: str | tuple[str, str]) -> None:
    """Raise for the last missing parameter; a pair is satisfied by either of its names."""
    absent = []
    for name in names:
        options = name if isinstance(name, tuple) else (name,)
        if not any(given(params.get(option)) for option in options):
            absent.append(options[0])
    if absent:
        raise missing(absent[-1])


def require_admin(call: Call) -> None:
    # Not call.require_admin(): the lists module answers ACCESS_DENIED with HTTP 400, not 403.
    if not call.user.admin:
        raise access_denied()


def check_group(iblock_type: str, params: dict[str, Any], group_id: int | None = None) -> None:
    """Group lists need SOCNET_GROUP_ID (and the list's own group); without it the rights check fails."""
    if iblock_type not in IBLOCK_TYPES:
        raise access_denied()  # (unconfirmed) an unknown iblock type fails the rights check
    if iblock_type != "lists_socnet":
        return
    raw = str(params.get("SOCNET_GROUP_ID") or "").strip()
    if not raw.isdigit() or int(raw) <= 0 or (group_id is not None and int(raw) != group_id):
        raise access_denied()


def find_iblock(call: Call, params: dict[str, Any]) -> IBlock:
    """The list the parameters name (``Iblock::isExist``), then the group-rights check."""
    require(params, "IBLOCK_TYPE_ID", ("IBLOCK_CODE", "IBLOCK_ID"))
    iblock_type = str(params["IBLOCK_TYPE_ID"]).strip()
    found = None
    for candidate in matching(call, params):
        # (unconfirmed) a list of another iblock type is not found (the portal's check ignores the type).
        if candidate.iblock_type == iblock_type:
            found = candidate
            break
    if found is None:
        raise not_found()
    check_group(iblock_type, params, found.socnet_group_id)
    return found


def matching(call: Call, params: dict[str, Any]) -> list[IBlock]:
    """Lists whose ID and code match what is given (both must match when both are given)."""
    raw_id = str(params.get("IBLOCK_ID") or "").strip()
    raw_code = str(params.get("IBLOCK_CODE") or "").strip()
    found = []
    for iblock in call.state.lists.iblocks.values():
        if raw_id and str(iblock.id) != raw_id:
            continue
        if raw_code and (iblock.code or "").casefold() != raw_code.casefold():
            continue
        if raw_id or raw_code:
            found.append(iblock)
    return found


def find_element(iblock: IBlock, params: dict[str, Any]) -> dict[str, Any]:
    """The element named by ELEMENT_ID and/or ELEMENT_CODE (``Element::isExist``)."""
    require(params, ("ELEMENT_ID", "ELEMENT_CODE"))
    raw_id = str(params.get("ELEMENT_ID") or "").strip()
    raw_code = str(params.get("ELEMENT_CODE") or "").strip()
    if raw_id:
        record = iblock.elements.get(int(raw_id)) if raw_id.isdigit() else None
        if record is not None and raw_code and (record.get("CODE") or "").casefold() != raw_code.casefold():
            record = None
    else:
        element_id = iblock.find_code(raw_code)
        record = iblock.elements.get(element_id) if element_id is not None else None
    if record is None:
        raise element_not_found()
    return record
