"""Secrets in a file of the config folder: only by the user's explicit choice, and never silently.

The file is readable by its owner only and written atomically, but it is not encrypted: whoever can
read it can use the portal. :attr:`FileSecretStore.warning` says so, for the UI to show every time.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..logs import register_secret
from .store import SecretStore, SecretStoreError

FILE_NAME = "secrets.json"
FORMAT = 1


class FileSecretStore(SecretStore):
    kind = "file"

    def __init__(self, path: Path, reason: str = "") -> None:
        self.path = Path(path)
        self.reason = reason

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise SecretStoreError(f"Файл секретов {self.path} не читается ({type(error).__name__})") from None
        values = data.get("secrets") if isinstance(data, dict) else None
        if not isinstance(values, dict):
            return {}
        return {str(key): str(value) for key, value in values.items()}

    def _write(self, values: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        try:
            os.chmod(temporary, 0o600)  # mkstemp makes it private already; say so for other platforms' sake
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump({"format": FORMAT, "secrets": values}, stream, ensure_ascii=False, indent=1)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> str | None:
        value = self._read().get(key)
        register_secret(value)
        return value

    def set(self, key: str, value: str) -> None:
        register_secret(value)
        values = self._read()
        values[key] = value
        self._write(values)

    def delete(self, key: str) -> None:
        values = self._read()
        if values.pop(key, None) is not None:
            self._write(values)

    @property
    def warning(self) -> str:
        return (f"Вебхук хранится без шифрования в файле {self.path}: любой, кто прочитает этот файл, получит доступ "
                "к порталу. Включайте это, только если на компьютере нет системного хранилища паролей.")
