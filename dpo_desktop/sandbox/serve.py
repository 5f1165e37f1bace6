"""``dpo-desktop sandbox``: serve a sandbox portal over loopback HTTP or HTTPS (stub, being written)."""

from __future__ import annotations

import argparse


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("sandbox", help="serve a sandbox Bitrix24 portal on loopback")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError


def run_demo(args: argparse.Namespace) -> int:
    raise NotImplementedError
