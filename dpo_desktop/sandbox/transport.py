"""The sandbox portal plugged into httpx as a transport: the real protocol with no socket.

Works for ``httpx.Client`` and ``httpx.AsyncClient``. Faults and latency behave as on the wire: a
dropped connection raises ``httpx.RemoteProtocolError``, a delay longer than the client's read
timeout raises ``httpx.ReadTimeout`` after that timeout (the call may have landed), and the latency
model sleeps (``asyncio.sleep`` in the async client, so other tasks keep running).
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import unquote

import httpx

from .http import HttpRequest, HttpResponse
from .portal import Portal


class SandboxTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.portal.handle(_convert(request, request.read()))
        wait, timed_out = _wait(request, answer)
        if wait:
            time.sleep(wait)
        return _finish(request, answer, timed_out)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.portal.handle(_convert(request, await request.aread()))
        wait, timed_out = _wait(request, answer)
        if wait:
            await asyncio.sleep(wait)
        return _finish(request, answer, timed_out)


def _convert(request: httpx.Request, body: bytes) -> HttpRequest:
    url = request.url
    host = url.host if url.port is None else f"{url.host}:{url.port}"
    return HttpRequest(
        method=request.method,
        scheme=url.scheme,
        host=host,
        path=unquote(url.path),
        query=url.query.decode("ascii", errors="replace"),
        headers={key.lower(): value for key, value in request.headers.items()},
        body=body,
    )


def _wait(request: httpx.Request, answer: HttpResponse) -> tuple[float, bool]:
    """How long to wait before answering, and whether the client's read timeout fires first."""
    timeout = (request.extensions.get("timeout") or {}).get("read")
    if timeout is not None and answer.delay > timeout:
        return timeout, True
    return answer.delay, False


def _finish(request: httpx.Request, answer: HttpResponse, timed_out: bool) -> httpx.Response:
    if timed_out:
        raise httpx.ReadTimeout("The read operation timed out", request=request)
    if answer.drop:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)
