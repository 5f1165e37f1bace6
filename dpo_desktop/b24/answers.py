"""Reading what the portal sends back: bounded answers, decoding, error shapes, network failures in words.

Pure helpers of :class:`~dpo_desktop.b24.client.B24Client`: no state, no retries (the client decides
those); each turns one kind of answer or failure into data or a typed error with a Russian description.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import (
    AccessError,
    AuthError,
    B24Error,
    CertificateError,
    ProtocolError,
    UnavailableError,
    from_answer,
    snippet,
)

ERROR_HEAD = 4096  # bytes of a failed download's answer kept for its message


@dataclass(frozen=True)
class Reply:
    """An answer read within the bound: status, headers and the (decompressed) body."""

    status_code: int
    headers: httpx.Headers
    content: bytes


class ProgressReader:
    """A file object that reports how many bytes httpx has read from it.

    It hands out 1 MiB at a time whatever httpx asks for (64 KiB): sending a scan then costs a few
    socket writes instead of dozens, which is most of the client's CPU in an upload.
    """

    CHUNK = 1 << 20

    def __init__(self, stream: Any, progress: Callable[[int], None] | None) -> None:
        self._stream = stream
        self._progress = progress
        self._done = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(self.CHUNK if size is not None and 0 <= size < self.CHUNK else size)
        self._done += len(chunk)
        if self._progress is not None and chunk:
            self._progress(self._done)
        return chunk

    def fileno(self) -> int:
        # Lets httpx size the body (Content-Length) instead of sending it chunked.
        return self._stream.fileno()

    def __iter__(self) -> Any:
        while chunk := self.read(1 << 16):
            yield chunk


def never_sent(error: httpx.TransportError) -> bool:
    """The request provably did not reach the portal, so even a write may be repeated."""
    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def refuse_bad_certificate(error: httpx.TransportError, method: str) -> None:
    """A certificate that fails verification is a refusal, not a network hiccup: said at once, not retried."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(cause):
            raise CertificateError(
                "Сертификат портала не прошёл проверку (certificate verify failed): соединение не установлено. "
                "Если портал работает с сертификатом корпоративного центра, укажите его: "
                "dpo-desktop profile add ИМЯ --webhook-stdin --ca-file ФАЙЛ", method=method) from None
        cause = cause.__cause__ or cause.__context__
    return


def network_text(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "Портал не ответил вовремя (timeout)"
    if isinstance(error, httpx.ConnectError):
        return "Нет соединения с порталом (cannot connect)"
    return f"Соединение с порталом прервано ({type(error).__name__})"


def too_big(limit: int, status: int, method: str) -> ProtocolError:
    return ProtocolError(f"Ответ портала слишком большой (больше {limit >> 20} МБ): он не принят", status=status,
                         method=method)


async def error_head(response: httpx.Response) -> bytes:
    head = b""
    try:
        async for chunk in response.aiter_bytes():
            head += chunk
            if len(head) >= ERROR_HEAD:
                break
    except httpx.DecodingError:
        pass  # only a message is made of it
    return head[:ERROR_HEAD]


def decode(response: Reply, method: str) -> Any:
    content_type = response.headers.get("Content-Type", "")
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        kind = "HTML" if "html" in content_type.lower() or response.content.lstrip()[:1] == b"<" else "не JSON"
        status = response.status_code
        text = f"Портал ответил {kind} (HTTP {status}): {snippet(response.content)}"
        # A 5xx page is the portal being down; 401/403 pages come from an auth proxy or the portal's
        # login; anything else unreadable is a protocol breach.
        error_type = (UnavailableError if status >= 500 else AuthError if status == 401
                      else AccessError if status == 403 else ProtocolError)
        raise error_type(text, status=status, method=method) from None


def error_of(status: int, body: Any, method: str, reset_at: float | None) -> B24Error:
    if not isinstance(body, dict):
        return ProtocolError(f"Неожиданный ответ портала (HTTP {status}): {snippet(json.dumps(body))}",
                             status=status, method=method)
    code = body.get("error")
    if isinstance(code, dict):  # REST v3 shape
        code, description = str(code.get("code", "")), str(code.get("message", ""))
    else:
        code, description = str(code or ""), str(body.get("error_description") or "")
    if status == 200 and not code:
        return ProtocolError(f"Ответ без result (HTTP 200): {snippet(json.dumps(body))}", status=status, method=method)
    return from_answer(status, code, description, method, reset_at=reset_at)
