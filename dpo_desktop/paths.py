"""Every path the app uses, from one place: platformdirs by default, one folder with ``--basedir``."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "DPO Desk"
APP_AUTHOR = "DPO Desk"

_basedir: Path | None = None


def set_basedir(path: str | Path | None) -> None:
    """Put all data, config and logs under ``path`` (``--basedir``); None restores the defaults."""
    global _basedir
    _basedir = Path(path).expanduser().resolve() if path else None


def _dir(kind: str) -> Path:
    if _basedir is not None:
        folder = _basedir / kind
    else:
        folder = Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, APP_AUTHOR))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def data_dir() -> Path:
    return _dir("data")


def config_dir() -> Path:
    return _dir("config")


def log_dir() -> Path:
    return _dir("log")


def cache_dir() -> Path:
    return _dir("cache")


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
