"""The OAuth server's token endpoint (``/oauth/token/``): refreshing an application's access token.

A refresh answers every field of the reference's §1.3 (b24pysdk refuses a reply that lacks one) and
rotates the refresh token: the old one stops working. Errors follow the auth server: 401
``invalid_client`` for a wrong client id or secret, 400 ``invalid_grant`` for an unknown, used or
expired refresh token, 400 ``invalid_request`` for a grant type it does not serve.
"""

from __future__ import annotations

from typing import Any

from . import wire
from .http import HttpRequest, HttpResponse, content_type_of
from .state import PortalState

# The scopes a token carries when its application was not limited to some.
ALL_SCOPES = "crm,lists,disk,bizproc,user"


def token_endpoint(state: PortalState, request: HttpRequest, client_base: str) -> HttpResponse:
    """Answer one token request; ``client_base`` is the portal's address (``client_endpoint``)."""
    params = wire.parse_query(request.query)
    if request.method == "POST" and content_type_of(request.headers) == "application/x-www-form-urlencoded":
        params.update(wire.parse_query(request.body))
    app = state.apps.get(_text(params.get("client_id")))
    if app is None or _text(params.get("client_secret")) != app.client_secret:
        return _error(401, "invalid_client", "Invalid client credentials")
    grant_type = _text(params.get("grant_type"))
    if grant_type == "authorization_code":
        # The sandbox never hands out authorization codes, so none can be valid.
        return _error(400, "invalid_grant", "Invalid authorization code")
    if grant_type != "refresh_token":
        return _error(400, "invalid_request", "Unsupported grant_type")
    old = state.refresh_tokens.get(_text(params.get("refresh_token")))
    if old is None or old.client_id != app.client_id or old.expires_at <= state.now():
        return _error(400, "invalid_grant", "Invalid refresh token")
    state.refresh_tokens.pop(_text(params.get("refresh_token")))
    access, refresh = state.issue_tokens(old.user_id, app.client_id)
    body = {
        "access_token": access,
        "expires": int(state.access_tokens[access].expires_at),
        "expires_in": int(state.token_ttl),
        "scope": ",".join(sorted(app.scopes)) if app.scopes else ALL_SCOPES,
        "domain": request.host,  # the auth server's host, not the portal's
        "server_endpoint": f"{request.base_url}/rest/",
        "status": "L",  # a local application
        "client_endpoint": f"{client_base}/rest/",
        "member_id": state.member_id,
        "user_id": old.user_id,
        "refresh_token": refresh,
    }
    return HttpResponse.json(200, wire.dumps(body))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _error(status: int, code: str, description: str) -> HttpResponse:
    return HttpResponse.json(status, wire.dumps({"error": code, "error_description": description}))
