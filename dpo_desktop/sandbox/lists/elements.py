"""Writing list elements the way ``lists.element.add`` and ``lists.element.update`` do.

Both go through :func:`write`, which follows ``Bitrix\\Lists\\Entity\\Element``: every field of the
list is written from ``FIELDS``, so on update a field that is not sent is cleared — except File
properties, whose files stay until ``PROPERTY_n_DEL`` names their value IDs. Drive files
(``S:DiskFile``) are attached to the element through the disk family and read back as attachment IDs.
Nothing is changed before every value has been checked, so a refused write leaves no trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import errors
from . import dates, files, values
from .values import is_empty, is_numeric, items, not_correct

if TYPE_CHECKING:
    from .fields import ListField
    from .iblock import IBlock
    from .state import ListsState

CONNECTOR = "Bitrix\\Disk\\Uf\\IblockElementConnector"  # the disk connector of iblock elements
AUTOMATIC = ("DATE_CREATE", "CREATED_BY", "TIMESTAMP_X", "MODIFIED_BY", "PREVIEW_PICTURE", "DETAIL_PICTURE")
KEEP = object()  # update_element(code=KEEP): leave the element's CODE alone


@dataclass
class _Plan:
    """Everything a write will do, worked out before anything changes."""

    system: dict[str, Any] = field(default_factory=dict)
    values: dict[int, list[tuple[int | None, Any]]] = field(default_factory=dict)  # pid -> [(reused vid, value)]
    new_files: dict[int, list[tuple[str, bytes]]] = field(default_factory=dict)
    kept_files: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # pid -> [(vid, file ID)]
    dropped_files: list[int] = field(default_factory=list)
    disk: dict[int, tuple[int | None, list[tuple[str, int]]]] = field(default_factory=dict)
    detach: list[int] = field(default_factory=list)
    counters: list[ListField] = field(default_factory=list)  # N:Sequence fields to advance


def required_error(item: ListField) -> errors.ApiError:
    return errors.lists_error("ERROR_ELEMENT_FIELD_VALUE", f'The field "{item.name}" is required')


def write(state: ListsState, iblock: IBlock, fields: dict[str, Any], *, record: dict[str, Any] | None,
          user_id: int, code: Any = KEEP, created: float | None = None) -> int:
    """Add (``record`` None) or overwrite an element from FIELDS; returns its ID. Raises ApiError."""
    _validate(iblock, fields)
    old_values: dict[int, tuple] = record["P"] if record is not None else {}
    plan = _plan(state, iblock, fields, old_values, creating=record is None)
    now = int(state.root.now())
    if record is None:
        element_id = state.root.next_id("lists.element")
        moment = int(created) if created is not None else now
        record = {"ID": element_id, "CODE": None, "CREATED_BY": user_id, "DATE_CREATE": moment, "SORT": 500,
                  "IBLOCK_SECTION_ID": 0, "P": {}}
    element_id = record["ID"]
    updated = {"ID": element_id, "CODE": record["CODE"], "CREATED_BY": record["CREATED_BY"],
               "DATE_CREATE": record["DATE_CREATE"]}
    updated.update({key: value for key, value in plan.system.items() if value is not None})
    updated.setdefault("SORT", record.get("SORT", 500))
    section = fields.get("IBLOCK_SECTION_ID")
    updated["IBLOCK_SECTION_ID"] = int(float(section)) if is_numeric(section) else 0
    modifier = fields.get("MODIFIED_BY")
    updated["MODIFIED_BY"] = int(float(modifier)) if is_numeric(modifier) and not is_empty(modifier) else user_id
    updated["TIMESTAMP_X"] = now
    updated["P"] = _commit(state, iblock, plan, element_id, user_id)
    if code is not KEEP:
        _recode(iblock, element_id, record.get("CODE"), code)
        updated["CODE"] = code or None
    iblock.elements.insert(element_id, updated)
    return element_id


def delete(state: ListsState, iblock: IBlock, record: dict[str, Any]) -> None:
    """Remove an element with its files and Drive attachments."""
    for prop_id, stored in record["P"].items():
        item = iblock.property(prop_id)
        if item is None:
            continue
        if item.type == "F":
            for file_id in stored[1::2]:
                state.files.delete(file_id)
        elif item.type == "S:DiskFile":
            for joined in stored[1::2]:
                for attached_id in str(joined).split(","):
                    state.root.disk.detach(int(attached_id))
    if record.get("CODE"):
        iblock.codes.pop(record["CODE"].casefold(), None)
    iblock.elements.delete(record["ID"])


def _recode(iblock: IBlock, element_id: int, old: str | None, new: str | None) -> None:
    if old and iblock.codes.get(old.casefold()) == element_id:
        del iblock.codes[old.casefold()]
    if new:
        iblock.codes[new.casefold()] = element_id


def _validate(iblock: IBlock, fields: dict[str, Any]) -> None:
    """``Element::validateFields``: required fields and numbers; the portal reports the last problem."""
    problem: errors.ApiError | None = None
    for item in iblock.ordered_fields():
        value = fields.get(item.field_id)
        if item.is_required and is_empty(value) and not is_numeric(value):
            problem = required_error(item)
        if item.type == "N":
            for _, raw in items(value):
                number = str(raw).replace(",", ".").replace(" ", "")
                if not is_empty(raw) and not is_numeric(number):
                    problem = not_correct(item)
    if problem is not None:
        raise problem


def _plan(state: ListsState, iblock: IBlock, fields: dict[str, Any], old_values: dict[int, tuple], *,
          creating: bool) -> _Plan:
    plan = _Plan()
    root = state.root
    for item in iblock.ordered_fields():
        raw = fields.get(item.field_id)
        if item.prop_id is None:
            _plan_system(plan, item, raw, root)
            continue
        old = old_values.get(item.prop_id, ())
        if item.type == "F":
            _plan_files(plan, item, raw, fields.get(f"{item.field_id}_DEL"), old)
        elif item.type == "S:DiskFile":
            _plan_disk(plan, item, raw, old, root)
        else:
            chosen = _plan_values(item, raw, old, root)
            if item.type == "N:Sequence":
                plan.counters.append(item)
                if not chosen:
                    # (unconfirmed) an empty counter takes the next number on add and keeps its number on update.
                    chosen = [(None, item.sequence_next)] if creating else ([(old[0], old[1])] if old else [])
            plan.values[item.prop_id] = chosen
    return plan


def _plan_system(plan: _Plan, item: ListField, raw: Any, root: Any) -> None:
    if item.type in AUTOMATIC:
        return  # filled by the portal; pictures are not kept by the sandbox
    if isinstance(raw, (list, dict)):
        raw = next(iter(values.items(raw)), (None, None))[1]  # setBaseValue takes the first item
    if item.type == "NAME":
        plan.system["NAME"] = "" if raw is None else str(raw)
    elif item.type == "SORT":
        plan.system["SORT"] = int(float(raw)) if is_numeric(raw) else 500
    elif item.type in ("ACTIVE_FROM", "ACTIVE_TO"):
        moment = None if is_empty(raw) else dates.read_moment(raw, root.clock)
        if not is_empty(raw) and moment is None:
            raise not_correct(item)
        plan.system[item.type] = moment
    else:  # PREVIEW_TEXT, DETAIL_TEXT
        plan.system[item.type] = None if raw is None or raw == "" else str(raw)


def _plan_values(item: ListField, raw: Any, old: tuple, root: Any) -> list[tuple[int | None, Any]]:
    """Stored values with the value IDs they keep: a key naming one of the element's value IDs keeps it."""
    if raw is None:
        return []
    chosen: list[tuple[int | None, Any]] = []
    for key, value in items(raw):
        stored = values.store(item, value, root)
        if stored is None:
            continue
        reused = int(key) if key is not None and old and key.isdigit() and int(key) in old[0::2] else None
        chosen.append((reused, stored))
        if not item.multiple:
            # (unconfirmed) a single value keeps its value ID across updates.
            return [(reused if reused is not None else (old[0] if old else None), stored)]
    return chosen


