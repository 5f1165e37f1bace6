"""The loopback server in a thread: HTTP/1.1 framing, keep-alive, body limits, faults on the wire."""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest

from dpo_desktop.sandbox.faults import FaultPlan
from dpo_desktop.sandbox.server import LoopbackServer

from .portal_fixtures import Sandbox, make_sandbox


@pytest.fixture(autouse=True)
def _no_thread_left():
    before = set(threading.enumerate())
    yield
    left = [thread for thread in threading.enumerate() if thread not in before]
    assert not left, f"threads still running: {left}"


@pytest.fixture
def box() -> Sandbox:
    sandbox = make_sandbox(max_body=4096)
    yield sandbox
    sandbox.client.close()


@pytest.fixture
def server(box: Sandbox) -> LoopbackServer:
    with LoopbackServer(box.portal) as running:
        yield running


def hook(server: LoopbackServer, box: Sandbox) -> str:
    """The webhook URL on the loopback server: ``http://127.0.0.1:PORT/rest/1/CODE/``."""
    return server.url + urlsplit(box.webhook).path


def raw_exchange(server: LoopbackServer, data: bytes, *, body_after_continue: bytes | None = None):
    """Send ``data`` on a fresh socket and parse one answer: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data)
        if body_after_continue is not None:
            assert sock.recv(64) == b"HTTP/1.1 100 Continue\r\n\r\n"
            sock.sendall(body_after_continue)
        answer = http.client.HTTPResponse(sock)
        try:
            answer.begin()
            return answer.status, answer.headers, answer.read()
        finally:
            answer.close()


def request_head(box: Sandbox, method: str, headers: dict[str, str]) -> bytes:
    lines = [f"POST {urlsplit(box.webhook).path}{method} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_call_over_http_answers_like_the_portal(server, box):
    with httpx.Client(base_url=hook(server, box)) as client:
        added = client.post("crm.deal.add", json={"fields": {"TITLE": "Охрана труда"}})
        listed = client.post("crm.deal.list", data={"select[]": "TITLE"})
    assert added.status_code == 200
    assert added.headers["content-type"] == "application/json; charset=utf-8"
    assert int(added.headers["content-length"]) == len(added.content)
    assert added.headers["server"] == "nginx"
    assert listed.json()["result"] == [{"ID": str(added.json()["result"]), "TITLE": "Охрана труда"}]
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.ca_file is None


def test_requests_share_one_kept_alive_connection(server, box):
    with httpx.Client(base_url=hook(server, box)) as client:
        statuses = [client.post("crm.deal.add", json={"fields": {"TITLE": f"№{n}"}}).status_code for n in range(5)]
    assert statuses == [200] * 5
    assert server.connections_accepted == 1
    assert len(box.state.crm.deals.table) == 5


def test_connection_close_is_honoured(server, box):
    with httpx.Client(base_url=hook(server, box), headers={"Connection": "close"}) as client:
        first = client.post("crm.deal.list")
        client.post("crm.deal.list")
    assert first.headers["connection"] == "close"
    assert server.connections_accepted == 2


def test_chunked_request_body(server, box):
    parts = [b'{"fields": {"TI', 'TLE": "Пожарная безопасность"}}'.encode()]
    with httpx.Client(base_url=hook(server, box)) as client:
        added = client.post("crm.deal.add", content=iter(parts), headers={"Content-Type": "application/json"})
        assert added.request.headers["transfer-encoding"] == "chunked"
        deal = client.post("crm.deal.get", json={"id": added.json()["result"]}).json()["result"]
    assert deal["TITLE"] == "Пожарная безопасность"


def test_chunk_extensions_and_trailers_are_read_and_dropped(server, box):
    body = b"fields[TITLE]=abc"
    chunked = b"5;name=value\r\n" + body[:5] + b"\r\n" + f"{len(body) - 5:x}\r\n".encode() + body[5:] + b"\r\n"
    chunked += b"0\r\nX-Checksum: 1\r\n\r\n"
    head = request_head(box, "crm.deal.add", {"Content-Type": "application/x-www-form-urlencoded",
                                              "Transfer-Encoding": "chunked"})
    status, _, answer = raw_exchange(server, head + chunked)
    assert status == 200, answer
    assert box.state.crm.deals.table.get(1)["TITLE"] == "abc"


def test_malformed_chunk_size_gets_nginx_400(server, box):
    head = request_head(box, "crm.deal.list", {"Transfer-Encoding": "chunked"})
    status, headers, answer = raw_exchange(server, head + b"zz\r\nhello\r\n0\r\n\r\n")
    assert status == 400
    assert headers["connection"] == "close"
    assert b"<center>nginx</center>" in answer
    assert box.portal.requests == 0


def test_oversized_body_is_refused_from_its_content_length_alone(server, box):
    # Only the headers are sent: if the server tried to read the body first, no answer would come.
    head = request_head(box, "crm.deal.add", {"Content-Type": "application/json", "Content-Length": "10000000"})
    status, headers, answer = raw_exchange(server, head)
    assert status == 413
    assert headers["content-type"] == "text/html"
    assert headers["connection"] == "close"
    assert b"<title>413 Request Entity Too Large</title>" in answer
    assert box.portal.requests == 0  # the portal never saw it


def test_oversized_body_sent_in_full_still_gets_the_413_page(server, box):
    with httpx.Client(base_url=hook(server, box)) as client:
        refused = client.post("crm.deal.add", content=b"x" * 2_000_000,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        after = client.post("crm.deal.list")
    assert refused.status_code == 413
    assert after.status_code == 200
    assert server.connections_accepted == 2  # the refusal closed the first connection
    assert box.portal.requests == 1


def test_a_refused_client_may_finish_sending_its_body_before_the_close(server, box):
    # nginx's lingering close: a client that writes its whole body before reading (most do) gets
    # the 413 page rather than a connection reset.
    head = request_head(box, "crm.deal.add", {"Content-Length": "3000000"})
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head)
        answer = http.client.HTTPResponse(sock)
        try:
            answer.begin()
            assert answer.status == 413
            answer.read()
        finally:
            answer.close()
        sock.sendall(b"x" * 3_000_000)  # would fail with a reset if the server had simply closed
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(1) == b""


def test_oversized_chunked_body_is_refused_once_it_passes_the_limit(server, box):
    chunks = (b"a" * 1000 for _ in range(10))
    with httpx.Client(base_url=hook(server, box)) as client:
        refused = client.post("crm.deal.add", content=chunks)
    assert refused.status_code == 413
    assert box.portal.requests == 0


def test_expect_continue_invites_a_body_within_the_limit_only(server, box):
    body = b'{"fields": {"TITLE": "x"}}'
    head = request_head(box, "crm.deal.add", {"Content-Type": "application/json", "Expect": "100-continue",
                                              "Content-Length": str(len(body))})
    status, _, _ = raw_exchange(server, head, body_after_continue=body)
    assert status == 200
    big = request_head(box, "crm.deal.add", {"Expect": "100-continue", "Content-Length": "5000"})
    status, _, _ = raw_exchange(server, big)  # no 100 Continue first: the 413 comes straight away
    assert status == 413


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"NONSENSE\r\n\r\n", 400),
        (b"GET /rest/1/x/crm.deal.list?filter[ID]=" + b"1" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"BREW /rest/ HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"POST /rest/1/x/crm.deal.list HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        (b"POST /rest/1/x/crm.deal.list HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    ],
)
def test_malformed_requests_get_nginx_pages_not_python(server, request_bytes, status):
    answered, headers, answer = raw_exchange(server, request_bytes)
    assert answered == status
    assert headers["server"] == "nginx"
    assert b"<hr><center>nginx</center>" in answer
    assert b"Python" not in answer and b"Traceback" not in answer


def test_a_dropped_answer_closes_the_connection_without_a_word(box):
    box.portal.faults = FaultPlan({"drop": 1.0})
    with LoopbackServer(box.portal) as server, httpx.Client(base_url=hook(server, box)) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("crm.deal.list")
        box.portal.faults = FaultPlan()
        assert client.post("crm.deal.list").status_code == 200


def test_a_slow_answer_times_the_client_out_after_the_write_landed(box):
    box.portal.faults = FaultPlan({"slow": 1.0}, slow_seconds=2)
    server = LoopbackServer(box.portal).start()
    try:
        with httpx.Client(base_url=hook(server, box), timeout=0.5) as client:
            started = time.monotonic()
            with pytest.raises(httpx.ReadTimeout):
                client.post("crm.deal.add", json={"fields": {"TITLE": "медленно"}})
            assert time.monotonic() - started < 1.5
            box.portal.faults = FaultPlan()
            listed = client.post("crm.deal.list").json()["result"]
        assert [deal["TITLE"] for deal in listed] == ["медленно"]
    finally:
        started = time.monotonic()
        server.stop()  # the slow answer is still waiting: stopping does not wait for it
        assert time.monotonic() - started < 1.0


def test_stop_ends_idle_kept_alive_connections_at_once(box):
    server = LoopbackServer(box.portal).start()
    with httpx.Client(base_url=hook(server, box)) as client:
        assert client.post("crm.deal.list").status_code == 200
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 1.0
        with pytest.raises(httpx.TransportError):
            client.post("crm.deal.list")


def test_url_and_port_are_known_before_start_and_a_port_can_be_chosen(box):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    server = LoopbackServer(box.portal, port=free_port)
    try:
        assert server.port == free_port
        assert server.url == f"http://127.0.0.1:{free_port}"
    finally:
        server.stop()


def test_webhook_codes_never_reach_the_log(server, box, caplog):
    code = urlsplit(box.webhook).path.split("/")[3]
    with caplog.at_level(logging.DEBUG, logger="dpo.sandbox"), httpx.Client(base_url=hook(server, box)) as client:
        client.post("crm.deal.list")
        client.post(f"{server.url}/rest/crm.deal.list?auth=secret-token")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/rest/1/***/crm.deal.list" in logged
    assert code not in logged
    assert "secret-token" not in logged
