"""Every path the app uses, from one place: platformdirs by default, one folder with ``--basedir``.

The folders hold personal data (152-ФЗ), so they are private to the user: on POSIX the first use of a
folder sets the process umask to 077 (every file and folder made from then on is the owner's only)
and brings what is already inside to 0700 folders and 0600 files. On Windows the folders live in the
user's own profile (``%LOCALAPPDATA%``), whose access list already admits only that user and the system.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import platformdirs

APP_NAME = "DPO Desk"
APP_AUTHOR = "DPO Desk"

_basedir: Path | None = None
_private: set[Path] = set()  # folders already made private in this process


def set_basedir(path: str | Path | None) -> None:
    """Put all data, config and logs under ``path`` (``--basedir``); None restores the defaults."""
    global _basedir
    _basedir = Path(path).expanduser().resolve() if path else None


def _dir(kind: str) -> Path:
    if _basedir is not None:
        folder = _basedir / kind
    else:
        folder = Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, APP_AUTHOR))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder not in _private:
        make_private(folder)
        _private.add(folder)
    return folder


def make_private(folder: Path) -> None:
    """``folder`` and everything in it readable by the owner only, and so everything made from now on."""
    if os.name != "posix":
        return  # see the module's docstring: the profile folder is per-user already
    os.umask(0o077)
    os.chmod(folder, 0o700)
    for root, folders, files in os.walk(folder):
        for names, mode in ((folders, 0o700), (files, 0o600)):
            for name in names:
                path = os.path.join(root, name)
                if not os.path.islink(path):  # a link's target is not ours to change
                    os.chmod(path, mode)


def data_dir() -> Path:
    return _dir("data")


def config_dir() -> Path:
    return _dir("config")


def log_dir() -> Path:
    return _dir("log")


def cache_dir() -> Path:
    return _dir("cache")


def session_dir() -> Path:
    """Plain copies of documents shown or opened in this run (a viewer needs a file): private to the
    user, removed at exit and at the next start (:func:`clear_sessions`)."""
    folder = cache_dir() / "session" / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def clear_sessions(*, own: bool = False) -> None:
    """Remove the session folders of runs that are over (and this run's own with ``own``)."""
    root = cache_dir() / "session"
    for folder in root.glob("*") if root.is_dir() else ():
        pid = int(folder.name) if folder.name.isdigit() else None
        mine = pid == os.getpid()
        if (mine and not own) or (not mine and pid is not None and _running(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if os.name != "posix":
        return False  # no cheap check: the folder of a run still open is taken only at the next start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
