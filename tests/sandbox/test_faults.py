"""Injected faults as a client meets them through the httpx transport, and the latency model's
delays in the ``time`` object and on the wall clock."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from dpo_desktop.sandbox.faults import FaultPlan, parse_faults
from dpo_desktop.sandbox.latency import MODELS, parse_latency
from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import HOST, Sandbox, make_sandbox


def _faulty(spec: str, **options) -> Sandbox:
    return make_sandbox(faults=parse_faults(spec), **options)


def _deals(box: Sandbox) -> int:
    return len(box.state.crm.deals.table)


def _outcome(box: Sandbox, method: str = "crm.deal.list", params: dict | None = None) -> str:
    try:
        return str(box.client.post(method, json=params or {}, timeout=0.05).status_code)
    except httpx.TransportError as error:
        return type(error).__name__


def test_503_fault_is_the_front_ends_html_page():
    response = _faulty("503=1").call("crm.deal.list")
    assert response.status_code == 503 and response.headers["content-type"] == "text/html"
    assert "<title>503 Service Temporarily Unavailable</title>" in response.text


def test_html_fault_is_a_502_bad_gateway_page():
    response = _faulty("html=1").call("crm.deal.list")
    assert response.status_code == 502 and response.headers["content-type"] == "text/html"
    assert "502 Bad Gateway" in response.text and "nginx" in response.text


def test_500_fault_is_json_and_runs_nothing():
    box = _faulty("500=1")
    response = box.call("crm.deal.add", {"fields": {"TITLE": "x"}})
    assert response.status_code == 500
    assert response.json() == {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"}
    assert _deals(box) == 0 and box.portal.bugs == []


def test_a_dropped_connection_may_come_before_or_after_the_call_landed():
    box = _faulty("drop=1,seed=3")
    landed = []
    for number in range(30):
        before = _deals(box)
        with pytest.raises(httpx.RemoteProtocolError):
            box.call("crm.deal.add", {"fields": {"TITLE": f"Сделка {number}"}})
        landed.append(_deals(box) - before)
    assert set(landed) == {0, 1}  # both: lost before the portal ran it, and lost after it wrote
    assert box.portal.statuses == {0: 30}  # no answer reached anyone, whether or not the call ran


def test_a_slow_answer_times_the_client_out_although_the_write_landed():
    box = _faulty("slow=1,slow_seconds=30")
    started = time.perf_counter()
    with pytest.raises(httpx.ReadTimeout):
        box.client.post("crm.deal.add", json={"fields": {"TITLE": "Медленная"}}, timeout=0.05)
    assert time.perf_counter() - started < 5  # waited for the client's timeout, not the 30 s
    assert _deals(box) == 1


def test_a_slow_answer_within_the_timeout_arrives_late():
    box = _faulty("slow=1,slow_seconds=0.2")
    started = time.perf_counter()
    assert box.client.post("crm.deal.list", json={}, timeout=5).status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_the_async_client_times_out_the_same_way():
    box = _faulty("slow=1,slow_seconds=30")

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=box.client._transport, base_url=box.webhook) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.post("crm.deal.add", json={"fields": {"TITLE": "x"}}, timeout=0.05)
            with pytest.raises(httpx.ReadTimeout):
                await client.post("crm.deal.add", json={"fields": {"TITLE": "y"}}, timeout=0.05)

    asyncio.run(scenario())
    assert _deals(box) == 2


class _OAuthClient:
    """A tiny OAuth client: calls with ``auth`` in the body, refreshes on ``expired_token`` and repeats."""

    def __init__(self, box: Sandbox) -> None:
        self.app = box.state.add_app()
        self.access, self.refresh = box.state.issue_tokens(1, self.app.client_id)
        self.http = httpx.Client(transport=box.client._transport, base_url=f"https://{HOST}")
        self.refreshes = 0

    def call(self, method: str, params: dict | None = None, attempts: int = 10) -> httpx.Response:
        for _ in range(attempts):
            response = self.http.post(f"/rest/{method}", json={**(params or {}), "auth": self.access})
            if response.status_code != 401 or response.json().get("error") != "expired_token":
                return response
            answer = self.http.get("/oauth/token/", params={
                "grant_type": "refresh_token", "client_id": self.app.client_id,
                "client_secret": self.app.client_secret, "refresh_token": self.refresh})
            assert answer.status_code == 200, answer.text
            self.access, self.refresh = answer.json()["access_token"], answer.json()["refresh_token"]
            self.refreshes += 1
        return response


def test_expired_fault_answers_401_expired_token_and_a_refresh_recovers():
    box = _faulty("expired=0.3,seed=11")
    client = _OAuthClient(box)
    for number in range(20):
        response = client.call("crm.deal.add", {"fields": {"TITLE": f"Сделка {number}"}})
        assert response.status_code == 200 and response.json()["result"] == number + 1
    assert client.refreshes >= 3
    assert _deals(box) == 20  # an expired call never ran: the repeat wrote each deal once


def test_the_expired_fault_expires_the_token_itself():
    box = _faulty("expired=1")
    client = _OAuthClient(box)
    response = client.http.post("/rest/crm.deal.list", json={"auth": client.access})
    assert response.status_code == 401
    assert response.json() == {"error": "expired_token", "error_description": "The access token provided has expired."}
    box.portal.faults = FaultPlan()
    again = client.http.post("/rest/crm.deal.list", json={"auth": client.access})
    assert again.status_code == 401 and again.json()["error"] == "expired_token"
    assert client.call("crm.deal.list").status_code == 200 and client.refreshes == 1


def test_webhooks_do_not_expire():
    box = _faulty("expired=1")
    assert [box.call("crm.deal.list").status_code for _ in range(5)] == [200] * 5


def test_a_moved_portal_answers_302_with_the_new_address():
    box = _faulty("move=3")
    assert [box.call("crm.deal.list").status_code for _ in range(3)] == [200] * 3
    moved = box.client.post("crm.deal.add?x=1", json={"fields": {"TITLE": "x"}})
    assert moved.status_code == 302
    location = moved.headers["location"]
    assert location == f"https://moved.{HOST}{httpx.URL(box.webhook).path}crm.deal.add?x=1"
    assert _deals(box) == 0  # nothing ran on the old address
    again = box.client.post(location, json={"fields": {"TITLE": "x"}})
    assert again.status_code == 200 and _deals(box) == 1
    assert box.client.post("crm.deal.list", json={}).status_code == 302  # the old domain stays moved


def test_loopback_hosts_move_to_each_other():
    state = PortalState()
    user = state.add_user("Анна", "Смирнова", "anna@example.ru", admin=True)
    code = state.add_webhook(user.id)
    box = make_sandbox(state, faults=parse_faults("move=0"))
    client = httpx.Client(transport=box.client._transport, base_url=f"http://127.0.0.1:8080/rest/{user.id}/{code}/")
    moved = client.post("crm.deal.list")
    assert moved.status_code == 302
    assert moved.headers["location"] == f"http://localhost:8080/rest/{user.id}/{code}/crm.deal.list"


def test_a_fixed_seed_repeats_the_same_faults():
    def run(spec: str) -> list[str]:
        box = _faulty(spec)
        return [_outcome(box, "crm.deal.add", {"fields": {"TITLE": "x"}}) for _ in range(60)]

    first = run("mixed=0.5,html=0.1,seed=5")
    assert first == run("mixed=0.5,html=0.1,seed=5")
    assert first != run("mixed=0.5,html=0.1,seed=6")
    assert {"200", "503", "502", "500", "RemoteProtocolError"} <= set(first)


def test_fault_specs():
    plan = parse_faults("mixed=0.5,html=0.1,seed=9,slow_seconds=2,move=100")
    assert plan.seed == 9 and plan.slow_seconds == 2 and plan.move_after == 100
    assert plan.rates == pytest.approx({"503": 0.1, "500": 0.1, "drop": 0.1, "slow": 0.1, "expired": 0.1,
                                        "html": 0.1})
    assert not parse_faults("").active and parse_faults("move=1").active
    for bad in ("503", "503=x", "boom=0.1", "503=0.7,500=0.5", "drop=-0.1"):
        with pytest.raises(ValueError):
            parse_faults(bad)


def test_faults_spare_the_token_endpoint():
    box = _faulty("503=1")
    client = _OAuthClient(box)
    answer = client.http.get("/oauth/token/", params={
        "grant_type": "refresh_token", "client_id": client.app.client_id,
        "client_secret": client.app.client_secret, "refresh_token": client.refresh})
    assert answer.status_code == 200


# -- latency ------------------------------------------------------------------------------------


def test_cloud_latency_is_waited_and_reported():
    box = make_sandbox(latency=MODELS["cloud"])
    model = MODELS["cloud"]
    for number in range(100):
        box.state.crm.deals.add({"TITLE": f"Сделка {number}"}, 1)
    started = time.perf_counter()
    response = box.call("crm.deal.list", {"select": ["ID"]})
    wall = time.perf_counter() - started
    timing = response.json()["time"]
    modelled = model.per_command + 50 * model.per_row + 100 * model.per_counted_row
    assert modelled <= timing["processing"] < modelled + 0.5
    assert timing["duration"] == pytest.approx(timing["processing"] + model.per_request)
    assert timing["finish"] == pytest.approx(timing["start"] + timing["duration"])
    assert wall >= model.per_request + modelled


def test_counting_costs_per_counted_row():
    box = make_sandbox(latency=MODELS["cloud"])
    for number in range(2000):
        box.state.crm.deals.add({"TITLE": f"Сделка {number}"}, 1)
    counted = box.call("crm.deal.list", {"select": ["ID"], "order": {"ID": "ASC"}}).json()["time"]
    uncounted = box.call("crm.deal.list", {"select": ["ID"], "order": {"ID": "ASC"}, "start": -1}).json()["time"]
    difference = counted["processing"] - uncounted["processing"]
    assert difference >= 2000 * MODELS["cloud"].per_counted_row - 0.01


def test_each_batch_command_costs_its_own_time():
    model = MODELS["cloud"]
    box = make_sandbox(latency=model)
    started = time.perf_counter()
    response = box.call("batch", {"cmd": {f"c{number}": "crm.deal.fields" for number in range(5)}})
    wall = time.perf_counter() - started
    body = response.json()
    commands = body["result"]["result_time"]
    assert all(timing["processing"] >= model.per_command for timing in commands.values())
    outer = body["time"]
    assert outer["processing"] == pytest.approx(sum(timing["processing"] for timing in commands.values()))
    assert outer["duration"] == pytest.approx(outer["processing"] + model.per_request)
    assert wall >= model.per_request + 5 * model.per_command
    starts = [timing["start"] for timing in commands.values()]
    assert starts == sorted(starts) and starts[-1] > starts[0]


def test_errors_wait_only_for_the_request_overhead():
    model = MODELS["cloud"]
    box = make_sandbox(latency=model)
    started = time.perf_counter()
    assert box.call("crm.deal.get", {"id": 5}).status_code == 400
    assert model.per_request <= time.perf_counter() - started < model.per_request + 1


def test_no_latency_answers_at_once():
    box = make_sandbox(latency=parse_latency("none"))
    started = time.perf_counter()
    for _ in range(50):
        box.call("crm.deal.list")
    assert time.perf_counter() - started < 2
    with pytest.raises(ValueError):
        parse_latency("lan")


def test_limit_fault_is_query_limit_exceeded_as_json_and_runs_nothing():
    box = _faulty("limit=1")
    response = box.call("crm.deal.add", {"fields": {"TITLE": "x"}})
    assert response.status_code == 503
    assert response.json()["error"] == "QUERY_LIMIT_EXCEEDED"
    assert _deals(box) == 0
