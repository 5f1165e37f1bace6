"""The missing-documents review: one row a participant across every cached deal, the filters over them
and the table model that shows what the filters keep.

The rows are the CLI's missing report (``rules.missing_report`` over ``StoreReader.report_source``, in
``row_order``), joined to their deals for what the report does not carry: the client company, the
partner code, the stage and the responsible manager. Filtering is plain Python over the prepared rows,
so a filter change is one pass and one model reset, with no SQL and no proxy callbacks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ...domain.models import Completeness, Deal, DocumentType
from ...rules import DocumentIndex, DocumentRules, MissingRow, missing_report, row_order
from ...store import ReportBatch, StoreReader
from ...store.report import gc_paused

COLUMNS = (QT_TRANSLATE_NOOP("ReviewModel", "Сделка"), QT_TRANSLATE_NOOP("ReviewModel", "Код мероприятия"),
           QT_TRANSLATE_NOOP("ReviewModel", "Компания клиента"), QT_TRANSLATE_NOOP("ReviewModel", "Код партнёра"),
           QT_TRANSLATE_NOOP("ReviewModel", "Участник"), QT_TRANSLATE_NOOP("ReviewModel", "Не хватает"),
           QT_TRANSLATE_NOOP("ReviewModel", "Статус"))
STATUS_TITLES = {Completeness.COMPLETE: QT_TRANSLATE_NOOP("ReviewModel", "собраны"),
                 Completeness.PARTIAL: QT_TRANSLATE_NOOP("ReviewModel", "частично"),
                 Completeness.NONE: QT_TRANSLATE_NOOP("ReviewModel", "нет ни одного")}
MISSING_SEPARATOR = ", "
_Index = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    """Search form: case and ё/е do not matter."""
    return text.casefold().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A row of the missing report with the deal it belongs to."""

    report: MissingRow
    deal: Deal
    company: str  # the client company's title, "" when none or not cached
    cells: tuple[str, ...]  # what the table shows, column by column (the export writes the same)
    search_text: str  # folded: participant, deal, event, company, partner

    @property
    def missing(self) -> tuple[str, ...]:
        return self.report.missing


def make_row(report: MissingRow, deal: Deal, company: str) -> ReviewRow:
    cells = (report.deal_title, report.event_code, company, deal.partner_code, report.participant,
             MISSING_SEPARATOR.join(report.missing),
             QCoreApplication.translate("ReviewModel", STATUS_TITLES[report.status]))
    search = fold(" ".join((report.participant, report.deal_title, report.event_code, company, deal.partner_code)))
    return ReviewRow(report, deal, company, cells, search)


def judge_reports(batches: Iterable[ReportBatch], rules: DocumentRules) -> tuple[dict[int, Deal], list[MissingRow]]:
    """The deals and the missing report's rows of the cache's report batches, judged batch by batch as the
    CLI's ``missing`` judges them, in its order. Pure: safe on the CPU pool with a batch iterator of the
    reader's (``StoreReader.iter_report_source`` reads on a connection of its own)."""
    deals: dict[int, Deal] = {}
    reports: list[MissingRow] = []
    with gc_paused():  # 40,000 rows that all stay: the collector would walk them again and again for nothing
        for batch in batches:
            deals.update((deal.id, deal) for deal in batch.deals)
            reports += missing_report(batch.deals, batch.contacts, batch.participants,
                                      DocumentIndex.from_bits(batch.document_bits), rules, ordered=False)
        reports.sort(key=row_order)
    return deals, reports


def review_rows(reader: StoreReader, deals: dict[int, Deal], reports: list[MissingRow]) -> list[ReviewRow]:
    """The review's rows: each report row with its deal and the client company's title (read here)."""
    companies: dict[int, str] = {}
    for company_id in sorted({deal.company_id for deal in deals.values() if deal.company_id is not None}):
        company = reader.company(company_id)  # few companies; the reader has no bulk read
        companies[company_id] = company.title if company is not None else ""
    return [make_row(report, deals[report.deal_id], companies.get(deals[report.deal_id].company_id or 0, ""))
            for report in reports]


def load_review(reader: StoreReader, rules: DocumentRules) -> list[ReviewRow]:
    """Every participant of every cached deal, at once on the calling thread."""
    deals, reports = judge_reports(reader.iter_report_source(), rules)
    return review_rows(reader, deals, reports)


