"""The missing-documents report's read path: complete batches, filters, one snapshot, and its speed."""

from __future__ import annotations

import gc
import time
from datetime import date

import pytest

from dpo_desktop.domain.models import (
    CheckStatus,
    Contact,
    Deal,
    Document,
    DocumentType,
    EducationLevel,
    Participant,
    ProgrammeType,
    document_code,
)
from dpo_desktop.rules import DocumentIndex, MissingFilter, load_rules, missing_report, row_order
from dpo_desktop.store import ParticipantRef, Store
from dpo_desktop.store.report import merge

from .samples import make_contact, make_deal, make_document, make_participant

TYPES = list(DocumentType)


@pytest.fixture
def office(store):
    """Six deals over two events and two stages; three people each; some documents, one rejected, one
    person with everything."""
    with store.write() as tx:
        tx.upsert_deals(make_deal(deal_id, event_code="OT-1" if deal_id <= 3 else "PB-2",
                                  stage_id="C7:NEW" if deal_id % 2 else "C7:DOCS",
                                  programme_type=ProgrammeType.PK if deal_id <= 3 else ProgrammeType.PP)
                        for deal_id in range(1, 7))
        tx.upsert_deals([make_deal(50, pipeline_id=9, stage_id="C9:NEW", event_code="OT-1")])
        contact_ids = range(100, 118)
        tx.upsert_contacts(make_contact(contact_id, last_name=f"Участник{contact_id}",
                                        education_level=EducationLevel.STUDENT if contact_id % 5 == 0 else None,
                                        diploma_surname="Прежняя" if contact_id % 4 == 0 else "")
                           for contact_id in contact_ids if contact_id != 117)  # 117 is not in the cache
        people = [(deal_id, 100 + (deal_id - 1) * 3 + n) for deal_id in range(1, 7) for n in range(3)]
        tx.upsert_participants(make_participant(None if contact_id == 101 else 1000 + contact_id, deal_id,
                                                contact_id) for deal_id, contact_id in people)
        tx.upsert_participants([make_participant(2000, 50, 100)])
        documents = []
        for deal_id, contact_id in people:
            for position in range(len(TYPES) if contact_id == 116 else contact_id % 4):
                status = CheckStatus.REJECTED if (contact_id, position) == (102, 1) else CheckStatus.RECEIVED
                documents.append(make_document(None, deal_id, contact_id, TYPES[position], status=status,
                                               sha256=f"{contact_id:04d}{position}".ljust(64, "0")))
        tx.upsert_documents(documents)
    return store


def expected_bits(documents) -> dict[tuple[int, int], tuple[int, int]]:
    """The (present, rejected) type sets per person and deal, worked out from full models."""
    bits: dict[tuple[int, int], tuple[int, int]] = {}
    for document in documents:
        present, rejected = bits.get((document.deal_id, document.contact_id), (0, 0))
        if document.status is CheckStatus.REJECTED:
            rejected |= document.type.bit
        else:
            present |= document.type.bit
        bits[(document.deal_id, document.contact_id)] = (present, rejected)
    return bits


def test_a_batch_holds_everything_about_its_deals(office):
    batches = list(office.iter_report_source(pipeline_id=7, batch_deals=4))
    assert [[deal.id for deal in batch.deals] for batch in batches] == [[1, 2, 3, 4], [5, 6]]
    for batch in batches:
        deal_ids = {deal.id for deal in batch.deals}
        assert {participant.deal_id for participant in batch.participants} == deal_ids
        assert {deal_id for deal_id, _contact in batch.document_bits} <= deal_ids
        assert set(batch.contacts) == {p.contact_id for p in batch.participants} - {117}
    whole = merge(batches)
    assert len(whole.participants) == 18 and len(whole.contacts) == 17


def test_the_report_source_says_what_the_full_reads_say(office):
    source = office.report_source(pipeline_id=7)
    assert list(source.deals) == office.deals(pipeline_id=7)
    full_participants = [p for p in office.participants() if p.deal_id in {deal.id for deal in source.deals}]
    assert list(source.participants) == [ParticipantRef(p.id, p.deal_id, p.contact_id, p.status)
                                         for p in full_participants]
    assert source.document_bits == expected_bits(d for d in office.documents() if d.deal_id != 50)
    full = {contact.id: contact for contact in office.contacts(range(100, 118))}
    assert set(source.contacts) == set(full)
    for contact_id, light in source.contacts.items():  # the report's light reads agree with full ones
        contact = full[contact_id]
        assert (light.full_name, light.surname_changed, light.education_level, light.snils, light.citizenship) == (
            contact.full_name, contact.surname_changed, contact.education_level, contact.snils, contact.citizenship)
    assert any(rejected for _present, rejected in source.document_bits.values())
    assert any(participant.id is None for participant in source.participants)


@pytest.mark.parametrize(("criteria", "deal_ids"), [
    ({}, [1, 2, 3, 4, 5, 6, 50]),
    ({"event_code": "OT-1"}, [1, 2, 3, 50]),
    ({"event_code": "OT-1", "pipeline_id": 7}, [1, 2, 3]),
    ({"stage_id": "C7:DOCS"}, [2, 4, 6]),
    ({"deal_ids": [6, 2, 99]}, [2, 6]),
    ({"deal_ids": [1, 2, 5], "stage_id": "C7:NEW"}, [1, 5]),
    ({"deal_ids": []}, []),
    ({"event_code": "нет такого"}, []),
])
def test_filters(office, criteria, deal_ids):
    assert [deal.id for deal in office.report_source(**criteria).deals] == deal_ids


