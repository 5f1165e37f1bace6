"""CRM: pipelines and stages, deals, contacts, companies, user fields, deal contacts, duplicates.

Rows come back normalised: standard fields by their known types (IDs to int, flags to bool,
datetimes with their offset, dates from their first ten characters). User fields are normalised
when the caller passes their types (``crm.*.fields`` or the stored portal mapping), otherwise kept as
sent. Writes of new records carry an idempotency key in ``ORIGIN_ID`` so a lost answer can be settled
by reading instead of writing twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import normalize as n
from . import shapes
from .errors import AmbiguousWriteError, NotFoundError, ProtocolError
from .paging import LEGACY, get_many, iter_all

if TYPE_CHECKING:
    from .client import B24Client

DEAL_TYPE_ID = 2

# Types of the standard fields the app reads (crm.deal.fields / crm.contact.fields).
STANDARD_TYPES = {
    "ID": "integer", "CATEGORY_ID": "integer", "COMPANY_ID": "integer", "CONTACT_ID": "integer",
    "ASSIGNED_BY_ID": "integer", "CREATED_BY_ID": "integer", "MODIFY_BY_ID": "integer", "LEAD_ID": "integer",
    "OPPORTUNITY": "double", "PROBABILITY": "integer", "OPENED": "char", "CLOSED": "char", "IS_NEW": "char",
    "HAS_PHONE": "char", "HAS_EMAIL": "char", "EXPORT": "char", "DATE_CREATE": "datetime",
    "DATE_MODIFY": "datetime", "MOVED_TIME": "datetime", "BEGINDATE": "date", "CLOSEDATE": "date",
    "BIRTHDATE": "date",
}


def normalize_value(kind: str, value: Any) -> Any:
    """One value by its CRM field type; multiple values come as lists and are normalised item by item."""
    if isinstance(value, list):
        return [normalize_value(kind, item) for item in value]
    if kind in ("integer", "user", "employee", "crm_company", "crm_contact", "crm_lead", "crm_category",
                "enumeration"):
        return n.to_int(value)
    if kind in ("double", "money_amount"):
        return n.to_float(value)
    if kind in ("char", "boolean"):
        return n.to_bool(value) if value not in (None, "") else None
    if kind == "datetime":
        return n.to_datetime(value)
    if kind == "date":
        return n.to_date(value)
    return value


def normalize_row(row: dict[str, Any], types: dict[str, str] | None = None) -> dict[str, Any]:
    known = {**STANDARD_TYPES, **(types or {})}
    result: dict[str, Any] = {}
    for key, value in row.items():
        if key in ("PHONE", "EMAIL", "WEB", "IM") and isinstance(value, list):
            result[key] = [Multifield.from_wire(item) for item in value if isinstance(item, dict)]
        elif key in known:
            result[key] = normalize_value(known[key], value)
        else:
            result[key] = value
    return result


@dataclass(frozen=True)
class Multifield:
    id: int | None
    value: str
    value_type: str

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> Multifield:
        return cls(n.to_int(item.get("ID")), str(item.get("VALUE") or ""), str(item.get("VALUE_TYPE") or ""))


@dataclass(frozen=True)
class Pipeline:
    id: int
    name: str
    sort: int
    is_default: bool


@dataclass(frozen=True)
class Stage:
    status_id: str
    name: str
    sort: int
    color: str | None
    semantics: str  # "process", "success" or "failure"


@dataclass(frozen=True)
class DealContact:
    contact_id: int
    sort: int
    primary: bool


@dataclass(frozen=True)
class UserField:
    id: int
    field_name: str
    user_type: str
    xml_id: str | None
    multiple: bool
    label: str
    settings: dict[str, Any]
    items: dict[int, str]  # enumeration: item ID -> text


class Crm:
    def __init__(self, client: B24Client) -> None:
        self.client = client

    # -- pipelines and stages ---------------------------------------------------------------------

    async def pipelines(self) -> list[Pipeline]:
        method = "crm.category.list"
        answer = await self.client.call(method, {"entityTypeId": DEAL_TYPE_ID})
        items = shapes.rows(shapes.mapping(answer.result, method).get("categories"), method)
        return [Pipeline(shapes.identifier(item.get("id"), "направление", method), str(item.get("name", "")),
                         n.to_int(item.get("sort")) or 0, n.to_bool(item.get("isDefault"))) for item in items]

    async def add_pipeline(self, name: str, sort: int = 500) -> Pipeline:
        method = "crm.category.add"
        answer = await self.client.call(method, {"entityTypeId": DEAL_TYPE_ID, "fields": {"name": name, "sort": sort}})
        item = shapes.record(shapes.record(answer.result, method).get("category"), method)
        return Pipeline(shapes.identifier(item.get("id"), "направление", method), str(item.get("name") or name),
                        n.to_int(item.get("sort")) or 0, False)

    async def stages(self, pipeline_id: int) -> list[Stage]:
        entity = "DEAL_STAGE" if pipeline_id == 0 else f"DEAL_STAGE_{pipeline_id}"
        answer = await self.client.call("crm.status.list", {"filter": {"ENTITY_ID": entity}, "order": {"SORT": "ASC"}})
        stages = []
        for item in shapes.rows(answer.result, "crm.status.list"):
            extra = item.get("EXTRA") if isinstance(item.get("EXTRA"), dict) else {}
            semantics = extra.get("SEMANTICS") or {"S": "success", "F": "failure"}.get(item.get("SEMANTICS"), "process")
            status_id = item.get("STATUS_ID")
            if not isinstance(status_id, str) or not status_id:
                raise ProtocolError("стадия без STATUS_ID", method="crm.status.list")
            color = item.get("COLOR")
            stages.append(Stage(status_id, str(item.get("NAME", "")), n.to_int(item.get("SORT")) or 0,
                                color if isinstance(color, str) else None, str(semantics)))
        return stages

    async def add_stage(self, pipeline_id: int, status_id: str, name: str, sort: int, *, color: str | None = None,
                        semantics: str | None = None) -> int:
        entity = "DEAL_STAGE" if pipeline_id == 0 else f"DEAL_STAGE_{pipeline_id}"
        fields = {"ENTITY_ID": entity, "STATUS_ID": status_id, "NAME": name, "SORT": sort}
        if color:
            fields["COLOR"] = color
        if semantics:
            fields["SEMANTICS"] = semantics
        answer = await self.client.call("crm.status.add", {"fields": fields})
        return shapes.identifier(answer.result, "новая стадия", "crm.status.add")

    # -- user fields ------------------------------------------------------------------------------

    async def userfields(self, entity: str, lang: str = "ru") -> list[UserField]:
        """``entity`` is "deal", "contact" or "company"."""
        method = f"crm.{entity}.userfield.list"
        answer = await self.client.call(method, {"filter": {"LANG": lang}})
        fields = []
        for item in shapes.rows(answer.result, method):
            options = item.get("LIST") if isinstance(item.get("LIST"), (list, dict)) else []
            items = {n.to_int(option.get("ID")) or 0: str(option.get("VALUE", ""))
                     for option in (options.values() if isinstance(options, dict) else options)
                     if isinstance(option, dict)}
            label = item.get("EDIT_FORM_LABEL") or item.get("LIST_COLUMN_LABEL") or ""
            if not isinstance(item.get("FIELD_NAME"), str) or not item.get("USER_TYPE_ID"):
                raise ProtocolError("пользовательское поле без FIELD_NAME или типа", method=method)
            fields.append(UserField(shapes.identifier(item.get("ID"), "пользовательское поле", method),
                                    item["FIELD_NAME"], str(item["USER_TYPE_ID"]),
                                    item.get("XML_ID"), n.to_bool(item.get("MULTIPLE")),
                                    label if isinstance(label, str) else "",
                                    item.get("SETTINGS") if isinstance(item.get("SETTINGS"), dict) else {}, items))
        return fields

    async def add_userfield(self, entity: str, fields: dict[str, Any]) -> int:
        method = f"crm.{entity}.userfield.add"
        answer = await self.client.call(method, {"fields": fields})
        return shapes.identifier(answer.result, "новое пользовательское поле", method)

    async def field_types(self, entity: str) -> dict[str, str]:
        """Field code → type from ``crm.{entity}.fields`` (user fields included)."""
        answer = await self.client.call(f"crm.{entity}.fields")
        fields = shapes.mapping(answer.result, f"crm.{entity}.fields")
        return {code: str(item.get("type", "")) for code, item in fields.items() if isinstance(item, dict)}

    # -- deals, contacts, companies --------------------------------------------------------------------

    def iter(self, entity: str, *, filter: dict[str, Any] | None = None, select: list[str] | None = None,
             types: dict[str, str] | None = None, after_id: int = 0) -> AsyncIterator[dict[str, Any]]:
        """Every row of ``crm.{entity}.list`` matching ``filter``, normalised, in ID order."""
        params: dict[str, Any] = {"filter": filter or {}}
        if select:
            params["select"] = select
        return _normalised(iter_all(self.client, f"crm.{entity}.list", params, LEGACY, after_id=after_id), types)

    def by_ids(self, entity: str, ids: Iterable[int], *, select: list[str] | None = None,
               types: dict[str, str] | None = None) -> AsyncIterator[dict[str, Any]]:
        params: dict[str, Any] = {"select": select} if select else {}
        return _normalised(get_many(self.client, f"crm.{entity}.list", ids, params, LEGACY), types)

    async def get(self, entity: str, record_id: int, *, types: dict[str, str] | None = None) -> dict[str, Any]:
        answer = await self.client.call(f"crm.{entity}.get", {"id": record_id})
        return normalize_row(shapes.record(answer.result, f"crm.{entity}.get"), types)

    async def add(self, entity: str, fields: dict[str, Any], *, idempotency_key: str) -> int:
        """Create a record exactly once: a lost answer is settled by looking for ``ORIGIN_ID``."""
        fields = {**fields, "ORIGINATOR_ID": "dpo-desk", "ORIGIN_ID": idempotency_key}
        for _attempt in range(3):
            existing = await self._by_origin(entity, idempotency_key)
            if existing is not None:
                return existing
            try:
                params = {"fields": fields, "params": {"REGISTER_SONET_EVENT": "N"}}
                answer = await self.client.call(f"crm.{entity}.add", params)
                return shapes.identifier(answer.result, "новая запись", f"crm.{entity}.add")
            except AmbiguousWriteError:
                continue
        existing = await self._by_origin(entity, idempotency_key)
        if existing is None:
            raise AmbiguousWriteError(f"не удалось подтвердить создание записи crm.{entity}",
                                      method=f"crm.{entity}.add")
        return existing

    async def _by_origin(self, entity: str, key: str) -> int | None:
        answer = await self.client.call(f"crm.{entity}.list", {
            "filter": {"ORIGINATOR_ID": "dpo-desk", "ORIGIN_ID": key}, "select": ["ID"], "start": -1})
        rows = shapes.rows(answer.result, f"crm.{entity}.list")
        return n.to_int(rows[0].get("ID")) if rows else None

    async def update(self, entity: str, record_id: int, fields: dict[str, Any]) -> None:
        # Setting the same values twice changes nothing: safe to repeat.
        await self.client.call(f"crm.{entity}.update", {"id": record_id, "fields": fields}, idempotent=True)

    async def delete(self, entity: str, record_id: int) -> None:
        try:
            await self.client.call(f"crm.{entity}.delete", {"id": record_id}, idempotent=True)
        except NotFoundError:
            pass  # already gone: what a repeated delete finds

    # -- deal contacts ------------------------------------------------------------------------------

    async def deal_contacts(self, deal_id: int) -> list[DealContact]:
        method = "crm.deal.contact.items.get"
        answer = await self.client.call(method, {"id": deal_id})
        return [DealContact(shapes.identifier(item.get("CONTACT_ID"), "контакт сделки", method),
                            n.to_int(item.get("SORT")) or 0, n.to_bool(item.get("IS_PRIMARY")))
                for item in shapes.rows(answer.result, method)]

    async def set_deal_contacts(self, deal_id: int, contacts: list[DealContact]) -> None:
        items = [{"CONTACT_ID": item.contact_id, "SORT": item.sort, "IS_PRIMARY": n.yn(item.primary)}
                 for item in contacts]
        await self.client.call("crm.deal.contact.items.set", {"id": deal_id, "items": items}, idempotent=True)

    async def add_deal_contact(self, deal_id: int, contact_id: int, *, primary: bool = False) -> bool:
        answer = await self.client.call("crm.deal.contact.add", {
            "id": deal_id, "fields": {"CONTACT_ID": contact_id, "IS_PRIMARY": n.yn(primary)}}, idempotent=True)
        return bool(answer.result)

    async def remove_deal_contact(self, deal_id: int, contact_id: int) -> bool:
        params = {"id": deal_id, "fields": {"CONTACT_ID": contact_id}}
        answer = await self.client.call("crm.deal.contact.delete", params, idempotent=True)
        return bool(answer.result)

    # -- duplicates ------------------------------------------------------------------------------------

    async def contacts_by_communication(self, kind: str, values: list[str]) -> list[int]:
        """Contact IDs sharing a phone (``kind="PHONE"``) or e-mail (``"EMAIL"``); 20 values a call."""
        found: list[int] = []
        for start in range(0, len(values), 20):
            answer = await self.client.call("crm.duplicate.findbycomm", {
                "type": kind, "values": values[start:start + 20], "entity_type": "CONTACT"})
            result = shapes.mapping(answer.result, "crm.duplicate.findbycomm")
            contacts = result.get("CONTACT")
            found.extend(number for item in (contacts if isinstance(contacts, list) else [])
                         if (number := n.to_int(item)))
        return sorted(set(found))


async def _normalised(
    rows: AsyncIterator[dict[str, Any]], types: dict[str, str] | None
) -> AsyncIterator[dict[str, Any]]:
    async for row in rows:
        yield normalize_row(row, types)
