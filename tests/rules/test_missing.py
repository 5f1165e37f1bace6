"""The missing-documents report: rows as DESIGN §7's JSON, filters, order, and speed at office scale."""

from __future__ import annotations

import json
import random
import time
from typing import NamedTuple

import pytest

from dpo_desktop.domain.models import (
    CheckStatus,
    Completeness,
    Contact,
    Deal,
    Document,
    DocumentType,
    EducationLevel,
    Participant,
    ProgrammeType,
)
from dpo_desktop.rules.loading import load_rules
from dpo_desktop.rules.missing import MissingFilter, MissingRow, missing_report, row_order

from .builders import contact, deal, document

D, S, C = DocumentType, CheckStatus, Completeness
CORE = (D.DIPLOMA, D.PASSPORT, D.SNILS, D.CONSENT, D.APPLICATION, D.CONTRACT)
CORE_NAMES = ["Диплом", "Паспорт", "СНИЛС", "Согласие на обработку ПД", "Заявление", "Договор"]
RULES = load_rules().rules

DEALS = [
    deal(101, event="ОТ-2026-03", title="ООО «Вектор»: охрана труда"),
    deal(102, event="ПП-2026-01", programme=ProgrammeType.PP, stage="C1:EXECUTING", title="Школа № 5: педагогика"),
    deal(103, event="ОТ-2026-03", programme=None, stage="C1:EXECUTING", title="ИП Жанибеков"),
    deal(104, event="", title="Без мероприятия"),
    deal(105, event="ОТ-2026-03", title="Сделка без участников"),
]
CONTACTS = [
    contact(1, "Яковлева", "Анна", second_name="Игоревна"),
    contact(2, "Алексеев", "Борис"),
    contact(3, "Ёжикова", "Вера", education_level=EducationLevel.STUDENT),
    contact(4, "Петрова", "Галина", diploma_surname="Сидорова"),
    contact(5, "Жанибеков", "Ерлан", citizenship="398", snils=""),
    # contact 6 is not in the cache
]
PARTICIPANTS = [Participant(id=n, deal_id=d, contact_id=c)
                for n, (d, c) in enumerate([(101, 1), (101, 2), (102, 3), (102, 4), (103, 5), (103, 6), (104, 2)])]
DOCUMENTS = (
    [document(101, 1, t, S.CHECKED) for t in (*CORE, D.OTHER)]
    + [document(101, 2, D.PASSPORT), document(101, 2, D.SNILS), document(101, 2, D.DIPLOMA, S.REJECTED)]
    + [document(102, 3, t) for t in (D.STUDY_CERTIFICATE, *CORE[1:])]
    + [document(102, 4, t) for t in CORE]
    + [document(104, 2, D.PASSPORT, S.REJECTED)]
    + [document(999, 1, D.PASSPORT)]  # a deal outside the report
)

ROWS = [
    {"deal_id": 104, "deal_title": "Без мероприятия", "event_code": "", "contact_id": 2,
     "participant": "Алексеев Борис", "required": CORE_NAMES, "present": [], "missing": CORE_NAMES, "status": "none"},
    {"deal_id": 101, "deal_title": "ООО «Вектор»: охрана труда", "event_code": "ОТ-2026-03", "contact_id": 2,
     "participant": "Алексеев Борис", "required": CORE_NAMES, "present": ["Паспорт", "СНИЛС"],
     "missing": ["Диплом", "Согласие на обработку ПД", "Заявление", "Договор"], "status": "partial"},
    {"deal_id": 101, "deal_title": "ООО «Вектор»: охрана труда", "event_code": "ОТ-2026-03", "contact_id": 1,
     "participant": "Яковлева Анна Игоревна", "required": CORE_NAMES, "present": [*CORE_NAMES, "Другое"],
     "missing": [], "status": "complete"},
    {"deal_id": 103, "deal_title": "ИП Жанибеков", "event_code": "ОТ-2026-03", "contact_id": 6,
     "participant": "#6", "required": CORE_NAMES, "present": [], "missing": CORE_NAMES, "status": "none"},
    {"deal_id": 103, "deal_title": "ИП Жанибеков", "event_code": "ОТ-2026-03", "contact_id": 5,
     "participant": "Жанибеков Ерлан",
     "required": ["Диплом", "Паспорт", "Согласие на обработку ПД", "Заявление", "Договор"], "present": [],
     "missing": ["Диплом", "Паспорт", "Согласие на обработку ПД", "Заявление", "Договор"], "status": "none"},
    {"deal_id": 102, "deal_title": "Школа № 5: педагогика", "event_code": "ПП-2026-01", "contact_id": 3,
     "participant": "Ёжикова Вера", "required": [*CORE_NAMES[1:], "Справка об обучении"],
     "present": [*CORE_NAMES[1:], "Справка об обучении"], "missing": [], "status": "complete"},
    {"deal_id": 102, "deal_title": "Школа № 5: педагогика", "event_code": "ПП-2026-01", "contact_id": 4,
     "participant": "Петрова Галина",
     "required": ["Диплом", "Паспорт", "СНИЛС", "Согласие на обработку ПД", "Документ о смене фамилии", "Заявление",
                  "Договор"],
     "present": CORE_NAMES, "missing": ["Документ о смене фамилии"], "status": "partial"},
]


