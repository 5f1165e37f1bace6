"""``queue list|retry|cancel``: the upload queue seen and steered from the command line.

``list`` shows the files not yet landed (``--all``: with the history), offline, from the cache.
``retry`` sends failed, doubtful and duplicate files round again, with the user's answer where one is
needed (``--type``, ``--contact``, what to do with a duplicate), and uploads them. ``cancel`` stops
files that have not landed; bytes already sent to the Drive go to the portal's trash at the next upload.
"""

from __future__ import annotations

import argparse
import sys

from ..cli import UsageError
from ..rules.classify import parse_type_argument
from ..store import UploadItem
from ..store.uploads import FINISHED
from ..sync.upload_queue import cancel, retry
from .context import chosen_profile, open_cache, print_json, run, secret_store
from .upload_command import STATE_TITLES, item_json, report, upload

DUPLICATE_CHOICES = {"keep": "keep", "link": "link", "skip": "skip"}


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("queue", help="очередь загрузки файлов",
                                 description="Показать очередь загрузки, повторить или отменить загрузку файлов.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="файлы в очереди", description="Файлы, которые ещё не загружены.")
    listing.add_argument("--all", action="store_true", help="вместе с загруженными и отменёнными")
    listing.add_argument("--json", action="store_true", help="массив JSON вместо таблицы")
    listing.set_defaults(run=run_list)
    again = actions.add_parser("retry", help="повторить загрузку",
                               description="Повторить загрузку файлов с ошибкой, требующих внимания или дубликатов.")
    again.add_argument("ids", nargs="*", type=int, metavar="ID", help="номера строк очереди (без них — все)")
    again.add_argument("--type", metavar="T", help="тип документа для этих файлов")
    again.add_argument("--contact", type=int, metavar="ID", help="участник (контакт) для этих файлов")
    again.add_argument("--duplicates", choices=sorted(DUPLICATE_CHOICES), metavar="link|keep|skip",
                       help="что делать с дубликатом: привязать имеющийся документ, загрузить ещё раз, пропустить")
    again.set_defaults(run=run_retry)
    stop = actions.add_parser("cancel", help="отменить загрузку", description="Отменить загрузку файлов.")
    stop.add_argument("ids", nargs="*", type=int, metavar="ID", help="номера строк очереди")
    stop.add_argument("--all", action="store_true", help="все незагруженные файлы")
    stop.set_defaults(run=run_cancel)


def run_list(args: argparse.Namespace) -> int:
    profile = chosen_profile(args.profile)
    with open_cache(profile, must_exist=True) as store:
        items = store.uploads() if args.all else store.active_uploads()
    if args.json:
        print_json([item_json(item) for item in items])
        return 0
    if not items:
        print("Очередь загрузки пуста.")
        return 0
    for item in items:
        print(_line(item))
    sys.stdout.flush()
    return 0


def _line(item: UploadItem) -> str:
    who = f"контакт {item.contact_id}" if item.contact_id is not None else "участник не определён"
    what = item_json(item)["type"] or "тип не определён"
    reason = f" — {item.reason}" if item.reason else ""
    return f"{item.id:>6}  {STATE_TITLES[item.state]:<17} сделка {item.deal_id}, {who}, {what}: {item.name}{reason}"


def run_retry(args: argparse.Namespace) -> int:
    try:
        doc_type = parse_type_argument(args.type) if args.type else None
    except ValueError as error:
        raise UsageError(str(error)) from None
    profile = chosen_profile(args.profile)
    secrets = secret_store()
    with open_cache(profile, must_exist=True) as store:
        chosen = args.ids or [item.id for item in store.uploads(["failed", "attention", "duplicate"])]
        unknown = [item_id for item_id in chosen if store.upload(item_id) is None]
        if unknown:
            raise UsageError(f"в очереди нет строк {', '.join(map(str, unknown))}")
        ids = retry(store, chosen, contact_id=args.contact, doc_type=doc_type,
                    decision=DUPLICATE_CHOICES.get(args.duplicates or ""))  # type: ignore[arg-type]
        working = [item.id for item in store.uploads(["queued", "hashed", "classified", "uploading", "linked"])
                   if item.id in set(chosen)]
        if not ids and not working:
            print_json({"files": 0, "items": []})
            return 0
        return report(profile, *run(upload(profile, secrets, store, sorted(set(ids) | set(working)))), store,
                      sorted(set(ids) | set(working)))


def run_cancel(args: argparse.Namespace) -> int:
    if not args.ids and not args.all:
        raise UsageError("укажите номера строк очереди или --all")
    profile = chosen_profile(args.profile)
    with open_cache(profile, must_exist=True) as store:
        chosen = args.ids or [item.id for item in store.active_uploads()]
        finished = [item_id for item_id in chosen if (item := store.upload(item_id)) is not None
                    and item.state in FINISHED]
        cancelled = cancel(store, chosen)
        print_json({"cancelled": cancelled, "finished_before": finished})
    return 0
