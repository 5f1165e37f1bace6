"""``batch``: up to 50 commands in one request, and the answer split back per command.

Labels are never ``0..n-1``: PHP would turn the answer's maps into JSON lists and a failed command
could no longer be told apart (reference §3, §16 gotcha 4). The parser still accepts ``[]`` and lists
wherever a map is meant, because that is what real portals send for empty members.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import encoding
from .errors import B24Error, ProtocolError, from_answer, snippet

MAX_COMMANDS = 50


def ref(label: str, *path: str | int) -> str:
    """A reference to an earlier command's result: ``ref("p1", 49, "ID")`` → ``$result[p1][49][ID]``."""
    return f"$result[{label}]" + "".join(f"[{part}]" for part in path)


class Batch:
    def __init__(self, *, halt: bool = False) -> None:
        self.halt = halt
        self._commands: dict[str, tuple[str, dict[str, Any]]] = {}

    def __len__(self) -> int:
        return len(self._commands)

    @property
    def full(self) -> bool:
        return len(self._commands) >= MAX_COMMANDS

    def add(self, label: str, method: str, params: dict[str, Any] | None = None) -> str:
        if label.lstrip("-").isdigit():
            raise ValueError(f"batch label {label!r} must not be a number")
        if label in self._commands:
            raise ValueError(f"batch label {label!r} used twice")
        if self.full:
            raise ValueError(f"a batch holds at most {MAX_COMMANDS} commands")
        self._commands[label] = (method, dict(params or {}))
        return label

    def labels(self) -> list[str]:
        return list(self._commands)

    def methods(self) -> list[str]:
        return [method for method, _ in self._commands.values()]

    def method_of(self, label: str) -> str:
        return self._commands[label][0]

    def command_params(self, label: str) -> dict[str, Any]:
        return dict(self._commands[label][1])

    def params(self) -> dict[str, Any]:
        return {
            "halt": 1 if self.halt else 0,
            "cmd": {label: encoding.command(method, params) for label, (method, params) in self._commands.items()},
        }


@dataclass
class BatchResult:
    """Per-command outcomes. A failed command is an entry in ``errors``, not an exception."""

    results: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, B24Error] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    nexts: dict[str, int] = field(default_factory=dict)
    times: dict[str, dict[str, Any]] = field(default_factory=dict)

    def ok(self, label: str) -> bool:
        return label in self.results and label not in self.errors

    def get(self, label: str) -> Any:
        """The command's result, or its error raised."""
        if label in self.errors:
            raise self.errors[label]
        if label not in self.results:
            raise ProtocolError(f"в ответе batch нет команды {label}", method="batch")
        return self.results[label]


def parse_batch(body: dict[str, Any], batch: Batch) -> BatchResult:
    inner = body.get("result")
    if not isinstance(inner, dict):
        raise ProtocolError(f"ответ batch без result: {snippet(str(body))}", method="batch")
    labels = batch.labels()
    outcome = BatchResult()
    outcome.results = _as_map(inner.get("result"), labels)
    missing = [label for label in labels if label not in outcome.results]
    for label, raw in _as_map(inner.get("result_error"), missing).items():
        raw = raw if isinstance(raw, dict) else {}
        outcome.errors[label] = from_answer(400, str(raw.get("error") or ""), str(raw.get("error_description") or ""),
                                           batch.method_of(label) if label in labels else "batch")
    outcome.totals = {label: _int(value) for label, value in _as_map(inner.get("result_total"), labels).items()}
    outcome.nexts = {label: _int(value) for label, value in _as_map(inner.get("result_next"), labels).items()}
    outcome.times = {label: value for label, value in _as_map(inner.get("result_time"), labels).items()
                     if isinstance(value, dict)}
    return outcome


def _as_map(value: Any, labels: list[str]) -> dict[str, Any]:
    """A member of the answer as label → value; PHP sends ``[]`` for empty and lists for 0..n-1 keys."""
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()}
    if isinstance(value, list):
        # Only possible for labels 0..n-1 (or an empty member); map by position as the portal did.
        return {labels[index] if index < len(labels) else str(index): item for index, item in enumerate(value)}
    return {}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
