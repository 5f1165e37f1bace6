"""Every model comes back from the cache exactly as it went in: dates, times with offsets, enums, tuples."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from dpo_desktop.domain.models import (
    CheckStatus,
    Company,
    Contact,
    Deal,
    DocumentType,
    EducationLevel,
    IssuedDocument,
    Participant,
    ProgrammeType,
    Sex,
    Stage,
)

from .samples import make_company, make_contact, make_deal, make_document, make_participant


@pytest.mark.parametrize("deal", [
    make_deal(1),
    make_deal(2, programme_type=ProgrammeType.PP, hours=256, modified=datetime(2025, 1, 1, 0, 0)),  # naive time
    make_deal(3, modified=datetime(2025, 6, 30, 23, 59, 59, 123456, tzinfo=timezone(timedelta(hours=5)))),
    Deal(id=4, title="Пустая сделка", pipeline_id=0, stage_id="NEW"),  # every optional field empty
], ids=["full", "pp-naive-time", "microseconds-ekb", "bare"])
def test_deals(store, deal):
    with store.write() as tx:
        tx.upsert_deals([deal])
    back = store.deal(deal.id)
    assert back == deal
    if deal.modified is not None:  # equal instants are not enough: the offset the portal gave is kept too
        assert back.modified.utcoffset() == deal.modified.utcoffset()


@pytest.mark.parametrize("contact", [
    make_contact(1),
    make_contact(2, phones=(), emails=(), sex=Sex.MALE, education_level=EducationLevel.STUDENT),
    make_contact(3, phones=("+7 (912) 000-00-01", "8 800 \"горячая\" линия", "[]"), emails=("a@b.ru", "c@d.рф")),
    make_contact(4, education_level=EducationLevel.VOCATIONAL, citizenship="112", snils=""),
    Contact(id=5),
], ids=["full", "no-phones", "awkward-phones", "foreigner", "bare"])
def test_contacts(store, contact):
    with store.write() as tx:
        tx.upsert_contacts([contact])
    back = store.contact(contact.id)
    assert back == contact
    assert isinstance(back.phones, tuple) and back.phones == contact.phones


def test_companies(store):
    companies = [make_company(1), Company(id=2, title="ИП Петров"), make_company(3, title="АО «Ё-мобиль»")]
    with store.write() as tx:
        tx.upsert_companies(companies)
    assert [store.company(company.id) for company in companies] == companies


@pytest.mark.parametrize("participant", [
    make_participant(77, 101, 501),
    make_participant(None, 101, 502),  # added offline: no element yet
    Participant(id=78, deal_id=102, contact_id=503),
    make_participant(79, 103, 504, issued=IssuedDocument(kind="Справка об обучении", issue_date=date(2024, 12, 28))),
], ids=["full", "offline", "bare", "certificate"])
def test_participants(store, participant):
    with store.write() as tx:
        tx.upsert_participants([participant])
    assert store.participant_by_code(participant.code) == participant
    assert store.participants(deal_id=participant.deal_id) == [participant]


@pytest.mark.parametrize("doc_type", list(DocumentType))
@pytest.mark.parametrize("status", list(CheckStatus))
def test_documents_of_every_type_and_status(store, doc_type, status):
    comment = "Скан нечитаемый" if status is CheckStatus.REJECTED else ""
    document = make_document(9000, 101, 501, doc_type, status=status, comment=comment)
    with store.write() as tx:
        tx.upsert_documents([document])
    assert store.document_by_code(document.code) == document
    assert store.documents(deal_id=101) == [document]


def test_a_document_without_an_element_or_a_file(store):
    document = make_document(None, 101, 501, file_id=None, received=None, modified=None, sha256="f" * 64)
    with store.write() as tx:
        tx.upsert_documents([document])
    assert store.documents_by_sha256(501, "f" * 64) == [document]


def test_stages_keep_their_order_and_semantics(store):
    stages = [Stage(status_id="C7:WON", name="Документы выданы", sort=90, color="#7BD500", semantics="success"),
              Stage(status_id="C7:NEW", name="Заявка", sort=10, color=None),
              Stage(status_id="C7:LOSE", name="Отказ", sort=100, semantics="failure")]
    with store.write() as tx:
        tx.replace_stages(7, stages)
    assert store.stages(7) == sorted(stages, key=lambda stage: stage.sort)
    assert store.stages(8) == []


@pytest.mark.parametrize("value", [
    "2025-03-01T10:00:00+03:00", 42, 3.5, True, ["a", 1, None], {"deals": "2025-01-01", "ёлка": [1, 2]}, "",
])
def test_meta_keeps_json_values(store, value):
    with store.write() as tx:
        tx.set_meta("key", value)
    assert store.get_meta("key") == value


def test_meta_defaults_overwrites_and_removes(store):
    assert store.get_meta("last_sync") is None
    assert store.get_meta("last_sync", "никогда") == "никогда"
    with store.write() as tx:
        tx.set_meta("last_sync", "вчера")
        tx.set_meta("last_sync", "сегодня")
    assert store.get_meta("last_sync") == "сегодня"
    with store.write() as tx:
        tx.set_meta("last_sync", None)
    assert store.get_meta("last_sync", "никогда") == "никогда"
