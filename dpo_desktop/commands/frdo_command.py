"""``frdo``: the ФИС ФРДО workbook for an event or a deal, from the cache, after a pre-flight of every row.

Problems block the workbook: each one goes to stderr as a line (participant, column, why, how to fix)
and the command fails, so a file on disk is always one the pre-flight passed. ``--check-only`` runs
the pre-flight alone: exit 0 when every row passes, 1 when a problem is found.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import Failure, UsageError
from ..store.frdo_export import FrdoReport, export, prepare
from .context import chosen_profile, open_cache, warn

MAX_SHOWN = 200  # problems listed on stderr; the count says how many there are


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "frdo", help="выгрузка в ФИС ФРДО (xlsx) с предварительной проверкой",
        description="Книга Excel по шаблону ФИС ФРДО для ДПО: строка на каждый выданный документ участников "
                    "мероприятия или сделки. Сначала проверяется каждая строка; при ошибках файл не пишется, "
                    "а каждая ошибка выводится с подсказкой, как её исправить. Работает по кэшу, без сети.")
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--event", metavar="CODE", help="мероприятие с этим кодом")
    chosen.add_argument("--deal", type=int, metavar="ID", help="одна сделка")
    parser.add_argument("--output", metavar="F.xlsx", type=Path, help="куда записать книгу")
    parser.add_argument("--check-only", action="store_true",
                        help="только проверить: код 0, если ошибок нет, и 1, если есть")
    parser.set_defaults(run=run_frdo)


def run_frdo(args: argparse.Namespace) -> int:
    event = args.event.strip() if args.event is not None else None
    if args.event is not None and not event:
        raise UsageError("--event: пустой код мероприятия")
    if not args.check_only:
        if args.output is None:
            raise UsageError("нужен --output ФАЙЛ.xlsx (или --check-only)")
        if args.output.suffix.lower() != ".xlsx":
            raise UsageError(f"--output {args.output.name}: книга пишется в файл .xlsx")
        if not args.output.parent.is_dir():
            raise UsageError(f"Папки {args.output.parent} нет: книгу некуда записать")
    profile = chosen_profile(args.profile)
    with open_cache(profile, must_exist=True) as store:
        report = prepare(store, event_code=event, deal_id=args.deal)
        what = f"мероприятии {event}" if event else f"сделке {args.deal}"
        if not report.deal_ids:
            raise Failure(f"В кэше нет сделок по {what}: проверьте код или выполните «dpo-desktop sync»")
        if not report.rows:
            raise Failure(f"По {what} нет выданных документов: выгружать нечего")
        if report.problems:
            _tell_problems(report)
            raise Failure(f"Проверка ФИС ФРДО: ошибок {len(report.problems)} в "
                          f"{len({problem.row for problem in report.problems})} строках из {len(report.rows)}"
                          + ("" if args.check_only else "; книга не записана"))
        if args.check_only:
            warn(f"Проверка ФИС ФРДО пройдена: строк {len(report.rows)}{_skipped(report)}")
            return 0
        try:
            export(store, report, args.output)
        except OSError as error:
            raise Failure(f"Книга не записана в {args.output}: {error.strerror or error}") from None
    warn(f"ФИС ФРДО: строк {len(report.rows)} записано в {args.output}{_skipped(report)}")
    return 0


def _tell_problems(report: FrdoReport) -> None:
    for problem in report.problems[:MAX_SHOWN]:
        warn(problem.text())
    if len(report.problems) > MAX_SHOWN:
        warn(f"… и ещё {len(report.problems) - MAX_SHOWN}")


def _skipped(report: FrdoReport) -> str:
    return f" (без выданного документа: {report.not_issued})" if report.not_issued else ""
