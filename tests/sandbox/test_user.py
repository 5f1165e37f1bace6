"""user.current and profile: the caller as the portal describes it."""

from __future__ import annotations

import httpx

from dpo_desktop.sandbox.state import PortalState
from dpo_desktop.sandbox.transport import SandboxTransport

from .portal_fixtures import make_sandbox


def test_user_current_describes_the_webhook_user(sandbox):
    me = sandbox.result("user.current")
    user = sandbox.state.users[int(sandbox.webhook.split("/")[4])]
    assert me["ID"] == str(user.id) and me["NAME"] == user.name and me["LAST_NAME"] == user.last_name
    assert me["EMAIL"] == user.email and me["ACTIVE"] is True and me["USER_TYPE"] == "employee"
    assert me["UF_DEPARTMENT"] == [1] and me["IS_ONLINE"] == "N"


def test_profile_of_an_administrator_and_of_an_employee():
    state = PortalState()
    state.add_user("Ольга", "Петрова", "olga@example.ru", admin=True)
    admin_box, employee_box = make_sandbox(state), make_sandbox(state, admin=False)
    admin = admin_box.result("profile")
    assert admin["ADMIN"] is True and admin["NAME"] == "Ольга" and admin["LAST_NAME"] == "Петрова"
    assert admin["ID"] == admin_box.webhook.split("/")[4]
    assert admin["TIME_ZONE_OFFSET"] == 10800 and admin["IS_EMPLOYEE"] is True
    assert {"PERSONAL_GENDER", "TIME_ZONE"} <= set(admin)
    employee = employee_box.result("PROFILE")
    assert employee["ADMIN"] is False and employee["ID"] == employee_box.webhook.split("/")[4]
    assert employee["ID"] != admin["ID"]


def test_scopes_of_an_oauth_app(sandbox):
    state = sandbox.state
    user_id = int(sandbox.webhook.split("/")[4])
    with_user = state.add_app(frozenset({"user"}))
    crm_only = state.add_app(frozenset({"crm"}))
    client = httpx.Client(transport=SandboxTransport(sandbox.portal), base_url="https://sandbox.bitrix24.test/rest/")
    token, _ = state.issue_tokens(user_id, with_user.client_id)
    assert client.post("user.current", json={"auth": token}).json()["result"]["ID"] == str(user_id)
    assert client.post("profile", json={"auth": token}).json()["result"]["ID"] == str(user_id)
    token, _ = state.issue_tokens(user_id, crm_only.client_id)
    refused = client.post("user.current", json={"auth": token})
    assert refused.status_code == 403 and refused.json()["error"] == "insufficient_scope"
    # profile is a "basic" method: it answers whatever scopes the app has.
    assert client.post("profile", json={"auth": token}).json()["result"]["ID"] == str(user_id)
    client.close()
