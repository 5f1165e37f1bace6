"""What can go wrong with the local cache, in words a manager can act on.

The messages are Russian because they reach the user as they are (a CLI line, a dialog); the detail a
developer needs goes to the log.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The local cache cannot be used as asked."""


class NewerSchemaError(StoreError):
    """The file was written by a newer DPO Desk: it is left untouched, never downgraded."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"Файл кэша {path.name} создан более новой версией DPO Desk (схема {found}, эта версия знает "
            f"схемы до {supported}). Обновите программу; файл оставлен без изменений."
        )
        self.path = path
        self.found = found
        self.supported = supported


class MigrationError(StoreError):
    """A migration step failed; it was rolled back and the file stays at the version it reached."""

    def __init__(self, path: Path, version: int, backup: Path | None, detail: str) -> None:
        kept = f" Копия прежнего файла: {backup.name}." if backup is not None else ""
        super().__init__(f"Не удалось обновить файл кэша {path.name} до схемы {version}: {detail}.{kept}")
        self.path = path
        self.version = version
        self.backup = backup


class StoreNotReadyError(StoreError):
    """A reader was opened on a cache that the writer has not created or migrated yet."""

    def __init__(self, path: Path, found: int | None, expected: int) -> None:
        if found is None:
            reason = f"Файл кэша {path.name} ещё не создан: сначала его должна открыть программа или синхронизация."
        else:
            reason = (f"Файл кэша {path.name} имеет схему {found}, а нужна {expected}: "
                      "сначала его должна открыть программа или синхронизация.")
        super().__init__(reason)
        self.path = path
        self.found = found
        self.expected = expected


class StoreBusyError(StoreError):
    """Another process kept the cache's write lock longer than the busy timeout."""

    def __init__(self, path: Path, seconds: float) -> None:
        super().__init__(f"Файл кэша {path.name} занят другим процессом DPO Desk дольше {seconds:g} с; "
                         "повторите позже.")
        self.path = path
