"""The command line in-process, against sandbox portals on loopback, with a keyring in memory."""

from tests.cli.harness import cli, memory_keyring

__all__ = ["cli", "memory_keyring"]
