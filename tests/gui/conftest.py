"""GUI tests: real widgets offscreen, an AppContext on the demo sandbox (in-process transport), a synced cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dpo_desktop.app import build_context, close_context
from dpo_desktop.profiles import Profile
from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.limits import PLANS
from dpo_desktop.sandbox.transport import SandboxTransport
from dpo_desktop.secrets import MemorySecretStore, webhook_key
from dpo_desktop.sync.engine import SyncEngine
from dpo_desktop.ui.context import AppContext
from tests.sandbox.portal_fixtures import Sandbox, make_sandbox
from tests.sync.conftest import discovered


@pytest.fixture(scope="session")
def demo_state_template():
    return seeds.build("demo")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    box = make_sandbox(seeds.build("demo"), limits=PLANS["off"])
    yield box
    box.client.close()


def context_for(box: Sandbox, *, sync: bool = True) -> AppContext:
    """An AppContext for the sandbox portal, its cache filled by a full sync (done on the lane)."""
    secrets = MemorySecretStore()
    profile = Profile(name="office", portal=box.webhook, mapping=discovered(box), rate_plan="off")
    secrets.set(webhook_key(profile.name), box.webhook)
    context = build_context(profile, secrets, transport=SandboxTransport(box.portal))
    if sync:
        async def full(ctx: AppContext):
            return await SyncEngine(ctx.client, ctx.store, ctx.mapping).sync(full=True)
        context.lane.submit(full(context)).result(120)
    return context


@pytest.fixture
def context(qapp, sandbox) -> Iterator[AppContext]:
    made = context_for(sandbox)
    yield made
    close_context(made)
