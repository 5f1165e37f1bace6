"""CRM user fields (``UF_CRM_*``): their definitions, and values written and read through them.

Methods: ``crm.deal.userfield.list/add/get``, ``crm.contact.userfield.list/add/get``,
``crm.company.userfield.list``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import errors, wire
from ..compare import to_integer
from ..registry import Call, ListResult, method
from .fields import to_wire, yes_no

if TYPE_CHECKING:
    from ..timefmt import PortalClock

USER_TYPES = (
    "string", "integer", "double", "boolean", "datetime", "date", "money", "url", "address", "enumeration",
    "file", "employee", "crm_status", "iblock_section", "iblock_element", "crm",
)
LABEL_KEYS = ("EDIT_FORM_LABEL", "LIST_COLUMN_LABEL", "LIST_FILTER_LABEL", "ERROR_MESSAGE", "HELP_MESSAGE")
CRM_PREFIXES = {"LEAD": "L", "CONTACT": "C", "COMPANY": "CO", "DEAL": "D"}
_NAME = re.compile(r"^UF_CRM_[A-Z0-9_]+$")


@dataclass(slots=True)
class UserField:
    id: int
    entity_id: str  # CRM_DEAL, CRM_CONTACT, CRM_COMPANY
    field_name: str
    user_type_id: str
    xml_id: str | None = None
    sort: int = 100
    multiple: bool = False
    mandatory: bool = False
    show_filter: str = "N"
    show_in_list: bool = True
    edit_in_list: bool = True
    is_searchable: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)  # enumeration values
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # label key -> {lang: text}

    def label(self, lang: str = "ru") -> str:
        texts = self.labels.get("EDIT_FORM_LABEL") or {}
        return texts.get(lang) or next(iter(texts.values()), "") or self.field_name

    def crm_types(self) -> list[str]:
        """For a ``crm`` field: the entity types it may point at (LEAD only when none is set)."""
        chosen = [name for name in CRM_PREFIXES if yes_no(self.settings.get(name, "N")) == "Y"]
        return chosen or ["LEAD"]

    def to_wire(self, lang: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ID": str(self.id),
            "ENTITY_ID": self.entity_id,
            "FIELD_NAME": self.field_name,
            "USER_TYPE_ID": self.user_type_id,
            "XML_ID": self.xml_id,
            "SORT": str(self.sort),
            "MULTIPLE": "Y" if self.multiple else "N",
            "MANDATORY": "Y" if self.mandatory else "N",
            "SHOW_FILTER": self.show_filter,
            "SHOW_IN_LIST": "Y" if self.show_in_list else "N",
            "EDIT_IN_LIST": "Y" if self.edit_in_list else "N",
            "IS_SEARCHABLE": "Y" if self.is_searchable else "N",
            "SETTINGS": self.settings,
        }
        if self.user_type_id == "enumeration":
            data["LIST"] = [dict(item) for item in self.items]
        if lang:
            # Labels come back only when the filter names a language, and then as plain strings.
            for key in LABEL_KEYS:
                data[key] = (self.labels.get(key) or {}).get(lang, "")
        return data

    def describe(self) -> dict[str, Any]:
        """The entry of ``crm.deal.fields`` for this field."""
        description: dict[str, Any] = {
            "type": self.user_type_id,
            "isRequired": self.mandatory,
            "isReadOnly": False,
            "isImmutable": False,
            "isMultiple": self.multiple,
            "isDynamic": True,
            "title": self.field_name,
            "listLabel": (self.labels.get("LIST_COLUMN_LABEL") or {}).get("ru", self.label()),
            "formLabel": self.label(),
            "filterLabel": (self.labels.get("LIST_FILTER_LABEL") or {}).get("ru", self.label()),
            "settings": self.settings,
        }
        if self.user_type_id == "enumeration":
            description["items"] = [{"ID": item["ID"], "VALUE": item["VALUE"]} for item in self.items]
        return description

    def write(self, value: Any, clock: PortalClock) -> Any:
        """What the portal stores for ``value``: a list for a multiple field, None for nothing."""
        if self.multiple:
            values = [self._one(item, clock) for item in wire.as_list(value)]
            return [item for item in values if item is not None]
        if isinstance(value, (list, dict)):
            value = next(iter(wire.as_list(value)), None)
        return self._one(value, clock)

    def _one(self, value: Any, clock: PortalClock) -> Any:
        if value is None or value == "" or value is False:
            return None
        kind = self.user_type_id
        if kind == "enumeration":
            wanted = str(value)
            return wanted if any(item["ID"] == wanted for item in self.items) else None
        if kind == "crm":
            return self._crm_value(str(value))
        if kind == "money":
            return str(value)
        if kind in ("string", "url", "address", "crm_status", "iblock_section", "iblock_element"):
            return str(value)
        if kind == "file":
            return None  # files in CRM user fields are not part of the sandbox
        return to_wire(kind, value, clock)

    def _crm_value(self, value: str) -> str | None:
        types = self.crm_types()
        prefix, sep, number = value.partition("_")
        if sep and number.isascii() and number.isdigit():
            chosen = next((name for name, short in CRM_PREFIXES.items() if short == prefix), None)
            if chosen not in types:
                return None
            return number if len(types) == 1 else value
        if value.isascii() and value.isdigit() and len(types) == 1:
            return value  # a field bound to one entity type takes and stores bare IDs
        return None


class UserFieldStore:
    """The user fields of every CRM entity, by entity ID."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[str, UserField]] = {}
        self._next_id = 100
        self._next_item = 1000

    def of(self, entity_id: str) -> list[UserField]:
        return sorted(self.fields.get(entity_id, {}).values(), key=lambda uf: (uf.sort, uf.id))

    def find(self, entity_id: str, field_name: str) -> UserField | None:
        return self.fields.get(entity_id, {}).get(field_name)

    def add(self, entity_id: str, raw: dict[str, Any]) -> UserField:
        """Create a field from ``crm.*.userfield.add`` fields; raises ApiError as the portal does."""
        raw = {str(key).upper(): value for key, value in raw.items()}
        name = _ascii_upper(wire.php_string(raw.get("FIELD_NAME")).strip() if _scalar(raw.get("FIELD_NAME")) else "")
        if not name:
            raise errors.crm_error("The 'FIELD_NAME' field is not found.")
        if not name.startswith("UF_"):
            name = f"UF_CRM_{name}"
        elif not name.startswith("UF_CRM_"):
            name = f"UF_CRM_{name[3:]}"
        if not _NAME.match(name) or len(name) > 50:
            raise errors.ApiError(400, "ERROR_CORE", f"Invalid field name {name}")
        user_type = str(raw.get("USER_TYPE_ID") or "").strip()
        if user_type not in USER_TYPES:
            raise errors.ApiError(400, "ERROR_CORE", "The 'USER_TYPE_ID' field is not valid.")
        if self.find(entity_id, name) is not None:
            raise errors.ApiError(400, "ERROR_CORE", f"The field {name} already exists.")
        multiple = yes_no(raw.get("MULTIPLE", "N")) == "Y"
        if user_type == "boolean":
            multiple = False
        self._next_id += 1
        uf = UserField(
            id=self._next_id,
            entity_id=entity_id,
            field_name=name,
            user_type_id=user_type,
            xml_id=str(raw["XML_ID"]) if raw.get("XML_ID") not in (None, "") else None,
            sort=_int(raw.get("SORT"), 100),
            multiple=multiple,
            mandatory=yes_no(raw.get("MANDATORY", "N")) == "Y",
            show_filter=str(raw.get("SHOW_FILTER") or "N"),
            show_in_list=yes_no(raw.get("SHOW_IN_LIST", "Y")) == "Y",
            edit_in_list=yes_no(raw.get("EDIT_IN_LIST", "Y")) == "Y",
            is_searchable=yes_no(raw.get("IS_SEARCHABLE", "N")) == "Y",
            settings=wire.as_map(raw.get("SETTINGS")),
        )
        uf.labels = _labels(raw)
        if user_type == "enumeration":
            for position, item in enumerate(wire.as_list(raw.get("LIST")), start=1):
                if isinstance(item, dict) and str(item.get("VALUE", "")).strip():
                    self._next_item += 1
                    uf.items.append({
                        "ID": str(self._next_item),
                        "SORT": str(_int(item.get("SORT"), position * 10)),
                        "VALUE": str(item["VALUE"]),
                        "DEF": yes_no(item.get("DEF", "N")),
                        "XML_ID": str(item.get("XML_ID") or f"{self._next_item}"),
                    })
        self.fields.setdefault(entity_id, {})[name] = uf
        return uf


