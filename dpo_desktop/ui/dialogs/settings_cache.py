"""A profile's cache file, and clearing it from the settings dialog (never the cache the app has open)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ... import paths

log = logging.getLogger("dpo.ui")

CACHE_NAME = "cache.sqlite3"


def cache_file(profile: str) -> Path:
    return paths.data_dir() / profile / CACHE_NAME


def clear_cache(profile: str, in_use: str | None) -> str:
    """Delete ``profile``'s cache (with its WAL files) unless the running app uses it; what happened, to show."""
    if profile == in_use:
        return QCoreApplication.translate(
            "Settings", "Кэш профиля «{profile}» сейчас открыт программой. Закройте программу и откройте её с "
            "другим профилем, чтобы очистить его.").format(profile=profile)
    main = cache_file(profile)
    removed = 0
    for path in (main, main.with_name(main.name + "-wal"), main.with_name(main.name + "-shm")):
        if path.exists():
            path.unlink()
            removed += 1
    if not removed:
        return QCoreApplication.translate("Settings", "Кэш профиля «{profile}» уже пуст.").format(profile=profile)
    log.info("cache of profile %s cleared", profile)
    return QCoreApplication.translate("Settings", "Кэш профиля «{profile}» удалён: при следующем открытии данные "
                                                  "загрузятся с портала заново.").format(profile=profile)