@dataclass(frozen=True)
class ReviewFilters:
    """Which rows to show; every criterion given must hold (None or "" means any)."""

    event_code: str | None = None
    deal_id: int | None = None
    stage_id: str | None = None
    company: str | None = None
    partner_code: str | None = None
    manager_id: int | None = None
    document_type: DocumentType | None = None  # only those missing this type
    status: Completeness | None = None
    search: str = ""

    def accepts(self, row: ReviewRow) -> bool:
        deal = row.deal
        return ((self.event_code is None or fold(row.report.event_code.strip()) == fold(self.event_code.strip()))
                and (self.deal_id is None or deal.id == self.deal_id)
                and (self.stage_id is None or deal.stage_id == self.stage_id)
                and (self.company is None or row.company == self.company)
                and (self.partner_code is None or deal.partner_code == self.partner_code)
                and (self.manager_id is None or deal.assigned_by_id == self.manager_id)
                and (self.document_type is None or self.document_type.title in row.report.missing)
                and (self.status is None or row.report.status is self.status)
                and (not self.search.strip() or all(word in row.search_text for word in fold(self.search).split())))

    def with_(self, **changes: Any) -> ReviewFilters:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, for saved views."""
        data = asdict(self)
        for key in ("document_type", "status"):
            data[key] = data[key].value if data[key] is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewFilters:
        """Filters from :meth:`to_dict`'s data; unknown keys and values that no longer parse are dropped."""
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for key, kind in (("document_type", DocumentType), ("status", Completeness)):
            value = values.get(key)
            values[key] = kind(value) if value in kind._value2member_map_ else None
        for key in ("deal_id", "manager_id"):
            value = values.get(key)
            values[key] = int(value) if isinstance(value, int | str) and str(value).isdigit() else None
        values["search"] = str(values.get("search") or "")
        return cls(**values)


def apply_filters(rows: list[ReviewRow], filters: ReviewFilters) -> list[ReviewRow]:
    if filters == ReviewFilters():
        return list(rows)
    return [row for row in rows if filters.accepts(row)]


@dataclass(frozen=True)
class ReviewSummary:
    """The overview's figures for the rows shown."""

    statuses: dict[Completeness, int]
    missing: dict[DocumentType, int]  # participants missing each type, types nobody misses omitted


def summarize_rows(rows: list[ReviewRow]) -> ReviewSummary:
    statuses = Counter(row.report.status for row in rows)
    by_title = Counter(title for row in rows for title in row.report.missing)
    return ReviewSummary({status: statuses.get(status, 0) for status in Completeness},
                         {doc_type: by_title[doc_type.title] for doc_type in DocumentType if by_title[doc_type.title]})


def age_text(seconds: float) -> str:
    """How old the data is, in short Russian: «меньше минуты», «12 мин», «3 ч 5 мин», «2 дн.»."""
    minutes = int(max(seconds, 0) // 60)
    if minutes < 1:
        return QCoreApplication.translate("Review", "меньше минуты")
    if minutes < 60:
        return QCoreApplication.translate("Review", "{minutes} мин").format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        if rest:
            return QCoreApplication.translate("Review", "{hours} ч {rest} мин").format(hours=hours, rest=rest)
        return QCoreApplication.translate("Review", "{hours} ч").format(hours=hours)
    return QCoreApplication.translate("Review", "{days} дн.").format(days=hours // 24)


def offline_text(last_sync: object, now: datetime) -> str:
    """The offline banner: the data are the cache's, and this old."""
    if not last_sync:
        return QCoreApplication.translate("Review", "Нет связи с порталом, а синхронизации ещё не было: данных нет")
    try:
        moment = datetime.fromisoformat(str(last_sync))
    except ValueError:
        return QCoreApplication.translate("Review", "Нет связи с порталом: показаны данные кэша ({last_sync})").format(
            last_sync=last_sync)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    local = moment.astimezone(now.tzinfo) if now.tzinfo is not None else moment.astimezone().replace(tzinfo=None)
    age = (now - local).total_seconds()
    return (QCoreApplication.translate("Review", "Нет связи с порталом: показаны данные кэша от {strftime} ({age_text} "
                                                 "назад)").format(strftime=local.strftime('%d.%m.%Y %H:%M'),
                                                                  age_text=age_text(age)))


class ReviewModel(QAbstractTableModel):
    """The rows the filters keep; :meth:`set_rows` and :meth:`set_filters` reset it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.all_rows: list[ReviewRow] = []
        self.rows: list[ReviewRow] = []
        self.filters = ReviewFilters()
        self.sort_column = -1  # -1: the report's order
        self.sort_order = Qt.SortOrder.AscendingOrder

    def _show(self, rows: list[ReviewRow]) -> None:
        if self.sort_column >= 0:
            column = self.sort_column
            rows = sorted(rows, key=lambda row: fold(row.cells[column]),
                          reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self.rows = rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted in Python on the shown cells (a proxy would call back into Python per comparison)."""
        self.beginResetModel()
        self.sort_column = column if 0 <= column < len(COLUMNS) else -1
        self.sort_order = order
        self._show(apply_filters(self.all_rows, self.filters))
        self.endResetModel()

    def set_rows(self, rows: list[ReviewRow]) -> None:
        self.beginResetModel()
        self.all_rows = rows
        self._show(apply_filters(rows, self.filters))
        self.endResetModel()

    def set_filters(self, filters: ReviewFilters) -> None:
        if filters == self.filters:
            return
        self.beginResetModel()
        self.filters = filters
        self._show(apply_filters(self.all_rows, filters))
        self.endResetModel()

    def row_at(self, row: int) -> ReviewRow:
        return self.rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(
                COLUMNS):
            return self.tr(COLUMNS[section])
        return None
