"""The rules file: the shipped one, an office's override (replace or extend), and broken overrides."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from dpo_desktop import paths
from dpo_desktop.domain.models import DocumentType, ProgrammeType
from dpo_desktop.rules.loading import OVERRIDE_NAME, RulesFileError, load_rules, shipped_rules_path
from dpo_desktop.rules.required import StudyCertificateMode

D = DocumentType
CORE = (D.DIPLOMA, D.PASSPORT, D.SNILS, D.CONSENT, D.APPLICATION, D.CONTRACT)
REPLACEMENT = {
    "schema_version": 1,
    "required": {"ПК": ["passport", "application"], "ПП": ["passport", "diploma", "contract"]},
    "without_programme": ["passport"],
    "conditions": {"name_change_when_surname_changed": False, "study_certificate_for_diploma": "always",
                   "snils_optional_for_foreigners_without_snils": False},
}


def write(path: Path, content: object) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_shipped_file_is_found_through_the_resources_folder():
    assert shipped_rules_path() == paths.resources_dir() / "rules" / "required_documents.json"
    assert shipped_rules_path().is_file()


def test_shipped_rules_load_without_an_override():
    loaded = load_rules()
    assert loaded.error is None
    assert loaded.sources == (shipped_rules_path(),)
    assert {programme: loaded.rules.required[programme] for programme in (*ProgrammeType, None)} == {
        ProgrammeType.PK: CORE, ProgrammeType.PP: CORE, None: CORE}
    assert loaded.rules.name_change_when_surname_changed is True
    assert loaded.rules.study_certificate_for_diploma is StudyCertificateMode.STUDENTS
    assert loaded.rules.snils_optional_for_foreigners_without_snils is True


def test_an_office_file_in_the_config_folder_replaces_the_shipped_rules():
    office = write(paths.config_dir() / OVERRIDE_NAME, REPLACEMENT)
    loaded = load_rules()
    assert loaded.error is None
    assert loaded.sources == (shipped_rules_path(), office)
    assert loaded.rules.required[ProgrammeType.PK] == (D.PASSPORT, D.APPLICATION)
    assert loaded.rules.required[ProgrammeType.PP] == (D.DIPLOMA, D.PASSPORT, D.CONTRACT)  # in DocumentType order
    assert loaded.rules.required[None] == (D.PASSPORT,)
    assert loaded.rules.name_change_when_surname_changed is False
    assert loaded.rules.study_certificate_for_diploma is StudyCertificateMode.ALWAYS
    assert loaded.rules.snils_optional_for_foreigners_without_snils is False


def test_a_replacement_may_leave_the_conditions_at_their_defaults():
    office = write(paths.config_dir() / OVERRIDE_NAME, {k: v for k, v in REPLACEMENT.items() if k != "conditions"})
    loaded = load_rules(office)
    assert loaded.error is None
    assert loaded.rules.name_change_when_surname_changed is True
    assert loaded.rules.study_certificate_for_diploma is StudyCertificateMode.STUDENTS


def test_an_extension_adds_documents_and_changes_only_the_named_conditions():
    office = write(paths.config_dir() / OVERRIDE_NAME, {
        "schema_version": 1, "mode": "extend", "comment": "Переподготовка: ещё трудовая книжка (Другое)",
        "required": {"ПП": ["other", "passport"]}, "without_programme": ["other"],
        "conditions": {"study_certificate_for_diploma": "always"},
    })
    loaded = load_rules()
    assert loaded.error is None
    assert loaded.rules.required[ProgrammeType.PK] == CORE
    assert loaded.rules.required[ProgrammeType.PP] == (*CORE, D.OTHER)
    assert loaded.rules.required[None] == (*CORE, D.OTHER)
    assert loaded.rules.study_certificate_for_diploma is StudyCertificateMode.ALWAYS
    assert loaded.rules.name_change_when_surname_changed is True
    assert loaded.sources[-1] == office


def test_an_explicit_path_wins_over_the_config_folder(tmp_path):
    write(paths.config_dir() / OVERRIDE_NAME, "{not json")
    chosen = write(tmp_path / "moi_pravila.json", REPLACEMENT)
    loaded = load_rules(chosen)
    assert loaded.error is None
    assert loaded.rules.required[None] == (D.PASSPORT,)


def test_a_file_with_a_byte_order_mark_is_read():
    office = paths.config_dir() / OVERRIDE_NAME
    office.write_bytes(b"\xef\xbb\xbf" + json.dumps(REPLACEMENT, ensure_ascii=False).encode("utf-8"))
    assert load_rules().error is None


BROKEN = [
    ("{not json", "ошибка JSON в строке 1, столбце 2"),
    ("[]", "нужен объект {…}"),
    ({"schema_version": 2, "required": {}}, "версия схемы 2 не поддерживается (нужна 1)"),
    ({**REPLACEMENT, "schema_version": "1"}, "schema_version: нужно целое число, а не \"1\""),
    ({**REPLACEMENT, "schema_version": True}, "schema_version: нужно целое число, а не true"),
    ({k: v for k, v in REPLACEMENT.items() if k != "schema_version"}, "schema_version: обязательное поле отсутствует"),
    ({**REPLACEMENT, "required": {"ПК": ["passport", "pasport"], "ПП": []}},
     "required.ПК[1]: неизвестный тип документа «pasport» (известны: diploma, passport, snils"),
    ({**REPLACEMENT, "required": {"ПК": ["passport"]}}, "required.ПП: обязательное поле отсутствует"),
    ({**REPLACEMENT, "required": {"ПК": "passport", "ПП": []}}, "required.ПК: нужен список"),
    ({**REPLACEMENT, "without_programme": ["Паспорт"]}, "without_programme[0]: неизвестный тип документа «Паспорт»"),
    ({**REPLACEMENT, "extra": 1}, "extra: неизвестное поле"),
    ({**REPLACEMENT, "conditions": {"name_change_when_surname_changed": "да"}},
     "conditions.name_change_when_surname_changed: нужно true или false"),
    ({**REPLACEMENT, "conditions": {"study_certificate_for_diploma": "never"}},
     "conditions.study_certificate_for_diploma: недопустимое значение «never» (допустимо: students, always)"),
    ({**REPLACEMENT, "mode": "merge"}, "поле mode: допустимо «replace» или «extend», а не \"merge\""),
    ({"schema_version": 1, "mode": "extend", "required": {"ПК": ["snils"]}, "without_programme": "other"},
     "without_programme: нужен список"),
    ({"schema_version": 1, "mode": "extend", "required": {"ПК": ["x1", "x2"], "ПП": ["x3", "x4"]}},
     "required.ПК[1]: неизвестный тип документа «x2»; required.ПП[0]: неизвестный тип документа «x3»; и ещё 1"),
]


@pytest.mark.parametrize(("content", "problem"), BROKEN)
def test_a_broken_override_is_reported_and_the_shipped_rules_are_used(content, problem, caplog):
    office = write(paths.config_dir() / OVERRIDE_NAME, content)
    with caplog.at_level(logging.WARNING, logger="dpo_desktop.rules.loading"):
        loaded = load_rules()
    assert loaded.error is not None
    assert loaded.error.startswith(f"Файл правил {office}: ")
    assert problem in loaded.error
    assert loaded.error.endswith("Используются стандартные правила.")
    assert loaded.sources == (shipped_rules_path(),)
    assert loaded.rules == load_rules(shipped_rules_path()).rules  # the shipped file, read as an override
    assert [record.getMessage() for record in caplog.records] == [loaded.error]


def test_a_document_type_list_is_given_once_in_a_message():
    office = write(paths.config_dir() / OVERRIDE_NAME, {**REPLACEMENT, "required": {"ПК": ["a", "b"], "ПП": []}})
    assert load_rules(office).error.count("известны:") == 1


def test_an_explicit_path_that_does_not_exist_is_reported(tmp_path):
    loaded = load_rules(tmp_path / "нет.json")
    assert loaded.error == f"Файл правил {tmp_path / 'нет.json'}: файл не найден. Используются стандартные правила."
    assert loaded.rules.required[ProgrammeType.PK] == CORE


def test_a_file_not_in_utf8_is_reported():
    office = paths.config_dir() / OVERRIDE_NAME
    office.write_bytes(json.dumps(REPLACEMENT, ensure_ascii=False).encode("cp1251"))
    assert "не в кодировке UTF-8" in load_rules().error


def test_a_folder_in_place_of_the_file_is_reported():
    (paths.config_dir() / OVERRIDE_NAME).mkdir()
    assert "файл не читается" in load_rules().error


def test_a_broken_shipped_file_is_an_installation_fault(tmp_path):
    shipped = write(tmp_path / "required_documents.json", {"schema_version": 1, "required": {}})
    with pytest.raises(RulesFileError) as caught:
        load_rules(shipped=shipped)
    assert str(caught.value).startswith(f"Файл правил {shipped}: ")
    assert caught.value.path == shipped
