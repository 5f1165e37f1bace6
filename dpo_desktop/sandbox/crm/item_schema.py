"""One entity type as ``crm.item.*`` sees it: the names it accepts, the item it answers, the legacy
fields a write becomes.

Names are accepted in camelCase and in UPPER_CASE (the portal's converter knows both spellings of
every field of the type); user fields answer as ``ufCrm…`` unless ``useOriginalUfNames`` is ``Y``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import errors, wire
from ..compare import to_integer
from .fields import MULTIFIELD_TYPES
from .item_fields import (
    COMPANY_HEAD,
    COMPANY_TAIL,
    CONTACT_HEAD,
    CONTACT_TAIL,
    DEAL_HEAD,
    DEAL_TAIL,
    FLAG,
    FM_ALIASES,
    MOMENT,
    STAR_ONLY,
    UTM_FIELDS,
    ItemField,
    camel_uf_name,
    is_empty,
    item_flag,
    read_userfield,
    read_value,
    upper_name,
)

if TYPE_CHECKING:
    from .entity import CrmEntity
    from .state import CrmState
    from .userfields import UserField


@dataclass(frozen=True, slots=True)
class ItemType:
    type_id: int
    kind: str  # "deal", "contact", "company": the legacy entity behind it
    head: tuple[ItemField, ...]
    tail: tuple[str, ...]
    multifields: bool
    default_name: tuple[str, str] | None  # (legacy code, Russian template) filled on add when left empty


ITEM_TYPES = {
    2: ItemType(2, "deal", DEAL_HEAD, DEAL_TAIL, False, None),  # the legacy entity titles "Сделка #N" itself
    # (unconfirmed) a Russian portal's words for "Contact #N" in lastName and "Company #N" in title.
    3: ItemType(3, "contact", CONTACT_HEAD, CONTACT_TAIL, True, ("LAST_NAME", "Контакт #{}")),
    4: ItemType(4, "company", COMPANY_HEAD, COMPANY_TAIL, True, ("TITLE", "Компания #{}")),
}

Getter = Callable[[dict[str, Any]], Any]


def _php_type(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "double", str: "string"}.get(type(value), "NULL")


def multiple_expected(value: Any) -> errors.ApiError:
    # (unconfirmed) the numeric code 100 travels as the string "100" here, like every other code.
    return errors.ApiError(400, "100", f"Expected iterable value for multiple field, but got {_php_type(value)} "
                                       "instead")


def invalid_value(title: str) -> errors.ApiError:
    return errors.ApiError(400, "CRM_FIELD_ERROR_VALUE_NOT_VALID", f'Invalid value for field "{title}"')


class ItemSchema:
    """The fields of one type for one call (user fields are read when the call starts)."""

    def __init__(self, item_type: ItemType, crm: CrmState, *, original_uf_names: bool) -> None:
        self.type = item_type
        self.crm = crm
        self.entity: CrmEntity = crm.entity_by_uf(f"CRM_{item_type.kind.upper()}")
        self.standard = {field.name: field for field in (*item_type.head, *UTM_FIELDS)}
        self.userfields: dict[str, UserField] = {}
        self.names: dict[str, str] = {}  # every accepted spelling -> the answer's key
        fm_keys = [*(alias for alias, _, _ in FM_ALIASES), "fm"] if item_type.multifields else []
        for name in (*self.standard, *item_type.tail, *fm_keys):
            self.names[name] = self.names[upper_name(name)] = name
        for uf in self.entity.userfields():
            key = uf.field_name if original_uf_names else camel_uf_name(uf.field_name)
            self.userfields[key] = uf
            self.names[uf.field_name] = self.names[camel_uf_name(uf.field_name)] = key
        self.order = [*(field.name for field in item_type.head), *fm_keys, *self.userfields,
                      *(field.name for field in UTM_FIELDS), *item_type.tail]
        self._contacts_of_company: dict[int, list[int]] | None = None

    def resolve(self, name: Any) -> str | None:
        return self.names.get(name) if isinstance(name, str) else None

    def legacy_code(self, key: str) -> str | None:
        """The legacy record's code behind an answer key, for filters and ordering."""
        if key in self.userfields:
            return self.userfields[key].field_name
        field = self.standard.get(key)
        return field.legacy if field is not None else None

    # -- reading ----------------------------------------------------------------------------------

    def selected(self, select: list[Any] | None) -> list[str]:
        """The answer's keys, in the portal's order: everything for no select or ``*``; otherwise the
        named fields (``UF_*`` adds the user fields), never the multifields or the type (object-fields)."""
        if not select or "*" in select:
            return list(self.order)
        wanted = {self.resolve(name) for name in select}
        if "UF_*" in select:
            wanted.update(self.userfields)
        return [key for key in self.order if key in wanted and key not in STAR_ONLY]

    def reader(self, keys: list[str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
        getters = [(key, self._getter(key)) for key in keys]

        def read(record: dict[str, Any]) -> dict[str, Any]:
            return wire.Shaped((key, get(record)) for key, get in getters)
        return read

    def _getter(self, key: str) -> Getter:
        field = self.standard.get(key)
        if field is not None:
            legacy, kind = field.legacy, field.kind
            return lambda record: read_value(kind, record.get(legacy) if legacy else None)
        uf = self.userfields.get(key)
        if uf is not None:
            return self._uf_getter(uf)
        if key == "fm":
            return _fm
        if key == "entityTypeId":
            type_id = self.type.type_id
            return lambda record: type_id
        if key == "observers":
            return lambda record: []  # (unconfirmed) the sandbox keeps no observers
        if key == "contactIds" and self.type.kind == "deal":
            bindings = self.crm.deal_contacts
            return lambda record: [item["CONTACT_ID"] for item in
                                   sorted(bindings.get(int(record["ID"]), ()), key=lambda item: item["SORT"])]
        if key == "contactIds":
            return lambda record: self.contacts_of_company().get(int(record["ID"]), [])
        if key == "companyIds":
            return _company_ids
        alias = next(entry for entry in FM_ALIASES if entry[0] == key)
        return lambda record: _first_value(record, alias[1], alias[2])

    @staticmethod
    def _uf_getter(uf: UserField) -> Getter:
        code, user_type = uf.field_name, uf.user_type_id
        if uf.multiple:
            return lambda record: [read_userfield(user_type, value) for value in record.get(code) or ()]
        return lambda record: read_userfield(user_type, record.get(code))

    def contacts_of_company(self) -> dict[int, list[int]]:
        """Company ID → its contacts (the contacts keep the link), built once per call."""
        if self._contacts_of_company is None:
            found: dict[int, list[int]] = {}
            for contact in self.crm.contacts.table.values():
                for company_id in _company_ids(contact):
                    found.setdefault(company_id, []).append(int(contact["ID"]))
            self._contacts_of_company = found
        return self._contacts_of_company

    # -- writing ----------------------------------------------------------------------------------

    def legacy_fields(self, fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        """The legacy fields a write of ``fields`` becomes. Unknown names are ignored, as the portal does."""
        legacy: dict[str, Any] = {}
        for name, value in fields.items():
            key = self.resolve(name)
            if key is None:
                continue
            if key == "id":
                if not creating:
                    # (unconfirmed) the code; the text is the portal's (object-fields, "id").
                    raise errors.invalid_arg("Setting value for Primary ID is not allowed, it is read-only field")
                continue
            if key in self.userfields:
                self._write_userfield(legacy, self.userfields[key], value)
            elif key in self.standard:
                self._write_standard(legacy, self.standard[key], value)
            elif key in ("contactIds", "companyIds", "observers"):
                self._write_links(legacy, key, value)
            elif key == "fm":
                for code, entries in self._multifields(value).items():
                    legacy.setdefault(code, []).extend(entries)
        return legacy

    def _write_standard(self, legacy: dict[str, Any], field: ItemField, value: Any) -> None:
        if field.name == "categoryId" and self.type.kind != "deal":
            if not is_empty(value):
                raise invalid_value("Category")  # the sandbox has no contact or company categories
            return
        if not field.writable or field.legacy is None:
            return  # read-only and answer-only fields are ignored without an error
        if is_empty(value):
            legacy[field.legacy] = "N" if field.kind == FLAG else None
        elif field.kind == FLAG:
            legacy[field.legacy] = item_flag(value)
        elif field.kind == MOMENT:
            # A date the portal cannot read is not set: the field keeps its value (CRestUtil::unConvertDate).
            readable = isinstance(value, (str, int, float)) and (
                self.crm.root.clock.read_date(value) is not None
                or self.crm.root.clock.read_moment(str(value)) is not None)
            if readable:
                legacy[field.legacy] = value
        else:
            legacy[field.legacy] = value

    def _write_userfield(self, legacy: dict[str, Any], uf: UserField, value: Any) -> None:
        if uf.multiple and not is_empty(value) and not isinstance(value, (list, dict)):
            raise multiple_expected(value)
        legacy[uf.field_name] = None if is_empty(value) else value

    def _write_links(self, legacy: dict[str, Any], key: str, value: Any) -> None:
        if not is_empty(value) and not isinstance(value, (list, dict)):
            raise multiple_expected(value)
        if key == "contactIds" and self.type.kind == "deal":
            legacy["CONTACT_IDS"] = wire.as_list(value) if not is_empty(value) else []
        elif key == "companyIds" and self.type.kind == "contact":
            legacy["COMPANY_IDS"] = wire.as_list(value) if not is_empty(value) else []
        # (unconfirmed) observers and a company's contactIds are not kept by the sandbox: ignored.

    def _multifields(self, value: Any) -> dict[str, list[dict[str, str]]]:
        """``fm`` entries as legacy multifield entries. Writes only add: IDs are ignored (object-fields)."""
        if not isinstance(value, (list, dict)):
            return {}
        grouped: dict[str, list[dict[str, str]]] = {}
        for raw in wire.as_list(value):
            if not isinstance(raw, dict):
                continue
            entry = {str(name).lower().replace("_", ""): item for name, item in raw.items()}
            type_id, value_type, text = entry.get("typeid"), entry.get("valuetype"), entry.get("value")
            if not isinstance(text, (str, int, float)) or isinstance(text, bool) or not str(text).strip():
                continue
            if not isinstance(type_id, str) or value_type not in MULTIFIELD_TYPES.get(type_id, ()):
                # (unconfirmed) the field's title in the text.
                raise invalid_value("Multifields")
            grouped.setdefault(type_id, []).append({"VALUE": str(text).strip(), "VALUE_TYPE": value_type})
        return grouped


def _fm(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": to_integer(entry["ID"]), "valueType": entry["VALUE_TYPE"], "value": entry["VALUE"],
             "typeId": entry["TYPE_ID"]}
            for code in MULTIFIELD_TYPES for entry in record.get(code) or ()]


def _first_value(record: dict[str, Any], code: str, value_type: str | None) -> str:
    for entry in record.get(code) or ():
        if value_type is None or entry["VALUE_TYPE"] == value_type:
            return entry["VALUE"]
    return ""


def _company_ids(record: dict[str, Any]) -> list[int]:
    ids = [to_integer(value) for value in record.get("COMPANY_IDS") or ()]
    if not ids and to_integer(record.get("COMPANY_ID")):
        ids = [to_integer(record.get("COMPANY_ID"))]
    return [company_id for company_id in ids if company_id]
