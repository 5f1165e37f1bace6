"""One legacy CRM entity kind (deal, contact, company): its records and the rules of reading and writing.

Records are stored in wire form. The operations here are what the REST methods call, and what the
seeds call to build a portal without going through HTTP.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from .. import errors, wire
from ..query import FilterError, Table, parse_filter, parse_order
from ..registry import ListResult
from .fields import MULTIFIELD_TYPES, MULTIFIELDS, FieldDef, blank, comparison_kind, to_wire

if TYPE_CHECKING:
    from ..state import PortalState
    from .userfields import UserField


# Field types a LIKE filter cannot search inside: it compares the whole value.
_EXACT_TYPES = frozenset({"crm_status", "crm_contact", "crm_company", "crm_lead", "crm_quote", "crm_category",
                          "crm_currency", "crm_multifield", "user"})


def _multi_values(code: str, record: dict[str, Any]) -> list[str]:
    """Every VALUE of a multifield, for filters (a module-level function, so the table pickles)."""
    return [item["VALUE"] for item in record.get(code) or ()]


class CrmEntity:
    """Records of one kind with their standard fields, user fields and (contacts, companies) multifields."""

    def __init__(self, root: PortalState, kind: str, uf_entity: str, fields: tuple[FieldDef, ...]) -> None:
        self.root = root
        self.kind = kind
        self.uf_entity = uf_entity
        self.fields = {field.code: field for field in fields}
        self.multifields = tuple(code for code in MULTIFIELDS if code in self.fields)
        kinds = {code: comparison_kind(field.type) for code, field in self.fields.items()}
        accessors = {code: partial(_multi_values, code) for code in self.multifields}
        exact = frozenset(code for code, field in self.fields.items() if field.type in _EXACT_TYPES)
        self.table = Table(kinds, accessors, tz_minutes=root.clock.offset_minutes, exact_fields=exact)
        # Fields that "*" selects: standard, single-valued, readable.
        self._star = [code for code, field in self.fields.items()
                      if not field.multiple and field.type != "crm_multifield"]
        # Fields a select may name: multiple standard fields other than multifields (CONTACT_IDS,
        # COMPANY_IDS) are write-only and never come back.
        self._selectable = frozenset(code for code, field in self.fields.items()
                                     if not field.multiple or code in self.multifields)

    # -- user fields ----------------------------------------------------------------------------

    def userfields(self) -> list[UserField]:
        return self.root.crm.userfields.of(self.uf_entity)

    def userfield(self, code: str) -> UserField | None:
        return self.root.crm.userfields.find(self.uf_entity, code)

    def register_userfield(self, uf: UserField) -> None:
        self.table.add_kind(uf.field_name, comparison_kind(uf.user_type_id))

    def field_type(self, code: str) -> str | None:
        if code in self.fields:
            return self.fields[code].type
        uf = self.userfield(code)
        return uf.user_type_id if uf else None

    def describe_fields(self) -> dict[str, Any]:
        described = {code: field.describe() for code, field in self.fields.items()}
        for uf in self.userfields():
            described[uf.field_name] = uf.describe()
        return described

    # -- reading ----------------------------------------------------------------------------------

    def get(self, record_id: Any) -> dict[str, Any]:
        number = _id(record_id)
        record = self.table.get(number)
        if record is None:
            raise errors.crm_not_found()
        return record

    def read(self, record: dict[str, Any], select: list[Any] | None = None) -> dict[str, Any]:
        """The record as ``*.get`` (select None) or a ``*.list`` row with that select returns it."""
        if select is None:
            codes = [*self._star, *self.multifields, *(uf.field_name for uf in self.userfields())]
        else:
            codes = self._selected(select)
        return self._row(record, codes, self._copied(codes))

    def _copied(self, codes: list[str]) -> frozenset[str]:
        """The codes whose stored value is a list (multifields, multiple user fields): rows get copies."""
        multiple_ufs = {uf.field_name for uf in self.userfields() if uf.multiple}
        return frozenset(code for code in codes if code in self.multifields or code in multiple_ufs)

    def _row(self, record: dict[str, Any], codes: list[str], copied: frozenset[str]) -> dict[str, Any]:
        # Called for every row of every page: built at C speed, then fixed up only where needed. The
        # row is final (field-code keys, "ID" first; scalars, lists and multifield entries inside).
        row = wire.Shaped(zip(codes, map(record.get, codes), strict=True))
        for code in copied:
            value = row[code]
            if code in self.multifields:
                if value:
                    row[code] = [dict(item) for item in value]
                else:
                    del row[code]  # a multifield with no entries is left out, not null
            elif isinstance(value, list):
                row[code] = list(value)
        return row

    def _selected(self, select: list[Any]) -> list[str]:
        wanted = [text for text in (str(item).strip().upper() for item in select) if text]
        if not wanted:
            wanted = ["*", "UF_*"]
        codes = ["ID"]
        for item in wanted:
            if item == "*":
                codes.extend(self._star)
            elif item == "UF_*":
                codes.extend(uf.field_name for uf in self.userfields() if not uf.multiple)
            elif item in self._selectable or self.userfield(item) is not None:
                codes.append(item)
        return list(dict.fromkeys(codes))

    def list(self, params: dict[str, Any]) -> ListResult:
        kinds = self.table.kinds
        raw_filter = wire.as_map(params.get("FILTER"))
        try:
            predicates = parse_filter(raw_filter, kinds, strict=False)
        except FilterError:
            predicates = []
        order = parse_order(params.get("ORDER"), kinds)
        page = self.table.select(predicates, order, wire.php_intval(params.get("START")))
        codes = self._selected(wire.as_list(params.get("SELECT")))
        copied = self._copied(codes)
        rows = [self._row(record, codes, copied) for record in page.rows]
        return ListResult(rows, page.total, page.next, page.counted)

    # -- writing ----------------------------------------------------------------------------------

    def add(self, fields: dict[str, Any], user_id: int, *, record_id: int | None = None) -> int:
        now = self.root.now()
        new_id = record_id or self.root.next_id(f"crm.{self.kind}")
        if record_id:
            self.root.bump_counter(f"crm.{self.kind}", record_id)
        record: dict[str, Any] = {code: blank(self.fields[code].type) for code in self._star}
        record.update(self.defaults(new_id, user_id))
        stamp = self.root.clock.iso(now)
        record.update({"ID": str(new_id), "CREATED_BY_ID": str(user_id), "MODIFY_BY_ID": str(user_id),
                       "DATE_CREATE": stamp, "DATE_MODIFY": stamp})
        for uf in self.userfields():
            record[uf.field_name] = [] if uf.multiple else None
        self._apply(record, fields, creating=True)
        self.after_write(record, fields, None)
        self.table.insert(new_id, record)
        return new_id

    def update(self, record_id: Any, fields: dict[str, Any], user_id: int) -> None:
        record = self.get(record_id)
        changed = dict(record)
        self._apply(changed, fields, creating=False)
        self.after_write(changed, fields, record)
        changed["MODIFY_BY_ID"] = str(user_id)
        changed["DATE_MODIFY"] = self.root.clock.iso(self.root.now())
        self.table.insert(int(record["ID"]), changed)

    def delete(self, record_id: Any) -> None:
        record = self.get(record_id)
        self.table.delete(int(record["ID"]))

    def defaults(self, record_id: int, user_id: int) -> dict[str, Any]:
        return {"OPENED": "Y", "ASSIGNED_BY_ID": str(user_id)}

    def after_write(self, record: dict[str, Any], fields: dict[str, Any], previous: dict[str, Any] | None) -> None:
        """Derived fields, set after the caller's fields are applied; ``previous`` is None on add."""

    def _apply(self, record: dict[str, Any], fields: dict[str, Any], *, creating: bool) -> None:
        clock = self.root.clock
        for key, value in fields.items():
            code = str(key).upper()
            field = self.fields.get(code)
            if field is not None:
                ignored = field.read_only or (field.immutable and not creating)
                if ignored or (field.multiple and code not in self.multifields):
                    continue  # the portal ignores these silently
                if code in self.multifields:
                    record[code] = self._merge_multifield(code, record.get(code) or [], value)
                    continue
                written = to_wire(field.type, value, clock)
                record[code] = blank(field.type) if written is None else written
                continue
            uf = self.userfield(code)
            if uf is not None:
                record[code] = uf.write(value, clock)
            # Unknown fields are ignored, as the portal does.

    def _merge_multifield(self, code: str, current: list[dict[str, str]], value: Any) -> list[dict[str, str]]:
        """Multifield writes merge by ID: an entry with ID edits or (DELETE=Y, empty or bare) deletes it,
        one without ID is appended, entries not mentioned stay."""
        entries = {item["ID"]: dict(item) for item in current}
        order = [item["ID"] for item in current]
        for raw in wire.as_list(value):
            if not isinstance(raw, dict):
                continue
            raw = {str(key).upper(): item for key, item in raw.items()}
            entry_id = str(raw.get("ID") or "").strip()
            text = wire.php_string(raw.get("VALUE")).strip() if _scalar(raw.get("VALUE")) else ""
            kind = wire.php_string(raw.get("VALUE_TYPE")).strip().upper() if _scalar(raw.get("VALUE_TYPE")) else ""
            if entry_id and entry_id in entries:
                if str(raw.get("DELETE", "")).upper() == "Y" or not text:
                    del entries[entry_id]
                    order.remove(entry_id)
                    continue
                # (unconfirmed) an edit without a valid VALUE_TYPE keeps the entry's type.
                if kind not in MULTIFIELD_TYPES[code]:
                    kind = entries[entry_id]["VALUE_TYPE"]
                entries[entry_id].update({"VALUE": text, "VALUE_TYPE": kind})
            elif not entry_id and text:
                if kind not in MULTIFIELD_TYPES[code]:
                    kind = MULTIFIELD_TYPES[code][0]
                new_id = str(self.root.next_id("crm.multifield"))
                entries[new_id] = {"ID": new_id, "VALUE_TYPE": kind, "VALUE": text, "TYPE_ID": code}
                order.append(new_id)
        return [entries[entry_id] for entry_id in order]


def _id(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise errors.crm_bad_id() from None
    if number <= 0:
        raise errors.crm_bad_id()
    return number


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float))
