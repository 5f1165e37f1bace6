"""``push``: participants' document folders onto the portal's common drive; ``push --configure``: how.

``push --deal ID [--contact ID]``, ``push --event CODE`` and ``push --auto`` (for a scheduler: an
incremental sync first, then everyone the automatic mode qualifies whose folder is not up to date)
print one line of JSON: ``{"results": [...], "totals": {...}, "offline": bool}``, a result per
participant (per deal when a business process does the copying). Exit code 1 with one line on stderr
when the portal cannot be reached (what was done is in the JSON; running the command again finishes
the rest without copying anything twice) or when the deal or event is not in the cache.

``push --configure`` changes the profile's push settings and prints them as one line of JSON.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..b24.errors import B24Error
from ..cli import Failure, UsageError
from ..profiles import ENV_PROFILE, Profile, load_profiles, save_push_settings
from ..rules import load_rules
from ..secrets import SecretStore
from ..store import Store
from ..sync.engine import SyncEngine
from ..sync.folder_push import FolderPusher, PushError, PushResult, PushStopped
from ..sync.push_settings import PushSettings
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
from .upload_command import local_copies_dir

_SETTING_OPTIONS = ("template", "auto_on_complete", "auto_stages", "bizproc_template")


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "push", help="выложить папки документов участников на общий диск портала",
        description="Скопировать документы участника (сделки, мероприятия) в его папку на общем диске портала "
                    "и положить рядом опись. Неизменённое не копируется. Печатает итог одной строкой JSON.")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--deal", type=int, metavar="ID", help="участники этой сделки (с --contact — один)")
    target.add_argument("--event", metavar="CODE", help="участники всех сделок мероприятия с этим кодом")
    target.add_argument("--auto", action="store_true",
                        help="для планировщика: синхронизация, затем все, кому положена автоматическая выкладка")
    target.add_argument("--configure", action="store_true", help="изменить настройки выкладки профиля")
    parser.add_argument("--contact", type=int, metavar="ID", help="только этот участник сделки (с --deal)")
    settings = parser.add_argument_group("настройки (с --configure)")
    settings.add_argument("--template", metavar="T", help="шаблон пути папки, например "
                                                          "«ДПО/{event_code} {event_name}/{full_name} [{contact_id}]»")
    settings.add_argument("--auto-on-complete", action=argparse.BooleanOptionalAction, default=None,
                          help="выкладывать автоматически, когда комплект документов участника собран")
    settings.add_argument("--auto-stage", dest="auto_stages", nargs="*", action="extend", metavar="ID",
                          help="выкладывать автоматически сделки на этих стадиях (STAGE_ID, например C7:WON); "
                               "без значений — очистить список")
    settings.add_argument("--bizproc-template", metavar="ID|none",
                          help="вместо копирования запускать на сделке этот бизнес-процесс (none — не запускать)")
    parser.set_defaults(run=run_push)


def run_push(args: argparse.Namespace) -> int:
    if args.configure:
        return _configure(args)
    given = [name for name in _SETTING_OPTIONS if getattr(args, name) is not None]
    if given:
        options = ", ".join("--" + name.replace("_", "-").replace("auto-stages", "auto-stage") for name in given)
        raise UsageError(f"{options}: настройки меняются только вместе с --configure")
    if args.contact is not None and args.deal is None:
        raise UsageError("--contact указывается вместе с --deal")
    profile = chosen_profile(args.profile)
    if args.auto and not (profile.push.auto_on_complete or profile.push.auto_stages):
        print_json(_line([], 0, offline=False))
        warn("Автоматическая выкладка не настроена: включите её командой «dpo-desktop push --configure "
             "--auto-on-complete» или «--auto-stage ID»")
        return 0
    secrets = secret_store()
    with open_cache(profile, must_exist=not args.auto) as store:
        if not args.auto and store.get_meta("last_sync") is None and not store.count("deals"):
            raise Failure(f"Кэш профиля «{profile.name}» пуст: выполните «dpo-desktop sync»")
        results, stop, requests = run(_push(profile, secrets, store, args))
    print_json(_line(results, requests, offline=stop is not None))
    if stop is not None:
        warn(str(stop))
        return 1
    problems = [problem for result in results for problem in result.problems]
    if problems:
        more = f" (и ещё {len(problems) - 1})" if len(problems) > 1 else ""
        warn(f"Выложено с замечаниями: {problems[0]}{more}; все замечания — в поле problems")
    return 0


async def _push(profile: Profile, secrets: SecretStore, store: Store,
                args: argparse.Namespace) -> tuple[list[PushResult], PushStopped | None, int]:
    async with make_client(profile, secrets) as client:
        before = client.stats.requests
        try:
            mapping = await mapping_for(client, profile)
            if args.auto:
                if store.pending_count():
                    await confirm_access(client)
                synced = await SyncEngine(client, store, mapping).sync()
                if synced.waiting:
                    raise PushStopped(f"Нет связи с порталом {profile.portal}: синхронизация не закончена, "
                                      "выкладка не начата")
            pusher = FolderPusher(client, store, mapping, profile.push, local_copies=local_copies_dir(profile))
            if args.auto:
                results = await pusher.push_auto(load_rules().rules)
            elif args.event is not None:
                results = await pusher.push_event(args.event)
            elif args.contact is not None:
                results = [await pusher.push_participant(args.deal, args.contact)]
            else:
                results = await pusher.push_deal(args.deal)
            return results, None, client.stats.requests - before
        except PushStopped as stop:
            return stop.results, stop, client.stats.requests - before
        except OFFLINE as error:
            return [], PushStopped(offline_text(profile, error)), client.stats.requests - before
        except PushError as error:
            raise Failure(str(error)) from None
        except B24Error as error:
            raise explain(error, profile) from None


def _line(results: list[PushResult], requests: int, *, offline: bool) -> dict[str, Any]:
    totals = {
        "results": len(results),
        "copied": sum(len(result.copied) for result in results),
        "skipped": sum(len(result.skipped) for result in results),
        "removed": sum(len(result.removed) for result in results),
        "manifests": sum(result.manifest_written for result in results),
        "workflows": sum(result.workflow_id is not None for result in results),
        "problems": sum(len(result.problems) for result in results),
        "requests": requests,
    }
    return {"results": [result.as_json() for result in results], "totals": totals, "offline": offline}


def _configure(args: argparse.Namespace) -> int:
    if args.contact is not None:
        raise UsageError("--contact не относится к --configure")
    profile = chosen_profile(args.profile)
    if profile.name == ENV_PROFILE and profile.name not in load_profiles().profiles:
        raise Failure("Настройки выкладки хранятся в профиле, а работа идёт по переменной DPO_B24_WEBHOOK: "
                      "создайте профиль командой «dpo-desktop profile add ИМЯ --webhook-stdin»")
    changes: dict[str, Any] = {}
    if args.template is not None:
        changes["path_template"] = args.template
    if args.auto_on_complete is not None:
        changes["auto_on_complete"] = args.auto_on_complete
    if args.auto_stages is not None:
        changes["auto_stages"] = tuple(_stages(profile, args.auto_stages))
    if args.bizproc_template is not None:
        changes["bizproc_template_id"] = _template_id(args.bizproc_template)
    current = profile.push
    if changes:
        try:
            current = PushSettings.model_validate({**profile.push.model_dump(), **changes})
        except ValueError as error:
            raise UsageError(_first_message(error)) from None
        save_push_settings(profile.name, current)
    print_json(current.model_dump(mode="json"))
    return 0


def _stages(profile: Profile, stages: list[str]) -> list[str]:
    """Stage IDs as given, checked against the pipeline's stages when the profile knows them."""
    stages = [stage.strip() for stage in stages if stage.strip()]
    known = {stage.status_id for stage in profile.mapping.stages} if profile.mapping is not None else set()
    unknown = [stage for stage in stages if known and stage not in known]
    if unknown:
        raise UsageError(f"--auto-stage: стадии {', '.join(unknown)} нет в воронке «{profile.mapping.pipeline_name}»"
                         f" (есть {', '.join(sorted(known))})")
    return stages


def _template_id(text: str) -> int | None:
    if text.strip().casefold() in ("none", "нет", ""):
        return None
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--bizproc-template: нужен номер шаблона или none, а не «{text}»") from None
    if value <= 0:
        raise UsageError("--bizproc-template: номер шаблона — положительное число")
    return value


def _first_message(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors(include_url=False)[0]
        message = str(first.get("ctx", {}).get("error") or first.get("msg", ""))
        return message[:1].upper() + message[1:]
    return str(error)
