"""The sandbox portal served over loopback HTTP/1.1, or HTTPS with a generated certificate.

:class:`LoopbackServer` turns each request into an :class:`~.http.HttpRequest`, lets the portal
answer, and plays the :class:`~.http.HttpResponse` back on the wire: it waits out the answer's delay
(outside the portal lock: ``handle()`` has returned), closes the connection without a word when the
answer is dropped, and otherwise writes status, headers and a Content-Length body. Connections are
kept alive between requests, as a real front end does.

What the front end (nginx) decides before PHP sees anything is decided here too: a body larger than
the portal's limit is refused from its Content-Length alone with nginx's 413 page, a malformed
request gets nginx's 400 page, and both close the connection. Nothing of Python leaks onto the wire:
errors are logged to the ``dpo.sandbox`` logger, webhook codes and tokens redacted.
"""

from __future__ import annotations

import contextlib
import http.server
import logging
import re
import socket
import ssl
import sys
import threading
from collections.abc import Callable
from email.message import Message
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from ..logs import redact
from . import tls
from .http import HttpRequest, HttpResponse
from .portal import Portal

log = logging.getLogger("dpo.sandbox")

KEEPALIVE_SECONDS = 75.0  # nginx's keepalive_timeout; also the longest wait for a request's next bytes
HANDSHAKE_SECONDS = 10.0
LINGER_SECONDS = 5.0  # nginx's lingering_timeout: how long to drain a refused body
POLL_SECONDS = 0.1  # how quickly stop() is noticed by the accept loop
MAX_LINE = 4096  # a chunk-size or trailer line longer than this is garbage
# (unconfirmed) nginx's default large_client_header_buffers: a longer request line gets 414. The
# portal's own limit is not documented; long GET queries are known to fail (reference §16.18).
MAX_REQUEST_LINE = 8192

# nginx words some status lines its own way; the rest are the standard phrases.
_NGINX_REASONS = {
    302: "Moved Temporarily", 405: "Not Allowed", 408: "Request Time-out", 413: "Request Entity Too Large",
    414: "Request-URI Too Large", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out",
}

