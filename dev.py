#!/usr/bin/env python3
"""Set-up and everyday commands for DPO Desk developers.

    python3 dev.py test [PYTEST ARGS]   create or reuse .venv, install, lint, run every test headless
    python3 dev.py demo                 create or reuse .venv, install, start the demo
    python3 dev.py bench [NAME ...]     run the benchmarks in bench/ (all, or the named ones) and write their
                                        figures into docs/BENCHMARKS.md
    python3 dev.py bundle               build the one-folder bundle (build.spec) and run its --self-test
    python3 dev.py setup                only create or update .venv
    python3 dev.py translations         refresh resources/translations/*.ts from the code (keeps translations)

Standard library only: it must run on a fresh Linux, macOS or Windows machine with Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
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


def ensure_venv(extras: str = "dev") -> Path:
    """The venv's python, with the project and its ``extras`` installed (``dev``; ``bundle`` adds PyInstaller)."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"dev.py: Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed, this is {sys.version}")
    python = venv_python()
    if not python.exists():
        say(f"creating {VENV.name}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    fingerprint = install_fingerprint()
    stamp = STAMP.read_text(encoding="utf-8").split() if STAMP.exists() else []
    installed = set(stamp[1].split(",")) if stamp[:1] == [fingerprint] and len(stamp) > 1 else set()
    if not installed or not set(extras.split(",")) <= installed:
        wanted = ",".join(sorted(installed | set(extras.split(","))))
        say(f"installing the project and its tools [{wanted}] (first run takes a minute)")
        if run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", f".[{wanted}]"]) != 0:
            sys.exit("dev.py: installing the project failed; see the pip output above")
        STAMP.write_text(f"{fingerprint} {wanted}", encoding="utf-8")
    return python


TRANSLATIONS = ROOT / "resources" / "translations"
TRANSLATED_CODE = ROOT / "dpo_desktop" / "ui"
# The source language is Russian: dpo_en holds the English translation, dpo_ru only the Russian plural
# forms of %n messages (lupdate -pluralonly); see dpo_desktop/ui/i18n.py.
TRANSLATION_LANGUAGES = ("en", "ru")


def qt_tool(name: str) -> Path:
    """A PySide6 tool (lupdate, lrelease) installed beside the venv's python."""
    return venv_python().parent / (f"pyside6-{name}.exe" if os.name == "nt" else f"pyside6-{name}")


def lupdate_command(language: str, ts_file: Path) -> list[str | Path]:
    """lupdate over the interface code into ``ts_file``: existing translations kept, vanished ones dropped."""
    sources = sorted(TRANSLATED_CODE.rglob("*.py"))
    options = ["-silent", "-locations", "none", "-no-obsolete", "-source-language", "ru", "-target-language", language]
    if language == "ru":
        options.append("-pluralonly")
    return [qt_tool("lupdate"), *options, *sources, "-ts", ts_file]


def build_translations() -> int:
    """Compile each resources/translations/*.ts newer than its .qm (the .qm files are never committed)."""
    for source in sorted(TRANSLATIONS.glob("*.ts")):
        target = source.with_suffix(".qm")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        if run([qt_tool("lrelease"), "-silent", source, "-qm", target]) != 0:
            say(f"building {target.name} failed; the interface stays Russian")
            return 1
    return 0


def cmd_translations(_args: list[str]) -> int:
    ensure_venv()
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for language in TRANSLATION_LANGUAGES:
        ts_file = TRANSLATIONS / f"dpo_{language}.ts"
        say(f"lupdate -> {ts_file.relative_to(ROOT)}")
        if run(lupdate_command(language, ts_file)) != 0:
            return 1
    return build_translations()


def headless_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A guard against a system keyring prompting on a headless runner; tests install their own.
    env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    env["PYTHONUTF8"] = "1"
    return env


def cmd_test(args: list[str]) -> int:
    python = ensure_venv()
    build_translations()
    env = headless_env()
    say("ruff check")
    if run([python, "-m", "ruff", "check", "."], env) != 0:
        return 1
    say("pytest")
    return run([python, "-m", "pytest", *args], env)


def cmd_demo(args: list[str]) -> int:
    python = ensure_venv()
    build_translations()
    return run([python, "-m", "dpo_desktop", "--demo", *args])


def cmd_bench(args: list[str]) -> int:
    """Run the benchmarks, then merge their figures into docs/BENCHMARKS.md (also after a failed one)."""
    python = ensure_venv()
    env = headless_env()
    with tempfile.TemporaryDirectory(prefix="dpo-bench-") as folder:
        env["DPO_BENCH_FIGURES"] = str(Path(folder) / "figures.jsonl")
        status = run([python, "-m", "bench", *args], env)
        if status == 2:  # a usage error (an unknown benchmark): nothing was measured
            return status
        written = run([python, "-m", "bench.report", env["DPO_BENCH_FIGURES"], *args], env)
    return status or written


BUNDLE = ROOT / "dist" / "dpo-desktop"
# What the bundle's self-test may say on stderr (everything else fails the build): Qt's note on a
# non-UTF-8 locale (a clean environment has none) and the offscreen platform's remark.
SELFTEST_STDERR_ALLOWED = re.compile(
    r'Detected locale "C"|Qt depends on a UTF-8 locale|reconfigure your locale|^for more information\.$'
    r"|does not support propagateSizeHints"
)
# A clean environment, as on a user's machine: no venv, no Python or Qt variables, an empty home.
PASSED_TO_BUNDLE = ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "LANG", "LC_ALL", "DISPLAY", "WAYLAND_DISPLAY",
                    "XDG_RUNTIME_DIR")


