"""Sandbox portals and clients for the portal tests (in-process transport, no sockets)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import pytest

from dpo_desktop.b24.auth import WebhookAuth
from dpo_desktop.b24.client import B24Client, RetryPolicy
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.sandbox.seeds import build
from dpo_desktop.sandbox.state import PortalState
from dpo_desktop.sandbox.transport import SandboxTransport
from tests.sandbox.portal_fixtures import Sandbox, make_sandbox

T = TypeVar("T")


def run(awaitable: Awaitable[T]) -> T:
    async def awaited() -> T:
        return await awaitable
    return asyncio.run(awaited())


def client_of(box: Sandbox, webhook: str | None = None) -> B24Client:
    return B24Client(WebhookAuth.from_url(webhook or box.webhook), transport=SandboxTransport(box.portal),
                     plan=PLANS["off"], retry=RetryPolicy(attempts=2, base_delay=0.0, max_delay=0.0), seed=1)


async def with_client(box: Sandbox, work: Any, webhook: str | None = None) -> Any:
    """Run ``work(client)`` with a fresh client on the box, closing it afterwards."""
    async with client_of(box, webhook) as client:
        return await work(client)


def portal_objects(state: PortalState) -> dict[str, int]:
    """How many schema objects a portal holds: what provisioning may create."""
    iblocks = state.lists.iblocks.values()
    return {
        "pipelines": len(state.crm.categories),
        "statuses": len(state.crm.statuses),
        "deal_fields": len(state.crm.userfields.of("CRM_DEAL")),
        "contact_fields": len(state.crm.userfields.of("CRM_CONTACT")),
        "enum_items": sum(len(uf.items) for entity in ("CRM_DEAL", "CRM_CONTACT")
                          for uf in state.crm.userfields.of(entity)),
        "lists": len(state.lists.iblocks),
        "list_fields": sum(len(iblock.fields) for iblock in iblocks),
        "list_values": sum(len(item.enums) for iblock in iblocks for item in iblock.fields.values()),
        "disk_objects": len(state.disk.objects),
    }


@pytest.fixture
def demo_box() -> Sandbox:
    box = make_sandbox(build("demo"))
    yield box
    box.client.close()


@pytest.fixture
def empty_box() -> Sandbox:
    box = make_sandbox(build("empty"))
    yield box
    box.client.close()
