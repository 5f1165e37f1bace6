"""``dpo-desktop`` with no command: the demo on its embedded portal, screenshots, no display, no profile."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from dpo_desktop import cli
from dpo_desktop.ui.gui import has_display

SCREENS = ["01-deals.png", "02-deal.png", "03-documents.png", "04-review.png", "05-uploads.png"]


def assert_screens(folder):
    assert sorted(path.name for path in folder.glob("*.png")) == SCREENS
    for name in SCREENS:
        image = QImage(str(folder / name))
        assert not image.isNull() and image.width() >= 800 and image.height() >= 500, name


def test_the_demo_renders_its_screens_and_keeps_to_its_own_folder(qapp, tmp_path, monkeypatch, capsys):
    base, shots = tmp_path / "base", tmp_path / "shots"
    assert cli.main(["--basedir", str(base), "--demo", "--screenshot", str(shots)]) == 0
    assert_screens(shots)
    assert "экраны демо сохранены" in capsys.readouterr().err
    demo = base / "data" / "demo"
    state = demo / "portal.state"
    assert state.exists() and (demo / "data" / "demo" / "cache.sqlite3").exists()
    assert not (base / "config" / "profiles.json").exists()  # no profile saved: nothing mixes with real ones

    # Again with no display at all: the screens go to demo-screenshots/ (the saved portal is reused).
    for variable in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    saved = state.stat().st_mtime_ns
    assert cli.main(["--basedir", str(base), "--demo"]) == 0
    assert "Дисплея нет" in capsys.readouterr().err
    assert_screens(tmp_path / "demo-screenshots")
    assert state.stat().st_mtime_ns >= saved


def test_without_a_profile_the_app_says_how_to_add_one(qapp, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DPO_B24_WEBHOOK", raising=False)
    assert cli.main(["--basedir", str(tmp_path / "base")]) == 1
    error = capsys.readouterr().err
    assert "Профилей нет" in error and "profile add" in error


@pytest.mark.parametrize(("environment", "platform", "expected"), [
    ({}, "linux", False),
    ({"DISPLAY": ":0"}, "linux", True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
    ({}, "win32", True),
    ({}, "darwin", True),
])
def test_has_display(monkeypatch, environment, platform, expected):
    for variable in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setattr("sys.platform", platform)
    assert has_display() is expected


def test_an_unreadable_demo_portal_is_built_afresh_and_served():
    import httpx

    from dpo_desktop.sandbox.state import PortalState
    from dpo_desktop.secrets import webhook_key
    from dpo_desktop.ui.demo import demo_root, open_demo

    state = demo_root() / "portal.state"
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(b"not a saved portal")
    demo = open_demo()
    try:
        webhook = demo.secrets.get(webhook_key(demo.profile.name))
        assert webhook and webhook.startswith(demo.server.url)
        answer = httpx.post(f"{webhook}crm.deal.list", timeout=10)
        assert answer.status_code == 200 and answer.json()["result"]
    finally:
        demo.close()
    assert PortalState.load(state).webhooks  # saved again, readable
