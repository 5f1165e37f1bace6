"""How calls reach a portal and prove who makes them: incoming webhooks and OAuth 2.0 tokens.

Both kinds refuse plain http unless the portal is on a loopback address: a webhook URL is a password.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..logs import register_secret
from .errors import AuthError, InsecureURLError, ProtocolError, UnavailableError, from_answer

_WEBHOOK_PATH = re.compile(r"^/rest/(\d+)/([A-Za-z0-9_\-]+)/?$")


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def portal_base(url: str) -> str:
    """``scheme://host[:port]`` of a portal URL, refusing what must not be used."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureURLError("Адрес портала должен начинаться с https:// (the portal address must be an https URL)")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureURLError(
            f"Портал {parts.hostname} доступен только по https (plain http is allowed for loopback addresses only)"
        )
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class WebhookAuth:
    """An incoming webhook ``https://portal/rest/{user}/{code}/``: the code is the secret."""

    base: str
    user_id: int
    code: str

    kind = "webhook"

    @classmethod
    def from_url(cls, url: str) -> WebhookAuth:
        base = portal_base(url)
        match = _WEBHOOK_PATH.match(urlsplit(url.strip()).path)
        if match is None:
            raise InsecureURLError(
                "Это не адрес входящего вебхука Битрикс24: ожидается https://портал/rest/ID/КОД/ "
                "(not a Bitrix24 incoming webhook URL)"
            )
        register_secret(match.group(2))
        return cls(base, int(match.group(1)), match.group(2))

    def url(self, method: str) -> str:
        return f"{self.base}/rest/{self.user_id}/{self.code}/{method}"

    def sign(self, params: dict[str, Any]) -> dict[str, Any]:
        return params

    def moved(self, base: str) -> WebhookAuth:
        return replace(self, base=base)

    def __repr__(self) -> str:
        return f"WebhookAuth(base={self.base!r}, user_id={self.user_id})"


@dataclass
class OAuthTokens:
    access_token: str
    refresh_token: str
    expires_at: float  # unix time

    def __post_init__(self) -> None:
        register_secret(self.access_token)
        register_secret(self.refresh_token)

    def __repr__(self) -> str:
        return f"OAuthTokens(expires_at={self.expires_at})"


class OAuthAuth:
    """OAuth 2.0 application calls: ``auth`` in the body, refreshed once at a time on ``expired_token``.

    ``on_refresh`` receives the new tokens (each refresh returns a new refresh token, which must
    replace the old one in the secret store).
    """

    kind = "oauth"

    def __init__(
        self,
        base: str,
        tokens: OAuthTokens,
        *,
        client_id: str,
        client_secret: str,
        token_url: str = "https://oauth.bitrix.info/oauth/token/",
        on_refresh: Callable[[OAuthTokens], None] | None = None,
    ) -> None:
        self.base = portal_base(base)
        portal_base(token_url)  # the token endpoint sees the client secret: https as well
        self.tokens = tokens
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.on_refresh = on_refresh
        self.refreshes = 0
        self._lock: asyncio.Lock | None = None
        register_secret(client_secret)

    def url(self, method: str) -> str:
        return f"{self.base}/rest/{method}"

    def sign(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**params, "auth": self.tokens.access_token}

    def moved(self, base: str) -> OAuthAuth:
        self.base = base
        return self

    async def refresh(self, http: httpx.AsyncClient, stale_token: str) -> None:
        """Get new tokens unless another task already did since ``stale_token`` failed."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.tokens.access_token != stale_token:
                return
            query = {"grant_type": "refresh_token", "client_id": self.client_id,
                     "client_secret": self.client_secret, "refresh_token": self.tokens.refresh_token}
            try:
                response = await http.get(self.token_url, params=query)
            except httpx.HTTPError as error:
                raise UnavailableError(f"Сервер авторизации недоступен: {type(error).__name__}") from None
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                raise ProtocolError(f"Сервер авторизации ответил не JSON-объектом (HTTP {response.status_code})",
                                    status=response.status_code) from None
            if response.status_code != 200 or "access_token" not in body:
                code = str(body.get("error", "")) if isinstance(body, dict) else ""
                error = from_answer(response.status_code, code, str(body.get("error_description", "")), "oauth")
                if isinstance(error, AuthError) or code in ("invalid_grant", "invalid_client"):
                    raise AuthError("Доступ к порталу истёк: войдите заново (the refresh token is no longer valid)",
                                    status=response.status_code, code=code, method="oauth") from None
                raise error
            self.tokens = OAuthTokens(
                str(body["access_token"]),
                str(body["refresh_token"]),
                float(body.get("expires") or time.time() + float(body.get("expires_in", 3600))),
            )
            self.refreshes += 1
            if self.on_refresh is not None:
                self.on_refresh(self.tokens)

    def __repr__(self) -> str:
        return f"OAuthAuth(base={self.base!r}, client_id={self.client_id!r})"


Auth = WebhookAuth | OAuthAuth