def test_the_rules_get_the_same_report_from_the_read_path_as_from_full_models(office):
    rules = load_rules().rules
    source = office.report_source()
    from_read_path = missing_report(source.deals, source.contacts, source.participants,
                                    DocumentIndex.from_bits(source.document_bits), rules)
    from_models = missing_report(office.deals(), office.contacts(range(100, 118)), office.participants(),
                                 office.documents(), rules)
    assert from_read_path == from_models
    assert len(from_read_path) == 19
    assert {row.status.value for row in from_read_path} == {"complete", "partial", "none"}

    by_batches = []
    for batch in office.iter_report_source(batch_deals=2):
        by_batches += missing_report(batch.deals, batch.contacts, batch.participants,
                                     DocumentIndex.from_bits(batch.document_bits), rules, MissingFilter())
    assert sorted(by_batches, key=row_order) == from_models


def test_all_batches_come_from_one_snapshot(office):
    batches = office.iter_report_source(batch_deals=1)
    first = next(batches)
    with office.write() as tx:  # a sync commits while the report is being read
        tx.upsert_documents([make_document(None, 6, 117, DocumentType.CONSENT, sha256="e" * 64)])
        tx.delete_deals([5])
    rest = list(batches)
    seen = [first, *rest]
    assert [batch.deals[0].id for batch in seen] == [1, 2, 3, 4, 5, 6, 50]
    assert not any(batch.document_bits.get((6, 117), (0, 0))[0] & DocumentType.CONSENT.bit for batch in seen)
    later = office.report_source()
    assert 5 not in {deal.id for deal in later.deals}
    assert later.document_bits[(6, 117)][0] & DocumentType.CONSENT.bit


def test_garbage_collection_is_back_after_a_report_finished_or_abandoned(office):
    assert gc.isenabled()
    list(office.iter_report_source(batch_deals=2))
    assert gc.isenabled()
    abandoned = office.iter_report_source(batch_deals=2)
    next(abandoned)
    assert gc.isenabled()  # paused only while a batch is built, never between batches
    abandoned.close()
    assert gc.isenabled()


@pytest.mark.slow
def test_reading_the_whole_large_cache_for_the_report(tmp_path):
    """5,000 deals, 40,000 contacts and participants, 200,000 documents: the size of the ``large`` seed."""
    store = Store.open(tmp_path / "large.sqlite3")
    try:
        fill_large(store)
        started = time.perf_counter()
        totals = [0, 0, 0, 0]
        for batch in store.iter_report_source():
            totals[0] += len(batch.deals)
            totals[1] += len(batch.contacts)
            totals[2] += len(batch.participants)
            totals[3] += len(batch.document_bits)  # people with documents, one row each
        read = time.perf_counter() - started

        rules = load_rules().rules
        started = time.perf_counter()
        source = store.report_source()
        rows = missing_report(source.deals, source.contacts, source.participants,
                              DocumentIndex.from_bits(source.document_bits), rules)
        whole = time.perf_counter() - started
    finally:
        store.close()
    print(f"\nreport read path, large cache: {read:.2f} s for {totals[0]} deals, {totals[1]} contacts, "
          f"{totals[2]} participants, {totals[3]} people with documents; with the rules: {whole:.2f} s "
          f"for {len(rows)} rows")
    assert totals[:3] == [5000, 40000, 40000] and 0 < totals[3] <= 40000
    assert len(rows) == 40000
    assert read < 3.0


def fill_large(store: Store) -> None:
    deals = [Deal(id=deal_id, title=f"Группа {deal_id}", pipeline_id=7, stage_id=f"C7:S{deal_id % 5}",
                  event_code=f"EV-{deal_id % 200:03d}", event_name=f"Программа {deal_id % 200}",
                  programme_type=ProgrammeType.PK if deal_id % 3 else ProgrammeType.PP, hours=72,
                  start_date=date(2025, 1, 1)) for deal_id in range(1, 5001)]
    contacts = [Contact(id=contact_id, last_name=f"Фамилия{contact_id}", name="Имя", second_name="Отчество",
                        birth_date=date(1980, 1, 1), phones=("+7 900 000-00-00",), emails=("a@example.ru",),
                        snils="112-233-445 95", citizenship="643", education_level=EducationLevel.HIGHER)
                for contact_id in range(1, 40001)]
    participants = [Participant(id=contact_id, deal_id=(contact_id - 1) // 8 + 1, contact_id=contact_id,
                                status="Обучается") for contact_id in range(1, 40001)]
    documents = []
    for participant in participants:
        for position in range(5):
            element_id = len(documents) + 1
            digest = f"{element_id:064x}"
            doc_type = TYPES[(participant.contact_id + position) % len(TYPES)]
            documents.append(Document(id=element_id, code=document_code(participant.deal_id, participant.contact_id,
                                                                        doc_type, digest),
                                      deal_id=participant.deal_id, contact_id=participant.contact_id, type=doc_type,
                                      sha256=digest, original_name=f"scan{element_id}.pdf", file_id=element_id,
                                      received=date(2025, 1, 5), status=CheckStatus.CHECKED))
    with store.write() as tx:
        tx.upsert_deals(deals)
        tx.upsert_contacts(contacts)
        tx.upsert_participants(participants)
        tx.upsert_documents(documents)
