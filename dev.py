#!/usr/bin/env python3
"""Set-up and everyday commands for DPO Desk developers.

    python3 dev.py test [PYTEST ARGS]   create or reuse .venv, install, lint, run every test headless
    python3 dev.py demo                 create or reuse .venv, install, start the demo
    python3 dev.py bench [NAME ...]     run the benchmarks in bench/ (all, or the named ones)
    python3 dev.py setup                only create or update .venv

Standard library only: it must run on a fresh Linux, macOS or Windows machine with Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".dpo-desktop-installed"
MIN_PYTHON = (3, 11)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def say(text: str) -> None:
    print(f"dev.py: {text}", flush=True)


def run(args: list[str | Path], env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def install_fingerprint() -> str:
    """What the installed environment depends on: the project metadata and this interpreter."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_venv() -> Path:
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"dev.py: Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed, this is {sys.version}")
    python = venv_python()
    if not python.exists():
        say(f"creating {VENV.name}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    fingerprint = install_fingerprint()
    if not STAMP.exists() or STAMP.read_text(encoding="utf-8") != fingerprint:
        say("installing the project and its dev tools (first run takes a minute)")
        if run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", ".[dev]"]) != 0:
            sys.exit("dev.py: installing the project failed; see the pip output above")
        STAMP.write_text(fingerprint, encoding="utf-8")
    return python


def headless_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A guard against a system keyring prompting on a headless runner; tests install their own.
    env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    env["PYTHONUTF8"] = "1"
    return env


def cmd_test(args: list[str]) -> int:
    python = ensure_venv()
    env = headless_env()
    say("ruff check")
    if run([python, "-m", "ruff", "check", "."], env) != 0:
        return 1
    say("pytest")
    return run([python, "-m", "pytest", *args], env)


def cmd_demo(args: list[str]) -> int:
    python = ensure_venv()
    return run([python, "-m", "dpo_desktop", "--demo", *args])


def cmd_bench(args: list[str]) -> int:
    python = ensure_venv()
    return run([python, "-m", "bench", *args], headless_env())


def main(argv: list[str]) -> int:
    commands = {"test": cmd_test, "demo": cmd_demo, "bench": cmd_bench, "setup": lambda _a: (ensure_venv(), 0)[1]}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
