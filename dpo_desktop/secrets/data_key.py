"""The data key that encrypts a data folder's cache and files: in the keyring, or in a private file beside it.

One random 256-bit key per data folder (a profile's folder), kept in the system keyring under
``data-key/<folder digest>``. Without a usable keyring the key goes to ``data.key`` (mode 0600) in the
folder itself. That is a deliberate choice over a key for this session only: a session key would make
the app throw the cache away and download the whole portal again at every start. A key file still
protects a cache copied or backed up on its own, but not against someone who can sign in as the user;
:attr:`DataKey.warning` says exactly that, for the UI and the CLI to show. Automation without a
keyring session (a scheduled CLI run) may pass the key in ``DPO_DATA_KEY`` (base64), which wins.

The key is never logged and never appears in an exception text (it is registered for redaction).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from ..logs import register_secret
from .detect import SERVICE, detect_system_keyring

log = logging.getLogger(__name__)

KEY_FILE = "data.key"
KEY_BYTES = 32
ENV_DATA_KEY = "DPO_DATA_KEY"


@dataclass(frozen=True)
class DataKey:
    key: bytes = field(repr=False)
    where: str  # "system" (the keyring), "file" or "env"
    created: bool  # made just now: a cache sealed with an older key will not open
    warning: str | None = None  # what the user must know (the key is in a file), in Russian


def keyring_name(folder: Path) -> str:
    """The key's name in the keyring: one per data folder, from its absolute path."""
    digest = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"data-key/{digest}"


def load_data_key(folder: Path, backend: KeyringBackend | None = None) -> DataKey:
    """The folder's data key, made (and kept) if it has none yet.

    A key file already in the folder wins: it was made there when no keyring was at hand (or by a
    process without one, such as a scheduled CLI run), and the cache it sealed must stay readable.
    """
    folder = Path(folder)
    from_env = os.environ.get(ENV_DATA_KEY, "").strip()
    if from_env:
        key = _decode(from_env)
        if key is None:
            raise ValueError(f"{ENV_DATA_KEY} is not a base64 256-bit key")
        return DataKey(key, "env", False)
    if (folder / KEY_FILE).exists():
        return _from_file(folder, "")
    status = detect_system_keyring(backend)
    if status.usable:
        try:
            return _from_keyring(folder, backend if backend is not None else keyring.get_keyring())
        except KeyringError as error:
            reason = f"хранилище паролей отвечает ошибкой ({type(error).__name__})"
    else:
        reason = status.reason
    log.warning("no system keyring for the data key (%s): it is kept in %s", reason, KEY_FILE)
    return _from_file(folder, reason)


def forget_data_key(folder: Path, backend: KeyringBackend | None = None) -> None:
    """Forget the folder's key wherever it is (the cache it sealed can no longer be read)."""
    (Path(folder) / KEY_FILE).unlink(missing_ok=True)
    try:
        (backend if backend is not None else keyring.get_keyring()).delete_password(SERVICE, keyring_name(folder))
    except KeyringError:
        pass  # not there, or no keyring at all


def _from_keyring(folder: Path, backend: KeyringBackend) -> DataKey:
    name = keyring_name(folder)
    stored = backend.get_password(SERVICE, name)
    key = _decode(stored) if stored else None
    created = key is None
    if key is None:
        key = os.urandom(KEY_BYTES)
        encoded = base64.b64encode(key).decode("ascii")
        register_secret(encoded)
        backend.set_password(SERVICE, name, encoded)
    return DataKey(key, "system", created)


def _from_file(folder: Path, reason: str) -> DataKey:
    path = folder / KEY_FILE
    key = None
    try:
        key = _decode(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError):
        pass  # no file yet (or unreadable): a new key, and the cache is rebuilt
    created = key is None
    if key is None:
        key = os.urandom(KEY_BYTES)
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(base64.b64encode(key).decode("ascii"))
    os.chmod(path, 0o600)
    unavailable = f"Системное хранилище паролей недоступно ({reason}). " if reason else ""
    warning = (f"{unavailable}Ключ шифрования локальной копии данных хранится в файле {path}: это защищает "
               "от копирования одного кэша, но не от того, кто входит в систему под вашей учётной записью.")
    return DataKey(key, "file", created, warning)


def _decode(text: str) -> bytes | None:
    register_secret(text)
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None
