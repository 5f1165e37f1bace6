"""Deterministic portals to start from: ``empty``, ``demo`` and ``large``.

``build(name)`` returns a fresh, independent :class:`PortalState`; building the same seed twice gives
the same data (IDs, names, documents, bytes), whatever the machine.
"""

from __future__ import annotations

from collections.abc import Callable

from ..state import PortalState

SEEDS = ("empty", "demo", "large")


def build(name: str) -> PortalState:
    builders: dict[str, Callable[[], PortalState]] = {"empty": build_empty}
    try:
        builder = builders[name]
    except KeyError:
        raise ValueError(f"unknown seed {name!r}: use {', '.join(SEEDS)}") from None
    return builder()


def build_empty() -> PortalState:
    """A bare portal: one administrator, the default pipeline, the drives; nothing of the ДПО schema."""
    state = PortalState()
    state.add_user("Администратор", "Портала", "admin@sandbox.test", admin=True)
    return state
