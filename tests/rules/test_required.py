"""What a participant owes under the shipped rules and under each rule switch."""

from __future__ import annotations

import pytest

from dpo_desktop.domain.models import Contact, DocumentType, EducationLevel, ProgrammeType
from dpo_desktop.rules.loading import load_rules
from dpo_desktop.rules.required import DocumentRules, Requirement, StudyCertificateMode

D = DocumentType
CORE = (D.DIPLOMA, D.PASSPORT, D.SNILS, D.CONSENT, D.APPLICATION, D.CONTRACT)

PLAIN = Contact(id=1, last_name="Иванова", name="Мария", citizenship="643", snils="112-233-445 95")
STUDENT = PLAIN.model_copy(update={"education_level": EducationLevel.STUDENT})
MARRIED = PLAIN.model_copy(update={"diploma_surname": "Петрова"})
SAME_SURNAME_SPELT_WITH_YO = Contact(id=2, last_name="Семёнова", diploma_surname="семенова ")
FOREIGN_WITHOUT_SNILS = PLAIN.model_copy(update={"citizenship": "398", "snils": ""})
FOREIGN_WITH_SNILS = PLAIN.model_copy(update={"citizenship": "398"})
RUSSIAN_WITHOUT_SNILS = PLAIN.model_copy(update={"snils": ""})


def asked(requirements: tuple[Requirement, ...]) -> list[tuple[DocumentType, ...]]:
    return [requirement.accepted for requirement in requirements]


@pytest.fixture(scope="module")
def shipped() -> DocumentRules:
    loaded = load_rules()
    assert loaded.error is None
    return loaded.rules


@pytest.mark.parametrize("programme", [ProgrammeType.PK, ProgrammeType.PP, None])
def test_shipped_rules_ask_for_the_same_six_documents_for_every_programme(shipped, programme):
    assert shipped.required[programme] == CORE
    assert asked(shipped.requirements_for(programme, PLAIN)) == [(doc_type,) for doc_type in CORE]


@pytest.mark.parametrize(("contact", "expected"), [
    (PLAIN, [(D.DIPLOMA,), (D.PASSPORT,), (D.SNILS,), (D.CONSENT,), (D.APPLICATION,), (D.CONTRACT,)]),
    (None, [(D.DIPLOMA,), (D.PASSPORT,), (D.SNILS,), (D.CONSENT,), (D.APPLICATION,), (D.CONTRACT,)]),
    # in the order of what is asked: the certificate comes after the contract in DocumentType
    (STUDENT, [(D.PASSPORT,), (D.SNILS,), (D.CONSENT,), (D.APPLICATION,), (D.CONTRACT,),
               (D.STUDY_CERTIFICATE, D.DIPLOMA)]),
    (MARRIED, [(D.DIPLOMA,), (D.PASSPORT,), (D.SNILS,), (D.CONSENT,), (D.NAME_CHANGE,), (D.APPLICATION,),
               (D.CONTRACT,)]),
    (SAME_SURNAME_SPELT_WITH_YO, [(D.DIPLOMA,), (D.PASSPORT,), (D.SNILS,), (D.CONSENT,), (D.APPLICATION,),
                                  (D.CONTRACT,)]),
    (FOREIGN_WITHOUT_SNILS, [(D.DIPLOMA,), (D.PASSPORT,), (D.CONSENT,), (D.APPLICATION,), (D.CONTRACT,)]),
    (FOREIGN_WITH_SNILS, [(D.DIPLOMA,), (D.PASSPORT,), (D.SNILS,), (D.CONSENT,), (D.APPLICATION,), (D.CONTRACT,)]),
    (RUSSIAN_WITHOUT_SNILS, [(D.DIPLOMA,), (D.PASSPORT,), (D.SNILS,), (D.CONSENT,), (D.APPLICATION,),
                             (D.CONTRACT,)]),
])
def test_conditional_rules(shipped, contact, expected):
    assert asked(shipped.requirements_for(ProgrammeType.PK, contact)) == expected


def rules_with(**switches) -> DocumentRules:
    return DocumentRules(required={ProgrammeType.PK: CORE, ProgrammeType.PP: (*CORE, D.OTHER), None: (D.PASSPORT,)},
                         **switches)


@pytest.mark.parametrize(("switches", "contact", "diploma_slot"), [
    ({"study_certificate_for_diploma": StudyCertificateMode.STUDENTS}, PLAIN, (D.DIPLOMA,)),
    ({"study_certificate_for_diploma": StudyCertificateMode.STUDENTS}, STUDENT, (D.STUDY_CERTIFICATE, D.DIPLOMA)),
    ({"study_certificate_for_diploma": StudyCertificateMode.ALWAYS}, PLAIN, (D.DIPLOMA, D.STUDY_CERTIFICATE)),
    ({"study_certificate_for_diploma": StudyCertificateMode.ALWAYS}, STUDENT, (D.STUDY_CERTIFICATE, D.DIPLOMA)),
])
def test_study_certificate_switch(switches, contact, diploma_slot):
    slots = asked(rules_with(**switches).requirements_for(ProgrammeType.PK, contact))
    assert [slot for slot in slots if D.DIPLOMA in slot] == [diploma_slot]
    assert len(slots) == len(CORE)


@pytest.mark.parametrize(("switches", "contact", "owed"), [
    ({"name_change_when_surname_changed": False}, MARRIED, False),
    ({"name_change_when_surname_changed": True}, MARRIED, True),
    ({"snils_optional_for_foreigners_without_snils": False}, FOREIGN_WITHOUT_SNILS, True),
    ({"snils_optional_for_foreigners_without_snils": True}, FOREIGN_WITHOUT_SNILS, False),
])
def test_switches_turn_conditions_off(switches, contact, owed):
    wanted = D.NAME_CHANGE if contact is MARRIED else D.SNILS
    slots = rules_with(**switches).requirements_for(ProgrammeType.PK, contact)
    assert ((wanted,) in asked(slots)) is owed


@pytest.mark.parametrize(("programme", "expected"), [
    (ProgrammeType.PK, CORE), (ProgrammeType.PP, (*CORE, D.OTHER)), (None, (D.PASSPORT,)),
])
def test_sets_follow_the_programme_type(programme, expected):
    assert tuple(slot.asked for slot in rules_with().requirements_for(programme, PLAIN)) == expected


def test_name_change_already_required_is_asked_once():
    rules = DocumentRules(required={ProgrammeType.PK: (D.NAME_CHANGE, D.PASSPORT), ProgrammeType.PP: (), None: ()})
    assert asked(rules.requirements_for(ProgrammeType.PK, MARRIED)) == [(D.PASSPORT,), (D.NAME_CHANGE,)]


def test_rules_must_cover_every_programme_type_and_the_unset_case():
    with pytest.raises(ValueError):
        DocumentRules(required={ProgrammeType.PK: CORE, ProgrammeType.PP: CORE})
