"""The ФИС ФРДО pre-flight against a table-driven corpus: clean rows pass; each defective row has exactly
one defect, and the pre-flight names exactly that cell (participant, column, why, how to fix)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dpo_desktop.domain.frdo import FrdoIssue, FrdoProgramme, OriginalDocument
from dpo_desktop.domain.models import (
    Contact,
    Deal,
    EducationLevel,
    IssuedDocument,
    Participant,
    ProgrammeType,
    Sex,
)
from dpo_desktop.rules.frdo import FrdoSource, build_row, build_rows, preflight

TODAY = date(2026, 11, 20)
PK_PROGRAMME = FrdoProgramme(name="Охрана труда для руководителей и специалистов организаций",
                             activity_field="Обеспечение безопасности", study_form="Очная",
                             funding="Платное обучение", study_place="в образовательной организации")
PP_PROGRAMME = FrdoProgramme(name="Управление персоналом",
                             activity_field="Административно-управленческая и офисная деятельность",
                             qualification="Специалист по управлению персоналом",
                             study_form="Очно-заочная (вечерняя)", funding="Региональный бюджет",
                             study_place="в образовательной организации")


def deal(kind: ProgrammeType = ProgrammeType.PK, **changes) -> Deal:
    values = {"id": 7, "title": "ООО «Вектор» — ПК-2026-001", "pipeline_id": 3, "stage_id": "C3:WON",
              "event_name": "Охрана труда", "event_code": "ПК-2026-001", "programme_type": kind,
              "hours": 40 if kind is ProgrammeType.PK else 340, "start_date": date(2026, 3, 2),
              "end_date": date(2026, 3, 13), "programme": PK_PROGRAMME if kind is ProgrammeType.PK else PP_PROGRAMME}
    return Deal(**{**values, **changes})


def contact(**changes) -> Contact:
    values = {"id": 41, "last_name": "Соколова", "name": "Анна", "second_name": "Петровна",
              "birth_date": date(1988, 4, 17), "snils": "112-233-445 95", "sex": Sex.FEMALE, "citizenship": "643",
              "education_level": EducationLevel.HIGHER, "diploma_surname": "Соколова", "diploma_series": "107718",
              "diploma_number": "0123456"}
    return Contact(**{**values, **changes})


def participant(kind: str = "Удостоверение о повышении квалификации", frdo: FrdoIssue | None = None,
                **changes) -> Participant:
    issued = {"kind": kind, "series": "772419", "number": "0001201", "registration_number": "ПК-2026-001/001",
              "issue_date": date(2026, 3, 16), "frdo": frdo or FrdoIssue()}
    return Participant(id=90, deal_id=7, contact_id=41, status="Обучение завершено",
                       issued=IssuedDocument(**{**issued, **changes}))


DUPLICATE = FrdoIssue(status="Дубликат", loss_proof="Объявление в газете", original=OriginalDocument(
    kind="Удостоверение о повышении квалификации", series="772419", number="0001100",
    registration_number="ПК-2025-010/004", issue_date=date(2025, 6, 2), last_name="Соколова", name="Анна",
    second_name="Петровна"))

CLEAN = {
    "pk": FrdoSource(deal(), participant(), contact()),
    "pp": FrdoSource(deal(ProgrammeType.PP), participant("Диплом о профессиональной переподготовке"), contact()),
    "duplicate": FrdoSource(deal(), participant(frdo=DUPLICATE, registration_number="ПК-2026-001/001-Д"), contact()),
    "renamed_with_proof": FrdoSource(deal(), participant(), contact(diploma_surname="Громова"), has_name_change=True),
    "foreigner_without_snils": FrdoSource(deal(), participant(), contact(citizenship="860", snils="")),
    "student_without_diploma": FrdoSource(deal(), participant(), contact(
        education_level=EducationLevel.STUDENT, diploma_series="", diploma_number="")),
    "left_early": FrdoSource(deal(), participant("Справка об обучении", series="", number="С-0042"), contact()),
    "bare_snils_digits": FrdoSource(deal(), participant(), contact(snils="11223344595")),
    "hyphenated_names": FrdoSource(deal(), participant(), contact(last_name="Петрова-Водкина", second_name="",
                                                                  diploma_surname="петрова-водкина")),
    "participant_override": FrdoSource(deal(), participant(frdo=FrdoIssue(programme=FrdoProgramme(hours=72))),
                                       contact()),
    "old_snils_unchecked": FrdoSource(deal(), participant(), contact(snils="001-001-998 77")),
}


@pytest.mark.parametrize("name", CLEAN)
def test_a_clean_row_passes(name):
    assert preflight(build_rows([CLEAN[name]]), today=TODAY) == []


def with_cell(base: str, column: str, value: str) -> FrdoSource:
    source = CLEAN[base]
    return replace(source, extra={**source.extra, column: value})


# (case, source, the one column at fault, a word the reason must say)
DEFECTS = [
    ("kind missing", FrdoSource(deal(), participant(kind="", number="0001201"), contact()), "A", "не заполнено"),
    ("kind misspelt", with_cell("pk", "A", "Удостоверение о повышении квалификаций"), "A", "справочнике"),
    ("kind of another programme", FrdoSource(deal(), participant("Диплом о профессиональной переподготовке"),
                                             contact()), "A", "не выдают"),
    ("status lower case", with_cell("pk", "B", "оригинал"), "B", "справочнике"),
    ("loss proof invented", with_cell("duplicate", "C", "Заявление"), "C", "справочнике"),
    ("exchange proof invented", with_cell("pk", "D", "Обмен"), "D", "справочнике"),
    ("destruction as Yes", with_cell("pk", "E", "Yes"), "E", "справочнике"),
    ("number missing", FrdoSource(deal(), participant(number=""), contact()), "G", "не заполнено"),
    ("issue date missing", FrdoSource(deal(), participant(issue_date=None), contact()), "H", "не заполнено"),
    ("issue date ISO", with_cell("pk", "H", "2026-03-16"), "H", "ДД.ММ.ГГГГ"),
    ("issue date impossible", with_cell("pk", "H", "31.02.2026"), "H", "ДД.ММ.ГГГГ"),
    ("issue date in the future", with_cell("pk", "H", "16.03.2027"), "H", "не наступила"),
    ("registration number missing", FrdoSource(deal(), participant(registration_number=""), contact()), "I",
     "не заполнено"),
    ("programme type missing", FrdoSource(deal(programme_type=None), participant(), contact()), "J", "не заполнено"),
    ("programme name with an en dash", with_cell("pk", "K", "Электробезопасность: II–IV группы"), "K", "знаки"),
    ("activity field unknown", with_cell("pk", "L", "Охрана труда"), "L", "справочнике"),
    ("activity field in another case", with_cell("pk", "L", "обеспечение безопасности"), "L", "напишите точно"),
    ("qualification missing for ПП", FrdoSource(deal(ProgrammeType.PP, programme=PP_PROGRAMME.model_copy(
        update={"qualification": ""})), participant("Диплом о профессиональной переподготовке"), contact()), "N",
     "не заполнено"),
    ("education level missing", FrdoSource(deal(), participant(), contact(education_level=None)), "O",
     "не заполнено"),
    ("surname changed without proof", FrdoSource(deal(), participant(), contact(diploma_surname="Громова")), "P",
     "смене фамилии"),
    ("diploma number missing", FrdoSource(deal(), participant(), contact(diploma_number="")), "R", "не заполнено"),
    ("diploma series missing", FrdoSource(deal(), participant(), contact(diploma_series="")), "Q", "не заполнено"),
    ("start year out of range", with_cell("pk", "S", "1899"), "S", "диапазона"),
    ("end year before start", with_cell("pk", "T", "2025"), "T", "раньше"),
    ("end year after issue", with_cell("pk", "T", "2027"), "T", "позже"),
    ("hours below the ПК minimum", FrdoSource(deal(hours=12), participant(), contact()), "U", "минимума 16"),
    ("hours below the ПП minimum", FrdoSource(deal(ProgrammeType.PP, hours=72),
                                              participant("Диплом о профессиональной переподготовке"), contact()),
     "U", "минимума 250"),
    ("hours not a number", with_cell("pk", "U", "40 ч"), "U", "не целое"),
    ("hours missing", FrdoSource(deal(hours=None), participant(), contact()), "U", "не заполнено"),
    ("surname missing", FrdoSource(deal(), participant(), contact(last_name="", diploma_surname="Соколова")), "V",
     "не заполнено"),
    ("name with a digit", FrdoSource(deal(), participant(), contact(name="Анна2")), "W", "только буквы"),
    ("patronymic with a non-breaking space", with_cell("pk", "X", "Петровна\u00a0"), "X", "неразрывный"),
    ("surname with a zero-width space", with_cell("pk", "V", "Соко\u200bлова"), "V", "нулевой ширины"),
    ("name with a tab", with_cell("pk", "W", "Ан\tна"), "W", "табуляция"),
    ("number with a control character", with_cell("pk", "G", "0001201\x1b"), "G", "U+001B"),
    ("registration number with a direction mark", with_cell("pk", "I", "\u200eПК-2026-001/001"), "I", "U+200E"),
    ("birth date missing", FrdoSource(deal(), participant(), contact(birth_date=None)), "Y", "не заполнено"),
    ("birth date as an Excel serial", with_cell("pk", "Y", "32250"), "Y", "ДД.ММ.ГГГГ"),
    ("recipient a child", FrdoSource(deal(), participant(), contact(birth_date=date(2019, 1, 5))), "Y", "лет"),
    ("sex missing", FrdoSource(deal(), participant(), contact(sex=None)), "Z", "не заполнено"),
    ("sex as a letter", with_cell("pk", "Z", "Ж"), "Z", "справочнике"),
    ("snils checksum", FrdoSource(deal(), participant(), contact(snils="112-233-445 96")), "AA", "контрольная"),
    ("snils too short", FrdoSource(deal(), participant(), contact(snils="112-233-445")), "AA", "XXX-XXX-XXX XX"),
    ("snils missing for a Russian", FrdoSource(deal(), participant(), contact(snils="")), "AA", "не заполнено"),
    ("study form unknown", with_cell("pk", "AB", "Дистанционная"), "AB", "справочнике"),
    ("funding missing", with_cell("pk", "AC", ""), "AC", "не заполнено"),
    ("study place capitalised", with_cell("pk", "AD", "В образовательной организации"), "AD", "напишите точно"),
    ("citizenship as a name", FrdoSource(deal(), participant(), contact(citizenship="Россия")), "AE", "ОКСМ"),
    ("citizenship two digits", FrdoSource(deal(), participant(), contact(citizenship="51")), "AE", "ОКСМ"),
    ("duplicate without the original's number", FrdoSource(deal(), participant(frdo=DUPLICATE.model_copy(update={
        "original": DUPLICATE.original.model_copy(update={"number": ""})})), contact()), "AH", "не заполнено"),
    ("duplicate original issued later", FrdoSource(deal(), participant(frdo=DUPLICATE.model_copy(update={
        "original": DUPLICATE.original.model_copy(update={"issue_date": date(2026, 5, 1)})})), contact()), "AJ",
     "позже"),
    ("original's data on an original", FrdoSource(deal(), participant(frdo=FrdoIssue(original=DUPLICATE.original)),
                                                  contact()), "AF", "для оригинала"),
    ("original's kind misspelt", FrdoSource(deal(), participant(frdo=DUPLICATE.model_copy(update={
        "original": DUPLICATE.original.model_copy(update={"kind": "Удостоверение"})})), contact()), "AF",
     "справочнике"),
    ("double space in a number", with_cell("pk", "G", "0001  201"), "G", "пробелы"),
]


def test_the_corpus_is_large_and_covers_many_columns():
    assert len(DEFECTS) >= 30
    assert len({column for _case, _source, column, _word in DEFECTS}) >= 25


@pytest.mark.parametrize(("case", "source", "column", "word"), DEFECTS, ids=[item[0] for item in DEFECTS])
def test_each_defect_is_found_in_its_own_cell(case, source, column, word):
    problems = preflight([build_row(source)], today=TODAY)
    assert [problem.column for problem in problems] == [column], [problem.text() for problem in problems]
    problem = problems[0]
    assert word in f"{problem.why} — {problem.fix}"
    assert problem.fix
    assert problem.person == (source.contact.full_name if source.contact else "#41")
    assert (problem.deal_id, problem.contact_id, problem.row) == (7, 41, 0)
    assert problem.text().startswith(f"{problem.person}, столбец {column} (")


def test_problems_come_by_row_then_column_and_one_per_cell():
    rows = build_rows([FrdoSource(deal(), participant(), contact(snils="", sex=None)),
                       FrdoSource(deal(hours=3), participant(), contact(name="Анна\u00a0"))])
    problems = preflight(rows, today=TODAY)
    # «Анна\u00a0» breaks two rules (the character, the letters of a name): one problem for the cell.
    assert [(problem.row, problem.column) for problem in problems] == [(0, "Z"), (0, "AA"), (1, "U"), (1, "W")]


def test_participants_without_an_issued_document_make_no_row():
    waiting = Participant(id=91, deal_id=7, contact_id=42, status="Зачислен")
    rows = build_rows([FrdoSource(deal(), waiting, contact(id=42)), CLEAN["pk"]])
    assert [row.contact_id for row in rows] == [41]


def test_a_participants_override_wins_over_the_deals_programme():
    row = build_row(CLEAN["participant_override"])
    assert (row["U"], row["K"], row["S"], row["T"]) == ("72", PK_PROGRAMME.name, "2026", "2026")
    plain = build_row(CLEAN["pk"])
    assert plain["U"] == "40"
