"""``missing``: every format and filter over a cache filled from the demo portal, checked against the
portal's own truth."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path

import keyring
import pytest
from openpyxl import load_workbook

from dpo_desktop.cli import main
from dpo_desktop.commands.missing_output import HEADERS, STATUS_TITLES
from dpo_desktop.rules import load_rules
from dpo_desktop.sandbox import seeds
from dpo_desktop.secrets import ENV_WEBHOOK, SERVICE
from dpo_desktop.secrets.data_key import ENV_DATA_KEY, keyring_name
from tests.cli.harness import Cli, LoopbackPortal
from tests.integration.portal_truth import expected_missing
from tests.secrets.memory_keyring import MemoryKeyring

COLUMNS = ["deal_id", "deal_title", "event_code", "contact_id", "participant", "required", "present", "missing",
           "status"]


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    """A basedir whose profile «office» has a cache synced from the demo portal (which is then stopped)."""
    basedir = tmp_path_factory.mktemp("office")
    portal = LoopbackPortal(seeds.build("demo")).start()
    previous, ring = keyring.get_keyring(), MemoryKeyring()  # the ring keeps the cache's data key
    keyring.set_keyring(ring)
    try:
        with pytest.MonkeyPatch.context() as patch, redirect_stdout(io.StringIO()):
            patch.delenv(ENV_WEBHOOK, raising=False)
            patch.setattr(sys, "stdin", io.StringIO(portal.webhook))
            assert main(["--basedir", str(basedir), "profile", "add", "office", "--webhook-stdin"]) == 0
            assert main(["--basedir", str(basedir), "sync"]) == 0
    finally:
        keyring.set_keyring(previous)
        portal.stop()
    return basedir, portal.state, expected_missing(portal.state, load_rules().rules), ring


@pytest.fixture
def report(synced, capsys, monkeypatch) -> Cli:
    keyring.set_keyring(synced[3])  # the autouse fixture puts its own back afterwards
    return Cli(synced[0], capsys, monkeypatch)


@pytest.fixture
def truth(synced) -> list[dict]:
    return synced[2]


def flat(row: dict) -> dict:
    return {key: "; ".join(value) if isinstance(value, list) else value for key, value in row.items()}


def test_json_is_the_portals_truth(report, truth):
    result = report("missing", "--format", "json")
    assert result.code == 0 and result.err == ""
    assert result.out.count("\n") == 1
    assert result.json() == truth


def test_csv_has_a_header_and_lists_joined(report, truth):
    result = report("missing", "--format", "csv")
    assert result.out.splitlines()[0] == ",".join(COLUMNS)
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows == [{key: str(value) for key, value in flat(row).items()} for row in truth]


def test_xlsx_is_a_workbook_for_people(report, truth, tmp_path):
    target = tmp_path / "отчёт.xlsx"
    result = report("missing", "--format", "xlsx", "--output", str(target))
    assert result.code == 0 and result.out == "" and result.err == ""
    assert [path.name for path in tmp_path.iterdir()] == ["отчёт.xlsx"]  # no temporary file left
    sheet = load_workbook(target).active
    assert sheet.title == "Недостающие документы" and sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == [HEADERS[column] for column in COLUMNS]
    assert all(cell.font.b for cell in sheet[1])
    assert all(sheet.column_dimensions[letter].width >= len(HEADERS[column])
               for letter, column in zip("ABCDEFGHI", COLUMNS, strict=True))
    rows = [dict(zip(COLUMNS, values, strict=True)) for values in sheet.iter_rows(min_row=2, values_only=True)]
    expected = [{**flat(row), "status": STATUS_TITLES[row["status"]]} for row in truth]
    assert [{key: value if value is not None else "" for key, value in row.items()} for row in rows] == expected


def test_the_table_is_aligned_for_a_terminal(report, truth):
    lines = report("missing").out.splitlines()
    header, body, total = lines[0], lines[1:-1], lines[-1]
    assert header.split() == ["Мероприятие", "Сделка", "Участник", "Статус", "Не", "хватает"]
    assert len(body) == len(truth)
    deal_at, person_at = header.index("Сделка"), header.index("Участник")
    for line, row in zip(body, truth, strict=True):
        assert line[deal_at:].startswith(str(row["deal_id"]))
        assert line[person_at:].startswith(row["participant"])
    counts = Counter(row["status"] for row in truth)
    assert total == (f"Участников: {len(truth)}; собраны: {counts['complete']}, частично: {counts['partial']}, "
                     f"нет ни одного: {counts['none']}")


def test_the_same_report_to_a_file(report, tmp_path):
    target = tmp_path / "missing.json"
    assert report("missing", "--format", "json", "--output", str(target)).out == ""
    assert target.read_text(encoding="utf-8") == report("missing", "--format", "json").out


def stage_of(synced, deal_id: int) -> str:
    return synced[1].crm.deals.table.get(deal_id)["STAGE_ID"]


@pytest.mark.parametrize(("arguments", "keep"), [
    (["--type", "Паспорт"], lambda row, _: "Паспорт" in row["missing"]),
    (["--type", "passport"], lambda row, _: "Паспорт" in row["missing"]),
    (["--type", "согласие на обработку пд"], lambda row, _: "Согласие на обработку ПД" in row["missing"]),
    (["--status", "partial"], lambda row, _: row["status"] == "partial"),
    (["--status", "none, complete"], lambda row, _: row["status"] in ("none", "complete")),
    (["--type", "СНИЛС", "--status", "partial"], lambda row, _: "СНИЛС" in row["missing"]
     and row["status"] == "partial"),
])
def test_filters(report, truth, synced, arguments, keep):
    expected = [row for row in truth if keep(row, synced)]
    assert expected and len(expected) < len(truth)
    assert report("missing", "--format", "json", *arguments).json() == expected


def test_filters_by_event_deal_and_stage(report, truth, synced):
    event = truth[len(truth) // 2]["event_code"]
    assert report("missing", "--format", "json", "--event", f" {event.lower()} ").json() == [
        row for row in truth if row["event_code"] == event]
    deal_id = truth[-1]["deal_id"]
    assert report("missing", "--format", "json", "--deal", str(deal_id)).json() == [
        row for row in truth if row["deal_id"] == deal_id]
    stage = stage_of(synced, deal_id)
    by_stage = report("missing", "--format", "json", "--stage", stage).json()
    assert by_stage == [row for row in truth if stage_of(synced, row["deal_id"]) == stage]
    assert report("missing", "--format", "json", "--deal", "999999").json() == []
    assert report("missing", "--deal", "999999").out == "Нет участников, подходящих под условия отбора.\n"


@pytest.mark.parametrize(("arguments", "reason"), [
    (["--type", "Свидетельство"], "Тип документа «Свидетельство» неизвестен"),
    (["--status", "done"], "--status: done; допустимо complete, partial или none"),
    (["--format", "xlsx"], "нужен --output"),
    (["--format", "pdf"], "invalid choice"),
    (["--output", "/nonexistent/folder/r.csv"], "отчёт некуда записать"),
])
def test_bad_report_options_are_usage_errors(report, arguments, reason):
    result = report("missing", *arguments)
    assert result.code == 2 and reason in result.err and result.out == ""


def test_without_a_profile_or_a_cache(cli):
    none = cli("missing")
    assert none.code == 1 and "Профилей нет" in none.err
    cli("profile", "add", "office", "--webhook-stdin", stdin="https://dpo-center.bitrix24.ru/rest/1/abcdef123456/")
    empty = cli("missing")
    assert empty.code == 1 and empty.out == ""
    assert empty.lines() == ["dpo-desktop: Кэш профиля «office» ещё пуст: сначала выполните «dpo-desktop sync»"]


def test_a_reader_that_stops_reading_gets_no_traceback(synced):
    # Another process has no keyring in memory: the cache's data key comes as automation passes it.
    data_key = synced[3].get_password(SERVICE, keyring_name(synced[0] / "data" / "office"))
    process = subprocess.Popen([sys.executable, "-m", "dpo_desktop", "--basedir", str(synced[0]), "missing",
                                "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=Path(__file__).resolve().parents[2], env={**os.environ, ENV_DATA_KEY: data_key})
    process.stdout.close()  # like `| head` that has read enough: every write now meets a closed pipe
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 1
    assert errors == ""
