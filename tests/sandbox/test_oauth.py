"""Application (OAuth) calls — ``/rest/{method}`` with ``auth`` in the query or body — and the token
endpoint's refresh: every field of reference §1.3, rotation, ``invalid_client``, ``invalid_grant``."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import httpx
import pytest

from dpo_desktop.sandbox.faults import parse_faults

from .portal_fixtures import HOST, Sandbox, make_sandbox

TOKEN_FIELDS = {"access_token": str, "refresh_token": str, "expires": int, "expires_in": int,
                "client_endpoint": str, "server_endpoint": str, "domain": str, "member_id": str,
                "scope": str, "status": str, "user_id": int}


class Clock:
    def __init__(self, start: float = 1_780_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app_box() -> tuple[Sandbox, object, str, str, httpx.Client, Clock]:
    box = make_sandbox()
    clock = Clock()
    box.state.time_source = clock
    app = box.state.add_app()
    access, refresh = box.state.issue_tokens(1, app.client_id)
    http = httpx.Client(transport=box.client._transport, base_url=f"https://{HOST}")
    return box, app, access, refresh, http, clock


def _refresh(http: httpx.Client, app, refresh: str, *, secret: str | None = None, client_id: str | None = None,
             post: bool = False) -> httpx.Response:
    params = {"grant_type": "refresh_token", "client_id": client_id or app.client_id,
              "client_secret": secret or app.client_secret, "refresh_token": refresh}
    if post:
        return http.post("/oauth/token/", content=urlencode(params),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    return http.get("/oauth/token/", params=params)


def test_auth_may_travel_in_the_query_a_json_body_or_a_form_body(app_box):
    box, _app, access, _refresh_token, http, _clock = app_box
    box.state.crm.deals.add({"TITLE": "Сделка"}, 1)
    answers = [
        http.get(f"/rest/crm.deal.get?id=1&auth={access}"),
        http.post("/rest/crm.deal.get", json={"id": 1, "auth": access}),
        http.post("/rest/crm.deal.get.json", content=f"id=1&auth={access}",
                  headers={"Content-Type": "application/x-www-form-urlencoded"}),
        http.post(f"/rest/crm.deal.Get?auth={access}", json={"id": 1}),
    ]
    assert [answer.status_code for answer in answers] == [200] * 4
    assert {answer.json()["result"]["ID"] for answer in answers} == {"1"}


def test_the_auth_parameter_never_reaches_the_method(app_box):
    box, _app, access, _refresh_token, http, _clock = app_box
    http.post("/rest/crm.deal.add", json={"fields": {"TITLE": "x"}, "auth": access})
    deal = box.result("crm.deal.get", {"id": 1})
    assert "AUTH" not in deal and deal["CREATED_BY_ID"] == "1"


def test_a_missing_or_unknown_token_is_no_auth_found(app_box):
    _box, _app, _access, refresh, http, _clock = app_box
    for answer in (http.post("/rest/crm.deal.list", json={}), http.post("/rest/crm.deal.list", json={"auth": "x"}),
                   http.post("/rest/crm.deal.list", json={"auth": refresh}),
                   http.post("/rest/crm.deal.list", json={"auth": {"nested": "1"}})):
        assert answer.status_code == 401
        assert answer.json() == {"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"}


def test_an_access_token_expires_after_an_hour(app_box):
    _box, _app, access, _refresh_token, http, clock = app_box
    clock.now += 3599
    assert http.post("/rest/crm.deal.list", json={"auth": access}).status_code == 200
    clock.now += 1
    expired = http.post("/rest/crm.deal.list", json={"auth": access})
    assert expired.status_code == 401
    assert expired.json() == {"error": "expired_token", "error_description": "The access token provided has expired."}


@pytest.mark.parametrize("post", [False, True])
def test_a_refresh_answers_every_field_and_the_new_token_works(app_box, post: bool):
    box, app, access, refresh, http, clock = app_box
    clock.now += 4000
    answer = _refresh(http, app, refresh, post=post)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    token = answer.json()
    assert set(token) == set(TOKEN_FIELDS)
    assert all(isinstance(token[key], kind) for key, kind in TOKEN_FIELDS.items())
    assert token["expires_in"] == 3600 and token["expires"] == int(clock.now) + 3600
    assert token["client_endpoint"] == f"https://{HOST}/rest/"
    assert token["server_endpoint"] == f"https://{HOST}/rest/" and token["domain"] == HOST
    assert token["member_id"] == box.state.member_id and re.fullmatch(r"[0-9a-f]{32}", token["member_id"])
    assert token["status"] in "FDTPLS" and token["user_id"] == 1
    assert set(token["scope"].split(",")) >= {"crm"}
    assert token["access_token"] != access and token["refresh_token"] != refresh
    assert http.post("/rest/crm.deal.list", json={"auth": token["access_token"]}).status_code == 200


def test_refresh_tokens_rotate(app_box):
    _box, app, _access, refresh, http, _clock = app_box
    first = _refresh(http, app, refresh).json()
    reused = _refresh(http, app, refresh)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    second = _refresh(http, app, first["refresh_token"])
    assert second.status_code == 200
    assert http.post("/rest/crm.deal.list", json={"auth": second.json()["access_token"]}).status_code == 200


def test_wrong_client_credentials_are_invalid_client_and_spare_the_token(app_box):
    _box, app, _access, refresh, http, _clock = app_box
    for answer in (_refresh(http, app, refresh, secret="wrong"), _refresh(http, app, refresh, client_id="local.x"),
                   http.get("/oauth/token/", params={"grant_type": "refresh_token", "refresh_token": refresh})):
        assert answer.status_code == 401
        assert answer.json()["error"] == "invalid_client" and set(answer.json()) == {"error", "error_description"}
    assert _refresh(http, app, refresh).status_code == 200  # the refresh token survived those attempts


def test_a_bad_refresh_token_is_invalid_grant(app_box):
    box, app, _access, refresh, http, clock = app_box
    other = box.state.add_app()
    _other_access, other_refresh = box.state.issue_tokens(1, other.client_id)
    assert _refresh(http, app, "garbage").json()["error"] == "invalid_grant"
    assert _refresh(http, app, other_refresh).json()["error"] == "invalid_grant"  # another app's token
    clock.now += 180 * 86400
    expired = _refresh(http, app, refresh)
    assert expired.status_code == 400 and expired.json()["error"] == "invalid_grant"


def test_other_grant_types(app_box):
    _box, app, _access, _refresh_token, http, _clock = app_box
    code = http.get("/oauth/token/", params={"grant_type": "authorization_code", "client_id": app.client_id,
                                             "client_secret": app.client_secret, "code": "abc"})
    assert code.status_code == 400 and code.json()["error"] == "invalid_grant"
    odd = http.get("/oauth/token/", params={"grant_type": "password", "client_id": app.client_id,
                                            "client_secret": app.client_secret})
    assert odd.status_code == 400 and odd.json()["error"] == "invalid_request"


def test_an_application_with_limited_scopes(app_box):
    box, _app, _access, _refresh_token, http, _clock = app_box
    narrow = box.state.add_app(scopes=frozenset({"disk"}))
    access, refresh = box.state.issue_tokens(1, narrow.client_id)
    answer = http.post("/rest/crm.deal.list", json={"auth": access})
    assert answer.status_code == 403 and answer.json()["error"] == "insufficient_scope"
    assert _refresh(http, narrow, refresh).json()["scope"] == "disk"


def test_after_a_domain_move_the_client_endpoint_is_the_new_address():
    box = make_sandbox(faults=parse_faults("move=1"))
    app = box.state.add_app()
    access, refresh = box.state.issue_tokens(1, app.client_id)
    http = httpx.Client(transport=box.client._transport, base_url=f"https://{HOST}")
    assert http.post("/rest/crm.deal.list", json={"auth": access}).status_code == 200
    moved = http.post("/rest/crm.deal.list", json={"auth": access})
    assert moved.status_code == 302 and moved.headers["location"] == f"https://moved.{HOST}/rest/crm.deal.list"
    token = _refresh(http, app, refresh).json()
    assert token["client_endpoint"] == f"https://moved.{HOST}/rest/"
    assert http.post(token["client_endpoint"] + "crm.deal.list", json={"auth": token["access_token"]}).status_code \
        == 200


@pytest.mark.parametrize(("method", "code"), [("placement.bind", "WRONG_AUTH_TYPE"), ("event.bind", "ACCESS_DENIED"),
                                              ("event.offline.get", "ACCESS_DENIED"),
                                              ("disk.storage.getForApp", "ACCESS_DENIED")])
def test_application_only_methods_refuse_webhooks(app_box, method: str, code: str):
    """Reference §1.1/§16.12: a webhook-only client gets no events, offline queue or placements."""
    box, _app, access, _refresh_token, http, _clock = app_box
    refused = box.call(method, {"event": "ONCRMDEALUPDATE", "handler": "https://example.test/h"})
    assert refused.status_code == 403
    assert refused.json() == {"error": code, "error_description": "Application context required"}
    # The sandbox serves none of them to applications either.
    assert http.post(f"/rest/{method}", json={"auth": access}).status_code == 404
