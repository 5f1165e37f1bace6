"""``profile add NAME --webhook-stdin`` and ``profile list``: portals the app works with.

The webhook is a password: it is read from stdin (or typed at a hidden prompt), goes to the secret
store and nowhere else — never to stdout, the profiles file or the log. When the store is not the
system keyring, the user is told what that means on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from ..b24.auth import WebhookAuth
from ..b24.errors import B24Error
from ..cli import UsageError
from ..portal.settings import DEFAULT_PIPELINE
from ..profiles import (
    ENV_PROFILE,
    ProfileError,
    add_profile,
    check_name,
    check_plan,
    describe_profiles,
    load_profiles,
    read_webhook,
    save_profiles,
    secret_store_for,
)
from ..secrets import webhook_from_env
from .context import print_json, warn

STORE_PLACES = {"system": "в системном хранилище паролей", "memory": "только в памяти, до конца работы команды",
                "file": "в файле секретов без шифрования"}
STORE_SHORT = {"system": "хранилище паролей", "memory": "в памяти", "file": "файл"}


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("profile", help="профили порталов",
                                 description="Профили порталов Битрикс24: адрес, тариф, воронка ДПО. "
                                             "Вебхук хранится в системном хранилище паролей.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="добавить или заменить профиль",
                             description="Добавить профиль портала. Вебхук не указывается в командной строке: "
                                         "он читается из стандартного ввода (--webhook-stdin) или запрашивается.")
    add.add_argument("name", metavar="NAME", help="имя профиля")
    add.add_argument("--webhook-stdin", action="store_true",
                     help="прочитать адрес входящего вебхука из стандартного ввода (первая непустая строка)")
    add.add_argument("--rate-plan", default="standard", metavar="PLAN",
                     help="тариф портала: standard (по умолчанию), enterprise, custom или off")
    add.add_argument("--burst", type=float, metavar="N", help="для --rate-plan custom: запас запросов")
    add.add_argument("--rate", type=float, metavar="R", help="для --rate-plan custom: запросов в секунду")
    add.add_argument("--pipeline", default=DEFAULT_PIPELINE, metavar="NAME",
                     help=f"воронка сделок ДПО по названию (по умолчанию «{DEFAULT_PIPELINE}»)")
    add.add_argument("--pipeline-id", type=int, metavar="ID", help="воронка сделок ДПО по номеру")
    add.add_argument("--ca-file", metavar="PATH", help="дополнительный корневой сертификат (корпоративный CA)")
    add.add_argument("--activate", action="store_true", help="сделать профиль активным")
    add.add_argument("--secret-in-file", action="store_true",
                     help="если системного хранилища паролей нет: хранить вебхук в файле профиля (незашифрованно)")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", help="показать профили", description="Профили без секретов.")
    listing.add_argument("--json", action="store_true", help="массив JSON вместо таблицы")
    listing.set_defaults(run=run_list)


def run_add(args: argparse.Namespace) -> int:
    webhook = _webhook(args)
    ca_file = None
    try:
        name = check_name(args.name)
        check_plan(args.rate_plan, args.burst, args.rate)
        auth = WebhookAuth.from_url(webhook)
    except ProfileError as error:
        raise UsageError(str(error)) from None
    except B24Error as error:
        raise UsageError(error.description) from None
    if args.ca_file:
        if not Path(args.ca_file).is_file():
            raise UsageError(f"Файл сертификата {args.ca_file} не найден")
        ca_file = str(Path(args.ca_file).resolve())
    profiles = load_profiles()
    if args.secret_in_file and not profiles.file_secrets:
        # The explicit opt-in DESIGN §8 asks for: remembered, and said out loud every time it matters.
        profiles.file_secrets = True
        save_profiles(profiles)
    store = secret_store_for(profiles)
    if store.warning:
        warn(store.warning)
    profile = add_profile(name, webhook, store, rate_plan=args.rate_plan, rate_burst=args.burst,
                          rate_per_second=args.rate, pipeline_name=args.pipeline, pipeline_id=args.pipeline_id,
                          ca_file=ca_file, activate=True if args.activate else None)
    pipeline = f"№ {profile.pipeline_id}" if profile.pipeline_id is not None else f"«{profile.pipeline_name}»"
    print(f"Профиль «{profile.name}» сохранён: портал {profile.portal}, пользователь {auth.user_id}, "
          f"тариф {profile.rate_plan}, воронка {pipeline}. Вебхук хранится {STORE_PLACES.get(store.kind, store.kind)}.")
    return 0


def _webhook(args: argparse.Namespace) -> str:
    try:
        if args.webhook_stdin:
            return read_webhook(sys.stdin)
    except ProfileError as error:
        raise UsageError(str(error)) from None
    if sys.stdin is not None and sys.stdin.isatty():
        typed = getpass.getpass("Адрес входящего вебхука (https://портал/rest/ID/КОД/): ").strip()
        if typed:
            return typed
    raise UsageError("Вебхук не указывается в командной строке: передайте его через стандартный ввод "
                     "с ключом --webhook-stdin")


def run_list(args: argparse.Namespace) -> int:
    profiles = load_profiles()
    store = secret_store_for(profiles)
    if store.warning:
        warn(store.warning)
    rows = describe_profiles(profiles, store)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        hint = (f"используется вебхук из переменной DPO_B24_WEBHOOK (профиль «{ENV_PROFILE}»)" if webhook_from_env()
                else "создайте профиль: dpo-desktop profile add ИМЯ --webhook-stdin")
        print(f"Профилей нет; {hint}.")
        return 0
    print(_table(rows))
    return 0


def _table(rows: list[dict[str, Any]]) -> str:
    header = ("", "профиль", "портал", "тариф", "воронка", "схема", "вебхук")
    lines = [header]
    for row in rows:
        lines.append(("*" if row["active"] else "", row["name"], row["portal"], row["rate_plan"], str(row["pipeline"]),
                      "найдена" if row["mapping"] else "не проверена",
                      STORE_SHORT.get(row.get("secret") or "", "не сохранён")))
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in lines)
