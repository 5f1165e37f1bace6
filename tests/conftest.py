"""Shared fixtures. Qt runs offscreen; no test touches the user's real folders or keyring."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from dpo_desktop import paths


@pytest.fixture(autouse=True)
def _private_basedir(tmp_path_factory: pytest.TempPathFactory):
    """Every test gets its own --basedir so nothing leaks into the real profile folders."""
    paths.set_basedir(tmp_path_factory.mktemp("basedir"))
    yield
    paths.set_basedir(None)
