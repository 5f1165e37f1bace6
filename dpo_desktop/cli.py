"""The ``dpo-desktop`` command line (DESIGN §7).

Global options come before the command. Exit codes: 0 done, 1 failed (one clear line on stderr),
2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__, paths


class UsageError(Exception):
    """Bad command-line input: exit code 2 with the reason."""


class Failure(Exception):
    """The command could not be done: exit code 1 with a one-line reason."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dpo-desktop",
        description="DPO Desk: документы участников ДПО на портале Битрикс24.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--basedir", metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument("--profile", metavar="NAME", help="the portal profile to use")
    parser.add_argument("--demo", action="store_true", help="run on an embedded sandbox portal with demo data")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    from .sandbox import serve

    serve.add_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths.set_basedir(args.basedir)
    try:
        if args.command is None:
            if args.demo:
                from .sandbox import serve

                return serve.run_demo(args)
            parser.print_help()
            return 2
        return int(args.run(args) or 0)
    except UsageError as error:
        print(f"dpo-desktop: {error}", file=sys.stderr)
        return 2
    except Failure as error:
        print(f"dpo-desktop: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
