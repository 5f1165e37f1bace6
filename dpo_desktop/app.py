"""The composition root: builds the services the GUI runs on and nothing else (DESIGN §1, §4).

:func:`build_context` opens the profile's cache (a writer for the lane, a reader for the GUI), starts
the network lane with the profile's client on it, and ties the store's change notices to the Qt
bridge. :func:`close_context` undoes it in order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import paths
from .profiles import Profile, ProfileError, client_for
from .rules import load_rules
from .runtime.bridge import Bridge
from .runtime.lane import Lane
from .secrets import SecretStore
from .store import Store
from .ui.context import AppContext
from .ui.messages import Messages

CACHE_NAME = "cache.sqlite3"
DISCOVERY_TIMEOUT = 120.0


def cache_path(profile: Profile) -> Path:
    return paths.data_dir() / profile.name / CACHE_NAME


def build_context(profile: Profile, secrets: SecretStore, *, transport: Any = None, demo: bool = False,
                  **client_options: Any) -> AppContext:
    """Everything the screens need for ``profile``; the mapping is discovered first if the profile has none."""
    paths.clear_sessions()  # plain copies of documents left by a run that ended without cleaning up
    lane = Lane().start()
    store: Store | None = None
    try:
        client = client_for(profile, secrets, transport=transport, **client_options)
        lane.on_stop(client.aclose)
        mapping = profile.mapping
        if mapping is None:
            mapping = lane.submit(_discover(client)).result(DISCOVERY_TIMEOUT)
        path = cache_path(profile)
        store = Store.open(path)
        if store.access_log is not None:
            store.access_log.portal_user = profile.user_id  # who the access log says did what
        reader = Store.open_reader(path, cipher=store.cipher)
        bridge = Bridge(lane)
        store.add_listener(bridge.relay_store)
        return AppContext(profile_name=profile.name, portal=profile.portal, mapping=mapping,
                          rules=load_rules().rules, reader=reader, store=store, client=client, lane=lane,
                          bridge=bridge, messages=Messages(), local_copies=paths.data_dir() / profile.name / "files",
                          push_settings=profile.push, demo=demo)
    except BaseException:
        lane.stop()
        if store is not None:
            store.close()
        raise


async def _discover(client: Any) -> Any:
    from .portal.check import check
    from .portal.settings import PortalSettings

    report = await check(client, PortalSettings())
    if report.discovery.mapping is None:
        raise ProfileError("На портале не найдена схема ДПО: выполните «dpo-desktop portal check»")
    return report.discovery.mapping


def close_context(context: AppContext) -> None:
    """Stop the lane (closing the client on it), then the cache's reader and writer."""
    context.lane.stop()
    context.reader.close()
    context.store.close()
    paths.clear_sessions(own=True)
