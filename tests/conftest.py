"""Shared fixtures. Qt runs offscreen; no test touches the user's real folders or keyring."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest

from dpo_desktop import paths
from tests.secrets.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def _private_basedir(tmp_path_factory: pytest.TempPathFactory):
    """Every test gets its own --basedir so nothing leaks into the real profile folders."""
    paths.set_basedir(tmp_path_factory.mktemp("basedir"))
    yield
    paths.set_basedir(None)


@pytest.fixture(autouse=True)
def _private_keyring():
    """No test reaches the machine's real keyring: each gets an empty one in memory (tests that need
    another backend install it themselves)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)
