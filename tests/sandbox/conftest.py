from __future__ import annotations

import pytest

from .portal_fixtures import Sandbox, make_sandbox


@pytest.fixture
def sandbox() -> Sandbox:
    box = make_sandbox()
    yield box
    box.client.close()
