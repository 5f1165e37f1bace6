"""What the readers answer: filters, events, finding people, reconciliation sets."""

from __future__ import annotations

from datetime import date

import pytest

from dpo_desktop.domain.models import DocumentType, Event, ProgrammeType
from dpo_desktop.store.personal import search_key

from .samples import make_contact, make_deal, make_document, make_participant


@pytest.mark.parametrize(("text", "key"), [
    ("Ёлкина", "елкина"),
    ("ЁЛКИНА", "елкина"),
    ("  Анна   Мария ", "анна мария"),
    ("Анна\u00a0Мария", "анна мария"),  # a non-breaking space pasted from a PDF
    ("Сол\u00adнцева", "солнцева"),  # a soft hyphen
    ("Зве\u200bздина", "звездина"),  # a zero-width space
    ("Петров-Водкин", "петров-водкин"),
    ("Smith", "smith"),
    ("", ""),
])
def test_search_key(text, key):
    assert search_key(text) == key


@pytest.fixture
def people(store):
    with store.write() as tx:
        tx.upsert_contacts([
            make_contact(1, last_name="Ёлкина", name="Алёна", second_name="Петровна", birth_date=date(1990, 1, 31)),
            make_contact(2, last_name="Елкина", name="Алена", second_name="Петровна", birth_date=date(1985, 7, 1)),
            make_contact(3, last_name="Елкина", name="Ольга", second_name="", birth_date=None),
            make_contact(4, last_name="Smith", name="John", second_name="", birth_date=date(1990, 1, 31)),
        ])
    return store


@pytest.mark.parametrize(("criteria", "found"), [
    ({"last_name": "ёлкина"}, [1, 2, 3]),
    ({"last_name": "ЕЛКИНА", "name": "алена"}, [1, 2]),
    ({"last_name": " Елкина ", "name": "Алёна", "second_name": "петровна", "birth_date": date(1990, 1, 31)}, [1]),
    ({"last_name": "Елкина", "second_name": ""}, [3]),
    ({"birth_date": date(1990, 1, 31)}, [1, 4]),
    ({"name": "JOHN"}, [4]),
    ({"last_name": "Ёлкин"}, []),  # equal, not "starts with"
    ({"last_name": "Елкина", "birth_date": date(2000, 1, 1)}, []),
])
def test_find_contacts(people, criteria, found):
    assert [contact.id for contact in people.find_contacts(**criteria)] == found


@pytest.fixture
def reachable(store):
    with store.write() as tx:
        tx.upsert_contacts([
            make_contact(1, last_name="Ёлкина", name="Алёна", phones=("+7 (912) 345-67-89",),
                         emails=("Alena.Elkina@Mail.ru",)),
            make_contact(2, last_name="Петров", name="Иван", phones=("89123456700",)),
            make_contact(-5, last_name="Ёлкина", name="Черновик"),  # made offline, not yet a portal contact
        ])
    return store


@pytest.mark.parametrize(("query", "found"), [
    ("ёлк", [1]),
    ("ЕЛКИНА алена", [1]),
    ("912345", [1, 2]),
    ("+7 912 345-67-89", [1]),
    ("mail.ru", [1]),
    ("alena.elkina", [1]),
    ("петров 8912", [2]),
    ("иван ёлкина", []),
    ("   ", []),
])
def test_search_contacts_by_name_phone_digits_or_email(reachable, query, found):
    assert sorted(contact.id for contact in reachable.search_contacts(query)) == found


def test_find_contacts_needs_a_criterion(people):
    with pytest.raises(ValueError, match="criterion"):
        people.find_contacts()


def test_contacts_by_ids_skips_unknown_ones_and_handles_long_lists(store):
    with store.write() as tx:
        tx.upsert_contacts(make_contact(contact_id) for contact_id in range(1, 1201))
    assert [contact.id for contact in store.contacts([5, 3, 3, 99999])] == [3, 5]
    assert len(store.contacts(range(1, 1300))) == 1200
    assert store.contacts([]) == []
    assert store.contact(99999) is None