def report(filters: MissingFilter | None = None) -> list[MissingRow]:
    # One-shot iterators: the report must read each input once, as it would a store cursor.
    return missing_report(iter(DEALS), iter(CONTACTS), iter(PARTICIPANTS), iter(DOCUMENTS), RULES, filters)


def test_rows_are_designs_json_in_order():
    assert [row.as_json() for row in report()] == ROWS


def test_json_has_exactly_the_designed_keys_and_serialises():
    rows = [row.as_json() for row in report()]
    assert all(list(row) == ["deal_id", "deal_title", "event_code", "contact_id", "participant", "required",
                             "present", "missing", "status"] for row in rows)
    assert json.loads(json.dumps(rows, ensure_ascii=False)) == ROWS


def test_contacts_may_come_as_a_mapping():
    rows = missing_report(DEALS, {c.id: c for c in CONTACTS}, PARTICIPANTS, DOCUMENTS, RULES)
    assert [row.as_json() for row in rows] == ROWS


class ParticipantRef(NamedTuple):
    """A lighter participant row, as a store may read it: only what the rules need."""

    deal_id: int
    contact_id: int


class DocumentMark(NamedTuple):
    deal_id: int
    contact_id: int
    type: DocumentType
    status: CheckStatus


def test_lighter_rows_with_the_same_attributes_give_the_same_report():
    participants = [ParticipantRef(p.deal_id, p.contact_id) for p in PARTICIPANTS]
    documents = [DocumentMark(d.deal_id, d.contact_id, d.type, d.status) for d in DOCUMENTS]
    rows = missing_report(DEALS, CONTACTS, participants, documents, RULES)
    assert [row.as_json() for row in rows] == ROWS


def test_batches_of_deals_sorted_together_give_the_whole_report():
    rows = []
    for batch in (DEALS[:2], DEALS[2:]):
        rows += missing_report(batch, CONTACTS, PARTICIPANTS, DOCUMENTS, RULES)
    assert [row.as_json() for row in sorted(rows, key=row_order)] == ROWS


def keys(filters: MissingFilter) -> list[tuple[int, int]]:
    return [(row.deal_id, row.contact_id) for row in report(filters)]


@pytest.mark.parametrize(("filters", "expected"), [
    (MissingFilter(event_code="ОТ-2026-03"), [(101, 2), (101, 1), (103, 6), (103, 5)]),
    (MissingFilter(event_code=" от-2026-03 "), [(101, 2), (101, 1), (103, 6), (103, 5)]),
    (MissingFilter(event_code=""), [(104, 2)]),
    (MissingFilter(event_code="НЕТ-ТАКОГО"), []),
    (MissingFilter(deal_id=102), [(102, 3), (102, 4)]),
    (MissingFilter(deal_id=105), []),
    (MissingFilter(stage_id="C1:EXECUTING"), [(103, 6), (103, 5), (102, 3), (102, 4)]),
    (MissingFilter(document_type=D.NAME_CHANGE), [(102, 4)]),
    (MissingFilter(document_type=D.SNILS), [(104, 2), (103, 6)]),  # the foreigner without СНИЛС owes none
    (MissingFilter(document_type=D.STUDY_CERTIFICATE), []),
    (MissingFilter(document_type=D.OTHER), []),
    (MissingFilter(statuses=frozenset({C.COMPLETE})), [(101, 1), (102, 3)]),
    (MissingFilter(statuses=frozenset({C.PARTIAL, C.NONE})), [(104, 2), (101, 2), (103, 6), (103, 5), (102, 4)]),
    (MissingFilter(event_code="ОТ-2026-03", document_type=D.DIPLOMA), [(101, 2), (103, 6), (103, 5)]),
    (MissingFilter(stage_id="C1:NEW", statuses=frozenset({C.NONE})), [(104, 2)]),
    (MissingFilter(event_code="ПП-2026-01", deal_id=101), []),
])
def test_filters(filters, expected):
    assert keys(filters) == expected


def test_rows_sort_by_event_then_deal_then_name_with_yo_as_ye():
    deals = [deal(2, event="B"), deal(1, event="B"), deal(3, event="A")]
    people = [contact(1, "Ёлкина", "Анна"), contact(2, "Ежова", "Анна"), contact(3, "Еловая", "Анна"),
              contact(4, "Ежова", "Анна"), contact(5, "Ясная", "Анна")]
    participants = [Participant(id=None, deal_id=d, contact_id=c) for d, c in
                    [(2, 4), (2, 1), (2, 2), (2, 3), (1, 5), (3, 5)]]
    rows = missing_report(deals, people, participants, [], RULES)
    assert [(row.event_code, row.deal_id, row.participant, row.contact_id) for row in rows] == [
        ("A", 3, "Ясная Анна", 5), ("B", 1, "Ясная Анна", 5),
        ("B", 2, "Ежова Анна", 2), ("B", 2, "Ежова Анна", 4), ("B", 2, "Ёлкина Анна", 1), ("B", 2, "Еловая Анна", 3)]


