"""The ФИС ФРДО export as the CLI and the app run it: rows from the cache, the pre-flight, the workbook,
and an entry in the personal-data access log for every person whose data went into the file.

Problems block the export: a workbook the ФИС would bounce costs the office a round trip, and the
pre-flight says exactly what to fix. :func:`prepare` is the check alone (``--check-only``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..rules.frdo import FrdoProblem, FrdoRow, build_rows, preflight
from .frdo_source import frdo_sources
from .frdo_workbook import write_frdo_xlsx
from .reader import StoreReader
from .store import Store


@dataclass(frozen=True)
class FrdoReport:
    """What the pre-flight found for the chosen deals."""

    rows: list[FrdoRow]
    problems: list[FrdoProblem]
    participants: int  # all participants of the deals, issued a document or not
    deal_ids: tuple[int, ...]

    @property
    def not_issued(self) -> int:
        return self.participants - len(self.rows)


class FrdoBlocked(Exception):
    """The pre-flight found problems; nothing was written."""


def prepare(store: StoreReader, *, event_code: str | None = None, deal_id: int | None = None,
            today: date | None = None) -> FrdoReport:
    sources = frdo_sources(store, event_code=event_code, deal_id=deal_id)
    rows = build_rows(sources)
    deal_ids = tuple(dict.fromkeys(source.deal.id for source in sources))
    return FrdoReport(rows, preflight(rows, today=today), len(sources), deal_ids)


def export(store: Store, report: FrdoReport, path: Path) -> Path:
    """Write the workbook of a report without problems, and log the export: one access-log row per person
    whose data went into the file (152-ФЗ), as the other exports do. The log takes rows from any thread."""
    if report.problems:
        raise FrdoBlocked(f"{len(report.problems)} problems")
    written = write_frdo_xlsx(path, report.rows)
    detail = f"ФИС ФРДО, xlsx: строк {len(report.rows)}"
    assert store.access_log is not None, "the access log opens with the store"
    store.access_log.add_many("export", ((row.deal_id, row.contact_id, None) for row in report.rows), detail)
    return written


def prepare_apart(reader: StoreReader, *, event_code: str | None = None, deal_id: int | None = None) -> FrdoReport:
    """:func:`prepare` on a reader of its own, for a worker thread: the caller's reader stays its thread's."""
    with Store.open_reader(reader.path, cipher=reader.cipher) as own:
        return prepare(own, event_code=event_code, deal_id=deal_id)
