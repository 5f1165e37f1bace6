"""What the portal commands share: the chosen profile, its secret and client, its cache, the mapping.

Each command runs its portal work in one ``asyncio.run`` with one client (one rate limiter, one
request series, DESIGN §5), and its cache in ``paths.data_dir()/<profile>/cache.sqlite3``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from .. import paths
from ..b24.client import B24Client, RetryPolicy
from ..cli import Failure
from ..portal.check import check
from ..portal.mapping import PortalMapping
from ..profiles import (
    ENV_PROFILE,
    Profile,
    active_profile,
    client_for,
    load_profiles,
    save_mapping,
    secret_store_for,
)
from ..secrets import MemorySecretStore, SecretStore, webhook_from_env
from ..store import SCHEMA_VERSION, Store
from .failures import incomplete

log = logging.getLogger("dpo.cli")
T = TypeVar("T")

CACHE_NAME = "cache.sqlite3"
# A command gives up sooner than the GUI's lane: with four tries and short back-off a dead connection
# shows in about two seconds, and the outbox keeps whatever was not sent. The client's own limiter keeps
# the portal's 503s away, so the tries are rarely spent on those.
CLI_RETRY = RetryPolicy(attempts=4, base_delay=0.25, max_delay=4.0)


def warn(text: str) -> None:
    """One line for the user on stderr (stdout stays for what scripts read)."""
    print(f"dpo-desktop: {text}", file=sys.stderr, flush=True)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False), flush=True)


def run(work: Coroutine[Any, Any, T]) -> T:
    """The command's portal work on an event loop of its own (one client, one request series)."""
    return asyncio.run(work)


def chosen_profile(name: str | None) -> Profile:
    """``--profile NAME``, else the active one, else the unsaved one ``DPO_B24_WEBHOOK`` stands for."""
    return active_profile(name, load_profiles())


def secret_store() -> SecretStore:
    """The secret store, not even asked when ``DPO_B24_WEBHOOK`` makes it unnecessary: a keyring may
    hang on an unlock prompt, and automation must not wait for it."""
    if webhook_from_env():
        return MemorySecretStore()
    return secret_store_for(load_profiles())


def make_client(profile: Profile, secrets: SecretStore) -> B24Client:
    return client_for(profile, secrets, retry=CLI_RETRY)


def cache_path(profile: Profile) -> Path:
    return paths.data_dir() / profile.name / CACHE_NAME


def open_cache(profile: Profile, *, must_exist: bool) -> Store:
    """The profile's cache, repaired or migrated as needed; a damaged file is said on stderr.

    ``must_exist``: reading commands need a cache a sync has filled, and say so instead of making one.
    """
    path = cache_path(profile)
    if must_exist and not path.exists():
        raise Failure(f"Кэш профиля «{profile.name}» ещё пуст: сначала выполните «dpo-desktop sync»")
    store = Store.open(path)
    if store.access_log is not None:
        store.access_log.portal_user = profile.user_id  # who the access log says did what
    if store.migrated_from is not None:
        log.info("cache %s migrated from schema %d to %d", path, store.migrated_from, SCHEMA_VERSION)
    if store.rebuilt:
        aside = _moved_aside(path)
        kept = f"; повреждённый файл сохранён как {aside.name}" if aside is not None else ""
        warn(f"Файл кэша {path.name} был повреждён ({store.rebuilt_reason}){kept}. "
             "Кэш создан заново и будет заполнен полной синхронизацией")
    if store.key_warning:  # no keyring: the data key is kept in a file beside the cache
        warn(store.key_warning)
    return store


def _moved_aside(path: Path) -> Path | None:
    found = [item for item in path.parent.glob(f"{path.name}.corrupt-*")
             if not item.name.endswith(("-wal", "-shm", "-journal"))]
    return max(found, key=lambda item: item.stat().st_mtime, default=None)


async def mapping_for(client: B24Client, profile: Profile) -> PortalMapping:
    """The profile's mapping; discovered (and kept in the profile) when it has none yet."""
    if profile.mapping is not None:
        return profile.mapping
    report = await check(client, profile.portal_settings())
    mapping = report.discovery.mapping
    if mapping is None:
        raise Failure(incomplete(report.discovery))
    remember_mapping(profile, mapping)
    return mapping


def remember_mapping(profile: Profile, mapping: PortalMapping) -> None:
    """Keep a complete mapping in a saved profile (the unsaved ``DPO_B24_WEBHOOK`` one has nowhere to keep it)."""
    if profile.name == ENV_PROFILE and profile.name not in load_profiles().profiles:
        return
    save_mapping(profile.name, mapping)


async def confirm_access(client: B24Client) -> None:
    """One cheap call before pushing: a revoked webhook must stop the push with every edit still waiting.

    The pusher records a portal error on an item as that item's failure for good; an authentication
    error is not about the item, so it is caught here first.
    """
    await client.call("profile")
