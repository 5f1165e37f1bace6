"""``dpo-desktop sandbox`` and ``dpo-desktop --demo`` as a user runs them: a subprocess on loopback."""

from __future__ import annotations

import json
import os
import selectors
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pipes")

STARTUP_SECONDS = 60  # generous: building a seed may take a while on a busy machine
EXIT_SECONDS = 5


class Running:
    """A started command, its announcement parsed; ``stop()`` signals it and collects what is left."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.line = _read_line(process, STARTUP_SECONDS)
        self.announced = json.loads(self.line)
        self.webhook: str = self.announced["webhook"]

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str, str, float]:
        """(exit code, rest of stdout, stderr, seconds the exit took)."""
        started = time.monotonic()
        self.process.send_signal(signum)
        stdout, stderr = self.process.communicate(timeout=EXIT_SECONDS + 5)
        return self.process.returncode, stdout, stderr, time.monotonic() - started


@pytest.fixture
def basedir(tmp_path) -> Path:
    return tmp_path / "base"


@pytest.fixture
def start(basedir):
    """Start ``dpo-desktop --basedir BASE [GLOBAL...] [sandbox ARGS...]``; every process is reaped."""
    processes: list[subprocess.Popen] = []

    def launch(*args: str, command: tuple[str, ...] = ("sandbox",)) -> Running:
        process = subprocess.Popen(
            [sys.executable, "-m", "dpo_desktop", "--basedir", str(basedir), *command, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=_environment(),
        )
        processes.append(process)
        try:
            return Running(process)
        except Exception:
            process.kill()
            _, stderr = process.communicate(timeout=EXIT_SECONDS)
            raise AssertionError(f"the command did not announce itself; stderr: {stderr}") from None

    yield launch
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=EXIT_SECONDS)


def run_to_end(basedir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dpo_desktop", "--basedir", str(basedir), "sandbox", *args],
        capture_output=True, text=True, encoding="utf-8", env=_environment(), timeout=STARTUP_SECONDS,
    )


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DPO_DESKTOP_LOG_LEVEL", None)
    env["PYTHONUTF8"] = "1"
    return env


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise TimeoutError("no line on stdout")
    line = process.stdout.readline()
    if not line.endswith("\n"):
        raise EOFError(f"stdout ended: {line!r}")
    return line


# -- the command --------------------------------------------------------------------------------


def test_prints_one_json_line_serves_and_stops_on_sigterm(start):
    running = start()
    assert set(running.announced) == {"webhook", "ca_file"}
    assert running.announced["ca_file"] is None
    parts = urlsplit(running.webhook)
    assert (parts.scheme, parts.hostname) == ("http", "127.0.0.1")
    assert parts.path.startswith("/rest/1/") and parts.path.endswith("/")
    with httpx.Client(base_url=running.webhook) as client:
        added = client.post("crm.deal.add", json={"fields": {"TITLE": "Первая помощь"}})
        listed = client.post("crm.deal.list", json={"select": ["TITLE"]})
    assert added.status_code == 200
    assert [deal["TITLE"] for deal in listed.json()["result"]] == ["Первая помощь"]

    code, rest_of_stdout, stderr, seconds = running.stop(signal.SIGTERM)
    assert code == 0, stderr
    assert rest_of_stdout == ""  # exactly one line on stdout, nothing after it
    assert seconds < EXIT_SECONDS
    assert urlsplit(running.webhook).path.split("/")[3] not in stderr


def test_sigint_stops_it_cleanly(start):
    running = start()
    code, rest_of_stdout, stderr, seconds = running.stop(signal.SIGINT)
    assert (code, rest_of_stdout) == (0, "")
    assert "Traceback" not in stderr
    assert seconds < EXIT_SECONDS


def test_tls_serves_https_that_only_the_printed_ca_vouches_for(start, basedir):
    running = start("--tls")
    ca_file = Path(running.announced["ca_file"])
    assert ca_file.is_absolute()
    assert ca_file.parent == (basedir / "data" / "sandbox-tls").resolve()
    assert running.webhook.startswith("https://127.0.0.1:")
    with httpx.Client(verify=ssl.create_default_context(cafile=ca_file)) as trusting:
        assert trusting.post(running.webhook + "crm.deal.list").status_code == 200
    with httpx.Client() as untrusting, pytest.raises(httpx.ConnectError):
        untrusting.post(running.webhook + "crm.deal.list")
    assert running.stop()[0] == 0


def test_state_keeps_data_and_webhook_across_a_restart_on_the_same_port(start, tmp_path):
    state_file = tmp_path / "portal.state"
    first = start("--state", str(state_file))
    with httpx.Client(base_url=first.webhook) as client:
        deal_id = client.post("crm.deal.add", json={"fields": {"TITLE": "Сохранится"}}).json()["result"]
    assert first.stop()[0] == 0
    assert state_file.exists()

    port = str(urlsplit(first.webhook).port)
    second = start("--state", str(state_file), "--port", port)
    assert second.webhook == first.webhook
    with httpx.Client(base_url=second.webhook) as client:
        deal = client.post("crm.deal.get", json={"id": deal_id}).json()["result"]
    assert deal["TITLE"] == "Сохранится"
    assert second.stop()[0] == 0


@pytest.mark.slow
def test_state_is_saved_in_the_background_while_it_changes(start, tmp_path):
    state_file = tmp_path / "portal.state"
    first = start("--state", str(state_file))
    saved_at_start = state_file.stat().st_mtime_ns
    with httpx.Client(base_url=first.webhook) as client:
        client.post("crm.deal.add", json={"fields": {"TITLE": "Без остановки"}})
    deadline = time.monotonic() + 15
    while state_file.stat().st_mtime_ns == saved_at_start and time.monotonic() < deadline:
        time.sleep(0.2)
    first.process.kill()  # no chance to save on the way out
    first.process.communicate(timeout=EXIT_SECONDS)

    second = start("--state", str(state_file))
    with httpx.Client(base_url=second.webhook) as client:
        listed = client.post("crm.deal.list").json()["result"]
    assert [deal["TITLE"] for deal in listed] == ["Без остановки"]
    assert second.stop()[0] == 0


def test_tls_certificates_live_beside_the_state_file(start, tmp_path):
    running = start("--tls", "--state", str(tmp_path / "portal.state"))
    assert Path(running.announced["ca_file"]) == (tmp_path / "sandbox-tls" / "ca.pem").resolve()
    assert running.stop()[0] == 0


def test_an_unreadable_state_file_fails_with_one_line(basedir, tmp_path):
    state_file = tmp_path / "portal.state"
    state_file.write_bytes(b"not a pickle")
    finished = run_to_end(basedir, "--state", str(state_file))
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert len(finished.stderr.splitlines()) == 1 and "cannot read the sandbox state" in finished.stderr


def test_faults_drop_closes_the_connection_without_an_answer(start):
    running = start("--faults", "drop=1")
    with httpx.Client(base_url=running.webhook) as client, pytest.raises(httpx.RemoteProtocolError):
        client.post("crm.deal.list")
    assert running.stop()[0] == 0


def test_faults_move_answers_302_to_the_other_loopback_name(start):
    running = start("--faults", "move=2")
    with httpx.Client() as client:
        for _ in range(2):
            assert client.post(running.webhook + "crm.deal.list").status_code == 200
        moved = client.post(running.webhook + "crm.deal.add", json={"fields": {"TITLE": "Переезд"}})
        assert moved.status_code == 302
        location = moved.headers["location"]
        assert location == running.webhook.replace("//127.0.0.1:", "//localhost:") + "crm.deal.add"
        repeated = client.post(location, json={"fields": {"TITLE": "Переезд"}})
        assert repeated.status_code == 200
        listed = client.post(location.replace("crm.deal.add", "crm.deal.list")).json()["result"]
    assert [deal["TITLE"] for deal in listed] == ["Переезд"]  # the POST that got the 302 did not land
    assert running.stop()[0] == 0


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--limits", "platinum"], "--limits"),
        (["--limits", "custom:speed=3"], "--limits"),
        (["--faults", "gremlins=0.5"], "--faults"),
        (["--faults", "503=2"], "--faults"),
        (["--latency", "satellite"], "--latency"),
        (["--port", "eighty"], "--port"),
        (["--port", "70000"], "--port"),
        (["--seed", "huge"], "--seed"),
    ],
)
def test_a_bad_option_exits_2_with_one_line_naming_it(basedir, args, named):
    finished = run_to_end(basedir, *args)
    assert finished.returncode == 2
    assert finished.stdout == ""
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    assert lines[0].startswith("dpo-desktop: ") and named in lines[0]


def test_a_port_in_use_fails_with_one_line(start, basedir):
    running = start()
    finished = run_to_end(basedir, "--port", str(urlsplit(running.webhook).port))
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert len(finished.stderr.splitlines()) == 1 and "cannot listen" in finished.stderr
    assert running.stop()[0] == 0
