"""``log export``: the personal-data access log as a workbook or CSV, to go with a destruction act.

The log is read offline, from the profile's folder; names are resolved from the cache. The export
itself is a row of the log.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from ..cli import Failure, UsageError
from ..store.access_export import FORMATS, day_range, deals_of_event, export_log, export_title
from ..store.access_log import AccessQuery
from .context import chosen_profile, open_cache, print_json

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("log", help="журнал доступа к персональным данным",
                                 description="Журнал доступа к персональным данным (кто смотрел, открывал, "
                                             "выгружал, загружал, копировал, удалял и уничтожал документы).")
    actions = parser.add_subparsers(dest="log_command", metavar="ДЕЙСТВИЕ", required=True)
    export = actions.add_parser("export", help="выгрузить журнал в XLSX или CSV (к акту об уничтожении ПД)")
    export.add_argument("--from", dest="first", metavar="DATE", type=_date,
                        help="с этого дня (2025-03-01 или 01.03.2025)")
    export.add_argument("--to", dest="last", metavar="DATE", type=_date, help="по этот день включительно")
    scope = export.add_mutually_exclusive_group()
    scope.add_argument("--deal", type=int, metavar="ID", help="только записи об этой сделке")
    scope.add_argument("--event", metavar="CODE", help="только записи о сделках мероприятия с этим кодом")
    export.add_argument("--output", metavar="F", type=Path, required=True, help="файл .xlsx или .csv")
    export.set_defaults(run=run_export)


def _date(text: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"дата «{text}» не распознана: пишите 2025-03-01 или 01.03.2025")


def run_export(args: argparse.Namespace) -> int:
    output: Path = args.output
    if output.suffix.lower().lstrip(".") not in FORMATS:
        raise UsageError(f"--output: файл .xlsx или .csv, а не «{output.name}»")
    if not output.parent.is_dir():
        raise UsageError(f"Папки {output.parent} нет: журнал некуда записать")
    if args.first is not None and args.last is not None and args.first > args.last:
        raise UsageError("--from позже, чем --to: записей в таком промежутке нет")
    profile = chosen_profile(args.profile)
    since, until = day_range(args.first, args.last)
    with open_cache(profile, must_exist=False) as store:
        deal_ids = None
        if args.deal is not None:
            deal_ids = frozenset({args.deal})
        elif args.event is not None:
            deal_ids = deals_of_event(store, args.event.strip())
            if not deal_ids:
                raise Failure(f"В кэше нет сделок мероприятия «{args.event.strip()}»: выполните «dpo-desktop sync»")
        try:
            count = export_log(store, output, AccessQuery(since, until, deal_ids),
                               export_title(profile.name, args.first, args.last))
        except OSError as error:
            raise Failure(f"Журнал не записан в {output}: {error.strerror or error}") from None
    print_json({"rows": count, "output": str(output)})
    return 0
