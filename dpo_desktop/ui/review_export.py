"""What the review hands out: the shown rows as a print-ready workbook, and the text of a letter to the
client's responsible person. No Qt: the workbook is written on the CPU pool."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

MAX_WIDTH = 60  # characters; longer cells wrap rather than push the page wider


def write_review_xlsx(path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    """``rows`` under ``headers`` in one sheet: a title row, a bold frozen header, fitted column widths,
    landscape and fit to the page width. Written beside ``path`` and renamed over it, so a failure never
    leaves half a file."""
    path = Path(path)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Проверка документов"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(header) for header in headers]
    for row in rows:
        sheet.append(list(row))
        for column, value in enumerate(row):
            if len(value) > widths[column]:
                widths[column] = len(value)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if rows:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{len(rows) + 2}"
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


@dataclass(frozen=True)
class LetterGroup:
    """One deal's people and what each of them still has to bring."""

    deal_title: str
    event_code: str
    people: tuple[tuple[str, tuple[str, ...]], ...]  # (participant, missing types)


def letter_text(groups: Sequence[LetterGroup], addressee: str | None = None, sender: str = "") -> str:
    """A ready letter listing, deal by deal, whose documents are missing and which; people with nothing
    missing are left out. ``addressee`` is the client's responsible person («Имя Отчество»)."""
    groups = [LetterGroup(group.deal_title, group.event_code, tuple(person for person in group.people if person[1]))
              for group in groups]
    groups = [group for group in groups if group.people]
    greeting = f"Здравствуйте, {addressee}!" if addressee else "Здравствуйте!"
    if not groups:
        return f"{greeting}\n\nВсе документы участников получены. Спасибо!\n"
    lines = [greeting, "", "Для оформления документов об обучении нам не хватает документов следующих участников:"]
    for group in groups:
        heading = f"«{group.deal_title}»" + (f" (мероприятие {group.event_code})" if group.event_code else "")
        lines += ["", heading + ":"]
        lines += [f"  — {person}: {', '.join(missing)}" for person, missing in group.people]
    lines += ["", "Пожалуйста, пришлите сканы или фотографии недостающих документов в ответ на это письмо.", "",
              "С уважением,"]
    if sender:
        lines.append(sender)
    return "\n".join(lines) + "\n"
