"""Universal lists: lists, their fields, and elements with an update that never clears by accident.

``lists.element.update`` overwrites the whole element and clears every non-file field it is not sent
(reference §10, §16 gotcha 9), so :meth:`Lists.update_element` reads the element first and sends
every value back with the changes applied. Adds are idempotent through ``ELEMENT_CODE``: a repeated
add that meets ``ERROR_ELEMENT_ALREADY_EXISTS`` reads the element by its code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import normalize as n
from . import shapes
from .errors import AmbiguousWriteError, BadParametersError, NotFoundError, ProtocolError
from .paging import LISTS, iter_all

if TYPE_CHECKING:
    from .client import B24Client

FILE_TYPES = {"F"}  # kept by the portal when not sent


@dataclass(frozen=True)
class ListInfo:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class ListField:
    field_id: str  # "NAME" or "PROPERTY_123"
    code: str
    name: str
    type: str  # "S", "L", "S:ECrm", ...
    multiple: bool
    required: bool
    settings: dict[str, Any] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # L: enum ID -> text


@dataclass
class ListElement:
    id: int
    code: str
    name: str
    created: datetime | None
    modified: datetime | None
    properties: dict[str, list[str]]  # "PROPERTY_123" -> values (str), [] when empty

    def value(self, field_id: str) -> str | None:
        values = self.properties.get(field_id) or []
        return values[0] if values else None


def element_from_wire(row: dict[str, Any]) -> ListElement:
    if not isinstance(row, dict):
        raise ProtocolError("элемент списка не объект", method="lists.element.get")
    element_id = shapes.identifier(row.get("ID"), "элемент списка", "lists.element.get")
    properties: dict[str, list[str]] = {}
    for key, value in row.items():
        if key[:9] != "PROPERTY_":
            continue
        if type(value) is dict:  # the usual {valueId: value}; the general path below handles the rest
            properties[key] = [item if type(item) is str else str(item) for item in value.values()
                               if item is not None and item != ""]
        else:
            properties[key] = [str(item) for item in n.property_values(value)]
    return ListElement(
        id=element_id,
        code=str(row.get("CODE") or ""),
        name=str(row.get("NAME") or ""),
        created=n.locale_datetime(str(row.get("DATE_CREATE") or "")),
        modified=n.locale_datetime(str(row.get("TIMESTAMP_X") or "")),
        properties=properties,
    )


class Lists:
    def __init__(self, client: B24Client, iblock_type: str = "lists") -> None:
        self.client = client
        self.iblock_type = iblock_type
        self._fields: dict[int, list[ListField]] = {}

    def _ids(self, iblock_id: int) -> dict[str, Any]:
        return {"IBLOCK_TYPE_ID": self.iblock_type, "IBLOCK_ID": iblock_id}

    async def lists(self) -> list[ListInfo]:
        answer = await self.client.call("lists.get", {"IBLOCK_TYPE_ID": self.iblock_type})
        return [_list_info(item) for item in shapes.rows(answer.result, "lists.get")]

    async def find(self, code: str) -> ListInfo | None:
        try:
            answer = await self.client.call("lists.get", {"IBLOCK_TYPE_ID": self.iblock_type, "IBLOCK_CODE": code})
        except NotFoundError:
            return None
        rows = shapes.rows(answer.result, "lists.get")
        return _list_info(rows[0]) if rows else None

    async def add_list(self, code: str, name: str, description: str = "") -> int:
        answer = await self.client.call("lists.add", {
            "IBLOCK_TYPE_ID": self.iblock_type, "IBLOCK_CODE": code,
            "FIELDS": {"NAME": name, "DESCRIPTION": description, "SORT": 500}})
        return shapes.identifier(answer.result, "новый список", "lists.add")

    async def fields(self, iblock_id: int, *, fresh: bool = False) -> list[ListField]:
        if fresh or iblock_id not in self._fields:
            answer = await self.client.call("lists.field.get", self._ids(iblock_id))
            result = shapes.mapping(answer.result, "lists.field.get")
            self._fields[iblock_id] = [_field_from_wire(item) for item in result.values() if isinstance(item, dict)]
        return self._fields[iblock_id]

    async def add_field(self, iblock_id: int, fields: dict[str, Any]) -> str:
        answer = await self.client.call("lists.field.add", {**self._ids(iblock_id), "FIELDS": fields})
        self._fields.pop(iblock_id, None)
        return str(answer.result)

    def iter_elements(self, iblock_id: int, *, filter: dict[str, Any] | None = None, select: list[str] | None = None,
                      after_id: int = 0) -> AsyncIterator[ListElement]:
        """Elements in ID order. Without ``select`` the portal leaves out system fields such as TIMESTAMP_X."""
        params: dict[str, Any] = {**self._ids(iblock_id), "FILTER": filter or {}}
        if select:
            params["SELECT"] = select
        return _elements(iter_all(self.client, "lists.element.get", params, LISTS, after_id=after_id))

    async def element_by_code(self, iblock_id: int, code: str) -> ListElement | None:
        try:
            answer = await self.client.call("lists.element.get", {**self._ids(iblock_id), "ELEMENT_CODE": code})
        except NotFoundError:
            return None
        rows = shapes.rows(answer.result, "lists.element.get")
        return element_from_wire(rows[0]) if rows else None

    async def element(self, iblock_id: int, element_id: int, *, select: list[str] | None = None) -> ListElement:
        """One element. Without ``select`` the portal leaves out TIMESTAMP_X: ask for it to compare versions."""
        params: dict[str, Any] = {**self._ids(iblock_id), "ELEMENT_ID": element_id}
        if select:
            params["SELECT"] = select
        answer = await self.client.call("lists.element.get", params)
        rows = shapes.rows(answer.result, "lists.element.get")
        if not rows:
            raise NotFoundError(f"элемент {element_id} не найден", method="lists.element.get")
        return element_from_wire(rows[0])

    async def add_element(self, iblock_id: int, code: str, fields: dict[str, Any]) -> int:
        """Create the element ``code`` once, whatever happens to the answers on the way."""
        params = {**self._ids(iblock_id), "ELEMENT_CODE": code, "FIELDS": fields}
        for _attempt in range(3):
            try:
                answer = await self.client.call("lists.element.add", params, idempotent=True)
                return shapes.identifier(answer.result, "новый элемент списка", "lists.element.add")
            except AmbiguousWriteError:
                continue
            except BadParametersError as error:
                if error.code != "ERROR_ELEMENT_ALREADY_EXISTS":
                    raise
                existing = await self.element_by_code(iblock_id, code)
                if existing is None:
                    raise
                return existing.id
        existing = await self.element_by_code(iblock_id, code)
        if existing is None:
            raise AmbiguousWriteError(f"не удалось подтвердить создание элемента {code}", method="lists.element.add")
        return existing.id

    async def update_element(self, iblock_id: int, element_id: int, changes: dict[str, Any]) -> None:
        """Change some values and keep every other one (read, merge, write the whole element).

        ELEMENT_CODE goes along: an update that does not send it clears the element's code (unconfirmed,
        as the lists module writes CODE from it), and the code is what makes our adds idempotent.
        Drive-file properties read back as attachment IDs and are sent back as such (kept); a new
        Drive file is written as ``disk_file_value(file_id)``.
        """
        current = await self.element(iblock_id, element_id)
        fields = {item.field_id: item for item in await self.fields(iblock_id)}
        full: dict[str, Any] = {"NAME": current.name}
        for field_id, values in current.properties.items():
            known = fields.get(field_id)
            if known is None or known.type in FILE_TYPES:
                continue  # files are kept when not sent; unknown properties cannot be written back
            full[field_id] = values if known.multiple else (values[0] if values else "")
        full.update(changes)
        params = {**self._ids(iblock_id), "ELEMENT_ID": element_id, "ELEMENT_CODE": current.code, "FIELDS": full}
        await self.client.call("lists.element.update", params, idempotent=True)

    async def delete_element(self, iblock_id: int, element_id: int) -> None:
        try:
            await self.client.call("lists.element.delete", {**self._ids(iblock_id), "ELEMENT_ID": element_id},
                                   idempotent=True)
        except NotFoundError:
            pass  # already gone


def disk_file_value(file_id: int) -> str:
    """How a new Drive file is written into an S:DiskFile property ("n" + the Drive object ID)."""
    return f"n{file_id}"


def _list_info(item: dict[str, Any]) -> ListInfo:
    return ListInfo(shapes.identifier(item.get("ID"), "список", "lists.get"), str(item.get("CODE") or ""),
                    str(item.get("NAME") or ""))


def _field_from_wire(item: dict[str, Any]) -> ListField:
    values = item.get("DISPLAY_VALUES_FORM")
    return ListField(
        field_id=str(item.get("FIELD_ID") or ""),
        code=str(item.get("CODE") or ""),
        name=str(item.get("NAME") or ""),
        type=str(item.get("TYPE") or ""),
        multiple=n.to_bool(item.get("MULTIPLE")),
        required=n.to_bool(item.get("IS_REQUIRED")),
        settings=item.get("USER_TYPE_SETTINGS") if isinstance(item.get("USER_TYPE_SETTINGS"), dict) else {},
        values={str(key): str(value) for key, value in values.items()} if isinstance(values, dict) else {},
    )


async def _elements(rows: AsyncIterator[dict[str, Any]]) -> AsyncIterator[ListElement]:
    async for row in rows:
        yield element_from_wire(row)
