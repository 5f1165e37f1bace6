"""``frdo``: the ФИС ФРДО workbook of a demo event read back cell by cell and held to the portal's own
records (worked out here from the sandbox state and the reference's column list, not by the app's
builder), the dictionaries of sheet «Проверки», the access log, and the pre-flight's exit codes."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stdout
from dataclasses import dataclass

import keyring
import pytest
from openpyxl import load_workbook

from dpo_desktop.cli import main
from dpo_desktop.sandbox import seeds
from dpo_desktop.secrets import ENV_WEBHOOK
from dpo_desktop.store.access_log import AccessLog, log_path_for
from tests.cli.harness import Cli, LoopbackPortal
from tests.integration.portal_truth import PortalView
from tests.secrets.memory_keyring import MemoryKeyring

# dpo-domain.md §1.3, in order.
REFERENCE_HEADERS = [
    "Вид документа", "Статус документа", "Подтверждение утраты", "Подтверждение обмена", "Подтверждение уничтожения",
    "Серия документа", "Номер документа", "Дата выдачи документа", "Регистрационный номер",
    "Дополнительная профессиональная программа (повышение квалификации/ профессиональная переподготовка)",
    "Наименование дополнительной профессиональной программы", "Наименование области профессиональной деятельности",
    "Укрупненные группы специальностей", "Наименование квалификации, профессии, специальности",
    "Уровень образования ВО/СПО", "Фамилия указанная в дипломе о ВО или СПО", "Серия документа о ВО/СПО",
    "Номер документа о ВО/СПО", "Год начала обучения (для документа о квалификации)",
    "Год окончания обучения (для документа о квалификации)", "Срок обучения, часов (для документа о квалификации)",
    "Фамилия получателя", "Имя получателя", "Отчество получателя", "Дата рождения получателя", "Пол получателя",
    "СНИЛС", "Форма обучения", "Источник финансирования обучения",
    "Форма получения образования на момент прекращения образовательных отношений",
    "Гражданство получателя (код страны по ОКСМ)", "Наименование документа об образовании (оригинала)",
    "Серия (оригинала)", "Номер (оригинала)", "Регистрационный N (оригинала)", "Дата выдачи (оригинала)",
    "Фамилия получателя (оригинала)", "Имя получателя (оригинала)", "Отчество получателя (оригинала)",
    "Номер документа для изменения",
]
REFERENCE_DICTIONARIES = {
    "A": ["Диплом о профессиональной переподготовке", "Свидетельство о повышении квалификации",
          "Справка об обучении", "Удостоверение о повышении квалификации"],
    "B": ["Оригинал", "Дубликат"],
    "C": ["Нет", "Справка из органов внутренних дел", "Справка из органов пожарной охраны", "Объявление в газете",
          "Другое"],
    "D": ["Нет", "Обмен по причине порчи", "Обмен по причине наличия недостоверной информации"],
    "E": ["Да", "Нет"],
    "J": ["Повышение квалификации", "Профессиональная переподготовка"],
    "O": ["Высшее образование", "Среднее профессиональное образование", "Справка", "Стаж",
          "Пункт 1 правил формирования ФИС ФРДО"],
    "Z": ["Муж", "Жен"],
    "AB": ["Очная", "Очно-заочная (вечерняя)", "Заочная"],
    "AC": ["Федеральный бюджет", "Региональный бюджет", "Местный бюджет", "Платное обучение"],
    "AD": ["в образовательной организации", "вне образовательной организации"],
}
PROGRAMMES = {"PK": "Повышение квалификации", "PP": "Профессиональная переподготовка"}
LEVELS = {"VO": "Высшее образование", "SPO": "Среднее профессиональное образование", "STUDENT": "Справка"}
SEXES = {"M": "Муж", "F": "Жен"}


def dmy(iso: str) -> str:
    year, month, day = iso[:10].split("-")
    return f"{day}.{month}.{year}"


def snils(value: str) -> str:
    """The ФРДО prompt's form ``XXX-XXX-XXX XX`` of a СНИЛС the portal may keep as 11 bare digits."""
    digits = "".join(char for char in value if char.isdigit())
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}" if len(digits) == 11 else value


@dataclass
class Truth:
    rows: dict[str, list[list]]  # event code -> expected rows (40 values each), in the export's order
    renamed: dict[str, list[str]]  # event code -> people whose diploma surname differs
    unproven: dict[str, list[str]]  # event code -> of them, those with no name-change document
    duplicates: dict[str, int]
    deals: dict[str, set[int]]
    people: dict[str, set[tuple[int, int]]]  # event code -> (deal ID, contact ID) of each row


