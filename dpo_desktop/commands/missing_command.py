"""``missing``: who lacks which documents, from the cache alone — it works offline.

The cache is read in batches of deals from one snapshot (``Store.iter_report_source``), each batch
judged against the rules in force, and the rows sorted once at the end in the report's order.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import Failure, UsageError
from ..domain.models import Completeness
from ..rules import (
    DocumentIndex,
    DocumentRules,
    MissingFilter,
    MissingRow,
    ValidationProblem,
    load_rules,
    missing_report,
    row_order,
)
from ..rules.validators import parse_document_type
from ..store import Store, StoreReader
from .context import chosen_profile, open_cache, warn
from .missing_output import FORMATS, write_report


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("missing", help="отчёт о недостающих документах (по кэшу, без сети)",
                                 description="Кто из участников не сдал какие документы. Строится по кэшу "
                                             "последней синхронизации и работает без связи с порталом.")
    parser.add_argument("--event", metavar="CODE", help="только мероприятие с этим кодом")
    parser.add_argument("--deal", type=int, metavar="ID", help="только эта сделка")
    parser.add_argument("--stage", metavar="ID", help="только сделки на этой стадии (STAGE_ID, например C7:NEW)")
    parser.add_argument("--type", metavar="T", help="только те, у кого нет документа этого типа: название, как на "
                                                    "портале (Паспорт), или код (passport)")
    parser.add_argument("--status", metavar="S", help="только с этим итогом: complete, partial или none "
                                                      "(можно несколько через запятую)")
    parser.add_argument("--format", default="table", choices=FORMATS, help="table (по умолчанию), csv, json, xlsx")
    parser.add_argument("--output", metavar="F", type=Path, help="записать в файл (для xlsx обязательно)")
    parser.set_defaults(run=run_missing)


def run_missing(args: argparse.Namespace) -> int:
    filters = _filters(args)
    if args.format == "xlsx" and args.output is None:
        raise UsageError("для --format xlsx нужен --output ФАЙЛ.xlsx")
    if args.output is not None and not args.output.parent.is_dir():
        raise UsageError(f"Папки {args.output.parent} нет: отчёт некуда записать")
    loaded = load_rules()
    if loaded.error:
        warn(loaded.error)
    profile = chosen_profile(args.profile)
    with open_cache(profile, must_exist=True) as store:
        if store.created or (store.get_meta("last_sync") is None and not store.count("deals")):
            raise Failure(f"Кэш профиля «{profile.name}» пуст: выполните «dpo-desktop sync»")
        rows = report_rows(store, filters, loaded.rules)
        try:
            write_report(rows, args.format, args.output)
        except OSError as error:
            if args.output is None:
                raise  # stdout: a closed pipe is the entry point's business
            raise Failure(f"Отчёт не записан в {args.output}: {error.strerror or error}") from None
        log_report(store, rows, args.format, args.output)
    return 0


def log_report(store: Store, rows: list[MissingRow], fmt: str, output: Path | None) -> None:
    """The report names people: one access-log row per deal it covers (the destruction act asks by deal)."""
    assert store.access_log is not None
    where = "в файл" if output is not None else "на экран"
    action = "view" if fmt == "table" and output is None else "export"
    store.access_log.add_many(action, ((deal_id, None, None) for deal_id in sorted({row.deal_id for row in rows})),
                              detail=f"отчёт о недостающих документах, {fmt}, {where}: строк {len(rows)}")


def report_rows(store: StoreReader, filters: MissingFilter, rules: DocumentRules) -> list[MissingRow]:
    """Every row the filters keep, over the whole cache, in the report's order."""
    rows: list[MissingRow] = []
    deal_ids = [filters.deal_id] if filters.deal_id is not None else None
    for batch in store.iter_report_source(stage_id=filters.stage_id, deal_ids=deal_ids):
        documents = DocumentIndex.from_bits(batch.document_bits)
        rows += missing_report(batch.deals, batch.contacts, batch.participants, documents, rules, filters,
                               ordered=False)
    rows.sort(key=row_order)
    return rows


def _filters(args: argparse.Namespace) -> MissingFilter:
    document_type = None
    if args.type is not None:
        try:
            document_type = parse_document_type(args.type)
        except ValidationProblem as problem:
            raise UsageError(problem.message) from None
    statuses = None
    if args.status is not None:
        names = [name.strip().casefold() for name in args.status.split(",") if name.strip()]
        unknown = [name for name in names if name not in Completeness._value2member_map_]
        if unknown or not names:
            raise UsageError(f"--status: {', '.join(unknown) or 'пусто'}; допустимо complete, partial или none")
        statuses = frozenset(Completeness(name) for name in names)
    event = args.event.strip() if args.event is not None else None
    return MissingFilter(event_code=event or None, deal_id=args.deal, stage_id=args.stage,
                         document_type=document_type, statuses=statuses)
