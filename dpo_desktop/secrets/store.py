"""Where secrets live: the system keyring, or a visible fallback (this session only, or a file by opt-in).

Every store has the same three calls and says what it is (``kind``) and, for a fallback, what the
user must be told (``warning``). Values read or written are registered for redaction, so a secret
that passes through the app is masked in every log line and error text from then on.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from ..logs import register_secret
from .detect import SERVICE

log = logging.getLogger(__name__)


class SecretStoreError(Exception):
    """The store could not keep or give a secret; the text names no secret."""


class SecretStore(ABC):
    kind: str  # "system", "memory" or "file"

    @abstractmethod
    def get(self, key: str) -> str | None: ...

    @abstractmethod
    def set(self, key: str, value: str) -> None: ...

    @abstractmethod
    def delete(self, key: str) -> None:
        """Forget ``key``; forgetting what is not there is not an error."""

    @property
    def warning(self) -> str | None:
        """What the user must know about this store (None for the system keyring)."""
        return None


class KeyringSecretStore(SecretStore):
    """The operating system's keyring (service «DPO Desk», one key per profile and kind of secret)."""

    kind = "system"

    def __init__(self, backend: KeyringBackend, service: str = SERVICE) -> None:
        self.backend = backend
        self.service = service

    def get(self, key: str) -> str | None:
        try:
            value = self.backend.get_password(self.service, key)
        except KeyringError as error:
            raise SecretStoreError(f"Хранилище паролей не выдало секрет «{key}» ({type(error).__name__})") from None
        register_secret(value)
        return value

    def set(self, key: str, value: str) -> None:
        register_secret(value)
        try:
            self.backend.set_password(self.service, key, value)
        except KeyringError as error:
            raise SecretStoreError(f"Хранилище паролей не сохранило секрет «{key}» ({type(error).__name__})") from None

    def delete(self, key: str) -> None:
        try:
            self.backend.delete_password(self.service, key)
        except PasswordDeleteError:
            pass  # nothing stored under this key
        except KeyringError as error:
            raise SecretStoreError(f"Хранилище паролей не удалило секрет «{key}» ({type(error).__name__})") from None


class MemorySecretStore(SecretStore):
    """Secrets for this session only: what the app uses when the system has no keyring."""

    kind = "memory"

    def __init__(self, reason: str = "") -> None:
        self.reason = reason
        self._values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        register_secret(value)
        self._values[key] = value

    def delete(self, key: str) -> None:
        self._values.pop(key, None)

    @property
    def warning(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return (f"Системное хранилище паролей недоступно{why}. Вебхук хранится только до закрытия программы: "
                "при следующем запуске его придётся ввести снова или задать переменную окружения DPO_B24_WEBHOOK.")
