"""The report's writers as pure functions: JSON to the character, CSV quoting, the table, the workbook."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from dpo_desktop.commands.missing_output import as_csv, as_json, as_table, write_report
from dpo_desktop.domain.models import Completeness
from dpo_desktop.rules import MissingRow

ALL = ("Диплом", "Паспорт", "СНИЛС")


def row(**changes) -> MissingRow:
    values = {"deal_id": 7, "deal_title": "ООО «Ромашка» — ПК-1", "event_code": "ПК-1", "contact_id": 42,
              "participant": "Ёлкина Ольга", "required": ALL, "present": ("Паспорт",), "missing": ("Диплом", "СНИЛС"),
              "status": Completeness.PARTIAL}
    return MissingRow(**{**values, **changes})


TRICKY = [
    row(),
    row(deal_title='Кавычки " и \\ обратная черта', participant="Tab\there"),
    row(deal_title="перевод\nстроки", event_code="", participant="#43", contact_id=43, present=(), missing=ALL,
        status=Completeness.NONE),
    row(deal_title="emoji 🙂 и \u2028 разделитель", required=(), present=(), missing=(),
        status=Completeness.COMPLETE),
    row(deal_id=8, deal_title="ООО «Ромашка» — ПК-1", participant="Ёлкина Ольга"),  # repeated texts, new deal
]


@pytest.mark.parametrize("rows", [[], TRICKY[:1], TRICKY], ids=["none", "one", "tricky"])
def test_json_is_exactly_what_json_dumps_writes(rows):
    assert as_json(rows) == json.dumps([item.as_json() for item in rows], ensure_ascii=False) + "\n"


def test_csv_quotes_what_needs_quoting():
    parsed = list(csv.DictReader(io.StringIO(as_csv(TRICKY))))
    assert [item["deal_title"] for item in parsed] == [item.deal_title for item in TRICKY]
    assert parsed[0]["missing"] == "Диплом; СНИЛС" and parsed[2]["present"] == ""
    assert [item["status"] for item in parsed] == ["partial", "partial", "none", "complete", "partial"]


@pytest.mark.parametrize(("rows", "expected"), [
    ([], "Нет участников, подходящих под условия отбора.\n"),
    ([row(), row(event_code="", participant="#43", contact_id=43, missing=(), status=Completeness.COMPLETE)],
     "Мероприятие  Сделка  Участник      Статус    Не хватает\n"
     "ПК-1         7       Ёлкина Ольга  частично  Диплом, СНИЛС\n"
     "—            7       #43           собраны   —\n"
     "Участников: 2; собраны: 1, частично: 1, нет ни одного: 0\n"),
])
def test_the_table(rows, expected):
    assert as_table(rows) == expected


def test_an_empty_workbook_still_has_its_header(tmp_path):
    target = tmp_path / "empty.xlsx"
    write_report([], "xlsx", target)
    sheet = load_workbook(target).active
    assert [cell.value for cell in sheet[1]][:3] == ["Сделка", "Название сделки", "Код мероприятия"]
    assert sheet.max_row == 1


def test_a_failed_write_leaves_the_previous_file(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous")
    with pytest.raises(AttributeError):
        write_report([row(), object()], "xlsx", target)  # the second row breaks the writer midway
    assert target.read_bytes() == b"previous"
    assert [path.name for path in tmp_path.iterdir()] == ["report.xlsx"]  # no temporary file left