class LoopbackServer:
    """One portal on one loopback port, HTTP or (with ``tls_dir``) HTTPS.

    The socket is bound on construction, so ``url`` and ``port`` are known before ``start()``.
    Use it as a context manager, or call ``start()`` and ``stop()``; ``stop()`` closes every open
    connection and joins every thread the server started.
    """

    def __init__(self, portal: Portal, host: str = "127.0.0.1", port: int = 0, tls_dir: Path | None = None) -> None:
        self.portal = portal
        self.host = host
        self._tls_files = tls.ensure_certificates(Path(tls_dir)) if tls_dir is not None else None
        context = tls.server_context(self._tls_files) if self._tls_files is not None else None
        self._httpd = _HttpServer((host, port), portal, context)
        self._thread: threading.Thread | None = None
        self._stopped = False

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def scheme(self) -> str:
        return "https" if self._tls_files is not None else "http"

    @property
    def url(self) -> str:
        """``scheme://host:port`` with no trailing slash; a wildcard host is reached on loopback."""
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        if ":" in host:
            host = f"[{host}]"
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def ca_file(self) -> Path | None:
        """The certificate clients must trust, or None over plain HTTP."""
        return self._tls_files.ca_file if self._tls_files is not None else None

    @property
    def connections_accepted(self) -> int:
        return self._httpd.accepted

    def start(self) -> LoopbackServer:
        if self._stopped:
            raise RuntimeError("a stopped LoopbackServer cannot be started again")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": POLL_SECONDS},
                name=f"sandbox-server-{self.port}", daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._httpd.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.close_connections()
        self._httpd.server_close()  # joins the connection threads

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _HttpServer(http.server.ThreadingHTTPServer):
    """A thread per connection; every thread joined on close; the TLS handshake done in that thread."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], portal: Portal, context: ssl.SSLContext | None) -> None:
        self.portal = portal
        self.context = context
        self.stopping = threading.Event()
        self.accepted = 0
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host's name up (getfqdn); nothing here needs it.
        http.server.socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def process_request(self, request: socket.socket, client_address: tuple) -> None:
        with self._open_lock:
            self.accepted += 1
            self._open.add(request)
        super().process_request(request, client_address)

    def finish_request(self, request: socket.socket, client_address: tuple) -> None:
        if self.context is None:
            self.RequestHandlerClass(request, client_address, self)
            return
        with self._open_lock:
            if self.stopping.is_set():
                return
            secure = self.context.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
            self._open.discard(request)
            self._open.add(secure)
        try:
            secure.settimeout(HANDSHAKE_SECONDS)
            try:
                secure.do_handshake()
            except (ssl.SSLError, OSError) as error:
                log.debug("sandbox server: TLS handshake with %s failed: %s", client_address[0], error)
                return
            self.RequestHandlerClass(secure, client_address, self)
        finally:
            with self._open_lock:
                self._open.discard(secure)
            secure.close()

    def shutdown_request(self, request: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every connection thread (idle keep-alive, draining, handshaking) so it ends now."""
        with self._open_lock:
            for connection in self._open:
                # The plain socket call: SSLSocket.shutdown would drop its TLS state under the feet of
                # the connection's own thread.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(connection, socket.SHUT_RDWR)

    def handle_error(self, request: socket.socket, client_address: tuple) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, ssl.SSLError)):
            log.debug("sandbox server: connection from %s ended: %r", client_address[0], error)
        else:
            log.exception("sandbox server: unexpected error on a connection from %s", client_address[0])


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = KEEPALIVE_SECONDS
    disable_nagle_algorithm = True  # headers and body are two writes; do not let the body wait for an ACK
    server: _HttpServer

    _expects_continue = False
    _answering = False

    # -- the exchange ---------------------------------------------------------------------------

    def _exchange(self) -> None:
        expects_continue, self._expects_continue = self._expects_continue, False
        self._answering = False
        try:
            self._serve(expects_continue)
        except (ConnectionError, TimeoutError, ssl.SSLError) as error:
            log.debug("sandbox server: client gone during %s: %r", redact(self.requestline), error)
            self.close_connection = True
        except Exception:
            log.exception("sandbox server: bug while serving %s", redact(self.requestline))
            self.close_connection = True
            if not self._answering:
                self._write_page(HTTPStatus.INTERNAL_SERVER_ERROR)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _exchange

    def _serve(self, expects_continue: bool) -> None:
        try:
            body = _read_body(self.rfile, self.headers, self.server.portal.max_body,
                              self._send_continue if expects_continue else None)
        except _BodyRefused as refusal:
            self._refuse(refusal.status)
            return
        response = self.server.portal.handle(self._request(body))
        if response.delay > 0 and self.server.stopping.wait(response.delay):
            self.close_connection = True  # shutting down: the answer is never sent
            return
        if response.drop:
            self.close_connection = True
            return
        self._write(response)

    def _request(self, body: bytes) -> HttpRequest:
        target = self.path
        host = self.headers.get("Host", "")
        if target.startswith("/"):
            path, _, query = target.partition("?")
        else:  # absolute form ("http://host/path"), as a proxy would send it
            parts = urlsplit(target)
            path, query, host = parts.path or "/", parts.query, host or parts.netloc
        headers: dict[str, str] = {}
        for name in self.headers:
            headers.setdefault(name.lower(), ", ".join(self.headers.get_all(name, [])))
        return HttpRequest(
            method=self.command,
            scheme="https" if self.server.context is not None else "http",
            host=host or f"{self.server.server_name}:{self.server.server_port}",
            path=unquote(path),
            query=query,
            headers=headers,
            body=body,
        )

    # -- writing --------------------------------------------------------------------------------

    def _write(self, response: HttpResponse) -> None:
        self._answering = True
        self.send_response(response.status, _reason(response.status))
        for name, value in response.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        elif self.request_version == "HTTP/1.0":
            self.send_header("Connection", "keep-alive")  # only reached when the client asked for it
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def _write_page(self, status: int) -> None:
        """nginx's HTML page for ``status``, closing the connection."""
        self.close_connection = True
        page = HttpResponse.html(status, f"{status} {_reason(status)}".strip())
        try:
            self._write(page)
        except OSError as error:
            log.debug("sandbox server: could not send the %s page: %r", status, error)

    def _refuse(self, status: int) -> None:
        """Answer before the body is read, then drain what the client still sends (nginx's lingering close)."""
        self._write_page(status)
        try:
            socket.socket.shutdown(self.connection, socket.SHUT_WR)
            self.connection.settimeout(LINGER_SECONDS)
            while not self.server.stopping.is_set() and self.rfile.read1(65536):
                pass
        except (OSError, ValueError):
            pass  # the client closed, reset or went quiet: nothing more to drain

    def _send_continue(self) -> None:
        self.wfile.write(f"{self.protocol_version} 100 Continue\r\n\r\n".encode("latin-1"))

    # -- what BaseHTTPRequestHandler does on its own ---------------------------------------------

    def parse_request(self) -> bool:
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.command, self.requestline = None, "(request line too long)"
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        return super().parse_request()

    def handle_expect_100(self) -> bool:
        # Deferred to _read_body: a body that is too large is refused without ever inviting it.
        self._expects_continue = True
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests (bad request line, headers too long, unknown method): nginx's page."""
        self.log_error("code %d, message %s", code, message)
        # An unparsable request line leaves the version at HTTP/0.9, which has no status line;
        # nginx answers such garbage with a full HTTP/1.1 response.
        self.request_version = self.protocol_version
        self._write_page(code)

    def version_string(self) -> str:
        return "nginx"

    def log_message(self, format: str, *args: object) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("sandbox server %s: %s", self.client_address[0], redact(format % args))


