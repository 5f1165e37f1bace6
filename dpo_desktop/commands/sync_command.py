"""``sync [--full]``: push the outbox, pull the portal into the cache, print one line of JSON.

The line is the engine's summary (mode, counts changed and deleted, pushed, conflicts, failed, waiting,
HTTP requests, seconds, messages) plus ``pending`` (edits still in the outbox) and ``offline``. Without
a connection the summary still comes, with what waits, and the command ends with exit code 1 and a
one-line note on stderr: the cache keeps serving reports, and the outbox keeps the edits.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any

from ..b24.errors import B24Error
from ..profiles import Profile
from ..secrets import SecretStore
from ..store import Store
from ..sync.engine import SyncEngine, SyncSummary
from .context import (
    chosen_profile,
    confirm_access,
    make_client,
    mapping_for,
    open_cache,
    print_json,
    run,
    secret_store,
    warn,
)
from .failures import OFFLINE, explain, offline_text


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("sync", help="синхронизировать кэш с порталом",
                                 description="Отправить ждущие изменения на портал и забрать с него сделки ДПО, "
                                             "участников, документы и контакты. Печатает итог одной строкой JSON.")
    parser.add_argument("--full", action="store_true", help="полная синхронизация вместо изменений с прошлой")
    parser.set_defaults(run=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    profile = chosen_profile(args.profile)
    secrets = secret_store()
    with open_cache(profile, must_exist=False) as store:
        summary, offline = run(_sync(profile, secrets, store, full=args.full))
        pending = store.pending_count()
        last_sync = store.get_meta("last_sync")
    unreachable = offline is not None or summary.waiting > 0
    print_json(_line(summary, pending, unreachable))
    if unreachable:
        reason = offline_text(profile, offline) if offline is not None else f"Нет связи с порталом {profile.portal}"
        since = f"; отчёты строятся по кэшу от {last_sync}" if last_sync else ""
        warn(f"{reason}: изменений ждут отправки — {pending}{since}")
        return 1
    if summary.conflicts or summary.failed:
        warn(f"Изменения, не принятые порталом: конфликтов {summary.conflicts}, ошибок {summary.failed}. "
             f"{'; '.join(summary.messages)}")
    return 0


async def _sync(profile: Profile, secrets: SecretStore, store: Store, *,
                full: bool) -> tuple[SyncSummary, B24Error | None]:
    async with make_client(profile, secrets) as client:
        started, requests = time.perf_counter(), client.stats.requests
        try:
            if store.pending_count():
                await confirm_access(client)
            mapping = await mapping_for(client, profile)
            summary = await SyncEngine(client, store, mapping).sync(full=full)
            # The command's own count: discovery and the access check are requests too.
            summary.requests = client.stats.requests - requests
            summary.seconds = round(time.perf_counter() - started, 3)
            return summary, None
        except OFFLINE as error:
            mode = "full" if full or store.get_meta("last_sync") is None else "incremental"
            summary = SyncSummary(mode, waiting=store.pending_count(), requests=client.stats.requests - requests,
                                  seconds=round(time.perf_counter() - started, 3), messages=[error.description])
            return summary, error
        except B24Error as error:
            raise explain(error, profile) from None


def _line(summary: SyncSummary, pending: int, offline: bool) -> dict[str, Any]:
    return {**dataclasses.asdict(summary), "pending": pending, "offline": offline}
