"""Each error the sandbox answers surfaces as b24pysdk's own exception, as on a real portal.

b24pysdk maps the ``error`` code first and the HTTP status second (reference §4.3), retries only
HTTP 503 (three attempts; the waits are shortened here), refreshes an OAuth token on
``expired_token`` and retries once, and follows a 302 domain move by switching its domain.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from b24pysdk import BitrixApp, BitrixToken, Client
from b24pysdk.api.requesters import BitrixOAuthRequester
from b24pysdk.errors import (
    BitrixAPIAccessDenied,
    BitrixAPIBadRequest,
    BitrixAPIExpiredToken,
    BitrixAPIInternalServerError,
    BitrixAPINotFound,
    BitrixAPIOperationTimeLimit,
    BitrixAPIQueryLimitExceeded,
    BitrixRequestError,
    BitrixResponse302JSONDecodeError,
    BitrixResponseJSONDecodeError,
)
from b24pysdk.errors.oauth import BitrixOAuthNoAuthFound

from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sandbox.limits import parse_limits

pytestmark = pytest.mark.conformance

# b24pysdk's waits between its 503 retries (1 s, then 2 s by default), shortened to keep the suite fast;
# the number of attempts stays the SDK's default of three.
QUICK_RETRIES = {"initial_retry_delay": 0.05, "retry_delay_increment": 0.05}
MISSING_ID = 987_654


def test_a_revoked_webhook_is_no_auth_found(serve, demo_state):
    served = serve(demo_state, tls=True)
    client = served.b24()
    assert client.crm.deal.list(select=["ID"]).result
    demo_state.revoke_webhook(served.code)

    with pytest.raises(BitrixOAuthNoAuthFound) as error:
        client.crm.deal.list(select=["ID"]).call()

    assert error.value.status_code == 401
    assert error.value.json_response == {"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"}


def test_bizproc_refuses_an_ordinary_employee_with_access_denied(serve, demo_state):
    served = serve(demo_state, tls=True, admin=False)

    with pytest.raises(BitrixAPIAccessDenied) as error:
        served.b24().bizproc.workflow.template.list(select=["ID", "NAME"]).call()

    assert error.value.status_code == 403
    assert error.value.json_response["error"] == "ACCESS_DENIED"


def test_an_unknown_method_is_a_404(serve, demo_state):
    served = serve(demo_state, tls=True)

    with pytest.raises(BitrixAPINotFound) as error:
        served.b24().get_token().call_method("crm.deal.archive", {"id": 1})

    assert error.value.status_code == 404
    assert error.value.json_response["error"] == "ERROR_METHOD_NOT_FOUND"


def test_a_missing_deal_is_a_400_with_an_empty_code(serve, demo_state):
    served = serve(demo_state, tls=True)

    with pytest.raises(BitrixAPIBadRequest) as error:
        served.b24().crm.deal.get(bitrix_id=MISSING_ID).call()

    assert error.value.status_code == 400
    assert error.value.json_response == {"error": "", "error_description": "Not found"}


def test_a_spent_operating_budget_is_operation_time_limit_for_that_method_only(serve, demo_state):
    # Every call is billed 2 s against a budget of 1 s: the second call of a method is refused.
    served = serve(demo_state, tls=True, limits=parse_limits("custom:burst=off,operating=1,cost=2"))
    client = served.b24()
    first = client.crm.deal.list(select=["ID"]).response

    with pytest.raises(BitrixAPIOperationTimeLimit) as error:
        client.crm.deal.list(select=["ID"]).call()
    other_method = client.crm.contact.list(select=["ID"]).result

    assert error.value.status_code == 429
    assert error.value.json_response == {"error": "OPERATION_TIME_LIMIT",
                                         "error_description": "Method is blocked due to operation time limit."}
    assert first.time.operating >= 2 and first.time.operating_reset_at.timestamp() > first.time.start
    assert other_method  # the budget is kept per method
    assert served.portal.statuses[429] == 1  # no retry


def test_the_request_rate_limit_is_retried_three_times_then_query_limit_exceeded(serve, demo_state):
    # A bucket of one request that never drains.
    served = serve(demo_state, tls=True, limits=parse_limits("custom:burst=1,rate=0"))
    client = served.b24(**QUICK_RETRIES)
    assert client.crm.deal.list(select=["ID"]).result

    with pytest.raises(BitrixAPIQueryLimitExceeded) as error:
        client.crm.deal.list(select=["ID"]).call()

    assert error.value.status_code == 503
    assert error.value.json_response == {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
    assert served.portal.limit_rejections == 3


def test_an_internal_error_is_not_retried(serve, demo_state):
    served = serve(demo_state, tls=True, faults=parse_faults("500=1"), allow_500=True)

    with pytest.raises(BitrixAPIInternalServerError) as error:
        served.b24(**QUICK_RETRIES).crm.deal.list(select=["ID"]).call()

    assert error.value.status_code == 500
    assert error.value.json_response["error"] == "INTERNAL_SERVER_ERROR"
    assert served.portal.requests == 1


def test_the_front_ends_html_502_page_is_a_json_decode_error(serve, demo_state):
    served = serve(demo_state, tls=True, faults=parse_faults("html=1"))

    with pytest.raises(BitrixResponseJSONDecodeError) as error:
        served.b24(**QUICK_RETRIES).crm.deal.list(select=["ID"]).call()

    assert error.value.status_code == 502
    assert error.value.response.headers["Content-Type"].startswith("text/html")
    assert served.portal.requests == 1


def test_a_dropped_connection_is_a_request_error(serve, demo_state):
    served = serve(demo_state, tls=True, faults=parse_faults("drop=1"))

    with pytest.raises(BitrixRequestError):
        served.b24(**QUICK_RETRIES).crm.deal.list(select=["ID"]).call()

    assert served.portal.requests == 1  # requests does not retry, and neither does b24pysdk


# -- OAuth ------------------------------------------------------------------------------------------


@pytest.fixture
def oauth_client(monkeypatch):
    """``make(served)``: a b24pysdk client on an application token of the served portal's administrator,
    refreshing against the sandbox's token endpoint (b24pysdk hard-codes oauth.bitrix24.tech)."""

    def make(served) -> tuple[Client, BitrixToken]:
        monkeypatch.setattr(BitrixOAuthRequester, "_BASE_OAUTH_URL", served.server.url)
        monkeypatch.setattr(BitrixOAuthRequester, "_OAUTH_TOKEN_URL", f"{served.server.url}/oauth/token/")
        app = served.state.add_app()
        access, refresh = served.state.issue_tokens(served.user_id, app.client_id)
        token = BitrixToken(domain=served.domain, auth_token=access, refresh_token=refresh,
                            expires=datetime.now(UTC) + timedelta(hours=1), expires_in=3600,
                            bitrix_app=BitrixApp(client_id=app.client_id, client_secret=app.client_secret))
        return Client(token), token

    return make


