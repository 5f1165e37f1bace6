"""Each error the sandbox answers surfaces as fast_bitrix24's own exception, as on a real portal.

fast_bitrix24's session raises on any 4xx/5xx status before it reads the body, so only the HTTP
status reaches the caller: a 4xx is ``aiohttp.ClientResponseError`` with that ``status`` at once; a
5xx or a dropped connection is retried with back-off, and after eleven failures in a row it gives up
with ``RuntimeError("All attempts ... exhausted")`` — about 17 s of waiting, so only one test here
lets it run out. An error inside a batch arrives with HTTP 200 and is raised from ``result_error``.
"""

from __future__ import annotations

import httpx
import pytest
from aiohttp import ClientResponseError
from fast_bitrix24 import Bitrix
from fast_bitrix24.server_response import ErrorInServerResponseException

from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sandbox.limits import parse_limits

pytestmark = pytest.mark.conformance

MISSING_ID = 987_654


def template_id(state) -> int:
    return min(state.bizproc.templates)


def test_a_revoked_webhook_is_a_401_at_once(serve, demo_state):
    served = serve(demo_state)
    demo_state.revoke_webhook(served.code)

    with pytest.raises(ClientResponseError) as error:
        served.fast().get_all("crm.deal.list", {"select": ["ID"]})

    assert error.value.status == 401
    assert served.portal.requests == 1  # no retry without a token_func


def test_bizproc_refuses_an_ordinary_employee_with_a_403(serve, demo_state):
    served = serve(demo_state, admin=False)
    bx = served.fast()
    deal_id = min(demo_state.crm.deals.table.ids())
    start = {"TEMPLATE_ID": template_id(demo_state), "DOCUMENT_ID": ["crm", "CCrmDocumentDeal", f"DEAL_{deal_id}"]}

    with pytest.raises(ClientResponseError) as listing:
        bx.get_all("bizproc.workflow.template.list", {"select": ["ID", "NAME"]})
    with pytest.raises(ErrorInServerResponseException) as in_batch:
        bx.call("bizproc.workflow.start", start)

    assert listing.value.status == 403
    denied = {"error": "ACCESS_DENIED", "error_description": "Access denied!"}
    assert in_batch.value.args[0] == {"order0000000000": denied}  # inside a batch: HTTP 200, the error in the body


def test_an_unknown_method_is_a_404(serve, demo_state):
    served = serve(demo_state)

    with pytest.raises(ClientResponseError) as error:
        served.fast().call("crm.deal.archive", {"id": 1}, raw=True)

    assert error.value.status == 404


def test_a_missing_deal_is_a_400_alone_and_a_result_error_in_a_batch(serve, demo_state):
    served = serve(demo_state)
    bx = served.fast()

    with pytest.raises(ClientResponseError) as alone:
        bx.call("crm.deal.get", {"ID": MISSING_ID}, raw=True)
    with pytest.raises(ErrorInServerResponseException) as in_batch:
        bx.call("crm.deal.get", {"ID": MISSING_ID})

    assert alone.value.status == 400
    assert in_batch.value.args[0] == {"order0000000000": {"error": "", "error_description": "Not found"}}


def test_a_spent_operating_budget_is_a_429_at_once(serve, demo_state):
    # Every call is billed 2 s against a budget of 1 s: the second call of a method is refused.
    served = serve(demo_state, limits=parse_limits("custom:burst=off,operating=1,cost=2"))
    bx = served.fast()
    assert bx.call("crm.deal.list", {"select": ["ID"]}, raw=True)["time"]["operating"] >= 2

    with pytest.raises(ClientResponseError) as error:
        bx.call("crm.deal.list", {"select": ["ID"]}, raw=True)

    assert error.value.status == 429
    assert served.portal.statuses == {200: 1, 429: 1}  # no retry


def test_the_request_rate_limit_is_ridden_out_with_back_off(serve, volume_state):
    # A bucket of one request draining two per second: the batches after the first page are refused
    # until it drains, and fast_bitrix24 retries them with its back-off.
    served = serve(volume_state, limits=parse_limits("custom:burst=1,rate=2"))

    rows = served.fast().get_all("crm.deal.list", {"select": ["ID"]})

    assert {row["ID"] for row in rows} == {str(deal) for deal in volume_state.crm.deals.table.ids()}
    assert served.portal.limit_rejections > 0
    assert served.portal.statuses[503] == served.portal.limit_rejections