def cmd_bundle(_args: list[str]) -> int:
    python = ensure_venv("bundle,dev")
    say("pyinstaller build.spec (about a minute)")
    started = time.monotonic()
    if run([python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", "build.spec"],
           headless_env()) != 0:
        return 1
    size = sum(file.stat().st_size for file in BUNDLE.rglob("*") if file.is_file() and not file.is_symlink())
    say(f"built {BUNDLE.relative_to(ROOT)} in {time.monotonic() - started:.0f} s: {size / 2**20:.0f} MB")
    return bundle_selftest()


def bundle_selftest() -> int:
    """Run the built bundle's ``--self-test`` in a clean environment; check its line and its stderr."""
    program = BUNDLE / ("dpo-desktop-cli.exe" if os.name == "nt" else "dpo-desktop")
    with tempfile.TemporaryDirectory(prefix="dpo-bundle-home-") as home:
        env = {name: os.environ[name] for name in PASSED_TO_BUNDLE if name in os.environ}
        env.update(PATH=os.pathsep.join(part for part in os.environ.get("PATH", "").split(os.pathsep)
                                        if not part.startswith(str(VENV))),
                   HOME=home, USERPROFILE=home)
        started = time.monotonic()
        result = subprocess.run([str(program), "--self-test"], env=env, cwd=home, capture_output=True,
                                encoding="utf-8", errors="replace", timeout=600)
        seconds = time.monotonic() - started
    print(result.stdout, end="", flush=True)
    unexpected = [line for line in result.stderr.splitlines()
                  if line.strip() and not SELFTEST_STDERR_ALLOWED.search(line)]
    if os.environ.get("DPO_BUNDLE_DEBUG") == "1":  # the debug variant traces every import on stderr
        print(result.stderr, end="", file=sys.stderr)
        unexpected = []
    sources = sorted(path.stem for path in (ROOT / "resources" / "translations").glob("*.ts"))
    shipped = re.search(r"\btranslations=(\S+)", result.stdout)
    problems = []
    if result.returncode != 0 or not result.stdout.startswith("SELFTEST OK"):
        problems.append(f"exit code {result.returncode}")
    if unexpected:
        problems.append("unexpected stderr:\n  " + "\n  ".join(unexpected))
    if shipped is None or shipped.group(1) != (",".join(sources) or "none"):
        problems.append(f"translations in the bundle: {shipped and shipped.group(1)}, sources: {sources or 'none'}")
    if problems:
        say("the bundle's self-test failed: " + "; ".join(problems))
        return 1
    say(f"the bundle's self-test passed in {seconds:.1f} s")
    return 0


def main(argv: list[str]) -> int:
    commands = {"test": cmd_test, "demo": cmd_demo, "bench": cmd_bench, "bundle": cmd_bundle,
                "setup": lambda _a: (ensure_venv(), build_translations())[1], "translations": cmd_translations}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
