"""Completeness of one participant (table-driven over document sets), and counts per deal and event."""

from __future__ import annotations

import pytest

from dpo_desktop.domain.models import (
    CheckStatus,
    Completeness,
    DocumentType,
    EducationLevel,
    Participant,
    ProgrammeType,
)
from dpo_desktop.rules.completeness import (
    DocumentIndex,
    evaluate,
    participant_completeness,
    summarize,
    summarize_by_deal,
    summarize_by_event,
)
from dpo_desktop.rules.loading import load_rules
from dpo_desktop.rules.required import DocumentRules

from .builders import contact, deal, document

D, S = DocumentType, CheckStatus
CORE = (D.DIPLOMA, D.PASSPORT, D.SNILS, D.CONSENT, D.APPLICATION, D.CONTRACT)
RULES = load_rules().rules

PLAIN = contact(7)
STUDENT = contact(7, education_level=EducationLevel.STUDENT)
MARRIED = contact(7, diploma_surname="Петрова")
FOREIGN = contact(7, citizenship="398", snils="")

CASES = {
    "nothing yet": (PLAIN, [], CORE, (), (), CORE, Completeness.NONE),
    "everything": (PLAIN, [(t, S.RECEIVED) for t in CORE], CORE, CORE, (), (), Completeness.COMPLETE),
    "checked counts as present": (PLAIN, [(t, S.CHECKED) for t in CORE], CORE, CORE, (), (), Completeness.COMPLETE),
    "one of six": (PLAIN, [(D.PASSPORT, S.RECEIVED)], CORE, (D.PASSPORT,), (),
                   (D.DIPLOMA, D.SNILS, D.CONSENT, D.APPLICATION, D.CONTRACT), Completeness.PARTIAL),
    "a rejected passport is missing": (
        PLAIN, [(t, S.RECEIVED) for t in CORE if t is not D.PASSPORT] + [(D.PASSPORT, S.REJECTED)],
        CORE, (D.DIPLOMA, D.SNILS, D.CONSENT, D.APPLICATION, D.CONTRACT), (D.PASSPORT,), (D.PASSPORT,),
        Completeness.PARTIAL),
    "a rejected scan replaced by a good one": (
        PLAIN, [(t, S.RECEIVED) for t in CORE] + [(D.PASSPORT, S.REJECTED)], CORE, CORE, (), (),
        Completeness.COMPLETE),
    "everything rejected": (PLAIN, [(t, S.REJECTED) for t in CORE], CORE, (), CORE, CORE, Completeness.NONE),
    "only papers nobody asked for": (PLAIN, [(D.OTHER, S.RECEIVED), (D.STUDY_CERTIFICATE, S.CHECKED)], CORE,
                                     (D.STUDY_CERTIFICATE, D.OTHER), (), CORE, Completeness.NONE),
    "extras are present but do not complete": (
        PLAIN, [(t, S.RECEIVED) for t in (*CORE, D.OTHER)], CORE, (*CORE, D.OTHER), (), (), Completeness.COMPLETE),
    "a student's certificate stands for the diploma": (
        STUDENT, [(t, S.RECEIVED) for t in (*CORE[1:], D.STUDY_CERTIFICATE)],
        (*CORE[1:], D.STUDY_CERTIFICATE), (*CORE[1:], D.STUDY_CERTIFICATE), (), (), Completeness.COMPLETE),
    "a student with a diploma is fine too": (
        STUDENT, [(t, S.RECEIVED) for t in CORE], CORE, CORE, (), (), Completeness.COMPLETE),
    "a student is asked for the certificate": (
        STUDENT, [(t, S.RECEIVED) for t in CORE[1:]], (*CORE[1:], D.STUDY_CERTIFICATE), CORE[1:], (),
        (D.STUDY_CERTIFICATE,), Completeness.PARTIAL),
    "a non-student's certificate does not stand for the diploma": (
        PLAIN, [(t, S.RECEIVED) for t in (*CORE[1:], D.STUDY_CERTIFICATE)], CORE,
        (*CORE[1:], D.STUDY_CERTIFICATE), (), (D.DIPLOMA,), Completeness.PARTIAL),
    "a changed surname owes a name-change document": (
        MARRIED, [(t, S.RECEIVED) for t in CORE],
        (D.DIPLOMA, D.PASSPORT, D.SNILS, D.CONSENT, D.NAME_CHANGE, D.APPLICATION, D.CONTRACT), CORE, (),
        (D.NAME_CHANGE,), Completeness.PARTIAL),
    "a foreigner without СНИЛС owes no СНИЛС scan": (
        FOREIGN, [(t, S.RECEIVED) for t in CORE if t is not D.SNILS],
        (D.DIPLOMA, D.PASSPORT, D.CONSENT, D.APPLICATION, D.CONTRACT),
        (D.DIPLOMA, D.PASSPORT, D.CONSENT, D.APPLICATION, D.CONTRACT), (), (), Completeness.COMPLETE),
    "an unknown contact is the plain case": (None, [(D.DIPLOMA, S.RECEIVED)], CORE, (D.DIPLOMA,), (), CORE[1:],
                                             Completeness.PARTIAL),
}


@pytest.mark.parametrize(("person", "papers", "required", "present", "rejected", "missing", "status"),
                         CASES.values(), ids=CASES.keys())