def _reason(status: int) -> str:
    try:
        return _NGINX_REASONS.get(status) or HTTPStatus(status).phrase
    except ValueError:
        return ""


# -- request bodies -------------------------------------------------------------------------------

_CONTENT_LENGTH = re.compile(r"[0-9]+")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]+")


class _BodyRefused(Exception):
    """The front end answers ``status`` instead of reading (the rest of) the body."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _read_body(rfile: BinaryIO, headers: Message, limit: int, send_continue: Callable[[], None] | None) -> bytes:
    """The request body by Content-Length or chunked transfer coding, never more than ``limit`` bytes."""
    encoding = headers.get("Transfer-Encoding")
    lengths = headers.get_all("Content-Length") or []
    if encoding is not None:
        if lengths:
            # (unconfirmed) both framings at once are refused, as recent nginx does (a smuggling guard)
            raise _BodyRefused(HTTPStatus.BAD_REQUEST)
        if encoding.rsplit(",", 1)[-1].strip().lower() != "chunked":
            raise _BodyRefused(HTTPStatus.NOT_IMPLEMENTED)
        if send_continue is not None:
            send_continue()
        return _read_chunked(rfile, limit)
    if not lengths:
        return b""
    if len(set(lengths)) > 1 or not _CONTENT_LENGTH.fullmatch(lengths[0].strip()):
        raise _BodyRefused(HTTPStatus.BAD_REQUEST)
    length = int(lengths[0])
    if length > limit:
        raise _BodyRefused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    if length and send_continue is not None:
        send_continue()
    return _read_exactly(rfile, length)


def _read_chunked(rfile: BinaryIO, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size_text = _read_line(rfile).split(b";", 1)[0].strip()  # chunk extensions are ignored
        if not _CHUNK_SIZE.fullmatch(size_text):
            raise _BodyRefused(HTTPStatus.BAD_REQUEST)
        size = int(size_text, 16)
        if size == 0:
            break
        total += size
        if total > limit:
            raise _BodyRefused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        chunks.append(_read_exactly(rfile, size))
        if _read_line(rfile).strip():
            raise _BodyRefused(HTTPStatus.BAD_REQUEST)
    while _read_line(rfile).strip():  # trailer fields: read and dropped
        pass
    return b"".join(chunks)


def _read_line(rfile: BinaryIO) -> bytes:
    line = rfile.readline(MAX_LINE + 1)
    if not line:
        raise ConnectionResetError("the client closed in the middle of its body")
    if len(line) > MAX_LINE or not line.endswith(b"\n"):
        raise _BodyRefused(HTTPStatus.BAD_REQUEST)
    return line


def _read_exactly(rfile: BinaryIO, size: int) -> bytes:
    data = rfile.read(size)
    if len(data) < size:
        raise ConnectionResetError("the client closed in the middle of its body")
    return data
