"""Is there a system keyring we may keep secrets in?

``keyring`` always answers with *some* backend. On a machine without a secret service it is the
``fail`` backend (every call raises) or, when configured so, the ``null`` backend (every write is
silently dropped); with ``keyrings.alt`` installed it may be a plain-text file. None of these keeps a
webhook safe, so none counts as a system keyring; neither does a backend whose first call raises
(a D-Bus error, a locked collection) or does not answer in time (an unlock prompt nobody sees).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

log = logging.getLogger(__name__)

SERVICE = "DPO Desk"
PROBE_KEY = "dpo-desk-probe"
PROBE_TIMEOUT = 5.0


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str  # the backend's class, for the log and the settings page
    reason: str = ""  # why it cannot be used, in Russian


def detect_system_keyring(backend: KeyringBackend | None = None, *, timeout: float = PROBE_TIMEOUT) -> KeyringStatus:
    """Whether ``backend`` (default: keyring's choice) is a working system keyring."""
    try:
        backend = backend if backend is not None else keyring.get_keyring()
    except Exception as error:  # a broken PYTHON_KEYRING_BACKEND or backend constructor
        return KeyringStatus(False, "?", f"хранилище паролей не запускается ({type(error).__name__})")
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    unsafe = _unsafe(backend)
    if unsafe:
        return KeyringStatus(False, name, unsafe)
    if isinstance(backend, chainer.ChainerBackend):
        usable = [item for item in backend.backends if not _unsafe(item)]
        if not usable:
            return KeyringStatus(False, name, "в системе нет хранилища паролей")
    failure = _probe(backend, timeout)
    if failure:
        log.warning("system keyring %s is not usable: %s", name, failure)
        return KeyringStatus(False, name, failure)
    return KeyringStatus(True, name)


def _unsafe(backend: KeyringBackend) -> str:
    if isinstance(backend, fail.Keyring):
        return "в системе нет хранилища паролей"
    if isinstance(backend, null.Keyring):
        return "хранилище паролей отключено (null)"
    if type(backend).__module__.startswith("keyrings.alt"):
        return "хранилище keyrings.alt не шифрует пароли"
    return ""


def _probe(backend: KeyringBackend, timeout: float) -> str:
    """One read in a thread of its own: a keyring may hang on an unlock prompt nobody sees."""
    outcome: list[str] = []

    def read() -> None:
        try:
            backend.get_password(SERVICE, PROBE_KEY)
            outcome.append("")
        except Exception as error:
            outcome.append(f"хранилище паролей отвечает ошибкой ({type(error).__name__})")

    worker = threading.Thread(target=read, name="keyring-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return f"хранилище паролей не ответило за {timeout:g} с"
    return outcome[0]
