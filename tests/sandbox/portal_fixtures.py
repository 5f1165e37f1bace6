"""Helpers that build sandbox portals for tests: state, portal, and httpx clients on the transport."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from dpo_desktop.sandbox.faults import FaultPlan
from dpo_desktop.sandbox.latency import MODELS, LatencyModel
from dpo_desktop.sandbox.limits import PLANS, LimitPlan
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.state import PortalState
from dpo_desktop.sandbox.transport import SandboxTransport

HOST = "sandbox.bitrix24.test"


@dataclass
class Sandbox:
    state: PortalState
    portal: Portal
    webhook: str  # full webhook URL, ending with "/"
    client: httpx.Client  # base_url = webhook

    def call(self, method: str, params: dict | None = None) -> httpx.Response:
        return self.client.post(method, json=params or {})

    def result(self, method: str, params: dict | None = None):
        response = self.call(method, params)
        assert response.status_code == 200, response.text
        return response.json()["result"]


def make_sandbox(
    state: PortalState | None = None,
    *,
    limits: LimitPlan = PLANS["off"],
    latency: LatencyModel = MODELS["none"],
    faults: FaultPlan | None = None,
    admin: bool = True,
    **portal_options,
) -> Sandbox:
    state = state or PortalState()
    user = next((u for u in state.users.values() if u.admin == admin), None) or state.add_user(
        "Анна", "Смирнова", "anna@example.ru", admin=admin)
    code = state.add_webhook(user.id)
    portal = Portal(state, limits=limits, latency=latency, faults=faults, **portal_options)
    webhook = f"https://{HOST}/rest/{user.id}/{code}/"
    client = httpx.Client(transport=SandboxTransport(portal), base_url=webhook)
    return Sandbox(state, portal, webhook, client)
