"""The Bitrix24 REST client: one ``httpx.AsyncClient`` per portal, polite and hard to break.

Every call goes through :meth:`B24Client.call` (or :meth:`B24Client.batch`): the rate limiter and the
operating budget first, then one JSON POST with redirects off, then the answer sorted out:

- 302: the portal moved; the POST is repeated once on the new host and the move reported;
- 401 ``expired_token`` with OAuth: one refresh at a time, then the call is repeated;
- 503 ``QUERY_LIMIT_EXCEEDED`` and 429 ``OPERATION_TIME_LIMIT``: the call did not run — wait, repeat;
- network failures and 5xx: reads are repeated with bounded exponential back-off and jitter; a write
  is repeated only when it provably did not run (the connection was never made), otherwise it ends
  in :class:`AmbiguousWriteError` for the caller to settle by reading (facades do that);
- anything that is not Bitrix24's JSON becomes a typed :class:`ProtocolError` with a short snippet.

No Qt here; the network lane owns the client.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..logs import protect_loggers, redact
from ..scans.base64_body import aiter_chunks, json_body_with_file
from .answers import (
    Reply,
    decode,
    error_of,
    network_text,
    never_sent,
    refuse_bad_certificate,
    too_big,
)
from .auth import Auth, OAuthAuth, portal_base
from .batch import Batch, BatchResult, parse_batch
from .errors import (
    AccessError,
    AmbiguousWriteError,
    AuthError,
    B24Error,
    LimitError,
    OperatingLimitError,
    ProtocolError,
    UnavailableError,
    snippet,
)
from .limiter import PLANS, OperatingTracker, RateLimiter, RatePlan
from .transfers import Transfers

log = logging.getLogger("dpo.b24")
protect_loggers("httpx", "httpcore")  # httpx logs every URL: webhook codes and token queries included

# Bitrix24 cuts a request off after 60 s; wait a little longer than that for its answer.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=65.0, write=65.0, pool=10.0)
# The largest answer read into memory. A full batch of list pages is a few MB; anything far beyond that is
# a broken front end or a hostile server, and it is refused before it can exhaust the memory.
MAX_ANSWER_BYTES = 32 << 20
USER_AGENT = "DPO-Desk/0.1 (+httpx)"

_READ_SUFFIXES = (".get", ".list", ".fields", ".getlist", ".getchildren", ".gettypes", ".items.get", ".current",
                  ".findbycomm", ".getfields", ".instances")
_READ_METHODS = {"profile", "user.current", "lists.element.get", "lists.field.get", "lists.get",
                 "disk.attachedobject.get", "bizproc.workflow.template.list"}


def is_read(method: str) -> bool:
    name = method.lower().removesuffix(".json")
    return name in _READ_METHODS or name.endswith(_READ_SUFFIXES)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries in all, the first included
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_wait: float = 900.0  # the longest single wait for an operating-budget reset

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Exponential with full jitter: never a synchronised storm of retries."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** attempt))


@dataclass
class Answer:
    """A successful answer: ``result`` and the envelope around it."""

    result: Any
    total: int | None = None
    next: int | None = None
    time: dict[str, Any] = field(default_factory=dict)


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    limit_503: int = 0
    operating_429: int = 0
    refreshes: int = 0
    moves: int = 0
    waited: float = 0.0


WaitCallback = Callable[[str, float], None]  # (reason, seconds) — the UI shows an ETA


class B24Client(Transfers):
    """REST calls to one portal. Use as ``async with B24Client(auth) as client:``.

    Args:
        auth: a :class:`WebhookAuth` or :class:`OAuthAuth`.
        plan: the portal's rate plan (standard, enterprise, off or custom).
        verify: certificate verification — True, a CA bundle path (corporate CA, the sandbox's
            ``--tls``) or an ``ssl.SSLContext``. Never False.
        transport: an httpx transport (the in-process sandbox); None for the network.
        on_wait: told about every deliberate wait with its reason and length.
        on_move: told the new base URL when the portal moved to another domain.
    """

    def __init__(
        self,
        auth: Auth,
        *,
        plan: RatePlan = PLANS["standard"],
        verify: bool | str | Path | ssl.SSLContext = True,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        on_wait: WaitCallback | None = None,
        on_move: Callable[[str], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        wallclock: Callable[[], float] = time.time,
        seed: int | None = None,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        if verify is False:
            raise ValueError("certificate verification cannot be switched off")
        if isinstance(verify, (str, Path)):
            # A CA bundle (corporate CA, the sandbox's --tls) on top of verification, never instead of it.
            verify = ssl.create_default_context(cafile=str(verify))
        self.auth = auth
        self.retry = retry
        self.limiter = RateLimiter(plan, clock)
        self.operating = OperatingTracker(plan.operating_limit, wallclock)
        self.stats = ClientStats()
        self.max_answer_bytes = max_answer_bytes
        self.on_wait = on_wait
        self.on_move = on_move
        self._sleep = sleep
        self._rng = random.Random(seed)
        self._send_lock: asyncio.Lock | None = None
        self._transfer_lock: asyncio.Lock | None = None
        self.http = httpx.AsyncClient(
            transport=transport,
            verify=verify,
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    async def __aenter__(self) -> B24Client:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    # -- public calls -------------------------------------------------------------------------------

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, idempotent: bool | None = None,
        file_value: tuple[str, Path] | None = None,
    ) -> Answer:
        """One method. ``idempotent`` (default: reads only) allows repeating after an ambiguous failure.

        ``file_value`` = (marker, path): the string value ``marker`` in ``params`` stands for the base64 of
        the file, which is streamed into the request body instead of being built in memory.
        """
        body = await self._request(method, params or {}, is_read(method) if idempotent is None else idempotent,
                                   file_value)
        return _answer(body, method)

    async def batch(self, batch: Batch, *, idempotent: bool | None = None) -> BatchResult:
        """Up to 50 commands in one request; failed commands are in the result, not raised."""
        if idempotent is None:
            idempotent = all(is_read(name) for name in batch.methods())
        body = await self._request("batch", batch.params(), idempotent)
        result = parse_batch(body, batch)
        for label, timing in result.times.items():
            self.operating.observe(batch.method_of(label), timing)
        return result

    async def _bounded(self, verb: str, url: str, method: str, **request: Any) -> Reply:
        """One request whose answer is read into memory only up to ``max_answer_bytes``."""
        async with self.http.stream(verb, url, **request) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_answer_bytes:
                raise too_big(self.max_answer_bytes, response.status_code, method)
            chunks: list[bytes] = []
            size = 0
            try:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_answer_bytes:
                        raise too_big(self.max_answer_bytes, response.status_code, method)
                    chunks.append(chunk)
            except httpx.DecodingError:
                raise ProtocolError(f"Ответ портала не распаковывается: повреждённые сжатые данные "
                                    f"(HTTP {response.status_code})", status=response.status_code,
                                    method=method) from None
            return Reply(response.status_code, response.headers, b"".join(chunks))

    async def _transfer(self, send: Callable[[], Awaitable[Any]]) -> Any:
        """A file's bytes to an ``uploadUrl``: one transfer at a time, beside (not inside) the REST series.

        The next file's REST step may run while these bytes travel, so a batch of uploads costs the
        transfers plus little else; each transfer still counts against the rate limiter.
        """
        if self._transfer_lock is None:
            self._transfer_lock = asyncio.Lock()
        return await self._counted(self._transfer_lock, send)

    async def _locked(self, send: Callable[[], Awaitable[Any]]) -> Any:
        if self._send_lock is None:
            self._send_lock = asyncio.Lock()
        return await self._counted(self._send_lock, send)

    async def _counted(self, lock: asyncio.Lock, send: Callable[[], Awaitable[Any]]) -> Any:
        async with lock:
            await self._throttle()
            self.limiter.record()
            self.stats.requests += 1
            return await send()

    # -- the request loop -----------------------------------------------------------------------------

    async def _request(self, method: str, params: dict[str, Any], idempotent: bool,
                       file_value: tuple[str, Path] | None = None) -> dict[str, Any]:
        attempt = 0
        moved = False
        refreshes = 0
        while True:
            await self._respect_limits(method)
            signed = self.auth.sign(params)
            token = signed.get("auth")
            try:
                response = await self._send(self.auth.url(method), method, signed, file_value)
            except httpx.TransportError as error:
                refuse_bad_certificate(error, method)
                failure = UnavailableError(network_text(error), method=method)
                if not (idempotent or never_sent(error)):
                    raise AmbiguousWriteError(
                        f"Ответ портала потерян, запись могла пройти ({type(error).__name__})", method=method
                    ) from None
                attempt = await self._backoff_or_raise(failure, attempt)
                continue

            status = response.status_code
            if status in (301, 302, 307, 308) and not moved:
                self._follow_move(response, method)
                moved = True
                continue
            try:
                body = decode(response, method)
            except UnavailableError as unreadable:  # a 5xx page from the front end
                body, error = None, unreadable
            else:
                if status == 200 and isinstance(body, dict) and "error" not in body:
                    self.operating.observe(method, body.get("time"))
                    return body
                error = error_of(status, body, method, self.operating.reset_at(method))
            if isinstance(error, AuthError) and error.code.lower() == "expired_token":
                # A token may expire again right after a refresh (clock skew); a few refreshes, then give up.
                if isinstance(self.auth, OAuthAuth) and refreshes < 3 and isinstance(token, str):
                    await self.auth.refresh(self.http, token)
                    self.stats.refreshes += 1
                    refreshes += 1
                    continue
                raise error
            if isinstance(error, OperatingLimitError):
                self.stats.operating_429 += 1
                await self._wait_operating(error, method)
                attempt += 1
                if attempt >= self.retry.attempts:
                    raise error
                continue
            if isinstance(error, LimitError):
                self.stats.limit_503 += 1
                self.limiter.saturated()
                attempt = await self._backoff_or_raise(error, attempt)
                continue
            if isinstance(error, UnavailableError):
                # 503 pages come from the front end before PHP runs; other 5xx may have run the call.
                if not idempotent and status != 503:
                    raise AmbiguousWriteError(f"Портал ответил {status}, запись могла пройти", status=status,
                                              method=method) from None
                attempt = await self._backoff_or_raise(error, attempt)
                continue
            raise error

    async def _send(self, url: str, method: str, params: dict[str, Any],
                    file_value: tuple[str, Path] | None = None) -> Reply:
        # One request series per portal (reference §5.1: no parallel series from one client).
        headers = {"Content-Type": "application/json"}
        content: bytes | AsyncIterator[bytes]
        if file_value is None:
            content = json.dumps(params, ensure_ascii=False, default=str).encode()
            length = len(content)
        else:
            marker, path = file_value
            length, chunks = json_body_with_file(params, marker, path)
            content = aiter_chunks(chunks)
            headers["Content-Length"] = str(length)
        started = time.perf_counter()
        response = await self._locked(lambda: self._bounded("POST", url, method, content=content, headers=headers))
        if log.isEnabledFor(logging.DEBUG):
            log.debug("POST %s → %s, %d bytes out, %d bytes in, %.0f ms", redact(url), response.status_code,
                      length, len(response.content), (time.perf_counter() - started) * 1000)
        return response

    async def _throttle(self) -> None:
        delay = self.limiter.delay()
        while delay > 0:
            await self._pause("rate", delay)
            delay = self.limiter.delay()

    async def _respect_limits(self, method: str) -> None:
        delay = self.operating.delay(method)
        if delay > 0:
            await self._pause("operating", min(delay, self.retry.max_wait))

    async def pause_for(self, error: B24Error, method: str) -> None:
        """Wait as a limit error asks: until the method's budget resets, or a back-off after a 503."""
        if isinstance(error, OperatingLimitError):
            await self._wait_operating(error, method)
        else:
            self.limiter.saturated()
            await self._pause("retry", self.retry.backoff(1, self._rng))

    async def _wait_operating(self, error: OperatingLimitError, method: str) -> None:
        reset_at = error.reset_at or self.operating.reset_at(method)
        delay = 60.0 if reset_at is None else reset_at - self.operating.wallclock() + 1
        await self._pause("operating", min(max(delay, 1.0), self.retry.max_wait))

    async def _backoff_or_raise(self, error: B24Error, attempt: int) -> int:
        attempt += 1
        if attempt >= self.retry.attempts:
            raise error
        self.stats.retries += 1
        await self._pause("retry", self.retry.backoff(attempt, self._rng))
        return attempt

    async def _pause(self, reason: str, seconds: float) -> None:
        self.stats.waited += seconds
        if self.on_wait is not None and seconds >= 1.0:
            self.on_wait(reason, seconds)
        log.debug("waiting %.2f s (%s)", seconds, reason)
        await self._sleep(seconds)

    def _follow_move(self, response: Reply, method: str) -> None:
        location = response.headers.get("Location", "")
        try:
            new_base = portal_base(location)
        except B24Error:
            raise ProtocolError(f"Портал перенаправил на недопустимый адрес {snippet(location)}",
                                status=response.status_code, method=method) from None
        if new_base == self.auth.base:
            # Same host: e.g. an expired licence page; following it would loop.
            raise AccessError(f"Портал перенаправляет на {snippet(location)} (лицензия или доступ)",
                              status=response.status_code, method=method)
        log.info("portal moved from %s to %s", self.auth.base, new_base)
        self.auth = self.auth.moved(new_base)
        self.stats.moves += 1
        if self.on_move is not None:
            self.on_move(new_base)


def _answer(body: dict[str, Any], method: str) -> Answer:
    if "result" not in body:
        raise ProtocolError(f"Ответ без result: {snippet(json.dumps(body))}", method=method)
    return Answer(body["result"], _int_or_none(body.get("total")), _int_or_none(body.get("next")),
                  body.get("time") if isinstance(body.get("time"), dict) else {})


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
