"""``getList`` and ``getChildren``: filter, order and 50-row pages over storages and folder contents.

A listing builds a throw-away :class:`~dpo_desktop.sandbox.query.Table` over the records it may
show (one folder's live children), so the Bitrix filter operators, ordering, ``start`` rounding and
``start=-1`` behave as in every other family; only the page is rendered to the wire.
"""

from __future__ import annotations

from typing import Any

from ..query import DATETIME, INT, TEXT, Table, parse_filter, parse_order
from ..registry import Call, ListResult
from . import params as args
from . import shapes

STORAGE_KINDS = {"ID": INT, "NAME": TEXT, "CODE": TEXT, "MODULE_ID": TEXT, "ENTITY_TYPE": TEXT,
                 "ENTITY_ID": TEXT, "ROOT_OBJECT_ID": INT}

OBJECT_KINDS = {
    "ID": INT, "NAME": TEXT, "CODE": TEXT, "STORAGE_ID": INT, "TYPE": TEXT, "REAL_OBJECT_ID": INT,
    "PARENT_ID": INT, "DELETED_TYPE": INT, "GLOBAL_CONTENT_VERSION": INT, "FILE_ID": INT, "SIZE": INT,
    "CREATE_TIME": DATETIME, "UPDATE_TIME": DATETIME, "DELETE_TIME": DATETIME,
    "CREATED_BY": INT, "UPDATED_BY": INT, "DELETED_BY": INT,
}

# The ORM stores TYPE as a number (2 folder, 3 file); a filter may name either.
_TYPE_CODES = {"folder": "2", "file": "3"}


def _query(table: Table, params: dict[str, Any]) -> Any:
    # (unconfirmed) unknown filter fields are ignored rather than refused.
    predicates = parse_filter(args.as_filter(params), table.kinds, strict=False)
    order = parse_order(params.get("order"), table.kinds)
    return table.select(predicates, order, args.start(params))


def storages(call: Call, params: dict[str, Any]) -> ListResult:
    disk = call.state.disk
    for user_id in call.state.users:
        disk.user_storage_id(user_id)  # every employee has a personal drive
    table = Table(STORAGE_KINDS, tz_minutes=call.state.clock.offset_minutes)
    for storage_id, record in disk.storages.items():
        if disk.can_read(storage_id, call.user.id, admin=call.user.admin):
            table.insert(storage_id, record)
    page = _query(table, params)
    return ListResult([shapes.storage(record) for record in page.rows], page.total, page.next, page.counted)


def children(call: Call, folder_id: int, params: dict[str, Any]) -> ListResult:
    clock = call.state.clock

    def moment(field: str) -> Any:
        return lambda record: None if record[field] is None else clock.iso(record[field])

    accessors = {
        "TYPE": lambda record: [record["TYPE"], _TYPE_CODES[record["TYPE"]]],
        "REAL_OBJECT_ID": lambda record: record["ID"] if record["TYPE"] == "folder" else None,
        **{field: moment(field) for field in ("CREATE_TIME", "UPDATE_TIME", "DELETE_TIME")},
    }
    table = Table(OBJECT_KINDS, accessors, tz_minutes=clock.offset_minutes)
    for record in call.state.disk.live_children(folder_id):
        table.insert(record["ID"], record)
    page = _query(table, params)
    rows = [shapes.disk_object(call, record) for record in page.rows]
    return ListResult(rows, page.total, page.next, page.counted)
