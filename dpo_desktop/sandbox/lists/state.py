"""State of the universal lists family (``lists.*``): lists, their fields, elements and File bytes.

The REST methods are thin over the operations below, and seeds call the same operations to build a
portal without HTTP. Every operation checks what the portal checks and raises :class:`ApiError`
with the portal's code and text.

Internal API (seeds and other families)::

    add_list(code, name, *, user_id, iblock_type="lists", description="", sort=500) -> int
        A new list (iblock) with its system field NAME; ERROR_IBLOCK_ALREADY_EXISTS if the code is taken.
    find_list(code, iblock_type="lists") -> int | None
    add_field(iblock_id, fields) -> str
        FIELDS as lists.field.add takes them ({"NAME", "TYPE", "CODE", "MULTIPLE", "IS_REQUIRED", "LIST",
        "LIST_TEXT_VALUES", "USER_TYPE_SETTINGS", ...}); returns "PROPERTY_n" or a system field's code.
    update_field(iblock_id, field_id, fields) -> None       as lists.field.update (TYPE must be repeated)
    enum_ids(iblock_id, field_id) -> dict[str, str]        an L property's value text -> enum ID
    add_element(iblock_id, code, fields, *, user_id, created=None) -> int
        FIELDS as lists.element.add takes them: {"NAME": ..., "PROPERTY_n": value or [values]}; CODE is
        required and unique; ``created`` (Unix seconds) backdates DATE_CREATE.
    update_element(iblock_id, element_id, fields, *, user_id) -> None
        Overwrite semantics, as lists.element.update: every non-file field not sent is cleared.
    delete_element(iblock_id, element_id) -> None
    element(iblock_id, element_id) -> dict                 the element as lists.element.get returns it

Values: L takes enum IDs (see ``enum_ids``), S:ECrm a bare ID when the field links one CRM type and
``C_3``/``D_5`` when it links several, S:Date/S:DateTime ISO or the portal's locale format, F
``["name.pdf", "<base64>"]``, S:DiskFile a Drive file ID (``"123"`` or ``"n123"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import errors, wire
from . import elements, fields, reading
from .files import FileTable
from .iblock import IBLOCK_TYPES, MESSAGE_KEYS, IBlock

if TYPE_CHECKING:
    from ..state import PortalState


def not_found() -> errors.ApiError:
    return errors.lists_error("ERROR_IBLOCK_NOT_FOUND", "Iblock not found")


def element_not_found() -> errors.ApiError:
    return errors.lists_error("ERROR_ELEMENT_NOT_FOUND", "Element not found")


def missing(name: str) -> errors.ApiError:
    return errors.lists_error("ERROR_REQUIRED_PARAMETERS_MISSING", f'Required parameter "{name}" is missing')


def access_denied() -> errors.ApiError:
    # The lists module answers a rights failure through RestException's default status, 400.
    return errors.lists_error("ACCESS_DENIED", "Access denied")


class ListsState:
    def __init__(self, root: PortalState) -> None:
        self.root = root
        self.iblocks: dict[int, IBlock] = {}
        self.files = FileTable(root)

    # -- lists ---------------------------------------------------------------------------------------

    def add_list(self, code: str, name: str, *, user_id: int, iblock_type: str = "lists", description: str = "",
                 sort: int = 500, socnet_group_id: int | None = None, bizproc: str = "N",
                 messages: dict[str, str] | None = None) -> int:
        if iblock_type not in IBLOCK_TYPES:
            raise access_denied()  # (unconfirmed) the rights check refuses an unknown iblock type
        if any(item.code.casefold() == code.casefold() for item in self.iblocks.values() if item.code):
            raise errors.lists_error("ERROR_IBLOCK_ALREADY_EXISTS", "Iblock already exists")
        iblock_id = self.root.next_id("lists.iblock")
        self.iblocks[iblock_id] = IBlock(
            iblock_id, iblock_type, code, name, description, sort, bizproc, socnet_group_id, user_id,
            self.root.now(), self.root.clock.locale,
            messages={key: str(value) for key, value in (messages or {}).items() if key in MESSAGE_KEYS})
        return iblock_id

    def find_list(self, code: str, iblock_type: str = "lists") -> int | None:
        wanted = code.casefold()
        for iblock in self.iblocks.values():
            if iblock.iblock_type == iblock_type and iblock.code and iblock.code.casefold() == wanted:
                return iblock.id
        return None

    def iblock(self, iblock_id: int) -> IBlock:
        iblock = self.iblocks.get(iblock_id)
        if iblock is None:
            raise not_found()
        return iblock

    # -- fields --------------------------------------------------------------------------------------

    def add_field(self, iblock_id: int, raw_fields: dict[str, Any]) -> str:
        iblock = self.iblock(iblock_id)
        fields.check_required(raw_fields)
        given = fields.writable(raw_fields)
        kind, name = str(given["TYPE"]).strip(), str(given["NAME"])
        same_type = {item.id for item in self.iblocks.values() if item.iblock_type == iblock.iblock_type}
        fields.check_links(given, kind, name, iblock.id, same_type)
        item = fields.new_field(given, iblock.property_codes(), set(iblock.fields), self.root)
        iblock.add_field(item)
        return item.field_id

    def update_field(self, iblock_id: int, field_id: str, raw_fields: dict[str, Any]) -> None:
        iblock = self.iblock(iblock_id)
        fields.check_required(raw_fields)
        given = fields.writable(raw_fields)
        item = iblock.fields.get(str(field_id).strip().upper())
        if item is not None and str(given["TYPE"]).strip() != item.type:
            raise fields.save_error("Field type can not be changed", "ERROR_UPDATE_FIELD")
        if item is None:
            raise fields.save_error("Error update the field", "ERROR_UPDATE_FIELD")
        same_type = {other.id for other in self.iblocks.values() if other.iblock_type == iblock.iblock_type}
        if "LINK_IBLOCK_ID" in given:
            fields.check_links(given, item.type, item.name, iblock.id, same_type)
        code = str(given.get("CODE") or "").strip()
        if item.is_property and code and code.casefold() != (item.code or "").casefold() \
                and code.casefold() in iblock.property_codes():
            raise fields.save_error("Error update the field", "ERROR_UPDATE_FIELD")
        old_code = item.code
        fields.apply(item, given, self.root, creating=False)
        if item.is_property:
            iblock.reindex(item, old_code)
        iblock.fields_changed()

    def enum_ids(self, iblock_id: int, field_id: str) -> dict[str, str]:
        item = self.iblock(iblock_id).fields.get(field_id.upper())
        if item is None or item.type != "L":
            raise ValueError(f"{field_id} is not a list (L) property of list {iblock_id}")
        return {enum["VALUE"]: str(enum_id) for enum_id, enum in item.sorted_enums()}

    # -- elements ------------------------------------------------------------------------------------

    def add_element(self, iblock_id: int, code: str, raw_fields: dict[str, Any], *, user_id: int,
                    created: float | None = None) -> int:
        iblock = self.iblock(iblock_id)
        code = "" if code is None else str(code).strip()
        if code and iblock.find_code(code) is not None:
            raise errors.lists_error("ERROR_ELEMENT_ALREADY_EXISTS", "Element already exists")
        given = _upper(raw_fields)
        # (unconfirmed) ELEMENT_CODE is required even where the portal would settle for ELEMENT_ID.
        absent = [name for name, gone in (("ELEMENT_CODE", not code), ("NAME", given.get("NAME") is None)) if gone]
        if absent:
            raise missing(absent[-1])
        return elements.write(self, iblock, given, record=None, user_id=user_id, code=code, created=created)

    def update_element(self, iblock_id: int, element_id: int, raw_fields: dict[str, Any], *, user_id: int,
                       code: Any = elements.KEEP) -> None:
        iblock = self.iblock(iblock_id)
        record = iblock.elements.get(int(element_id))
        if record is None:
            raise element_not_found()
        elements.write(self, iblock, _upper(raw_fields), record=record, user_id=user_id, code=code)

    def delete_element(self, iblock_id: int, element_id: int) -> None:
        iblock = self.iblock(iblock_id)
        record = iblock.elements.get(int(element_id))
        if record is None:
            raise element_not_found()
        elements.delete(self, iblock, record)

    def element(self, iblock_id: int, element_id: int) -> dict[str, Any]:
        iblock = self.iblock(iblock_id)
        record = iblock.elements.get(int(element_id))
        if record is None:
            raise element_not_found()
        return reading.render(self.root, iblock, record, None)


def _upper(raw: Any) -> dict[str, Any]:
    return {str(key).upper(): value for key, value in wire.as_map(raw).items()}