def test_transient_server_errors_and_dropped_connections_are_retried(serve, volume_state):
    faults = parse_faults("500=0.1,503=0.1,html=0.1,drop=0.1,seed=3")
    served = serve(volume_state, faults=faults, allow_500=True)

    rows = served.fast().get_all("crm.deal.list", {"select": ["ID", "TITLE"]})

    assert sorted(int(row["ID"]) for row in rows) == volume_state.crm.deals.table.ids()
    # Without faults the read takes three requests; every one beyond that repeated a failed attempt.
    assert served.portal.requests > 3
    assert served.portal.statuses[500] + served.portal.statuses[502] + served.portal.statuses[503] > 0


@pytest.mark.slow
def test_persistent_5xx_and_dropped_connections_end_in_runtime_error(serve, demo_state):
    """Eleven failures in a row (~17 s of fast_bitrix24's back-off): every kind the portal can throw."""
    # Every request draws a fault: a JSON 500, nginx's HTML 502 page, or a dropped connection; the one
    # dropped request the bucket admits uses it up, and later ones meet 503 QUERY_LIMIT_EXCEEDED.
    served = serve(demo_state, faults=parse_faults("500=0.25,html=0.25,drop=0.5,seed=1"),
                   limits=parse_limits("custom:burst=1,rate=0"), allow_500=True)

    with pytest.raises(RuntimeError, match="All attempts to get data from server exhausted"):
        served.fast().call("crm.deal.get", {"ID": min(demo_state.crm.deals.table.ids())}, raw=True)

    statuses = served.portal.statuses
    assert served.portal.requests == 11
    assert statuses[500] and statuses[502] and served.portal.limit_rejections, statuses
    assert served.portal.requests > statuses[500] + statuses[502] + statuses[503]  # and drops


def test_an_expired_oauth_token_is_renewed_by_the_token_func(serve, demo_state):
    """fast_bitrix24 in application mode: ``auth`` in the JSON body, and on a 401 it asks its
    ``token_func`` for a fresh token (here: a refresh at the sandbox's token endpoint) and repeats."""
    served = serve(demo_state)
    app = demo_state.add_app()
    _, refresh = demo_state.issue_tokens(served.user_id, app.client_id)
    issued: list[str] = []
    refresh_token = [refresh]

    async def token_func() -> str:
        async with httpx.AsyncClient(base_url=served.server.url) as http:
            answer = (await http.get("/oauth/token/", params={
                "grant_type": "refresh_token", "client_id": app.client_id, "client_secret": app.client_secret,
                "refresh_token": refresh_token[0]})).json()
        refresh_token[0] = answer["refresh_token"]
        issued.append(answer["access_token"])
        return answer["access_token"]

    bx = Bitrix(f"{served.server.url}/rest/", token_func=token_func, verbose=False)
    first = bx.get_all("crm.deal.list", {"select": ["ID"]})
    demo_state.access_tokens[issued[-1]].expires_at = demo_state.now()
    second = bx.get_all("crm.deal.list", {"select": ["ID"]})

    assert len(issued) == 2  # once up front, once after the expired_token answer
    assert {row["ID"] for row in first} == {row["ID"] for row in second} == {
        str(deal) for deal in demo_state.crm.deals.table.ids()}
    assert served.portal.statuses[401] == 1


def test_a_moved_portal_loses_the_body_of_a_post_that_aiohttp_follows(serve, demo_state):
    """The portal's 302 is a plain 302: aiohttp follows it as a GET without the body (reference §1.4,
    §16.20), so fast_bitrix24's batched write reaches the new domain empty and nothing is written."""
    served = serve(demo_state, faults=parse_faults("move=0"))
    deals_before = demo_state.crm.deals.table.ids()

    answer = served.fast().call("crm.deal.add", {"fields": {"TITLE": "Охрана труда"}})

    assert served.portal.requests == 2 and served.portal.statuses[302] == 1  # the POST, then the GET
    assert served.portal.moved_to == f"localhost:{served.server.port}"
    assert answer == []  # an empty batch: no command arrived
    assert demo_state.crm.deals.table.ids() == deals_before
