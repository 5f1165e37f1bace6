"""The app's command line against sandbox portals on loopback: the issue's end-to-end scenarios."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dpo_desktop.sandbox import seeds
from tests.cli.harness import Cli, LoopbackPortal, add_profile, cli, memory_keyring

__all__ = ["cli", "demo_portal", "memory_keyring", "office"]


@pytest.fixture
def demo_portal() -> Iterator[LoopbackPortal]:
    portal = LoopbackPortal(seeds.build("demo")).start()
    yield portal
    portal.stop()


@pytest.fixture
def office(cli: Cli, demo_portal: LoopbackPortal) -> LoopbackPortal:
    """The demo office's portal with a profile «office» for it (its webhook in the keyring)."""
    add_profile(cli, demo_portal)
    return demo_portal
