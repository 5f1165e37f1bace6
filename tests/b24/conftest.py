"""The REST client against the sandbox portal on the in-process transport."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

import httpx
import pytest

from dpo_desktop.b24.auth import WebhookAuth
from dpo_desktop.b24.client import B24Client, RetryPolicy
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.sandbox.transport import SandboxTransport
from tests.sandbox.portal_fixtures import Sandbox, make_sandbox

T = TypeVar("T")


def run(awaitable: Awaitable[T]) -> T:
    return asyncio.run(_awaited(awaitable))


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


class ManualClock:
    """Time that moves only when someone sleeps: the client's waits and the portal's clock share it."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def client_for(box: Sandbox, *, clock: ManualClock | None = None, **options: Any) -> B24Client:
    """A client on the sandbox's in-process transport; a ManualClock makes every wait instant."""
    options.setdefault("plan", PLANS["off"])
    options.setdefault("retry", RetryPolicy(attempts=8, base_delay=0.01, max_delay=0.05))
    options.setdefault("seed", 1)
    if clock is not None:
        box.state.time_source = clock.time
        options.update(sleep=clock.sleep, clock=clock.time, wallclock=clock.time)
    return B24Client(WebhookAuth.from_url(box.webhook), transport=SandboxTransport(box.portal), **options)


@pytest.fixture
def box() -> Sandbox:
    sandbox = make_sandbox()
    yield sandbox
    sandbox.client.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def short_timeout(seconds: float = 0.3) -> httpx.Timeout:
    return httpx.Timeout(seconds)
