"""Faults, limits, token expiry and domain moves: reads complete, writes land exactly once."""

from __future__ import annotations

import httpx
import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.auth import OAuthAuth, OAuthTokens
from dpo_desktop.b24.client import B24Client, RetryPolicy
from dpo_desktop.b24.crm import Crm
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.b24.paging import iter_all
from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sandbox.limits import parse_limits
from dpo_desktop.sandbox.transport import SandboxTransport
from tests.sandbox.portal_fixtures import HOST, make_sandbox

from .conftest import ManualClock, client_for, run

FAST_RETRY = RetryPolicy(attempts=12, base_delay=0.001, max_delay=0.01)
MIXED = "mixed=0.1,slow_seconds=0.2,seed={seed}"


def _seeded(box, deals: int) -> list[int]:
    return [box.state.crm.deals.add({"TITLE": f"Сделка {index}"}, 1) for index in range(deals)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_long_pull_completes_exactly_under_mixed_faults(seed):
    box = make_sandbox(faults=parse_faults(MIXED.format(seed=seed)))
    ids = _seeded(box, 3100)

    async def scenario():
        async with client_for(box, retry=FAST_RETRY, timeout=httpx.Timeout(0.1)) as client:
            return [int(row["ID"]) async for row in iter_all(client, "crm.deal.list", {"select": ["ID"]})]

    assert run(scenario()) == ids
    assert box.portal.bugs == []


@pytest.mark.parametrize("seed", [4, 5])
def test_creates_land_exactly_once_under_mixed_faults(seed):
    box = make_sandbox(faults=parse_faults(MIXED.format(seed=seed)))

    async def scenario():
        async with client_for(box, retry=FAST_RETRY, timeout=httpx.Timeout(0.1)) as client:
            crm = Crm(client)
            return [await crm.add("contact", {"NAME": f"Участник {index}"}, idempotency_key=f"contact-{index}")
                    for index in range(120)]

    created = run(scenario())
    contacts = list(box.state.crm.contacts.table.values())
    assert len(contacts) == 120
    assert sorted(created) == sorted(int(record["ID"]) for record in contacts)
    assert len({record["ORIGIN_ID"] for record in contacts}) == 120


def test_a_lost_answer_to_a_write_is_not_repeated_blindly():
    box = make_sandbox(faults=parse_faults("drop=1"))

    async def scenario():
        async with client_for(box, retry=FAST_RETRY) as client:
            try:
                await client.call("crm.deal.add", {"fields": {"TITLE": "Один раз"}})
            finally:
                assert client.stats.requests == 1

    with pytest.raises(errors.AmbiguousWriteError):
        run(scenario())
    assert len(box.state.crm.deals.table) <= 1


def _oauth(box, clock: ManualClock | None = None, refreshed: list | None = None) -> OAuthAuth:
    user = next(iter(box.state.users.values()))
    app = box.state.add_app()
    access, refresh = box.state.issue_tokens(user.id, app.client_id)
    return OAuthAuth(
        f"https://{HOST}",
        OAuthTokens(access, refresh, box.state.access_tokens[access].expires_at),
        client_id=app.client_id,
        client_secret=app.client_secret,
        token_url=f"https://{HOST}/oauth/token/",
        on_refresh=(refreshed.append if refreshed is not None else None),
    )


def test_a_token_that_expires_mid_pull_is_refreshed_and_the_pull_finishes():
    box = make_sandbox(faults=parse_faults("expired=0.2,seed=9"))
    ids = _seeded(box, 2600)
    refreshed: list[OAuthTokens] = []
    auth = _oauth(box, refreshed=refreshed)
    first_refresh_token = auth.tokens.refresh_token

    async def scenario():
        transport = SandboxTransport(box.portal)
        async with B24Client(auth, transport=transport, plan=PLANS["off"], retry=FAST_RETRY) as client:
            rows = [int(row["ID"]) async for row in iter_all(client, "crm.deal.list", {"select": ["ID"]})]
            return rows, client.stats.refreshes

    rows, refreshes = run(scenario())
    assert rows == ids
    assert refreshes >= 1 and len(refreshed) == refreshes
    assert refreshed[-1].refresh_token != first_refresh_token
    assert first_refresh_token not in box.state.refresh_tokens  # rotated: the old one is spent


def test_an_hourly_token_expiry_is_handled_by_one_refresh(clock):
    box = make_sandbox()
    box.state.time_source = clock.time
    auth = _oauth(box)

    async def scenario():
        async with B24Client(auth, transport=SandboxTransport(box.portal), plan=PLANS["off"],
                             sleep=clock.sleep, clock=clock.time, wallclock=clock.time) as client:
            await client.call("crm.deal.list")
            clock.now += 3601
            await client.call("crm.deal.list")
            return client.stats.refreshes

    assert run(scenario()) == 1


def test_a_dead_refresh_token_asks_to_sign_in_again():
    box = make_sandbox(faults=parse_faults("expired=1"))
    auth = _oauth(box)
    box.state.refresh_tokens.clear()

    async def scenario():
        async with B24Client(auth, transport=SandboxTransport(box.portal), plan=PLANS["off"]) as client:
            await client.call("crm.deal.list")

    with pytest.raises(errors.AuthError, match="войдите заново"):
        run(scenario())


def test_a_domain_move_is_followed_and_reported():
    box = make_sandbox(faults=parse_faults("move=1"))
    _seeded(box, 3)
    moves: list[str] = []

    async def scenario():
        async with client_for(box, on_move=moves.append) as client:
            first = await client.call("crm.deal.list")
            second = await client.call("crm.deal.get", {"id": 2})
            return first, second, client.auth.base

    first, second, base = run(scenario())
    assert len(first.result) == 3 and second.result["ID"] == "2"
    assert moves == [f"https://moved.{HOST}"] and base == moves[0]
    assert box.portal.statuses[302] == 1


def test_the_operating_limit_waits_for_the_reset_and_reports_the_eta(clock):
    box = make_sandbox(limits=parse_limits("custom:burst=off,operating=1,cost=0.4,window=60,bucket=10"))
    _seeded(box, 5)
    waits: list[tuple[str, float]] = []

    async def scenario():
        def record(reason: str, seconds: float) -> None:
            waits.append((reason, seconds))

        async with client_for(box, clock=clock, on_wait=record) as client:
            for _ in range(6):
                await client.call("crm.deal.list")
            await client.call("crm.deal.get", {"id": 1})
            return client.stats

    stats = run(scenario())
    assert any(reason == "operating" and 0 < seconds <= 61 for reason, seconds in waits)
    assert box.portal.statuses[429] <= stats.operating_429 <= 1


def test_our_client_never_causes_a_503_on_a_standard_portal(clock):
    box = make_sandbox(limits=parse_limits("standard"))
    _seeded(box, 2)

    async def scenario():
        async with client_for(box, clock=clock, plan=PLANS["standard"]) as client:
            for _ in range(150):
                await client.call("crm.deal.get", {"id": 1})
            return client.stats

    stats = run(scenario())
    assert box.portal.limit_rejections == 0 and stats.limit_503 == 0
    assert stats.waited > 40  # 150 requests through a 50-burst, 2/s bucket take about a minute


def test_a_misconfigured_plan_still_recovers_from_503s(clock):
    box = make_sandbox(limits=parse_limits("standard"))
    _seeded(box, 2)

    async def scenario():
        async with client_for(box, clock=clock, plan=PLANS["off"], retry=RetryPolicy(attempts=10, base_delay=1,
                                                                                       max_delay=8)) as client:
            for _ in range(70):
                await client.call("crm.deal.get", {"id": 1})
            return client.stats

    stats = run(scenario())
    assert stats.limit_503 >= 1 and box.portal.limit_rejections == stats.limit_503