def _plan_files(plan: _Plan, item: ListField, raw: Any, marks: Any, old: tuple) -> None:
    doomed = {int(key) for key in _keys(marks) if str(key).strip().isdigit()}
    kept = [(old[index], old[index + 1]) for index in range(0, len(old), 2) if old[index] not in doomed]
    new = [decoded for _, decoded in files.file_items(raw, item.name)] if raw is not None else []
    if new and not item.multiple:
        # (unconfirmed) a new file replaces the file of a single File property.
        new, kept = new[:1], []
    plan.dropped_files.extend(file_id for vid, file_id in zip(old[0::2], old[1::2], strict=True)
                              if (vid, file_id) not in kept)
    plan.kept_files[item.prop_id] = kept
    plan.new_files[item.prop_id] = new


def _keys(marks: Any) -> list[Any]:
    # PROPERTY_n_DEL maps value IDs to a mark; the portal looks at the keys only.
    return list(marks) if isinstance(marks, dict) else []


def _plan_disk(plan: _Plan, item: ListField, raw: Any, old: tuple, root: Any) -> None:
    """Drive files: ``n123`` or ``123`` attach Drive file 123; a number that is already one of this
    element's attachments keeps it (what a client sends back after reading the element).

    (unconfirmed) the portal reads a bare number as an attachment ID only; the sandbox also accepts a
    Drive file ID there, as the documentation promises. The values of a property are stored joined by
    commas in one value, as the Drive property type does.
    """
    attached = {int(token) for joined in old[1::2] for token in str(joined).split(",") if token}
    tokens = [token.strip() for _, value in items(raw) if not is_empty(value)
              for token in str(value).split(",") if token.strip()]
    if not item.multiple:
        tokens = tokens[:1]
    actions: list[tuple[str, int]] = []
    for token in tokens:
        new_object = token[:1].lower() == "n"
        number = token[1:] if new_object else token
        if not number.isdigit():
            raise not_correct(item)
        if not new_object and int(number) in attached:
            actions.append(("keep", int(number)))
        elif root.disk.file_exists(int(number)):
            actions.append(("attach", int(number)))
        else:
            raise errors.lists_error("ERROR_ELEMENT_FIELD_VALUE", f'File with ID "{number}" not found')
    kept = {number for action, number in actions if action == "keep"}
    plan.detach.extend(attached - kept)
    plan.disk[item.prop_id] = (old[0] if old else None, actions)


