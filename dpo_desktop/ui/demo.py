"""The embedded demo portal behind ``dpo-desktop --demo`` (DESIGN §1 and §7).

A sandbox portal with the demo seed is served on a loopback port inside this process; the app talks
to it over real HTTP like to any portal. Everything the demo keeps — the portal's state, the cache,
settings, logs — lives under ``paths.data_dir()/"demo"``, which becomes the base folder for the rest
of the run, so the demo never touches a real profile. The profile is never saved and its webhook
lives only in a :class:`MemorySecretStore`.
"""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from .. import paths
from ..profiles import Profile
from ..sandbox import seeds
from ..sandbox.limits import PLANS
from ..sandbox.portal import Portal
from ..sandbox.server import LoopbackServer
from ..sandbox.state import PortalState
from ..secrets import ENV_WEBHOOK, MemorySecretStore, webhook_key

log = logging.getLogger("dpo.ui")

DEMO_FOLDER = "demo"
STATE_FILE = "portal.state"
PROFILE_NAME = "demo"


@dataclass
class DemoPortal:
    root: Path
    portal: Portal
    server: LoopbackServer
    profile: Profile
    secrets: MemorySecretStore

    @property
    def state_path(self) -> Path:
        return self.root / STATE_FILE

    def save(self) -> None:
        with self.portal.lock:  # a consistent snapshot while the lane may still be talking to it
            self.portal.state.save(self.state_path)

    def close(self) -> None:
        """Stop serving and keep the portal's state for the next demo."""
        self.server.stop()
        try:
            self.save()
        except OSError as error:
            log.warning("the demo portal's state was not saved: %s", error)


def demo_root() -> Path:
    return paths.data_dir() / DEMO_FOLDER


def _saved_state(path: Path) -> PortalState | None:
    """The demo portal as it was left, or None (never made, or unreadable: then the demo starts afresh)."""
    if not path.exists():
        return None
    try:
        return PortalState.load(path)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as error:
        log.warning("the saved demo portal could not be read (%s); a fresh one is built", type(error).__name__)
        return None


def open_demo() -> DemoPortal:
    """Load (or build) the demo portal, serve it on loopback and make its unsaved profile.

    Afterwards :mod:`paths` points inside the demo folder for the rest of the process.
    """
    root = demo_root()
    root.mkdir(parents=True, exist_ok=True)
    # The demo must never reach a real portal: the variable would win over the demo's own webhook.
    os.environ.pop(ENV_WEBHOOK, None)
    state_path = root / STATE_FILE
    state = _saved_state(state_path)
    fresh = state is None
    if state is None:
        state = seeds.build("demo")
    admin = next(user for user in state.users.values() if user.admin)
    codes = [code for code, hook in state.webhooks.items() if hook.user_id == admin.id and hook.scopes is None]
    code = codes[-1] if codes and not fresh else state.add_webhook(admin.id)
    portal = Portal(state, limits=PLANS["off"])
    server = LoopbackServer(portal).start()
    webhook = f"{server.url}/rest/{admin.id}/{code}/"
    secrets = MemorySecretStore(QCoreApplication.translate("Demo", "демо-режим"))
    profile = Profile(name=PROFILE_NAME, portal=webhook, rate_plan="off")
    secrets.set(webhook_key(profile.name), webhook)
    demo = DemoPortal(root, portal, server, profile, secrets)
    if fresh:
        demo.save()
    paths.set_basedir(root)
    log.info("demo portal served on %s", server.url)
    return demo