def test_an_expired_token_is_refreshed_and_the_call_repeated(serve, demo_state, oauth_client):
    served = serve(demo_state, tls=True)
    client, token = oauth_client(served)
    old_access, old_refresh = token.auth_token, token.refresh_token
    demo_state.access_tokens[old_access].expires_at = demo_state.now()  # the hour is over

    deals = client.crm.deal.list(select=["ID"]).result

    assert deals
    assert token.auth_token != old_access and token.auth_token in demo_state.access_tokens
    assert token.refresh_token != old_refresh and old_refresh not in demo_state.refresh_tokens  # rotated
    assert served.portal.statuses[401] == 1


def test_a_token_that_keeps_expiring_ends_in_expired_token(serve, demo_state, oauth_client):
    served = serve(demo_state, tls=True, faults=parse_faults("expired=1"))
    client, token = oauth_client(served)
    first_access = token.auth_token

    with pytest.raises(BitrixAPIExpiredToken) as error:
        client.crm.deal.list(select=["ID"]).call()

    assert error.value.status_code == 401
    assert error.value.json_response["error"] == "expired_token"
    assert token.auth_token != first_access  # it refreshed once, and the repeated call expired too
    assert served.portal.statuses[401] == 2


# -- domain move ------------------------------------------------------------------------------------


def test_a_moved_portal_answers_302_and_b24pysdk_carries_on_at_the_new_domain(serve, demo_state, monkeypatch):
    served = serve(demo_state, tls=True, faults=parse_faults("move=0"))
    # b24pysdk keeps only the hostname of Location (real portals have no port); on loopback the port
    # must survive, so the new domain is read as host:port. Everything else is the SDK's own handling.
    monkeypatch.setattr(BitrixResponse302JSONDecodeError, "new_domain",
                        property(lambda error: urlsplit(error.redirect_url).netloc))
    client = served.b24()
    token = client.get_token()
    deals_before = len(demo_state.crm.deals.table.ids())

    deal_id = client.crm.deal.add(fields={"TITLE": "Повышение квалификации: охрана труда"}).result

    assert token.domain == f"localhost:{served.server.port}"  # the other loopback name
    assert served.portal.moved_from == served.domain and served.portal.moved_to == token.domain
    assert served.portal.statuses[302] == 1
    assert client.crm.deal.get(bitrix_id=deal_id).result["TITLE"] == "Повышение квалификации: охрана труда"
    assert len(demo_state.crm.deals.table.ids()) == deals_before + 1  # the redirected POST did not run twice