def _commit(state: ListsState, iblock: IBlock, plan: _Plan, element_id: int, user_id: int) -> dict[int, tuple]:
    root = state.root
    fresh = _ValueIds(root, sum(len(chosen) for chosen in plan.values.values())
                      + sum(len(new) for new in plan.new_files.values()) + len(plan.disk))
    stored: dict[int, tuple] = {}
    for prop_id, chosen in plan.values.items():
        if not chosen:
            continue
        flat: list[Any] = []
        for vid, value in chosen:
            flat += (vid or fresh.take(), value)
        stored[prop_id] = tuple(flat)
    for item in plan.counters:
        numbers = [value for _, value in plan.values.get(item.prop_id, ())]
        if numbers:
            item.sequence_next = max(item.sequence_next, max(numbers) + 1)
    for prop_id, kept in plan.kept_files.items():
        flat = [part for pair in kept for part in pair]
        for name, data in plan.new_files[prop_id]:
            flat += (fresh.take(), state.files.add(name, data))
        if flat:
            stored[prop_id] = tuple(flat)
    for file_id in plan.dropped_files:
        state.files.delete(file_id)
    for prop_id, (vid, actions) in plan.disk.items():
        field_name = f"PROPERTY_{prop_id}"
        ids = [number if action == "keep" else root.disk.attach(
            number, module_id="iblock", entity_type=CONNECTOR, entity_id=element_id, field_name=field_name,
            user_id=user_id) for action, number in actions]
        if ids:
            stored[prop_id] = (vid or fresh.take(), ",".join(map(str, ids)))
    for attached_id in plan.detach:
        root.disk.detach(attached_id)
    return stored


class _ValueIds:
    """Property value IDs (one portal-wide sequence), reserved in one block per write."""

    def __init__(self, root: Any, count: int) -> None:
        self.next = 0
        self.last = -1
        if count:
            self.next = root.next_id("lists.value", start=100)
            self.last = self.next + count - 1
            root.bump_counter("lists.value", self.last)

    def take(self) -> int:
        if self.next > self.last:
            raise RuntimeError("more property values than reserved")
        value, self.next = self.next, self.next + 1
        return value
