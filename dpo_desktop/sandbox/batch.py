"""``batch``: up to 50 method calls in one request, run in order, with ``$result[...]`` references.

The answer is always HTTP 200 (failed commands go to ``result_error``) and has the five members of
the real one — ``result``, ``result_error``, ``result_total``, ``result_next``, ``result_time`` — each a
PHP array keyed by the caller's labels, so labels ``0..n-1`` come back as JSON lists and an empty
member as ``[]`` (the serialiser does that, as ``json_encode`` does).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import wire
from .errors import ApiError
from .registry import Call, ListResult, lookup

if TYPE_CHECKING:
    from .portal import Identity, Portal

MAX_COMMANDS = 50
MEMBERS = ("result", "result_error", "result_total", "result_next", "result_time")

_REFERENCE = re.compile(r"\$(result|result_error|result_total|result_next|result_time)((?:\[[^\]]*\])+)")
_SEGMENT = re.compile(r"\[([^\]]*)\]")


def run_batch(
    portal: Portal, call: Call, identity: Identity, params: dict[str, Any], now: float
) -> tuple[dict[str, Any], float, float]:
    """(the answer's body, modelled seconds to wait, processing seconds). Raises ApiError."""
    params = {str(key).lower(): value for key, value in params.items()}
    commands = wire.as_map(params.get("cmd"))
    if len(commands) > MAX_COMMANDS:
        raise ApiError(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
    halt = halts(params.get("halt"))
    collected: dict[str, dict[str, Any]] = {member: {} for member in MEMBERS}
    modelled = processing = 0.0
    for label, command in commands.items():
        label = str(label)
        try:
            name, query = split_command(command)
            params_of_command = resolve_references(wire.parse_query(query), collected)
            result, waited, timing = portal.invoke(call, identity, name, params_of_command, now + processing)
        except ApiError as error:
            collected["result_error"][label] = error.body()
            modelled += portal.latency.per_command
            processing += portal.latency.per_command
            if halt:
                break
            continue
        modelled += waited
        processing += timing["processing"]
        collected["result_time"][label] = timing
        if isinstance(result, ListResult):
            collected["result"][label] = result.items
            collected["result_total"][label] = result.total or 0
            if result.next is not None:
                collected["result_next"][label] = result.next
        else:
            collected["result"][label] = result
    return {"result": collected}, modelled, processing


def halts(value: Any) -> bool:
    """(unconfirmed) ``halt`` is on only for ``true``, ``1`` or ``"1"`` — the portal compares strictly,
    so ``"true"`` or ``"Y"`` in a form body leave it off, which is the stricter reading."""
    return value is True or (type(value) is int and value == 1) or value == "1"


def split_command(command: Any) -> tuple[str, str]:
    """``"crm.deal.list?start=50#x"`` → ``("crm.deal.list", "start=50")``, as PHP's ``parse_url`` splits it.

    Raises the portal's errors for what is not a command or may not run inside a batch.
    """
    if not isinstance(command, str):
        raise ApiError(400, "ERROR_ARGUMENT", "Wrong command")
    name, _, query = command.partition("?")
    query = query.partition("#")[0]
    spec = lookup(name)
    nested = name.strip().lower().removesuffix(".json") == "batch"
    if nested or (spec is not None and not spec.in_batch):
        raise ApiError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage.")
    return name, query


def resolve_references(params: dict[str, Any], collected: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Replace ``$result[label][...]`` in command parameters with earlier commands' results.

    A value that is exactly one reference takes the referenced value as it is (an array stays an
    array); a reference inside longer text is replaced by its text. (unconfirmed) A path that does
    not exist — the previous page was short — becomes an empty string.
    """
    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if not isinstance(value, str) or "$result" not in value:
            return value
        whole = _REFERENCE.fullmatch(value)
        if whole:
            return _lookup(collected, whole.group(1), whole.group(2))
        return _REFERENCE.sub(lambda match: _as_text(_lookup(collected, match.group(1), match.group(2))), value)

    return {key: resolve(item) for key, item in params.items()}


def _lookup(collected: dict[str, dict[str, Any]], member: str, path: str) -> Any:
    node: Any = collected[member]
    for segment in _SEGMENT.findall(path):
        if isinstance(node, dict):
            node = node.get(segment)
        elif isinstance(node, list) and wire.php_int_key(segment) is not None and 0 <= int(segment) < len(node):
            node = node[int(segment)]
        else:
            return ""
        if node is None:
            return ""
    return node


def _as_text(value: Any) -> str:
    """A value spliced into text, as PHP's string conversion writes it (an array is ``Array``)."""
    return "Array" if isinstance(value, (dict, list)) else wire.php_string(value)
