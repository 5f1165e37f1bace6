"""Running ``dpo-desktop`` in-process against a sandbox portal served on loopback.

``Cli`` calls :func:`dpo_desktop.cli.main` with ``--basedir`` (always: without it the command would
use the real user folders) and returns the exit code with what went to stdout and stderr.
``LoopbackPortal`` serves a :class:`PortalState` on 127.0.0.1 and can be stopped and started again on
the same port over the same state — a portal that goes away and comes back.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest

from dpo_desktop.cli import main
from dpo_desktop.sandbox.limits import PLANS
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.server import LoopbackServer
from dpo_desktop.sandbox.state import PortalState
from dpo_desktop.secrets import ENV_WEBHOOK
from tests.secrets.memory_keyring import MemoryKeyring


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def lines(self) -> list[str]:
        return self.err.strip().splitlines()


class Cli:
    def __init__(self, basedir: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
        self.basedir = basedir
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str | None = None) -> Result:
        self._monkeypatch.setattr(sys, "stdin", io.StringIO(stdin if stdin is not None else ""))
        self._capsys.readouterr()
        code = main(["--basedir", str(self.basedir), *args])
        out, err = self._capsys.readouterr()
        return Result(code, out, err)

    def cache(self, profile: str = "office") -> Path:
        return self.basedir / "data" / profile / "cache.sqlite3"

    def every_file(self) -> Iterator[Path]:
        return (path for path in self.basedir.rglob("*") if path.is_file())


class LoopbackPortal:
    """A sandbox portal on a loopback port; ``stop()`` and ``start()`` again keep port and state."""

    def __init__(self, state: PortalState) -> None:
        self.state = state
        self.admin = next(user for user in state.users.values() if user.admin)
        self.code = state.add_webhook(self.admin.id)
        self.port = 0
        self.server: LoopbackServer | None = None

    def start(self) -> LoopbackPortal:
        # A new Portal over the same state: what a restarted sandbox process would serve.
        self.server = LoopbackServer(Portal(self.state, limits=PLANS["off"]), port=self.port).start()
        self.port = self.server.port
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}/rest/{self.admin.id}/{self.code}/"

    def new_webhook(self) -> str:
        self.code = self.state.add_webhook(self.admin.id)
        return self.webhook


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A working system keyring in memory (and no DPO_B24_WEBHOOK from the environment)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_WEBHOOK, raising=False)
        yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch, memory_keyring) -> Cli:
    return Cli(tmp_path / "basedir", capsys, monkeypatch)


def add_profile(cli: Cli, portal: LoopbackPortal, name: str = "office") -> Result:
    result = cli("profile", "add", name, "--webhook-stdin", stdin=f"{portal.webhook}\n")
    assert result.code == 0, result.err
    return result