def test_deals_by_pipeline_stage_and_event(store):
    with store.write() as tx:
        tx.upsert_deals([
            make_deal(1, stage_id="C7:NEW", event_code="OT-1"),
            make_deal(2, stage_id="C7:DOCS", event_code="OT-1"),
            make_deal(3, stage_id="C7:DOCS", event_code="PB-2"),
            make_deal(4, pipeline_id=9, stage_id="C9:DOCS", event_code="OT-1"),
        ])
    assert [deal.id for deal in store.deals()] == [1, 2, 3, 4]
    assert [deal.id for deal in store.deals(pipeline_id=7)] == [1, 2, 3]
    assert [deal.id for deal in store.deals(stage_id="C7:DOCS")] == [2, 3]
    assert [deal.id for deal in store.deals(event_code="OT-1")] == [1, 2, 4]
    assert [deal.id for deal in store.deals(pipeline_id=7, stage_id="C7:DOCS", event_code="OT-1")] == [2]
    assert store.deal(5) is None


def test_events_take_what_most_deals_say(store):
    with store.write() as tx:
        tx.upsert_deals([
            make_deal(1, event_code="OT-1", event_name="Охрана труда", hours=40, start_date=date(2025, 3, 3)),
            make_deal(2, event_code="OT-1", event_name="Охрана труда (опечатка)", hours=40, start_date=None),
            make_deal(3, event_code="OT-1", event_name="Охрана труда", hours=16, start_date=date(2025, 3, 3)),
            make_deal(4, event_code="PB-2", event_name="Пожарная безопасность", hours=72,
                      programme_type=ProgrammeType.PP, start_date=None, end_date=None),
            make_deal(5, event_code="PB-2", event_name="Пожарная безопасность", hours=256,
                      programme_type=ProgrammeType.PP, start_date=None, end_date=None),
            make_deal(6, event_code="", event_name="Без мероприятия"),
            make_deal(7, pipeline_id=9, event_code="XX-9", event_name="Другая воронка"),
        ])
    events = {event.code: event for event in store.events()}
    assert set(events) == {"OT-1", "PB-2", "XX-9"}
    assert events["OT-1"] == Event(code="OT-1", name="Охрана труда", programme_type=ProgrammeType.PK, hours=40,
                                   start_date=date(2025, 3, 3), end_date=date(2025, 3, 14))
    assert events["PB-2"].hours == 72  # a tie: the lowest deal ID decides
    assert events["PB-2"].start_date is None
    assert [event.code for event in store.events(pipeline_id=7)] == ["OT-1", "PB-2"]


def test_participants_and_documents_by_deal_and_person(store):
    with store.write() as tx:
        tx.upsert_participants([make_participant(11, 1, 502), make_participant(None, 1, 501),
                                make_participant(12, 2, 501)])
        tx.upsert_documents([make_document(21, 1, 501, DocumentType.PASSPORT, sha256="a" * 64),
                             make_document(22, 2, 501, DocumentType.PASSPORT, sha256="a" * 64),
                             make_document(23, 1, 502, DocumentType.SNILS, sha256="b" * 64),
                             make_document(None, 1, 501, DocumentType.DIPLOMA, sha256="c" * 64)])
    assert [p.contact_id for p in store.participants(deal_id=1)] == [502, 501]  # in the order they were added
    assert [p.deal_id for p in store.participants(contact_id=501)] == [1, 2]
    assert [p.code for p in store.participants(deal_id=2, contact_id=501)] == ["p-2-501"]
    assert len(store.participants()) == 3
    assert [d.id for d in store.documents(deal_id=1)] == [21, None, 23]
    assert [d.id for d in store.documents(contact_id=501)] == [21, None, 22]
    assert [d.id for d in store.documents(deal_id=1, contact_id=502)] == [23]
    assert [d.id for d in store.documents_by_sha256(501, "a" * 64)] == [21, 22]  # any deal
    assert store.documents_by_sha256(502, "a" * 64) == []


def test_reconciliation_sees_only_what_the_portal_knows(store):
    with store.write() as tx:
        tx.upsert_participants([make_participant(element_id, 1, element_id) for element_id in (5, 17, 40, 41)])
        tx.upsert_participants([make_participant(None, 1, 900)])  # made offline
        tx.upsert_contacts([make_contact(3), make_contact(8), make_contact(-1, last_name="Новикова")])  # provisional
    assert store.ids("participants") == {5, 17, 40, 41}
    assert store.count("participants") == 4
    assert store.max_id("participants") == 41
    assert store.ids_between("participants", 6, 40) == [17, 40]
    assert store.ids_between("participants", 42, 100) == []
    assert store.ids("contacts") == {3, 8}
    assert store.count("contacts") == 2
    assert store.max_id("documents") == 0 and store.count("documents") == 0 and store.ids("documents") == set()


def test_an_unknown_kind_is_refused(store):
    with pytest.raises(ValueError, match="unknown kind"):
        store.ids("deals; DROP TABLE deals")