def portal_truth(state) -> Truth:
    """The ФРДО rows the portal's records call for, event by event."""
    view = PortalView(state)
    deal_uf, contact_uf = view.deal_uf, view.contact_uf
    contacts = state.crm.contacts.table
    named_change = {(int(item["CONTACT"])) for item in view.elements("dpo_documents")
                    if item["DOC_TYPE"] == "Документ о смене фамилии" and item["CHECK_STATUS"] != "Отклонён"}
    truth = Truth({}, {}, {}, {}, {}, {})
    participants = sorted(view.elements("dpo_participants"), key=lambda item: (int(item["DEAL"]), int(item["ID"])))
    deals = view.deals()
    for element in participants:
        deal = deals.get(int(element["DEAL"]))
        if deal is None or not (element["ISSUED_KIND"] or element["ISSUED_NUMBER"]):
            continue

        def uf(xml_id: str, record=deal, fields=deal_uf):
            return record.get(fields[xml_id].field_name) or ""
        contact = contacts.get(int(element["CONTACT"]))

        def cf(xml_id: str, record=contact):
            return record.get(contact_uf[xml_id].field_name) or ""
        programme = json.loads(uf("DPO_FRDO") or "{}")
        frdo = json.loads(element["FRDO"] or "{}")
        original = frdo.get("original", {})
        kind = view.enum_xml_id(deal_uf["DPO_PROGRAMME_TYPE"], uf("DPO_PROGRAMME_TYPE"))
        surname = contact["LAST_NAME"]
        diploma_surname = cf("DPO_DIPLOMA_SURNAME") or surname
        row = [
            element["ISSUED_KIND"], frdo.get("status", "Оригинал"), frdo.get("loss_proof", "Нет"),
            frdo.get("exchange_proof", "Нет"), frdo.get("destroyed", "Нет"), element["ISSUED_SERIES"] or "нет",
            element["ISSUED_NUMBER"], element["ISSUED_DATE"], element["ISSUED_REG_NUMBER"], PROGRAMMES[kind],
            programme.get("name", uf("DPO_EVENT_NAME")), programme.get("activity_field", ""), "",
            programme.get("qualification", ""), LEVELS[view.enum_xml_id(contact_uf["DPO_EDUCATION_LEVEL"],
                                                                        cf("DPO_EDUCATION_LEVEL"))],
            diploma_surname, cf("DPO_DIPLOMA_SERIES"), cf("DPO_DIPLOMA_NUMBER"),
            programme.get("start_year", int(uf("DPO_START_DATE")[:4])),
            programme.get("end_year", int(uf("DPO_END_DATE")[:4])), int(uf("DPO_HOURS")),
            surname, contact["NAME"], contact["SECOND_NAME"], dmy(contact["BIRTHDATE"]),
            SEXES[view.enum_xml_id(contact_uf["DPO_SEX"], cf("DPO_SEX"))], snils(cf("DPO_SNILS")),
            programme.get("study_form", ""), programme.get("funding", ""), programme.get("study_place", ""),
            cf("DPO_CITIZENSHIP"), original.get("kind", ""), original.get("series", ""), original.get("number", ""),
            original.get("registration_number", ""), dmy(original["issue_date"]) if original else "",
            original.get("last_name", ""), original.get("name", ""), original.get("second_name", ""), "",
        ]
        code = uf("DPO_EVENT_CODE")
        truth.rows.setdefault(code, []).append(row)
        truth.deals.setdefault(code, set()).add(int(deal["ID"]))
        truth.people.setdefault(code, set()).add((int(deal["ID"]), int(element["CONTACT"])))
        truth.duplicates[code] = truth.duplicates.get(code, 0) + (row[1] == "Дубликат")
        if diploma_surname.replace("ё", "е").casefold() != surname.replace("ё", "е").casefold():
            truth.renamed.setdefault(code, []).append(f"{surname} {contact['NAME']} {contact['SECOND_NAME']}")
            if int(element["CONTACT"]) not in named_change:
                truth.unproven.setdefault(code, []).append(f"{surname} {contact['NAME']} {contact['SECOND_NAME']}")
    return truth


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    """A basedir whose profile «office» has a cache synced from the demo portal, and the portal's truth."""
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
    return basedir, portal_truth(portal.state), ring


@pytest.fixture
def cli(synced, capsys, monkeypatch) -> Cli:
    keyring.set_keyring(synced[2])  # the autouse fixture puts its own back afterwards
    return Cli(synced[0], capsys, monkeypatch)


@pytest.fixture
def truth(synced) -> Truth:
    return synced[1]


def clean_event(truth: Truth) -> str:
    """An event whose rows include a duplicate and a surname change, and no problem."""
    return next(code for code in sorted(truth.rows) if truth.duplicates.get(code) and truth.renamed.get(code)
                and not truth.unproven.get(code))


def flawed_event(truth: Truth) -> str:
    return next(code for code in sorted(truth.rows) if truth.unproven.get(code))