def _labels(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    """``LABEL`` sets every label in every language; a label key may be a string or {lang: text}."""
    labels: dict[str, dict[str, str]] = {}
    common = raw.get("LABEL")
    for key in LABEL_KEYS:
        value = raw.get(key, common if key != "ERROR_MESSAGE" and key != "HELP_MESSAGE" else None)
        if isinstance(value, dict):
            labels[key] = {str(lang): str(text) for lang, text in value.items()}
        elif value not in (None, ""):
            labels[key] = {"ru": str(value), "en": str(value)}
    return labels


def _int(value: Any, default: int) -> int:
    number = to_integer(value) if _scalar(value) else None
    return default if number is None else number


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float))


def _ascii_upper(text: str) -> str:
    """PHP's ``strtoupper``: ASCII letters only (Python would turn "ß" into "SS", "ﬁ" into "FI")."""
    return "".join(chr(ord(char) - 32) if "a" <= char <= "z" else char for char in text)


# -- REST methods -----------------------------------------------------------------------------------

_ENTITIES = {"deal": "CRM_DEAL", "contact": "CRM_CONTACT", "company": "CRM_COMPANY"}


def _list(entity_id: str) -> Any:
    def userfield_list(call: Call, params: dict[str, Any]) -> ListResult:
        store = call.state.crm.userfields
        filters = {str(key).upper(): value for key, value in wire.as_map(params.get("FILTER")).items()}
        lang = filters.pop("LANG", None)
        rows = []
        for uf in store.of(entity_id):
            data = uf.to_wire(str(lang) if lang else None)
            if all(str(data.get(key, "")) == str(value) for key, value in filters.items()):
                rows.append(data)
        return ListResult(rows, len(rows))
    return userfield_list


def _add(entity_id: str) -> Any:
    def userfield_add(call: Call, params: dict[str, Any]) -> int:
        call.require_admin()
        raw = params.get("FIELDS")
        if not isinstance(raw, dict):
            raise errors.crm_bad_fields()
        return call.state.crm.add_userfield(entity_id, raw).id
    return userfield_add


def _get(entity_id: str) -> Any:
    def userfield_get(call: Call, params: dict[str, Any]) -> dict[str, Any]:
        wanted = str(params.get("ID", ""))
        for uf in call.state.crm.userfields.of(entity_id):
            if str(uf.id) == wanted:
                return uf.to_wire()
        raise errors.crm_not_found()
    return userfield_get


for _kind, _entity in _ENTITIES.items():
    method(f"crm.{_kind}.userfield.list", scope="crm")(_list(_entity))
    method(f"crm.{_kind}.userfield.add", scope="crm")(_add(_entity))
    method(f"crm.{_kind}.userfield.get", scope="crm")(_get(_entity))
