"""``bizproc.workflow.template.list``, ``bizproc.workflow.start`` and ``bizproc.workflow.instances``.

All three are for administrators only (403 ``ACCESS_DENIED`` "Access denied!" otherwise). Parameter
names are read in any case (``SELECT``/``select``); list values come back as strings, times as ISO
with the server offset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .. import wire
from ..errors import ApiError
from ..query import DATETIME, INT, TEXT, Table, parse_filter, parse_order
from ..registry import Call, ListResult, method
from .documents import document_type

TEMPLATE_KINDS = {"ID": INT, "MODULE_ID": TEXT, "ENTITY": TEXT, "DOCUMENT_TYPE": TEXT, "AUTO_EXECUTE": INT,
                  "NAME": TEXT, "MODIFIED": DATETIME, "IS_MODIFIED": TEXT, "USER_ID": INT, "SYSTEM_CODE": TEXT}
TEMPLATE_FIELDS = (*TEMPLATE_KINDS, "TEMPLATE", "PARAMETERS", "VARIABLES", "CONSTANTS")
INSTANCE_KINDS = {"ID": TEXT, "MODIFIED": DATETIME, "OWNED_UNTIL": DATETIME, "MODULE_ID": TEXT, "ENTITY": TEXT,
                  "DOCUMENT_ID": TEXT, "STARTED": DATETIME, "STARTED_BY": INT, "TEMPLATE_ID": INT}
TIMES = ("MODIFIED", "OWNED_UNTIL", "STARTED")


def workflow_error(description: str) -> ApiError:
    return ApiError(400, "ERROR_WRONG_WORKFLOW_ID", description)


def document_error(description: str) -> ApiError:
    return ApiError(400, "", description)


def _start(value: Any) -> int:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return 0


def _select(raw: Any, known: Iterable[str], default: list[str]) -> list[str]:
    # (unconfirmed) unknown names in SELECT are dropped; an empty SELECT means the default.
    wanted = [str(item).strip().upper() for item in wire.as_list(raw) if str(item).strip()]
    fields = [item for item in wanted if item in known] or default
    return list(dict.fromkeys(fields))


def _page(
    call: Call, records: Iterable[dict[str, Any]], kinds: dict[str, str], params: dict[str, Any],
    default_order: list[tuple[str, bool]], render: Callable[[dict[str, Any]], dict[str, Any]],
) -> ListResult:
    clock = call.state.clock
    accessors = {field: (lambda record, f=field: None if record.get(f) is None else clock.iso(record[f]))
                 for field, kind in kinds.items() if kind == DATETIME}
    table = Table(kinds, accessors, id_field="SEQ", tz_minutes=clock.offset_minutes)
    for position, record in enumerate(records, start=1):
        table.insert(position, {**record, "SEQ": position})
    # (unconfirmed) filters on unknown fields are ignored.
    predicates = parse_filter(wire.as_map(params.get("FILTER")), kinds, strict=False)
    order = parse_order(params.get("ORDER"), kinds) or default_order
    page = table.select(predicates, order, _start(params.get("START")))
    return ListResult([render(record) for record in page.rows], page.total, page.next, page.counted)


def _wire_value(call: Call, field: str, value: Any) -> Any:
    if value is None or isinstance(value, (list, dict)):
        return value
    if field in TIMES:
        return call.state.clock.iso(value)
    return str(value)


@method("bizproc.workflow.template.list", scope="bizproc")
def template_list(call: Call, params: dict[str, Any]) -> ListResult:
    call.require_admin()
    select = _select(params.get("SELECT"), TEMPLATE_FIELDS, ["ID"])
    return _page(call, call.state.bizproc.templates.values(), TEMPLATE_KINDS, params, [("ID", True)],
                 lambda record: {field: _wire_value(call, field, record[field]) for field in select})


def _instances(call: Call, params: dict[str, Any]) -> ListResult:
    call.require_admin()
    select = _select(params.get("SELECT"), INSTANCE_KINDS, ["ID", "MODIFIED", "OWNED_UNTIL"])
    return _page(call, call.state.bizproc.workflows.values(), INSTANCE_KINDS, params, [("MODIFIED", False)],
                 lambda record: {field: _wire_value(call, field, record[field]) for field in select})


method("bizproc.workflow.instances", scope="bizproc")(_instances)
method("bizproc.workflow.instance.list", scope="bizproc")(_instances)


@method("bizproc.workflow.start", scope="bizproc")
def workflow_start(call: Call, params: dict[str, Any]) -> str:
    call.require_admin()
    bizproc = call.state.bizproc
    raw_template = params.get("TEMPLATE_ID")
    if raw_template in (None, "", 0, "0"):
        raise workflow_error("Empty TEMPLATE_ID")
    try:
        template = bizproc.templates.get(int(str(raw_template).strip()))
    except ValueError:
        template = None
    if template is None:
        raise workflow_error("Template not found")
    raw_document = wire.as_list(params.get("DOCUMENT_ID"))
    triple = [str(item).strip() if isinstance(item, (str, int)) else "" for item in raw_document]
    if len(triple) != 3 or not all(triple):
        raise document_error("Wrong DOCUMENT_ID!")
    module_id, entity, document_id = triple
    kind = document_type(call.state, module_id, entity, document_id)
    if kind is None:
        # (unconfirmed) a document that does not exist cannot be typed either: the same answer.
        raise document_error("Incorrect document type!")
    if (template["MODULE_ID"], template["ENTITY"], template["DOCUMENT_TYPE"]) != (module_id, entity, kind):
        raise document_error("Template type and DOCUMENT_ID mismatch!")
    parameters = wire.as_map(params.get("PARAMETERS"))
    return bizproc.start(template["ID"], document_id, user_id=call.user.id, parameters=parameters)
