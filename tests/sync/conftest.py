"""The sync engine between the demo sandbox portal and a real SQLite cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from dpo_desktop.b24.client import B24Client, RetryPolicy
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.portal.discover import discover
from dpo_desktop.portal.mapping import PortalMapping
from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.transport import SandboxTransport
from dpo_desktop.store import Store
from dpo_desktop.sync.engine import SyncEngine, SyncSummary
from tests.b24.conftest import client_for, run
from tests.sandbox.portal_fixtures import Sandbox, make_sandbox


@dataclass
class Office:
    box: Sandbox
    store: Store
    mapping: PortalMapping
    path: Path

    def client(self, **options) -> B24Client:
        return client_for(self.box, **options)

    def sync(self, *, full: bool = False, **options) -> SyncSummary:
        async def scenario() -> SyncSummary:
            async with self.client(**options) as client:
                return await SyncEngine(client, self.store, self.mapping).sync(full=full)
        return run(scenario())

    def fresh_store(self, name: str) -> Store:
        """A second cache filled by a full sync from nothing, to compare with."""
        other = Store.open(self.path.parent / name)

        async def scenario() -> None:
            async with self.client() as client:
                await SyncEngine(client, other, self.mapping).sync(full=True)
        run(scenario())
        return other


def discovered(box: Sandbox) -> PortalMapping:
    async def scenario() -> PortalMapping:
        async with client_for(box) as client:
            found = await discover(client)
            assert found.mapping is not None, [problem.message for problem in found.problems]
            return found.mapping
    return run(scenario())


@pytest.fixture
def office(tmp_path) -> Office:
    box = make_sandbox(seeds.build("demo"))
    store = Store.open(tmp_path / "cache.sqlite3")
    yield Office(box, store, discovered(box), tmp_path / "cache.sqlite3")
    store.close()
    box.client.close()


def offline_client() -> B24Client:
    """A client whose portal cannot be reached at all (nothing listens on port 9)."""
    from dpo_desktop.b24.auth import WebhookAuth

    return B24Client(WebhookAuth.from_url("http://127.0.0.1:9/rest/1/offlinecode/"), plan=PLANS["off"],
                     retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002))


__all__ = ["Office", "SandboxTransport", "discovered", "offline_client", "run"]
