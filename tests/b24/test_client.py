"""The client's core: answers, typed errors, batch, and what it refuses to do."""

from __future__ import annotations

import json
import math
from pathlib import Path

import httpx
import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.auth import WebhookAuth, portal_base
from dpo_desktop.b24.batch import Batch, parse_batch, ref
from dpo_desktop.b24.client import B24Client, RetryPolicy, is_read
from dpo_desktop.sandbox.faults import parse_faults
from tests.sandbox.portal_fixtures import make_sandbox

from .conftest import client_for, run

REAL = Path(__file__).resolve().parent.parent / "data" / "real_responses"


def test_call_returns_the_envelope(box):
    for index in range(60):
        box.state.crm.deals.add({"TITLE": f"Сделка {index}"}, 1)

    async def scenario():
        async with client_for(box) as client:
            return await client.call("crm.deal.list", {"select": ["ID"]})

    answer = run(scenario())
    assert len(answer.result) == 50 and answer.total == 60 and answer.next == 50
    assert {"start", "finish", "duration", "date_start"} <= set(answer.time)


@pytest.mark.parametrize(
    ("method", "params", "expected", "code"),
    [
        ("crm.deal.nothing", {}, errors.MethodNotFoundError, "ERROR_METHOD_NOT_FOUND"),
        ("crm.deal.get", {"id": 999}, errors.NotFoundError, ""),
        ("crm.deal.get", {"id": "x"}, errors.BadParametersError, ""),
        ("crm.category.get", {"entityTypeId": 2, "id": 77}, errors.NotFoundError, "NOT_FOUND"),
    ],
)
def test_errors_are_typed_and_keep_their_details(box, method, params, expected, code):
    async def scenario():
        async with client_for(box) as client:
            await client.call(method, params)

    with pytest.raises(expected) as caught:
        run(scenario())
    assert caught.value.code == code and caught.value.method == method
    assert caught.value.status in (400, 404)


def test_batch_failures_are_results_not_exceptions(box):
    deal = box.state.crm.deals.add({"TITLE": "Есть"}, 1)
    batch = Batch()
    batch.add("found", "crm.deal.get", {"id": deal})
    batch.add("missing", "crm.deal.get", {"id": 4242})
    batch.add("title", "crm.deal.get", {"id": ref("found", "ID")})

    async def scenario():
        async with client_for(box) as client:
            return await client.batch(batch)

    result = run(scenario())
    assert result.ok("found") and result.get("title")["TITLE"] == "Есть"
    assert isinstance(result.errors["missing"], errors.NotFoundError)
    with pytest.raises(errors.NotFoundError):
        result.get("missing")


def test_batch_builder_refuses_numeric_labels_and_more_than_50():
    batch = Batch()
    with pytest.raises(ValueError, match="number"):
        batch.add("0", "crm.deal.get")
    for index in range(50):
        batch.add(f"c{index}", "crm.deal.get", {"id": index})
    with pytest.raises(ValueError, match="50"):
        batch.add("c50", "crm.deal.get")
    command = batch.params()["cmd"]["c7"]
    assert command == "crm.deal.get?id=7"


@pytest.mark.parametrize("name", ["crm_get_batch_mix_success_and_errors.json", "crm_get_batch_of_two_error.json",
                                  "batch_list_empty.json", "crm_dealcategory_stage_list_batch_of_one.json",
                                  "crm_company_contact_items_get.json"])
def test_batch_parser_takes_real_portal_answers(name):
    captured = json.loads((REAL / name).read_text(encoding="utf-8"))
    body = captured["response"]
    inner = body["result"]
    labels = list(inner["result"]) if isinstance(inner["result"], dict) else []
    # Rebuild a batch with the capture's labels (lists mean labels 0..n-1 were used).
    size = max(len(inner["result"]), len(inner["result_error"]), len(labels))
    batch = Batch()
    for index in range(size):
        label = labels[index] if index < len(labels) and not labels[index].isdigit() else f"x{index}"
        batch.add(label, "crm.deal.get")
    result = parse_batch(body, batch)
    assert len(result.results) + len(result.errors) >= len(inner["result"])
    for error in result.errors.values():
        assert isinstance(error, errors.B24Error)


def test_reads_and_writes_are_told_apart():
    assert is_read("crm.deal.list") and is_read("crm.deal.contact.items.get") and is_read("lists.element.get")
    assert is_read("disk.folder.getchildren") and is_read("profile")
    assert not is_read("crm.deal.add") and not is_read("lists.element.update") and not is_read("batch")


@pytest.mark.parametrize(
    "url",
    ["not a url", "ftp://portal.example.ru/rest/1/abc/", "http://portal.example.ru/rest/1/abcdef/",
     "https://portal.example.ru/crm/deal/", "https://portal.example.ru/rest/x/abcdef/"],
)
def test_bad_webhook_urls_are_refused_with_a_reason(url):
    with pytest.raises(errors.InsecureURLError) as caught:
        WebhookAuth.from_url(url)
    assert str(caught.value)


def test_plain_http_is_allowed_only_for_loopback():
    assert portal_base("http://127.0.0.1:8080/rest/1/x/") == "http://127.0.0.1:8080"
    assert portal_base("http://localhost/rest/") == "http://localhost"
    with pytest.raises(errors.InsecureURLError):
        portal_base("http://10.0.0.5/rest/")


def test_certificate_verification_cannot_be_switched_off(box):
    with pytest.raises(ValueError):
        client_for(box, verify=False)


def test_a_revoked_webhook_fails_at_once_without_retries(box):
    box.state.webhooks.clear()

    async def scenario():
        async with client_for(box) as client:
            try:
                await client.call("crm.deal.list")
            finally:
                assert client.stats.requests == 1

    with pytest.raises(errors.AuthError) as caught:
        run(scenario())
    assert caught.value.status == 401


def test_an_html_portal_ends_in_one_typed_error_after_bounded_retries():
    box = make_sandbox(faults=parse_faults("html=1"))

    async def scenario():
        async with client_for(box, retry=RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.002)) as client:
            try:
                await client.call("crm.deal.list")
            finally:
                assert client.stats.requests == 4

    with pytest.raises(errors.UnavailableError) as caught:
        run(scenario())
    assert "HTML" in str(caught.value) and "502" in str(caught.value)


def test_a_network_that_is_down_ends_in_one_typed_error():
    auth = WebhookAuth.from_url("http://127.0.0.1:9/rest/1/downnetworkcode/")

    async def scenario():
        async with B24Client(auth, retry=RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.002)) as client:
            try:
                await client.call("crm.deal.list")
            finally:
                assert client.stats.requests == 3

    with pytest.raises(errors.UnavailableError, match="соединения"):
        run(scenario())


def test_a_200_that_is_not_json_is_a_protocol_error(box):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'{"result": [1, 2', headers={"Content-Type": "application/json"})

    async def scenario():
        auth = WebhookAuth.from_url(box.webhook)
        async with B24Client(auth, transport=httpx.MockTransport(handler)) as client:
            await client.call("crm.deal.list")

    with pytest.raises(errors.ProtocolError, match="не JSON"):
        run(scenario())


def test_request_count_bound_for_a_pull():
    assert math.ceil(5000 / 2500) + 2 == 4  # the bound the issue sets, used by the paging tests
