"""Building ФИС ФРДО rows: what each cell is taken from, the deal's programme under a participant's
overrides, and the JSON texts the portal and the cache keep."""

from __future__ import annotations

from datetime import date

from dpo_desktop.domain.frdo import FrdoIssue, FrdoProgramme, OriginalDocument, from_json, to_json
from dpo_desktop.rules.frdo import LETTERS, FrdoSource, build_row
from tests.rules.test_frdo_preflight import CLEAN, DUPLICATE, contact, deal, participant


def test_a_plain_original_row():
    row = build_row(CLEAN["pk"])
    assert list(row.cells) == list(LETTERS)
    assert [row[letter] for letter in ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J")] == [
        "Удостоверение о повышении квалификации", "Оригинал", "Нет", "Нет", "Нет", "772419", "0001201", "16.03.2026",
        "ПК-2026-001/001", "Повышение квалификации"]
    assert [row[letter] for letter in ("O", "P", "Q", "R", "S", "T", "U")] == [
        "Высшее образование", "Соколова", "107718", "0123456", "2026", "2026", "40"]
    assert [row[letter] for letter in ("V", "W", "X", "Y", "Z", "AA", "AE")] == [
        "Соколова", "Анна", "Петровна", "17.04.1988", "Жен", "112-233-445 95", "643"]
    assert all(row[letter] == "" for letter in ("AF", "AG", "AH", "AI", "AJ", "AK", "AL", "AM", "AN"))


def test_a_duplicate_carries_its_original():
    row = build_row(CLEAN["duplicate"])
    assert (row["B"], row["C"]) == ("Дубликат", "Объявление в газете")
    assert [row[letter] for letter in ("AF", "AG", "AH", "AI", "AJ", "AK", "AL", "AM")] == [
        "Удостоверение о повышении квалификации", "772419", "0001100", "ПК-2025-010/004", "02.06.2025", "Соколова",
        "Анна", "Петровна"]


def test_what_the_builder_normalises_and_what_it_leaves_to_the_check():
    row = build_row(FrdoSource(deal(), participant(series=""), contact(snils="11223344595", diploma_surname="")))
    assert (row["F"], row["AA"], row["P"]) == ("нет", "112-233-445 95", "Соколова")
    odd = build_row(FrdoSource(deal(), participant(), contact(snils="1122334459", name="Анна\u00a0")))
    assert (odd["AA"], odd["W"]) == ("1122334459", "Анна\u00a0")  # the pre-flight names these


def test_the_deal_gives_what_its_programme_data_leave_out():
    bare = deal(programme=FrdoProgramme(), event_name="Охрана труда", hours=40)
    row = build_row(FrdoSource(bare, participant(), contact()))
    assert (row["K"], row["L"], row["S"], row["T"], row["U"]) == ("Охрана труда", "", "2026", "2026", "40")
    mine = participant(frdo=FrdoIssue(programme=FrdoProgramme(name="Охрана труда (повторно)", end_year=2027)))
    row = build_row(FrdoSource(deal(), mine, contact()))
    assert (row["K"], row["L"], row["T"]) == ("Охрана труда (повторно)", "Обеспечение безопасности", "2027")


def test_json_texts_round_trip_and_leave_out_the_empty():
    assert to_json(FrdoIssue()) == "" and from_json(FrdoIssue, "") == FrdoIssue()
    assert from_json(FrdoIssue, to_json(DUPLICATE)) == DUPLICATE
    assert '"series"' not in to_json(FrdoIssue(original=OriginalDocument(number="1")))
    assert from_json(FrdoProgramme, '{"hours": 72, "from_a_newer_app": 1}') == FrdoProgramme(hours=72)
    assert from_json(FrdoIssue, "{не json") == FrdoIssue()  # typed by hand and broken: read as nothing set
    assert from_json(FrdoIssue, to_json(FrdoIssue(original=OriginalDocument(issue_date=date(2025, 6, 2))))) \
        .original.issue_date == date(2025, 6, 2)
