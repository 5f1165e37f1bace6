"""The fields of a universal list: system fields (``NAME``, ``SORT``, ...) and properties (``PROPERTY_n``).

``lists.field.add`` and ``lists.field.update`` read their ``FIELDS`` here, with the checks and
messages of the lists module (``Bitrix\\Lists\\Entity\\Field``); :meth:`ListField.describe` is one
entry of ``lists.field.get``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import errors, wire

if TYPE_CHECKING:
    from ..state import PortalState

# System fields: TYPE is the field's own code and FIELD_ID equals it. NAME exists on every list.
SYSTEM_TYPES = ("NAME", "SORT", "ACTIVE_FROM", "ACTIVE_TO", "PREVIEW_PICTURE", "PREVIEW_TEXT", "DETAIL_PICTURE",
                "DETAIL_TEXT", "DATE_CREATE", "CREATED_BY", "TIMESTAMP_X", "MODIFIED_BY")
PROPERTY_TYPES = ("S", "N", "L", "F", "G", "E", "S:Date", "S:DateTime", "S:HTML", "E:EList", "N:Sequence",
                  "S:ECrm", "S:Money", "S:DiskFile", "S:employee")
# Property types that are "user types" of a base type, with the description the portal gives them.
USER_TYPES = {
    "S:Date": "Дата", "S:DateTime": "Дата/Время", "S:HTML": "HTML/текст",
    "E:EList": "Привязка к элементам в виде списка",
    "N:Sequence": "Счетчик", "S:ECrm": "Привязка к элементам CRM", "S:Money": "Деньги",
    "S:DiskFile": "Файл (Диск)", "S:employee": "Привязка к сотруднику",
}
SYSTEM_NAMES = {
    "ru": {"NAME": "Название", "SORT": "Сортировка", "ACTIVE_FROM": "Начало активности",
           "ACTIVE_TO": "Окончание активности", "PREVIEW_PICTURE": "Картинка для анонса",
           "PREVIEW_TEXT": "Описание для анонса", "DETAIL_PICTURE": "Детальная картинка",
           "DETAIL_TEXT": "Детальное описание", "DATE_CREATE": "Дата создания", "CREATED_BY": "Кем создан",
           "TIMESTAMP_X": "Дата изменения", "MODIFIED_BY": "Кем изменен"},
    "en": {"NAME": "Name", "SORT": "Sorting", "ACTIVE_FROM": "Active from", "ACTIVE_TO": "Active to",
           "PREVIEW_PICTURE": "Preview image", "PREVIEW_TEXT": "Preview text", "DETAIL_PICTURE": "Detailed image",
           "DETAIL_TEXT": "Detailed text", "DATE_CREATE": "Created on", "CREATED_BY": "Created by",
           "TIMESTAMP_X": "Modified on", "MODIFIED_BY": "Modified by"},
}
CRM_TYPES = {"LEAD": "L", "CONTACT": "C", "COMPANY": "CO", "DEAL": "D"}
DEFAULT_SETTINGS = {"SHOW_ADD_FORM": "Y", "SHOW_EDIT_FORM": "Y", "ADD_READ_ONLY_FIELD": "N",
                    "EDIT_READ_ONLY_FIELD": "N", "SHOW_FIELD_PREVIEW": "N"}
_WRITABLE = ("NAME", "IS_REQUIRED", "MULTIPLE", "TYPE", "SORT", "DEFAULT_VALUE", "LIST", "USER_TYPE_SETTINGS",
             "LIST_TEXT_VALUES", "LIST_DEF", "CODE", "SETTINGS", "ROW_COUNT", "COL_COUNT", "LINK_IBLOCK_ID")


def save_error(description: str, code: str = "ERROR_SAVE_FIELD") -> errors.ApiError:
    return errors.lists_error(code, description)


@dataclass(slots=True, eq=False)
class ListField:
    field_id: str  # "NAME", "SORT", ... or "PROPERTY_12"
    type: str
    name: str
    sort: int = 500
    prop_id: int | None = None
    code: str | None = None
    is_required: bool = False
    multiple: bool = False
    default_value: Any = ""
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    user_type_settings: dict[str, Any] | None = None
    row_count: int = 1
    col_count: int = 30
    link_iblock_id: int | None = None
    enums: dict[int, dict[str, Any]] = field(default_factory=dict)  # enum ID -> {VALUE, SORT, DEF, XML_ID}
    sequence_next: int = 1
    crm_allowed: tuple[str, ...] = ()  # S:ECrm: prefixes of the linked types, kept current by apply()

    @property
    def is_property(self) -> bool:
        return self.prop_id is not None

    def crm_prefixes(self) -> list[str]:
        """For S:ECrm: the prefixes of the entity types it may link (LEAD when none is chosen)."""
        settings = self.user_type_settings or {}
        chosen = [prefix for name, prefix in CRM_TYPES.items() if _yes(settings.get(name, "N"))]
        return chosen or ["L"]

    def sorted_enums(self) -> list[tuple[int, dict[str, Any]]]:
        return sorted(self.enums.items(), key=lambda pair: (pair[1]["SORT"], pair[0]))

    def describe(self, display: dict[str, str] | None = None) -> dict[str, Any]:
        """This field as ``lists.field.get`` answers it."""
        data: dict[str, Any] = {
            "FIELD_ID": self.field_id, "SORT": self.sort, "NAME": self.name,
            "IS_REQUIRED": "Y" if self.is_required else "N", "MULTIPLE": "Y" if self.multiple else "N",
            "DEFAULT_VALUE": self.default_value, "TYPE": self.type,
        }
        if self.is_property:
            base, _, user_type = self.type.partition(":")
            if self.type == "L":
                default = next((str(enum_id) for enum_id, enum in self.sorted_enums() if enum["DEF"] == "Y"), "")
                data["DEFAULT_VALUE"] = default
            settings = self.user_type_settings
            if self.type == "N:Sequence":
                settings = {**(settings or {}), "VALUE": self.sequence_next}
            data.update({
                "PROPERTY_TYPE": base,
                # (unconfirmed) the portal's user-type description also lists PHP callbacks; they are left out.
                "PROPERTY_USER_TYPE": {"PROPERTY_TYPE": base, "USER_TYPE": user_type,
                                       "DESCRIPTION": USER_TYPES[self.type]} if user_type else False,
                "CODE": self.code, "ID": str(self.prop_id),
                "LINK_IBLOCK_ID": str(self.link_iblock_id) if self.link_iblock_id else None,
                "ROW_COUNT": str(self.row_count), "COL_COUNT": str(self.col_count),
                "USER_TYPE_SETTINGS": settings,
            })
        data["SETTINGS"] = dict(self.settings)
        if display is not None:
            data["DISPLAY_VALUES_FORM"] = display
        return data


# -- reading FIELDS of lists.field.add / lists.field.update -------------------------------------------------


def writable(raw: Any) -> dict[str, Any]:
    """The FIELDS keys the lists module reads (others are ignored), with upper-case keys."""
    fields = {str(key).upper(): value for key, value in wire.as_map(raw).items()}
    return {key: value for key, value in fields.items() if key in _WRITABLE}


def check_required(raw_fields: Any) -> None:
    """``FIELDS`` must carry NAME and TYPE; the portal reports the last one missing."""
    fields = {str(key).upper(): value for key, value in wire.as_map(raw_fields).items()}
    missing = [name for name in ("NAME", "TYPE") if fields.get(name) is None]
    if missing:
        raise errors.lists_error("ERROR_REQUIRED_PARAMETERS_MISSING", f'Required parameter "{missing[-1]}" is missing')


def new_field(fields: dict[str, Any], taken_codes: set[str], present: set[str], root: PortalState) -> ListField:
    """A field built from ``lists.field.add`` FIELDS (``check_required`` passed); raises like the portal."""
    kind = str(fields["TYPE"]).strip()
    name = str(fields["NAME"])
    if kind not in SYSTEM_TYPES and kind not in PROPERTY_TYPES:
        raise save_error("Error saving the field")  # CList::addField refuses an unknown type
    _check_defaults(fields, kind, name)
    if kind in SYSTEM_TYPES:
        if kind in present:
            raise save_error("Error saving the field")  # (unconfirmed) a system field is added once
        item = ListField(kind, kind, name)
    else:
        code = str(fields.get("CODE") or "").strip()
        if not code:
            raise save_error("Please fill the code fields")
        if code.casefold() in taken_codes:
            raise save_error("Property already exists")
        prop_id = root.next_id("lists.property")
        item = ListField(f"PROPERTY_{prop_id}", kind, name, prop_id=prop_id, code=code)
        if kind == "S:ECrm":
            item.user_type_settings = {"VISIBLE": "N", "LEAD": "N", "CONTACT": "N", "COMPANY": "N", "DEAL": "N"}
        elif kind == "S:HTML":
            item.user_type_settings = {"HEIGHT": 200}
    apply(item, fields, root, creating=True)
    return item


def apply(item: ListField, fields: dict[str, Any], root: PortalState, *, creating: bool) -> None:
    """Write the given FIELDS onto a field. (unconfirmed) on update, attributes not sent keep their values."""
    if "NAME" in fields:
        item.name = str(fields["NAME"])
    if "SORT" in fields:
        item.sort = _int(fields["SORT"], 500)
    if "IS_REQUIRED" in fields:
        item.is_required = _yes(fields["IS_REQUIRED"])
    if "MULTIPLE" in fields:
        item.multiple = _yes(fields["MULTIPLE"]) and item.is_property  # system fields are never multiple
    if "DEFAULT_VALUE" in fields and not isinstance(fields["DEFAULT_VALUE"], (list, dict)):
        item.default_value = "" if fields["DEFAULT_VALUE"] is None else str(fields["DEFAULT_VALUE"])
    if isinstance(fields.get("SETTINGS"), (dict, list)):
        for key, value in wire.as_map(fields["SETTINGS"]).items():
            if str(key).upper() in DEFAULT_SETTINGS:
                item.settings[str(key).upper()] = "Y" if _yes(value) else "N"
    if not item.is_property:
        return
    if "CODE" in fields and str(fields["CODE"] or "").strip():
        item.code = str(fields["CODE"]).strip()
    if "ROW_COUNT" in fields:
        item.row_count = _int(fields["ROW_COUNT"], 1)
    if "COL_COUNT" in fields:
        item.col_count = _int(fields["COL_COUNT"], 30)
    if "LINK_IBLOCK_ID" in fields:
        item.link_iblock_id = _int(fields["LINK_IBLOCK_ID"], 0) or None
    if isinstance(fields.get("USER_TYPE_SETTINGS"), (dict, list)) and item.user_type_settings is not None:
        for key, value in wire.as_map(fields["USER_TYPE_SETTINGS"]).items():
            item.user_type_settings[str(key).upper()] = value
    if item.type == "L":
        _apply_enums(item, fields, root, creating=creating)
    if item.type == "S:ECrm":
        item.crm_allowed = tuple(item.crm_prefixes())


def _apply_enums(item: ListField, fields: dict[str, Any], root: PortalState, *, creating: bool) -> None:
    """LIST (``{id: {VALUE, SORT, DEF}}``) plus LIST_TEXT_VALUES lines, then LIST_DEF, as ``Field::getFields``."""
    given = "LIST" in fields or "LIST_TEXT_VALUES" in fields
    if not given and not creating:
        return
    listed = {str(key): {str(k).upper(): v for k, v in wire.as_map(value).items()}
              for key, value in wire.as_map(fields.get("LIST")).items()}
    text = str(fields.get("LIST_TEXT_VALUES") or "")
    if text.strip():
        top = max((_int(entry.get("SORT"), 0) for entry in listed.values()), default=0)
        known = {str(entry.get("VALUE", "")).strip() for entry in listed.values()}
        for line in text.split("\n"):
            value = line.strip(" \t\r\n")
            if value and value not in known:
                top += 10
                known.add(value)
                listed[f"m{top}"] = {"SORT": top, "VALUE": value}
    defaults = [str(_int(key, 0)) for key in wire.as_list(fields.get("LIST_DEF"))]
    if any(key in listed for key in defaults):
        for key, entry in listed.items():
            entry["DEF"] = "Y" if key in defaults else "N"
    # (unconfirmed) on update the LIST replaces the values: known IDs are kept, others are added, and
    # values the LIST leaves out are deleted.
    # Item IDs start at 1000 so that the 0..n keys of a LIST sent as a JSON array never name one.
    kept: dict[int, dict[str, Any]] = {}
    for key, entry in listed.items():
        value = str(entry.get("VALUE", "")).strip()
        if not value:
            continue
        enum_id = int(key) if key.isdigit() and int(key) in item.enums else root.next_id("lists.enum", start=1000)
        kept[enum_id] = {"VALUE": value, "SORT": _int(entry.get("SORT"), 500),
                         "DEF": "Y" if _yes(entry.get("DEF", "N")) else "N",
                         "XML_ID": str(entry.get("XML_ID") or item.enums.get(enum_id, {}).get("XML_ID") or enum_id)}
    item.enums = kept


def _check_defaults(fields: dict[str, Any], kind: str, name: str) -> None:
    settings = {str(key).upper(): value for key, value in wire.as_map(fields.get("SETTINGS")).items()}
    if _yes(settings.get("ADD_READ_ONLY_FIELD", "N")):
        default = fields.get("DEFAULT_VALUE")
        if kind == "L":
            missing = not [key for key in wire.as_list(fields.get("LIST_DEF")) if key]
        elif kind == "S:HTML":
            missing = not wire.as_map(default).get("TEXT")
        else:
            missing = default in (None, "", [], {})
        if missing:
            raise save_error(f'The default value of the field "{name}" is required')


def check_links(fields: dict[str, Any], kind: str, name: str, iblock_id: int, lists_of_type: set[int]) -> None:
    """Section and element links need LINK_IBLOCK_ID naming a list of the same type (not itself for G)."""
    if kind[:1] not in ("G", "E"):
        return
    candidates = lists_of_type - {iblock_id} if kind.startswith("G") else lists_of_type
    if _int(fields.get("LINK_IBLOCK_ID"), 0) not in candidates:
        raise save_error(f'Incorrect lists specified for "{name}" property')


def _yes(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().upper() in ("Y", "1", "TRUE", "YES")
    return bool(value)


def _int(value: Any, default: int) -> int:
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError):
        return default
