"""The commands of ``dpo-desktop`` (DESIGN §7) beyond the GUI: one module per command group.

``cli.py`` stays the entry point: it builds the parser, calls :func:`add_commands`, and turns
``UsageError``/``Failure`` into exit codes 2 and 1.
"""

from __future__ import annotations

import argparse

from . import (
    frdo_command,
    log_command,
    missing_command,
    participant_commands,
    portal_commands,
    profile_commands,
    push_command,
    queue_command,
    sync_command,
    upload_command,
    wipe_command,
)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register every command of this package with the top-level parser."""
    for module in (profile_commands, portal_commands, sync_command, missing_command, participant_commands,
                   upload_command, queue_command, push_command, wipe_command, log_command, frdo_command):
        module.add_command(commands)
