"""Sandbox portals on loopback for the two independent Bitrix24 SDKs, b24pysdk and fast_bitrix24.

``serve(state, ...)`` starts an in-thread :class:`LoopbackServer` over a fresh :class:`Portal` and a
webhook, and hands back a :class:`Served` that builds either SDK's client for it. b24pysdk speaks only
https and verifies through ``requests``, so a TLS portal points ``REQUESTS_CA_BUNDLE`` at the sandbox
CA; fast_bitrix24 is happy with plain http. After the test every portal must have recorded no
sandbox bug and answered no 500 it was not told to inject.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from b24pysdk import BitrixWebhook, Client
from fast_bitrix24 import Bitrix

from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.faults import FaultPlan
from dpo_desktop.sandbox.limits import PLANS, LimitPlan
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.seeds.large import build_deal_volume
from dpo_desktop.sandbox.server import LoopbackServer
from dpo_desktop.sandbox.state import PortalState

# Enough ДПО deals for more than one batch of 50 pages (one batch carries at most 2,500 rows).
VOLUME_DEALS = 2_600


@dataclass
class Served:
    """One portal on one loopback port with a webhook of ``user_id``."""

    state: PortalState
    portal: Portal
    server: LoopbackServer
    user_id: int
    code: str
    allow_500: bool = False  # the test injects 500s on purpose

    @property
    def domain(self) -> str:
        """``host:port`` as b24pysdk takes it."""
        return self.server.url.split("://", 1)[1]

    @property
    def webhook(self) -> str:
        return f"{self.server.url}/rest/{self.user_id}/{self.code}/"

    def b24(self, **options: object) -> Client:
        assert self.server.scheme == "https", "b24pysdk speaks only https: serve(..., tls=True)"
        return Client(BitrixWebhook(domain=self.domain, webhook_token=f"{self.user_id}/{self.code}"), **options)

    def fast(self, **options: object) -> Bitrix:
        assert self.server.scheme == "http", "fast_bitrix24 is served over plain http here"
        return Bitrix(self.webhook, verbose=False, **options)


@pytest.fixture
def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []
    tls_dir = tmp_path / "tls"  # one CA for every TLS portal of the test: REQUESTS_CA_BUNDLE names one file
    # requests would send loopback calls through a proxy configured in the environment.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    def start(state: PortalState, *, tls: bool = False, admin: bool = True, limits: LimitPlan = PLANS["off"],
              faults: FaultPlan | None = None, allow_500: bool = False) -> Served:
        user = webhook_user(state, admin=admin)
        code = state.add_webhook(user)
        portal = Portal(state, limits=limits, faults=faults)
        server = LoopbackServer(portal, tls_dir=tls_dir if tls else None).start()
        if tls:
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_file))
        served = Served(state, portal, server, user, code, allow_500)
        started.append(served)
        return served

    yield start
    for served in started:
        served.server.stop()
    for served in started:
        assert served.portal.bugs == [], f"the sandbox recorded bugs: {served.portal.bugs}"
        if not served.allow_500:
            assert served.portal.statuses[500] == 0, "the sandbox answered a 500 nobody injected"


def webhook_user(state: PortalState, *, admin: bool) -> int:
    """An administrator or an ordinary employee of the portal (added when the seed has none)."""
    user = next((user for user in state.users.values() if user.admin == admin), None)
    if user is None:
        user = state.add_user("Ольга", "Кузнецова", "o.kuznetsova@dpo-center.ru", admin=admin)
    return user.id


@pytest.fixture(autouse=True)
def _own_event_loop() -> Iterator[None]:
    """fast_bitrix24's synchronous ``Bitrix`` runs on ``asyncio.get_event_loop()``: each test gets a
    fresh loop under a policy of its own, and the session's policy (with whatever loop it holds) is
    put back afterwards, so no test inherits or leaves behind a loop."""
    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    loop.close()
    asyncio.set_event_loop_policy(previous)


@pytest.fixture
def volume_state() -> PortalState:
    """2,600 deals in the ДПО pipeline (and 130 more in the sales pipeline)."""
    return build_deal_volume(VOLUME_DEALS)


@pytest.fixture
def demo_state() -> PortalState:
    return seeds.build("demo")
