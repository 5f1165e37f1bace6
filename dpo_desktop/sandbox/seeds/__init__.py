"""Deterministic portals to start from: ``empty``, ``demo`` and ``large``.

``build(name)`` returns a fresh, independent :class:`PortalState`; building the same seed twice gives
the same data (IDs, names, documents, bytes), whatever the machine. The demo takes seconds to build
(it renders about 1,200 scans to know their sizes and hashes), so it is built once per process and
handed out as copies of its pickled bytes; the large seed is built afresh each time (a cached copy
would double its memory).
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable

from ..state import PortalState
from . import generators

SEEDS = ("empty", "demo", "large")

generators.register()

_built: dict[str, bytes] = {}
_lock = threading.Lock()


def build(name: str) -> PortalState:
    builders: dict[str, Callable[[], PortalState]] = {"empty": build_empty, "demo": _demo, "large": _large}
    try:
        builder = builders[name]
    except KeyError:
        raise ValueError(f"unknown seed {name!r}: use {', '.join(SEEDS)}") from None
    if name != "demo":
        return builder()
    with _lock:
        if name not in _built:
            _built[name] = pickle.dumps(builder(), protocol=pickle.HIGHEST_PROTOCOL)
        data = _built[name]
    return pickle.loads(data)  # our own bytes, made just above in this process


def build_empty() -> PortalState:
    """A bare portal: one administrator, the default pipeline, the drives; nothing of the ДПО schema."""
    state = PortalState()
    state.add_user("Администратор", "Портала", "admin@sandbox.test", admin=True)
    return state


def _demo() -> PortalState:
    from .demo import build_demo

    return build_demo()


def _large() -> PortalState:
    from .large import build_large

    return build_large()
