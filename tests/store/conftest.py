"""A real cache file in tmp_path for every test that asks for one."""

from __future__ import annotations

import pytest

from dpo_desktop.store import Store


@pytest.fixture
def cache_path(tmp_path):
    return tmp_path / "profile" / "cache.sqlite3"


@pytest.fixture
def store(cache_path):
    opened = Store.open(cache_path)
    yield opened
    opened.close()
