"""SecretStore over keyring with a visible fallback (DESIGN §8, style «Settings and secrets»).

Order: the system keyring; otherwise a session-only memory store; a plain file in the config folder
only when the user opted in. ``DPO_B24_WEBHOOK`` (a full webhook URL, for automation) wins over any
store. Nothing here logs a secret or writes one anywhere but the chosen store.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend

from .. import paths
from ..logs import register_secret
from .detect import SERVICE, KeyringStatus, detect_system_keyring
from .file_store import FILE_NAME, FileSecretStore
from .store import KeyringSecretStore, MemorySecretStore, SecretStore, SecretStoreError

__all__ = [
    "ENV_WEBHOOK", "SERVICE", "FileSecretStore", "KeyringSecretStore", "KeyringStatus", "MemorySecretStore",
    "SecretStore", "SecretStoreError", "detect_system_keyring", "oauth_key", "open_secret_store",
    "webhook_from_env", "webhook_key",
]

log = logging.getLogger(__name__)

ENV_WEBHOOK = "DPO_B24_WEBHOOK"


def open_secret_store(*, allow_file: bool = False, backend: KeyringBackend | None = None,
                      file_path: Path | None = None) -> SecretStore:
    """The store to use on this machine: the system keyring when it works, else the visible fallback.

    ``allow_file`` is the user's explicit opt-in to a plain file (``file_path``, by default
    ``secrets.json`` in the config folder); without it the fallback keeps secrets for this session only.
    """
    status = detect_system_keyring(backend)
    if status.usable:
        return KeyringSecretStore(backend if backend is not None else keyring.get_keyring())
    if allow_file:
        store: SecretStore = FileSecretStore(file_path or paths.config_dir() / FILE_NAME, reason=status.reason)
    else:
        store = MemorySecretStore(reason=status.reason)
    log.warning("no system keyring (%s, %s): secrets kept in the %s store", status.backend, status.reason, store.kind)
    return store


def webhook_key(profile: str) -> str:
    """The key of a profile's webhook in the store: one per profile."""
    return f"{profile}/webhook"


def oauth_key(profile: str) -> str:
    """The key of a profile's OAuth tokens and application secret (JSON) in the store."""
    return f"{profile}/oauth"


def webhook_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """``DPO_B24_WEBHOOK`` when set (automation): it wins over whatever a store holds."""
    value = (environ if environ is not None else os.environ).get(ENV_WEBHOOK, "").strip()
    if not value:
        return None
    register_secret(value)
    return value
