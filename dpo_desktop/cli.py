"""The ``dpo-desktop`` command line (DESIGN §7).

Global options come before the command. Exit codes: 0 done, 1 failed (one clear line on stderr),
2 usage error. Expected failures — no connection, a refused webhook, a damaged profile file or
cache — end with their one-line Russian reason, never a traceback; the commands live in
``dpo_desktop/commands/``.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import __version__, paths


class UsageError(Exception):
    """Bad command-line input: exit code 2 with the reason."""


class Failure(Exception):
    """The command could not be done: exit code 1 with a one-line reason."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; the ``sandbox`` command only when ``argv`` may need it (see :func:`_wants_sandbox`)."""
    parser = argparse.ArgumentParser(
        prog="dpo-desktop",
        description="DPO Desk: документы участников ДПО на портале Битрикс24.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--basedir", metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument("--profile", metavar="NAME", help="the portal profile to use")
    parser.add_argument("--demo", action="store_true", help="run on an embedded sandbox portal with demo data")
    parser.add_argument("--screenshot", metavar="DIR", help="render each main screen to DIR/*.png and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (libraries, resources, fonts, a demo render) and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    if _wants_sandbox(sys.argv[1:] if argv is None else argv):
        from .sandbox import serve

        serve.add_command(commands)
    from .commands import add_commands

    add_commands(commands)
    return parser


def _wants_sandbox(argv: Sequence[str]) -> bool:
    """Whether the command line may be about the sandbox: its command, ``--demo``, or help or nothing at all.

    The sandbox portal (a server, certificates, seed data) is a tool for tests, benchmarks and the demo;
    the office's own commands start faster without it, and never run its code.
    """
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--basedir")
    early.add_argument("--profile")
    early.add_argument("--demo", action="store_true")
    early.add_argument("-h", "--help", action="store_true")
    early.add_argument("command", nargs="?")
    try:
        known, _rest = early.parse_known_args(list(argv))
    except SystemExit:  # e.g. --basedir without its value: the full parser will say so
        return True
    return known.command in (None, "sandbox") or known.demo or known.help


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: 2 for bad input, 0 after --help or --version
        return stop.code if isinstance(stop.code, int) else 2
    paths.set_basedir(args.basedir)
    if args.self_test:
        from .selftest import run_selftest

        return run_selftest()
    try:
        if args.command is None:
            from .ui.gui import run_gui

            with _log_file("gui"):
                return run_gui(args)
        with _log_file(args.command):
            return _run(args)
    except UsageError as error:
        print(f"dpo-desktop: {error}", file=sys.stderr)
        return 2
    except Failure as error:
        print(f"dpo-desktop: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Whoever read our output stopped reading (``dpo-desktop missing | head``): no traceback for that.
        _discard_stdout()
        return 1
    finally:
        paths.clear_sessions(own=True)  # plain copies of documents this run showed or uploaded (152-ФЗ)


def _discard_stdout() -> None:
    """Point stdout at the null device so that the interpreter's final flush does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing will be flushed to a closed pipe


def _run(args: argparse.Namespace) -> int:
    """The command, with the app's expected failures turned into :class:`Failure` (their texts are Russian)."""
    from .profiles import ProfileError
    from .rules import RulesFileError
    from .secrets import SecretStoreError
    from .store import StoreError

    try:
        return int(args.run(args) or 0)
    except (ProfileError, SecretStoreError, StoreError, RulesFileError) as error:
        raise Failure(str(error)) from None


@contextmanager
def _log_file(command: str) -> Iterator[None]:
    """The command's log lines go to the rotating file in ``paths.log_dir()``, redacted; only for this run."""
    if command == "sandbox":  # the sandbox server logs on its own terms
        yield
        return
    from .logs import LEVEL_VARIABLE, RedactingFormatter

    root = logging.getLogger()
    level = getattr(logging, (os.environ.get(LEVEL_VARIABLE) or "INFO").upper(), logging.INFO)
    handler = logging.handlers.RotatingFileHandler(Path(paths.log_dir()) / "dpo-desktop.log", maxBytes=2_000_000,
                                                   backupCount=3, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(level)
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(min(previous_level or logging.WARNING, level))
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
        handler.close()
