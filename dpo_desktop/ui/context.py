"""What every screen is given: the cache to read, the lane to work on, the portal's mapping and rules.

The GUI reads the cache on its own reader (never waiting for the lane's writes) and hands every portal
or write job to the lane through :meth:`AppContext.run`; results come back on the GUI thread. The
writer ``store`` and the ``client`` belong to the lane: use them only inside the coroutines given to
``run``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..portal.mapping import PortalMapping
    from ..rules import DocumentRules
    from ..runtime.bridge import Bridge
    from ..runtime.lane import Lane
    from ..store import Store, StoreReader
    from ..sync.push_settings import PushSettings
    from .messages import Messages


@dataclass
class AppContext:
    profile_name: str
    portal: str  # scheme://host, for the status bar
    mapping: PortalMapping
    rules: DocumentRules
    reader: StoreReader  # the GUI thread's own reader
    store: Store  # the writer: lane only
    client: B24Client  # lane only
    lane: Lane
    bridge: Bridge
    messages: Messages
    local_copies: Path  # compatibility-mode copies of uploaded files
    push_settings: PushSettings
    demo: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    def run(self, work: Callable[[AppContext], Coroutine[Any, Any, Any]], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> int:
        """Run ``work(context)`` on the lane; ``on_done(result)`` or ``on_error(error)`` on the GUI thread.

        Without ``on_error`` a failure is shown to the user through :attr:`messages`.
        """
        return self.bridge.run(work(self), on_done, on_error if on_error is not None else self.messages.failure)
