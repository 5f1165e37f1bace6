"""The manifest beside a participant's documents: who, which event and deal, and a table of the files.

A plain text file a manager opens with a double click: UTF-8 with a BOM (Windows Notepad then shows
the Cyrillic), CRLF line ends, columns padded with spaces. The same documents give the same bytes —
no "generated at" line — so an unchanged folder has an unchanged manifest and the push writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..domain.models import Contact, Deal, Document, ProgrammeType, full_name_of

BOM = "\ufeff"
NEWLINE = "\r\n"
HEADERS = ("№", "Файл", "Документ", "Размер, байт", "SHA-256", "Получен", "Статус")
_RIGHT_ALIGNED = {0, 3}  # numbers
_PROGRAMMES = {ProgrammeType.PK: "повышение квалификации", ProgrammeType.PP: "профессиональная переподготовка"}


@dataclass(frozen=True)
class ManifestEntry:
    """One file of the folder: its name there, the document it is, and its size in bytes."""

    name: str
    document: Document
    size: int


def manifest_text(deal: Deal, contact_id: int, contact: Contact | None, entries: Sequence[ManifestEntry]) -> str:
    """The manifest as text (lines joined with CRLF, no BOM)."""
    person = full_name_of(contact_id, contact.last_name, contact.name, contact.second_name) if contact \
        else f"#{contact_id}"
    lines = ["ОПИСЬ ДОКУМЕНТОВ УЧАСТНИКА", "", f"Участник: {person} (контакт № {contact_id})"]
    event = " ".join(part for part in (deal.event_code, f"«{deal.event_name}»" if deal.event_name else "") if part)
    lines.append(f"Мероприятие: {event or '—'}")
    programme = _programme(deal)
    if programme:
        lines.append(f"Программа: {programme}")
    partner = f", код партнёра {deal.partner_code}" if deal.partner_code else ""
    lines.append(f"Сделка: № {deal.id} «{deal.title}»{partner}")
    lines.append("")
    rows = [HEADERS] + [_row(number, entry) for number, entry in enumerate(entries, start=1)]
    lines.extend(_table(rows))
    lines.append("")
    total = sum(entry.size for entry in entries)
    lines.append(f"Файлов: {len(entries)}, всего {_bytes(total)} байт.")
    return NEWLINE.join(lines) + NEWLINE


def manifest_bytes(deal: Deal, contact_id: int, contact: Contact | None, entries: Sequence[ManifestEntry]) -> bytes:
    """The manifest as the file holds it: UTF-8 with a BOM."""
    return (BOM + manifest_text(deal, contact_id, contact, entries)).encode("utf-8")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _programme(deal: Deal) -> str:
    parts = []
    if deal.programme_type is not None:
        parts.append(_PROGRAMMES[deal.programme_type])
    if deal.hours:
        parts.append(f"{deal.hours} ч.")
    if deal.start_date or deal.end_date:
        parts.append(f"{_date(deal.start_date)} — {_date(deal.end_date)}")
    return ", ".join(parts)


def _row(number: int, entry: ManifestEntry) -> tuple[str, ...]:
    document = entry.document
    return (str(number), entry.name, document.type.title, _bytes(entry.size), document.sha256 or "—",
            _date(document.received), document.status.title)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS))]
    lines = []
    for row in rows:
        cells = [cell.rjust(width) if column in _RIGHT_ALIGNED else cell.ljust(width)
                 for column, (cell, width) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return lines


def _bytes(size: int) -> str:
    return f"{size:,}".replace(",", " ")


def _date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"