# --- office scale ----------------------------------------------------------------------------------------------

PARTICIPANT_COUNT, DOCUMENT_COUNT = 40_000, 200_000


@pytest.fixture(scope="module")
def large_office():
    """40,000 participants in 2,000 deals with 200,000 documents, mixed the way an office's are."""
    rng = random.Random(20261120)
    deals = [Deal(id=n, title=f"Группа {n}", pipeline_id=1, stage_id=rng.choice(["C1:NEW", "C1:EXECUTING", "C1:WON"]),
                  event_code=f"ПК-2026-{n % 150:03d}", programme_type=rng.choice([*ProgrammeType, None]))
             for n in range(1, 2001)]
    contacts = []
    for n in range(1, PARTICIPANT_COUNT + 1):
        foreign = rng.random() < 0.05
        contacts.append(Contact(
            id=n, last_name=rng.choice(["Иванова", "Петров", "Смирнова", "Ёлкин", "Кузнецова"]), name="Анна",
            education_level=EducationLevel.STUDENT if rng.random() < 0.08 else EducationLevel.HIGHER,
            diploma_surname=rng.choice(["Сидорова", ""]) if rng.random() < 0.2 else "",
            citizenship="398" if foreign else "643", snils="" if foreign and rng.random() < 0.5 else "112-233-445 95"))
    participants = [Participant(id=n, deal_id=rng.randrange(1, 2001), contact_id=n)
                    for n in range(1, PARTICIPANT_COUNT + 1)]
    kinds, weights = list(DocumentType), [10, 12, 10, 9, 2, 9, 9, 1, 3]
    documents = []
    for index in range(DOCUMENT_COUNT):
        owner = participants[index % PARTICIPANT_COUNT]
        status = rng.choices([S.RECEIVED, S.CHECKED, S.REJECTED], [5, 4, 1])[0]
        documents.append(Document.model_construct(
            id=index, code=f"d-{index}", deal_id=owner.deal_id, contact_id=owner.contact_id,
            type=rng.choices(kinds, weights)[0], status=status))
    return deals, contacts, participants, documents


def plain_missing(deal_: Deal, person: Contact, documents: list[Document]) -> list[DocumentType]:
    """The shipped rules written out the slow, obvious way, to check the fast path against."""
    present = {doc.type for doc in documents if doc.status is not S.REJECTED}
    missing = [t for t in CORE if t not in present]
    if person.education_level is EducationLevel.STUDENT and D.DIPLOMA in missing:
        if D.STUDY_CERTIFICATE in present:
            missing.remove(D.DIPLOMA)
        else:
            missing[missing.index(D.DIPLOMA)] = D.STUDY_CERTIFICATE
    if person.diploma_surname and person.diploma_surname != person.last_name and D.NAME_CHANGE not in present:
        missing.append(D.NAME_CHANGE)
    if person.citizenship != "643" and not person.snils and D.SNILS in missing:
        missing.remove(D.SNILS)
    return sorted(missing, key=list(DocumentType).index)


def test_office_scale_report_is_right(large_office):
    deals, contacts, participants, documents = large_office
    rows = missing_report(deals, contacts, participants, documents, RULES)
    assert len(rows) == PARTICIPANT_COUNT
    by_owner: dict[tuple[int, int], list[Document]] = {}
    for doc in documents:
        by_owner.setdefault((doc.deal_id, doc.contact_id), []).append(doc)
    deal_of, person_of = {d.id: d for d in deals}, {c.id: c for c in contacts}
    statuses = set()
    for row in rows:
        expected = plain_missing(deal_of[row.deal_id], person_of[row.contact_id],
                                 by_owner.get((row.deal_id, row.contact_id), []))
        assert row.missing == tuple(t.title for t in expected), row
        statuses.add(row.status)
    assert statuses == set(Completeness)
    assert rows == sorted(rows, key=lambda r: (r.event_code, r.deal_id, r.participant.replace("Ё", "Е"), r.contact_id))


def test_office_scale_report_takes_well_under_a_second(large_office):
    deals, contacts, participants, documents = large_office
    timings = []
    for _ in range(3):  # the best of three: the figure is the code's, not a busy machine's
        started = time.process_time()
        rows = missing_report(deals, contacts, participants, documents, RULES,
                              MissingFilter(statuses=frozenset({C.PARTIAL, C.NONE})))
        timings.append(time.process_time() - started)
    assert rows
    assert min(timings) < 1.0, f"{PARTICIPANT_COUNT} participants, {DOCUMENT_COUNT} documents: {min(timings):.2f} s"