def test_participant_completeness(person, papers, required, present, rejected, missing, status):
    documents = [document(10, 7, doc_type, doc_status, number) for number, (doc_type, doc_status) in enumerate(papers)]
    # Papers of the same person in another deal and of another person in this deal do not count.
    documents += [document(11, 7, doc_type) for doc_type in CORE] + [document(10, 8, doc_type) for doc_type in CORE]
    result = participant_completeness(Participant(id=1, deal_id=10, contact_id=7), deal(10), person, documents, RULES)
    assert (result.deal_id, result.contact_id, result.event_code) == (10, 7, "ПК-2026-01")
    assert result.required == required
    assert result.present == present
    assert result.rejected == rejected
    assert result.missing == missing
    assert result.status is status
    assert all(result.misses(doc_type) == (doc_type in missing) for doc_type in DocumentType)


@pytest.mark.parametrize("programme", [ProgrammeType.PK, ProgrammeType.PP, None])
def test_programme_type_chooses_the_set(programme):
    rules = DocumentRules(required={ProgrammeType.PK: (D.PASSPORT,), ProgrammeType.PP: (D.PASSPORT, D.DIPLOMA),
                                      None: (D.CONSENT,)})
    result = participant_completeness(Participant(id=None, deal_id=10, contact_id=7), deal(10, programme=programme),
                                      PLAIN, [document(10, 7, D.PASSPORT)], rules)
    expected = {ProgrammeType.PK: ((D.PASSPORT,), Completeness.COMPLETE),
                ProgrammeType.PP: ((D.DIPLOMA, D.PASSPORT), Completeness.PARTIAL),
                None: ((D.CONSENT,), Completeness.NONE)}[programme]
    assert (result.required, result.status) == expected


def test_nothing_required_is_complete():
    rules = DocumentRules(required={ProgrammeType.PK: (), ProgrammeType.PP: (), None: ()})
    result = participant_completeness(Participant(id=None, deal_id=10, contact_id=7), deal(10), PLAIN, [], rules)
    assert (result.required, result.missing, result.status) == ((), (), Completeness.COMPLETE)


def test_index_keeps_only_the_chosen_deals():
    index = DocumentIndex([document(1, 7, D.PASSPORT), document(2, 7, D.SNILS, S.REJECTED)], deal_ids={2})
    assert index.masks(1, 7) == (0, 0)
    present, rejected = index.masks(2, 7)
    assert present == 0 and rejected != 0


def test_evaluate_judges_each_participant_of_the_given_deals_once():
    deals = [deal(1), deal(2, event="ПП-2026-02", programme=ProgrammeType.PP)]
    participants = [Participant(id=1, deal_id=1, contact_id=7), Participant(id=1, deal_id=1, contact_id=7),
                    Participant(id=2, deal_id=2, contact_id=7), Participant(id=3, deal_id=3, contact_id=7),
                    Participant(id=4, deal_id=2, contact_id=99)]
    documents = [document(1, 7, t) for t in CORE] + [document(2, 99, D.PASSPORT)]
    people = {7: MARRIED}
    evaluations = list(evaluate(iter(deals), people, iter(participants), iter(documents), RULES))
    assert [(e.deal.id, e.result.contact_id, e.contact is not None) for e in evaluations] == [
        (1, 7, True), (2, 7, True), (2, 99, False)]
    assert [e.result.status for e in evaluations] == [Completeness.PARTIAL, Completeness.NONE, Completeness.PARTIAL]
    only_second = list(evaluate(deals, [MARRIED], participants, documents, RULES, deal_filter=lambda d: d.id == 2))
    assert [(e.deal.id, e.result.contact_id) for e in only_second] == [(2, 7), (2, 99)]


def test_summaries_count_statuses_and_missing_types_per_deal_and_event():
    deals = [deal(1, event="ПК-1"), deal(2, event="ПК-1"), deal(3, event="ПП-2", programme=ProgrammeType.PP)]
    people = [contact(1), contact(2), contact(3, diploma_surname="Петрова"), contact(4)]
    participants = [Participant(id=None, deal_id=d, contact_id=c) for d, c in ((1, 1), (1, 2), (2, 3), (3, 4))]
    documents = ([document(1, 1, t) for t in CORE]  # complete
                 + [document(1, 2, D.PASSPORT), document(1, 2, D.SNILS, S.REJECTED)]  # partial
                 + [document(2, 3, t) for t in CORE]  # partial: owes a name-change document
                 + [document(3, 4, D.SNILS, S.REJECTED)])  # none
    results = [e.result for e in evaluate(deals, people, participants, documents, RULES)]

    total = summarize(results)
    assert (total.participants, total.complete, total.partial, total.none) == (4, 1, 2, 1)
    assert total.missing == {D.DIPLOMA: 2, D.PASSPORT: 1, D.SNILS: 2, D.CONSENT: 2, D.NAME_CHANGE: 1,
                             D.APPLICATION: 2, D.CONTRACT: 2}
    assert list(total.missing) == [t for t in DocumentType if t in total.missing]

    by_deal = summarize_by_deal(results)
    assert list(by_deal) == [1, 2, 3]
    assert [(s.participants, s.complete, s.partial, s.none) for s in by_deal.values()] == [
        (2, 1, 1, 0), (1, 0, 1, 0), (1, 0, 0, 1)]
    assert by_deal[2].missing == {D.NAME_CHANGE: 1}
    assert by_deal[1].missing == {D.DIPLOMA: 1, D.SNILS: 1, D.CONSENT: 1, D.APPLICATION: 1, D.CONTRACT: 1}

    by_event = summarize_by_event(results)
    assert list(by_event) == ["ПК-1", "ПП-2"]
    assert [(s.participants, s.complete, s.partial, s.none) for s in by_event.values()] == [(3, 1, 2, 0), (1, 0, 0, 1)]
    assert by_event["ПП-2"].missing == dict.fromkeys(CORE, 1)


def test_an_empty_group_has_zero_counts():
    empty = summarize([])
    assert (empty.participants, empty.complete, empty.partial, empty.none, empty.missing) == (0, 0, 0, 0, {})
