"""The two throttles, driven by the portal's own clock (``state.time_source``): the request-rate
leaky bucket (503 ``QUERY_LIMIT_EXCEEDED``) and the per-method operating budget (429
``OPERATION_TIME_LIMIT``, ``operating_reset_at``)."""

from __future__ import annotations

import httpx
import pytest

from dpo_desktop.sandbox.limits import PLANS, parse_limits

from .portal_fixtures import HOST, Sandbox, make_sandbox

QUERY_LIMIT = {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
OPERATION_LIMIT = {"error": "OPERATION_TIME_LIMIT",
                   "error_description": "Method is blocked due to operation time limit."}


class Clock:
    """The portal's time, moved by hand."""

    def __init__(self, start: float = 1_780_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _box(spec: str) -> tuple[Sandbox, Clock]:
    box = make_sandbox(limits=parse_limits(spec))
    clock = Clock()
    box.state.time_source = clock
    return box, clock


def _statuses(box: Sandbox, count: int, method: str = "crm.deal.list", params: dict | None = None) -> list[int]:
    return [box.call(method, params).status_code for _ in range(count)]


@pytest.mark.parametrize(("plan", "burst", "rate"), [("standard", 50, 2), ("enterprise", 250, 5)])
def test_the_bucket_admits_a_burst_then_answers_503_and_drains(plan: str, burst: int, rate: int):
    box, clock = _box(plan)
    assert _statuses(box, burst) == [200] * burst
    refused = box.call("crm.deal.list")
    assert refused.status_code == 503 and refused.json() == QUERY_LIMIT
    assert refused.headers["content-type"].startswith("application/json")
    assert box.portal.limit_rejections == 1
    clock.advance(1 / rate)  # one request's worth drains
    assert _statuses(box, 2) == [200, 503]
    clock.advance(1.0)
    assert _statuses(box, rate + 1) == [200] * rate + [503]
    clock.advance(burst / rate)  # empty again: a whole burst fits
    assert _statuses(box, burst + 1) == [200] * burst + [503]


def test_a_steady_two_per_second_is_never_refused():
    box, clock = _box("standard")
    for _ in range(300):
        assert box.call("crm.deal.list").status_code == 200
        clock.advance(0.5)
    assert box.portal.limit_rejections == 0


def test_rejected_requests_do_not_fill_the_bucket():
    box, clock = _box("standard")
    _statuses(box, 50)
    assert _statuses(box, 100) == [503] * 100
    clock.advance(0.5)
    assert _statuses(box, 1) == [200]


def test_a_batch_counts_as_one_request():
    box, _clock = _box("standard")
    cmd = {f"c{number}": "crm.deal.list?select[]=ID" for number in range(50)}
    for _ in range(50):
        response = box.call("batch", {"cmd": cmd})
        assert response.status_code == 200 and len(response.json()["result"]["result"]) == 50
    assert box.call("batch", {"cmd": cmd}).status_code == 503


def test_every_request_counts_even_errors_and_oauth_ones():
    box, _clock = _box("custom:burst=3,rate=1")
    app = box.state.add_app()
    token, _ = box.state.issue_tokens(1, app.client_id)
    oauth = httpx.Client(transport=box.client._transport, base_url=f"https://{HOST}/rest/")
    assert box.call("no.such.method").status_code == 404
    assert box.call("crm.deal.get", {"id": 1}).status_code == 400
    assert oauth.post("crm.deal.list", json={"auth": token}).status_code == 200
    assert oauth.post("crm.deal.list", json={"auth": token}).status_code == 503


def test_without_limits_nothing_is_refused():
    box = make_sandbox(limits=PLANS["off"])
    assert set(_statuses(box, 400)) == {200}


def test_the_operating_budget_blocks_one_method_of_one_credential():
    box, clock = _box("custom:burst=off,operating=1,cost=0.4,window=600,bucket=60")
    clock.now = 1_780_000_040.0
    bucket_start = 1_780_000_020  # the one-minute bucket these calls fall into
    answers = [box.call("crm.deal.list") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    operating = [answer.json()["time"]["operating"] for answer in answers]
    assert operating == sorted(operating) and operating[-1] >= 1.2
    reset_at = answers[-1].json()["time"]["operating_reset_at"]
    assert reset_at == bucket_start + 600  # the oldest one-minute bucket drops out then

    blocked = box.call("crm.deal.list")
    assert blocked.status_code == 429 and blocked.json() == OPERATION_LIMIT
    assert box.call("crm.deal.fields").status_code == 200  # other methods keep working
    other_hook = box.state.add_webhook(1)
    other = httpx.Client(transport=box.client._transport, base_url=f"https://{HOST}/rest/1/{other_hook}/")
    assert other.post("crm.deal.list").status_code == 200  # so does another credential

    clock.now = reset_at - 1
    assert box.call("crm.deal.list").status_code == 429
    clock.now = reset_at
    assert box.call("crm.deal.list").status_code == 200


def test_the_operating_budget_in_a_batch_is_billed_per_inner_method():
    box, _clock = _box("custom:burst=off,operating=1,cost=0.6")
    response = box.call("batch", {"cmd": {"a": "crm.deal.list", "b": "crm.deal.list", "c": "crm.deal.list",
                                          "d": "crm.deal.fields"}})
    result = response.json()["result"]
    assert response.status_code == 200
    assert set(result["result"]) == {"a", "b", "d"}
    assert result["result_error"] == {"c": OPERATION_LIMIT}
    assert box.call("crm.deal.list").status_code == 429
    assert box.call("batch", {"cmd": {"x": "crm.deal.get?id=1"}}).status_code == 200  # batch itself is free


def test_oauth_budget_is_kept_per_application():
    box, _clock = _box("custom:burst=off,operating=1,cost=0.6")
    oauth = httpx.Client(transport=box.client._transport, base_url=f"https://{HOST}/rest/")
    first, second = box.state.add_app(), box.state.add_app()
    token_one, _ = box.state.issue_tokens(1, first.client_id)
    token_two, _ = box.state.issue_tokens(1, second.client_id)
    assert [oauth.post("crm.deal.list", json={"auth": token_one}).status_code for _ in range(3)] == [200, 200, 429]
    assert oauth.post("crm.deal.list", json={"auth": token_two}).status_code == 200
    assert box.call("crm.deal.list").status_code == 200  # the webhook is another credential


def test_the_budget_frees_bucket_by_bucket():
    box, clock = _box("custom:burst=off,operating=1,cost=0.4,window=10,bucket=1")
    clock.now = 1_000.0
    assert box.call("crm.deal.list").status_code == 200  # bucket 1000: 0.4
    clock.now = 1_003.0
    assert box.call("crm.deal.list").status_code == 200  # bucket 1003: 0.8
    clock.now = 1_005.0
    last = box.call("crm.deal.list")  # bucket 1005: 1.2
    assert last.json()["time"]["operating_reset_at"] == 1_010
    assert box.call("crm.deal.list").status_code == 429
    clock.now = 1_010.0  # bucket 1000 drops out: 0.8 left
    assert box.call("crm.deal.list").status_code == 200  # and back to 1.2
    assert box.call("crm.deal.list").status_code == 429
    clock.now = 1_013.0  # bucket 1003 drops out
    assert box.call("crm.deal.list").status_code == 200


def test_an_operating_limit_answer_costs_a_request_of_the_bucket():
    box, _clock = _box("custom:burst=3,rate=0.001,operating=0.5,cost=0.6")
    assert _statuses(box, 4) == [200, 429, 429, 503]


@pytest.mark.parametrize("spec", ["nope", "custom:speed=2", "custom:burst=-1", "custom:rate=x", "custom:burst=nan"])
def test_bad_limit_specs_are_refused(spec: str):
    with pytest.raises(ValueError):
        parse_limits(spec)


def test_custom_limits_start_from_the_standard_plan():
    plan = parse_limits("custom:burst=10")
    assert (plan.burst, plan.rate, plan.operating_limit, plan.operating_window) == (10, 2.0, 480.0, 600.0)
    assert parse_limits("custom:operating=off").operating_limit is None
    assert parse_limits(" enterprise ") is PLANS["enterprise"]
