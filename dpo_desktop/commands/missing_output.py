"""The missing-documents report written as a terminal table, CSV, JSON or an Excel workbook.

JSON and CSV are for scripts: the row keys of DESIGN §7, statuses as codes, document types by their
Russian names (lists joined by "; " in CSV). The table and the workbook are for people: Russian
headers and statuses. A file named by ``--output`` is written next to its final place and renamed
over it, so a reader never sees half a report and a failed run leaves the previous file as it was.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring  # the C function json.dumps uses for strings
from pathlib import Path
from typing import Any

from ..rules import MissingRow

FORMATS = ("table", "csv", "json", "xlsx")
COLUMNS = ("deal_id", "deal_title", "event_code", "contact_id", "participant", "required", "present", "missing",
           "status")
HEADERS = {"deal_id": "Сделка", "deal_title": "Название сделки", "event_code": "Код мероприятия",
           "contact_id": "Контакт", "participant": "Участник", "required": "Нужны", "present": "Есть",
           "missing": "Не хватает", "status": "Статус"}
STATUS_TITLES = {"complete": "собраны", "partial": "частично", "none": "нет ни одного"}
LIST_SEPARATOR = "; "
SHEET_TITLE = "Недостающие документы"
MAX_WIDTH = 60  # characters; longer cells wrap in Excel rather than push the rest off screen


def write_report(rows: Sequence[MissingRow], fmt: str, output: Path | None) -> None:
    """``rows`` in format ``fmt`` to ``output``, or to stdout when there is no file (not for xlsx)."""
    if fmt == "xlsx":
        assert output is not None, "xlsx goes to a file"
        write_atomically(output, lambda target: _write_xlsx(rows, target))
        return
    text = {"json": as_json, "csv": as_csv, "table": as_table}[fmt](rows)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(output, lambda target: target.write_text(text, encoding="utf-8", newline=""))


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _cells(row: MissingRow) -> dict[str, Any]:
    data = row.as_json()
    for key in ("required", "present", "missing"):
        data[key] = LIST_SEPARATOR.join(data[key])
    return data


def as_json(rows: Sequence[MissingRow]) -> str:
    """``json.dumps([row.as_json() for row in rows], ensure_ascii=False)``, to the character, made faster.

    A whole office is tens of thousands of rows in which titles, codes and type lists repeat: each
    distinct one is encoded once (the general encoder took a third of the report's time).
    """
    text, lists = _memo(encode_basestring), _memo(lambda items: json.dumps(list(items), ensure_ascii=False))
    parts = [
        f'{{"deal_id": {row.deal_id:d}, "deal_title": {text(row.deal_title)}, "event_code": {text(row.event_code)}, '
        f'"contact_id": {row.contact_id:d}, "participant": {encode_basestring(row.participant)}, '
        f'"required": {lists(row.required)}, "present": {lists(row.present)}, "missing": {lists(row.missing)}, '
        f'"status": {text(row.status.value)}}}'
        for row in rows]
    return f"[{', '.join(parts)}]\n"


def _memo(encode: Callable[[Any], str]) -> Callable[[Any], str]:
    cache: dict[Any, str] = {}

    def encoded(value: Any) -> str:
        found = cache.get(value)
        if found is None:
            found = cache[value] = encode(value)
        return found
    return encoded


def as_csv(rows: Sequence[MissingRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = _cells(row)
        writer.writerow([cells[column] for column in COLUMNS])
    return buffer.getvalue()


def as_table(rows: Sequence[MissingRow]) -> str:
    if not rows:
        return "Нет участников, подходящих под условия отбора.\n"
    header = ("Мероприятие", "Сделка", "Участник", "Статус", "Не хватает")
    lines = [header] + [(row.event_code or "—", str(row.deal_id), row.participant, STATUS_TITLES[row.status.value],
                         ", ".join(row.missing) or "—") for row in rows]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header) - 1)]
    body = ["  ".join([*(cell.ljust(width) for cell, width in zip(line, widths, strict=False)), line[-1]])
            for line in lines]
    counts = Counter(row.status.value for row in rows)
    body.append(f"Участников: {len(rows)}; " + ", ".join(f"{STATUS_TITLES[status]}: {counts[status]}"
                                                         for status in STATUS_TITLES))
    return "\n".join(body) + "\n"


def _write_xlsx(rows: Sequence[MissingRow], target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = [_cells(row) for row in rows]
    for cells in table:
        cells["status"] = STATUS_TITLES[cells["status"]]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        longest = max([len(HEADERS[column]), *(len(str(cells[column])) for cells in table)])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=HEADERS[column])
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    for cells in table:
        sheet.append([cells[column] for column in COLUMNS])
    if table:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(table) + 1}"
    book.save(target)
