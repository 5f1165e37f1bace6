"""One typed hierarchy for everything a Bitrix24 portal (or the way to it) can answer with.

Every error keeps the HTTP status, the Bitrix error code, its description and the method name, and
its text is redacted: a webhook code or token never appears in ``str()``, ``repr()`` or a traceback.
Bitrix24 has no uniform "not found" (reference §4.2); :func:`from_answer` maps the family-specific
codes, and the legacy empty code with a "Not found" description, onto :class:`NotFoundError`.
"""

from __future__ import annotations

from typing import Any

from ..logs import redact

SNIPPET = 120  # characters of an unreadable body kept for the message
MAX_DESCRIPTION = 400  # a portal's description longer than this is cut: a message is one short line
MAX_CODE = 80


class B24Error(Exception):
    """Base of every portal error. Expected, environmental failures: shown to the user, not crashes."""

    retryable = False

    def __init__(
        self,
        description: str,
        *,
        status: int | None = None,
        code: str = "",
        method: str = "",
    ) -> None:
        self.description = _one_line(description, MAX_DESCRIPTION)
        self.status = status
        self.code = _one_line(code, MAX_CODE)
        self.method = method
        super().__init__(self._text())

    def _text(self) -> str:
        parts = [part for part in (self.method, str(self.status or ""), self.code) if part]
        prefix = " ".join(parts)
        return f"{prefix}: {self.description}" if prefix else self.description

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._text()!r})"


class NotFoundError(B24Error):
    """The record, list, folder or method target does not exist (any family's code)."""


class MethodNotFoundError(B24Error):
    """The portal does not know the method (a module missing, or REST v3 only)."""


class AccessError(B24Error):
    """The credential works but lacks rights or scope; also REST unavailable on the plan."""


class AuthError(B24Error):
    """The credential does not work: wrong or revoked webhook, invalid OAuth token or refresh token."""


class LimitError(B24Error):
    """503 QUERY_LIMIT_EXCEEDED: the request rate is over the portal's bucket."""

    retryable = True


class OperatingLimitError(B24Error):
    """429 OPERATION_TIME_LIMIT: this method's execution budget is spent until ``reset_at``."""

    retryable = True

    def __init__(self, description: str, *, reset_at: float | None = None, **kwargs: Any) -> None:
        self.reset_at = reset_at
        super().__init__(description, **kwargs)


class BadParametersError(B24Error):
    """The portal refused the parameters (400 with a method-specific code)."""


class UnavailableError(B24Error):
    """The portal cannot be reached or answers 5xx: network down, timeout, maintenance."""

    retryable = True


class ProtocolError(B24Error):
    """The answer is not what Bitrix24 answers: HTML, truncated or malformed JSON, wrong types."""


class InsecureURLError(B24Error):
    """A portal address that must not be used: plain http to a non-loopback host, or not a portal URL."""


class CertificateError(InsecureURLError):
    """The portal's TLS certificate failed verification: never retried, never ignored."""


class AmbiguousWriteError(UnavailableError):
    """A write whose answer was lost: it may or may not have landed, and it is not safe to repeat blindly."""

    retryable = False


_NOT_FOUND_CODES = {"NOT_FOUND", "ERROR_NOT_FOUND", "ERROR_ELEMENT_NOT_FOUND", "ERROR_IBLOCK_NOT_FOUND"}
_AUTH_CODES = {"NO_AUTH_FOUND", "EXPIRED_TOKEN", "INVALID_TOKEN", "INVALID_GRANT", "INVALID_CLIENT",
               "AUTHORIZATION_ERROR", "ERROR_OAUTH", "WRONG_AUTH_TYPE", "PAYMENT_REQUIRED"}
_ACCESS_CODES = {"ACCESS_DENIED", "INSUFFICIENT_SCOPE", "INVALID_CREDENTIALS", "USER_ACCESS_ERROR",
                 "ACCESS_ERROR", "ALLOWED_ONLY_INTRANET_USER", "METHOD_CONFIRM_DENIED", "INVALID_SCOPE"}


def from_answer(status: int, code: str, description: str, method: str = "", **extra: Any) -> B24Error:
    """The typed error for an answer ``{"error": code, "error_description": description}``."""
    upper = (code or "").upper()
    kwargs: dict[str, Any] = {"status": status, "code": code, "method": method}
    if upper == "QUERY_LIMIT_EXCEEDED" or upper == "OVERLOAD_LIMIT":
        return LimitError(description or "Too many requests", **kwargs)
    if upper == "OPERATION_TIME_LIMIT" or status == 429:
        return OperatingLimitError(description or "Operation time limit", reset_at=extra.get("reset_at"), **kwargs)
    if upper == "ERROR_METHOD_NOT_FOUND":
        return MethodNotFoundError(description, **kwargs)
    if upper in _NOT_FOUND_CODES or (not upper and "not found" in (description or "").lower()):
        return NotFoundError(description or "Not found", **kwargs)
    if upper in _AUTH_CODES or status == 401:
        return AuthError(description or "Authorization failed", **kwargs)
    if upper in _ACCESS_CODES or status == 403:
        return AccessError(description or "Access denied", **kwargs)
    if status >= 500:
        return UnavailableError(description or f"Портал недоступен (HTTP {status})", **kwargs)
    return BadParametersError(description or f"Портал отказал без объяснения (HTTP {status})", **kwargs)


def snippet(body: bytes | str) -> str:
    """A short, single-line, redacted excerpt of an unreadable body for an error message."""
    text = body[:SNIPPET * 64].decode("utf-8", errors="replace") if isinstance(body, bytes) else body[:SNIPPET * 64]
    return _one_line(text, SNIPPET)


def _one_line(text: str, limit: int) -> str:
    """Redacted first, then cut: a cut made first could leave half a secret that no longer matches."""
    text = redact(" ".join(str(text).split()))
    return text[:limit] + "…" if len(text) > limit else text
