"""The access log as a document for people: a print-ready workbook or a CSV for Russian Excel.

An export of the event log accompanies each act of destruction of personal data (Роскомнадзор order
№ 179): what was done, when, by whom, to whose document. The log keeps IDs only; names of people and
documents are resolved here from the cache, at export time, and a row whose object the cache no longer
has shows its ID. CSV is for people, not scripts (unlike ``missing --format csv``): UTF-8 with a BOM
and ``;`` between cells, which is what Excel with Russian settings opens correctly by a double click.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.models import Document
from .access_log import AccessEntry, AccessLog, AccessQuery
from .reader import StoreReader

if TYPE_CHECKING:
    from .store import Store

HEADERS = ("Дата и время", "Действие", "Кто", "Сделка", "Участник", "Документ", "Подробности")
ACTION_TITLES = {
    "view": "Просмотр",
    "open": "Открытие во внешней программе",
    "export": "Выгрузка",
    "upload": "Загрузка на портал",
    "push": "Копирование в папку на портале",
    "delete": "Удаление",
    "wipe": "Уничтожение локальных копий",
}
FORMATS = ("xlsx", "csv")
SHEET_TITLE = "Журнал доступа к ПД"
MAX_WIDTH = 60  # characters; longer cells wrap rather than push the page wider
A4 = "9"  # openpyxl's Worksheet.PAPERSIZE_A4 (the write-only sheet does not carry the constant)


def day_range(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """From the start of ``first`` to the end of ``last``, in this computer's time zone."""
    since = datetime.combine(first, time()).astimezone() if first is not None else None
    until = datetime.combine(last + timedelta(days=1), time()).astimezone() if last is not None else None
    return since, until


def deals_of_event(reader: StoreReader, event_code: str) -> frozenset[int]:
    return frozenset(deal.id for deal in reader.deals(event_code=event_code))


def export_rows(log: AccessLog, reader: StoreReader, query: AccessQuery | None = None) -> list[tuple[str, ...]]:
    """The log rows ``query`` keeps, each as the seven cells of :data:`HEADERS`, oldest first."""
    entries = log.entries(query)
    names = _Names(reader)
    return [(
        entry.at.astimezone().strftime("%d.%m.%Y %H:%M:%S %z"),
        ACTION_TITLES[entry.action],
        actor_text(entry),
        names.deal(entry.deal_id),
        names.person(entry.contact_id),
        names.document(entry.deal_id, entry.document_id),
        entry.detail,
    ) for entry in entries]


def export_title(profile: str, first: date | None, last: date | None) -> str:
    span = ""
    if first is not None:
        span += f" с {first:%d.%m.%Y}"
    if last is not None:
        span += f" по {last:%d.%m.%Y}"
    return (f"Журнал доступа к персональным данным (профиль «{profile}»){span}; "
            f"выгружен {datetime.now().astimezone():%d.%m.%Y %H:%M}")


def export_log(store: Store, path: Path, query: AccessQuery, title: str) -> int:
    """Write the rows ``query`` keeps to ``path`` (XLSX or CSV), and log the export itself; how many rows."""
    assert store.access_log is not None
    rows = export_rows(store.access_log, store, query)
    write_export(path, rows, title)
    deals = sorted(query.deal_ids) if query.deal_ids is not None else None
    scope = f"сделки {', '.join(map(str, deals))}" if deals else ("нет сделок" if deals == [] else "все сделки")
    store.log_access("export", detail=f"журнал доступа, {path.suffix.lower().lstrip('.')}: "
                                      f"{len(rows)} записей; {scope}")
    return len(rows)


def actor_text(entry: AccessEntry) -> str:
    parts = []
    if entry.portal_user is not None:
        parts.append(f"пользователь портала #{entry.portal_user}")
    if entry.os_user:
        parts.append(f"учётная запись {entry.os_user}")
    return ", ".join(parts) or "не определён"


class _Names:
    """Names from the cache, each looked up once per export."""

    def __init__(self, reader: StoreReader) -> None:
        self._reader = reader
        self._deals: dict[int, str] = {}
        self._people: dict[int, str] = {}
        self._documents: dict[int, Document] = {}
        self._deals_read: set[int] = set()

    def deal(self, deal_id: int | None) -> str:
        if deal_id is None:
            return ""
        if deal_id not in self._deals:
            deal = self._reader.deal(deal_id)
            self._deals[deal_id] = f"{deal_id} «{deal.title}»" if deal is not None else f"{deal_id} (нет в кэше)"
        return self._deals[deal_id]

    def person(self, contact_id: int | None) -> str:
        if contact_id is None:
            return ""
        if contact_id not in self._people:
            contact = self._reader.contact(contact_id)
            self._people[contact_id] = (f"{contact.full_name} [{contact_id}]" if contact is not None
                                        else f"контакт {contact_id} (нет в кэше)")
        return self._people[contact_id]

    def document(self, deal_id: int | None, document_id: int | None) -> str:
        if document_id is None:
            return ""
        if document_id not in self._documents and deal_id is not None and deal_id not in self._deals_read:
            self._deals_read.add(deal_id)
            self._documents.update((doc.id, doc) for doc in self._reader.documents(deal_id=deal_id)
                                   if doc.id is not None)
        document = self._documents.get(document_id)
        if document is None:
            return f"документ {document_id} (нет в кэше)"
        return f"{document.type.title}: {document.original_name}" if document.original_name else document.type.title


def write_export(path: Path, rows: Sequence[Sequence[str]], title: str) -> None:
    """``rows`` to ``path`` as XLSX or CSV by its extension; written beside it and renamed over it."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unsupported export format: {path.suffix!r}")
    write = (lambda target: _write_xlsx(target, rows, title)) if fmt == "xlsx" else (
        lambda target: _write_csv(target, rows))
    _replace_atomically(path, write)


def _write_csv(target: Path, rows: Sequence[Sequence[str]]) -> None:
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)


def _write_xlsx(target: Path, rows: Sequence[Sequence[str]], title: str) -> None:
    """Write-only (streamed): a year of an office's log is tens of thousands of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    widths = [len(header) for header in HEADERS]
    for row in rows:
        widths = [max(width, len(value)) for width, value in zip(widths, row, strict=True)]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    bold, wrap = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_wrapped(sheet, value, wrap) if len(value) > MAX_WIDTH else value for value in row])
    book.save(target)


def _wrapped(sheet, value: str, wrap):  # openpyxl's write-only cell types
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.alignment = wrap
    return cell


def _replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
