"""The loopback server over HTTPS: a private CA clients can trust, for both loopback names."""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import sys
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography import x509

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
    sandbox = make_sandbox()
    yield sandbox
    sandbox.client.close()


@pytest.fixture
def server(box: Sandbox, tmp_path) -> LoopbackServer:
    with LoopbackServer(box.portal, tls_dir=tmp_path / "tls") as running:
        yield running


def trusting(ca_file) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file)


def hook_path(box: Sandbox) -> str:
    return urlsplit(box.webhook).path


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_a_client_trusting_the_ca_calls_over_https(server, box, name):
    assert server.url == f"https://127.0.0.1:{server.port}"
    with httpx.Client(base_url=f"https://{name}:{server.port}{hook_path(box)}", verify=trusting(server.ca_file)) as c:
        added = c.post("crm.deal.add", json={"fields": {"TITLE": "Аттестация"}})
        assert added.status_code == 200
        assert c.post("crm.deal.get", json={"id": added.json()["result"]}).json()["result"]["TITLE"] == "Аттестация"


def test_a_client_without_the_ca_is_refused_and_the_server_carries_on(server, box):
    with httpx.Client(base_url=server.url + hook_path(box)) as untrusting, pytest.raises(httpx.ConnectError) as error:
        untrusting.post("crm.deal.list")
    assert "CERTIFICATE_VERIFY_FAILED" in str(error.value)
    with httpx.Client(base_url=server.url + hook_path(box), verify=trusting(server.ca_file)) as client:
        assert client.post("crm.deal.list").status_code == 200
    assert box.portal.requests == 1


def test_the_certificate_files_are_written_and_the_key_is_private(server, tmp_path):
    folder = tmp_path / "tls"
    assert server.ca_file == folder / "ca.pem"
    assert sorted(path.name for path in folder.iterdir()) == ["ca.pem", "server.key", "server.pem"]
    assert b"BEGIN CERTIFICATE" in (folder / "ca.pem").read_bytes()
    assert b"PRIVATE KEY" not in (folder / "ca.pem").read_bytes() + (folder / "server.pem").read_bytes()
    if sys.platform != "win32":
        assert (folder / "server.key").stat().st_mode & 0o777 == 0o600


def test_the_server_certificate_names_both_loopback_names_for_a_year(server, tmp_path):
    certificate = x509.load_pem_x509_certificate((tmp_path / "tls" / "server.pem").read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.IPv4Address("127.0.0.1")]
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=365) <= lifetime <= timedelta(days=366)
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_valid_certificates_are_reused_and_broken_ones_replaced(box, tmp_path):
    folder = tmp_path / "tls"
    with LoopbackServer(box.portal, tls_dir=folder):
        first_ca = (folder / "ca.pem").read_bytes()
    with LoopbackServer(box.portal, tls_dir=folder):
        assert (folder / "ca.pem").read_bytes() == first_ca  # a client that trusts it keeps working

    (folder / "server.pem").write_bytes(b"not a certificate")
    with LoopbackServer(box.portal, tls_dir=folder) as server:
        assert (folder / "ca.pem").read_bytes() != first_ca
        with httpx.Client(base_url=server.url + hook_path(box), verify=trusting(server.ca_file)) as client:
            assert client.post("crm.deal.list").status_code == 200


def test_a_certificate_from_another_folder_is_not_trusted(box, tmp_path):
    with LoopbackServer(box.portal, tls_dir=tmp_path / "one") as one, \
            LoopbackServer(box.portal, tls_dir=tmp_path / "two") as two, \
            httpx.Client(verify=trusting(two.ca_file)) as client, pytest.raises(httpx.ConnectError):
        client.post(one.url + hook_path(box) + "crm.deal.list")


def test_a_dropped_answer_over_tls_is_a_protocol_error(box, tmp_path):
    box.portal.faults = FaultPlan({"drop": 1.0})
    with LoopbackServer(box.portal, tls_dir=tmp_path / "tls") as server, \
            httpx.Client(base_url=server.url + hook_path(box), verify=trusting(server.ca_file)) as client, \
            pytest.raises(httpx.RemoteProtocolError):
        client.post("crm.deal.list")


def test_stop_does_not_wait_for_a_client_that_never_says_hello(box, tmp_path):
    server = LoopbackServer(box.portal, tls_dir=tmp_path / "tls").start()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as silent:
        deadline = time.monotonic() + 5
        while server.connections_accepted == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 1.0
        assert silent.recv(1) == b""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_tls_folder_is_private(server, tmp_path):
    assert os.stat(tmp_path / "tls").st_mode & 0o077 == 0