def cells(sheet) -> list[list]:
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_workbook_is_the_portals_records_cell_by_cell(cli, truth, tmp_path):
    event = clean_event(truth)
    target = tmp_path / "фрдо.xlsx"
    result = cli("frdo", "--event", event, "--output", str(target))
    assert result.code == 0, result.err
    assert f"строк {len(truth.rows[event])} записано" in result.err

    book = load_workbook(target)
    assert book.sheetnames == ["Шаблон", "Проверки"]
    sheet = book["Шаблон"]
    assert [cell.value for cell in sheet[1]] == REFERENCE_HEADERS
    rows = cells(sheet)
    for got, expected in zip(rows, truth.rows[event], strict=False):  # a differing cell named by its header
        assert {header: (a, b) for header, a, b in zip(REFERENCE_HEADERS, got, expected, strict=True) if a != b} == {}
    assert rows == truth.rows[event]
    duplicate = next(row for row in rows if row[1] == "Дубликат")
    assert duplicate[31] == duplicate[0] and duplicate[33] and duplicate[34] and duplicate[36] == duplicate[21]
    assert duplicate[8] != duplicate[34]  # the duplicate has a register entry of its own
    assert any(row[15] != row[21] for row in rows)  # a surname change: diploma surname P, current surname V


def test_cells_excel_would_mangle_are_text(cli, truth, tmp_path):
    target = tmp_path / "фрдо.xlsx"
    assert cli("frdo", "--event", clean_event(truth), "--output", str(target)).code == 0
    sheet = load_workbook(target)["Шаблон"]
    for column in ("AA", "G", "H", "Y", "AE"):
        cell = sheet[f"{column}2"]
        assert cell.data_type == "s" and cell.number_format == "@", column
    assert isinstance(sheet["U2"].value, int) and isinstance(sheet["S2"].value, int)


def test_sheet_checks_holds_the_reference_dictionaries_behind_the_drop_downs(cli, truth, tmp_path):
    target = tmp_path / "фрдо.xlsx"
    assert cli("frdo", "--event", clean_event(truth), "--output", str(target)).code == 0
    book = load_workbook(target)
    checks = book["Проверки"]
    columns = {}
    for column in checks.iter_cols(values_only=True):
        letter = column[0].split(":")[0]
        columns[letter] = [value for value in column[1:] if value is not None]
    for letter, values in REFERENCE_DICTIONARIES.items():
        assert columns[letter] == values, letter
    validations = {str(item.sqref).split(":")[0].rstrip("0123456789"): item.formula1
                   for item in book["Шаблон"].data_validations.dataValidation}
    for letter in REFERENCE_DICTIONARIES:
        name = validations[letter].lstrip("=")
        destination = next(iter(book.defined_names[name].destinations))
        assert destination[0] == "Проверки"
        assert [cell.value for row in checks[destination[1].replace("$", "")] for cell in row] == \
            REFERENCE_DICTIONARIES[letter]


def test_each_export_is_in_the_access_log(cli, truth, tmp_path, synced):
    event = clean_event(truth)
    log_file = log_path_for(cli.cache())
    with AccessLog.open(log_file) as log:
        before = log.count(["export"])
    assert cli("frdo", "--event", event, "--output", str(tmp_path / "f.xlsx")).code == 0
    with AccessLog.open(log_file) as log:
        entries = [entry for entry in log.entries() if entry.action == "export"][before:]
    # One row per person whose data went out, naming the deal and the contact, and no name in the detail.
    assert len(entries) == len(truth.rows[event])
    assert {(entry.deal_id, entry.contact_id) for entry in entries} == truth.people[event]
    assert {entry.detail for entry in entries} == {f"ФИС ФРДО, xlsx: строк {len(truth.rows[event])}"}


def test_check_only_passes_a_clean_event_and_writes_nothing(cli, truth, tmp_path):
    result = cli("frdo", "--event", clean_event(truth), "--check-only")
    assert result.code == 0 and "Проверка ФИС ФРДО пройдена" in result.err
    assert list(tmp_path.iterdir()) == []


def test_check_only_fails_on_a_surname_change_without_its_document(cli, truth):
    event = flawed_event(truth)
    result = cli("frdo", "--event", event, "--check-only")
    assert result.code == 1
    for person in truth.unproven[event]:
        assert any(line.startswith(f"dpo-desktop: {person}, столбец P (") and "документа о смене фамилии нет" in line
                   for line in result.lines()), person
    assert result.lines()[-1].startswith("dpo-desktop: Проверка ФИС ФРДО: ошибок")


def test_problems_block_the_workbook(cli, truth, tmp_path):
    target = tmp_path / "фрдо.xlsx"
    result = cli("frdo", "--event", flawed_event(truth), "--output", str(target))
    assert result.code == 1 and "книга не записана" in result.lines()[-1]
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_one_deal(cli, truth, tmp_path):
    event = clean_event(truth)
    deal_id = min(truth.deals[event])
    target = tmp_path / "сделка.xlsx"
    assert cli("frdo", "--deal", str(deal_id), "--output", str(target)).code == 0
    rows = cells(load_workbook(target)["Шаблон"])
    assert rows and all(row in truth.rows[event] for row in rows)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--event", "ПК-2026-015"], 2, "--output"),
    (["--event", "ПК-2026-015", "--output", "f.csv"], 2, ".xlsx"),
    (["--event", "НЕТ-ТАКОГО", "--check-only"], 1, "нет сделок"),
    (["--deal", "999999", "--check-only"], 1, "нет сделок"),
])
def test_bad_input_gets_one_line(cli, args, code, message):
    result = cli("frdo", *args)
    assert result.code == code and message in result.err
