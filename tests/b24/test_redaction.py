"""No secret in DEBUG logs, exception texts, reprs or tracebacks after a session with failures."""

from __future__ import annotations

import io
import logging
import traceback

import pytest

from dpo_desktop import logs
from dpo_desktop.b24 import errors
from dpo_desktop.b24.auth import OAuthAuth, OAuthTokens, WebhookAuth
from dpo_desktop.b24.client import B24Client, RetryPolicy
from dpo_desktop.b24.crm import Crm
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sandbox.transport import SandboxTransport
from tests.sandbox.portal_fixtures import HOST, make_sandbox

from .conftest import run


@pytest.fixture
def debug_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.RedactingFormatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


def test_no_secret_leaks_from_a_session_with_failures(debug_log):
    box = make_sandbox(faults=parse_faults("mixed=0.3,slow_seconds=0.05,seed=3"))
    code = box.webhook.rstrip("/").rsplit("/", 1)[1]
    texts: list[str] = []

    async def scenario():
        auth = WebhookAuth.from_url(box.webhook)
        retry = RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002)
        async with B24Client(auth, transport=SandboxTransport(box.portal), plan=PLANS["off"], retry=retry) as client:
            crm = Crm(client)
            for index in range(30):
                try:
                    await crm.get("deal", index + 1)
                except errors.B24Error as error:
                    texts.extend([str(error), repr(error), "".join(traceback.format_exception(error))])
            texts.append(repr(client.auth))

    run(scenario())
    box.state.webhooks.clear()

    async def revoked():
        async with B24Client(WebhookAuth.from_url(box.webhook), transport=SandboxTransport(box.portal)) as client:
            await client.call("crm.deal.list")

    with pytest.raises(errors.AuthError) as caught:
        run(revoked())
    texts.extend([str(caught.value), repr(caught.value), "".join(traceback.format_exception(caught.value))])
    logged = debug_log.getvalue()
    assert "rest/" in logged, "the session logged nothing: the test would prove nothing"
    for text in [logged, *texts]:
        assert code not in text


def test_oauth_tokens_and_client_secret_never_show(debug_log):
    box = make_sandbox(faults=parse_faults("expired=0.5,seed=2"))
    user = next(iter(box.state.users.values()))
    app = box.state.add_app()
    access, refresh = box.state.issue_tokens(user.id, app.client_id)
    auth = OAuthAuth(f"https://{HOST}", OAuthTokens(access, refresh, 0.0), client_id=app.client_id,
                     client_secret=app.client_secret, token_url=f"https://{HOST}/oauth/token/")

    async def scenario():
        async with B24Client(auth, transport=SandboxTransport(box.portal), plan=PLANS["off"]) as client:
            for _ in range(10):
                await client.call("crm.deal.list")

    run(scenario())
    secrets = [access, refresh, app.client_secret, auth.tokens.access_token, auth.tokens.refresh_token]
    logged = debug_log.getvalue()
    assert "oauth/token" in logged or "rest/" in logged
    for secret in secrets:
        assert secret not in logged and secret not in repr(auth) and secret not in repr(auth.tokens)


def test_redact_masks_secret_shapes_even_unregistered():
    text = logs.redact("GET https://p.example/rest/7/zz9secret/crm.deal.list?auth=tok123456&x=1 "
                       '{"refresh_token": "r-abcdef"} token=disk|12|sig')
    assert "zz9secret" not in text and "tok123456" not in text and "r-abcdef" not in text and "disk|12" not in text
    assert "crm.deal.list" in text and "x=1" in text
