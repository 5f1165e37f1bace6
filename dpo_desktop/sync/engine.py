"""One sync: the outbox pushed, then the portal pulled (fully the first time, incrementally after)."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from .pull import Puller
from .push import Pusher

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..portal.mapping import PortalMapping
    from ..store import Store

MAPPING_KEY = "mapping.fingerprint"


@dataclass
class SyncSummary:
    mode: str  # "full" or "incremental"
    changed: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    pushed: int = 0
    conflicts: int = 0
    failed: int = 0
    waiting: int = 0
    requests: int = 0
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class SyncEngine:
    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping) -> None:
        self.client = client
        self.store = store
        self.mapping = mapping

    def needs_full(self) -> bool:
        """A first sync, a rebuilt cache or another portal schema: nothing in the cache can be trusted."""
        store = self.store
        return (store.get_meta("last_full_sync") is None or getattr(store, "rebuilt", False)
                or store.get_meta(MAPPING_KEY) != fingerprint(self.mapping))

    async def sync(self, *, full: bool = False) -> SyncSummary:
        started, requests = time.perf_counter(), self.client.stats.requests
        full = full or self.needs_full()
        summary = SyncSummary("full" if full else "incremental")
        pushed = await Pusher(self.client, self.store, self.mapping).push()
        summary.pushed, summary.conflicts, summary.failed = pushed.done, pushed.conflicts, pushed.failed
        summary.waiting = pushed.waiting
        summary.messages.extend(pushed.messages)
        if pushed.waiting == 0:
            puller = Puller(self.client, self.store, self.mapping)
            stats = await (puller.full() if full else puller.incremental())
            summary.changed, summary.deleted = stats.changed, stats.deleted
            with self.store.write() as tx:
                tx.set_meta(MAPPING_KEY, fingerprint(self.mapping))
                tx.set_meta("last_sync", _now())
            if getattr(self.store, "rebuilt", False):
                self.store.rebuilt = False
        summary.requests = self.client.stats.requests - requests
        summary.seconds = round(time.perf_counter() - started, 3)
        return summary


def fingerprint(mapping: PortalMapping) -> str:
    """Changes when the portal's schema as the app sees it changes (another pipeline, new field IDs)."""
    return hashlib.sha256(mapping.model_dump_json().encode()).hexdigest()[:16]


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
