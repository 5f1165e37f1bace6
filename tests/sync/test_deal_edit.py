"""A deal's ДПО fields edited in the app reach the portal once, and never over someone else's change."""

from __future__ import annotations

from datetime import date

import pytest

from dpo_desktop.domain.models import ProgrammeType
from dpo_desktop.sync.deal_edit import DealEditError, deal_fields, update_contact, update_deal
from dpo_desktop.sync.push import Pusher

from .conftest import offline_client, run


def _push(office, client=None):
    async def scenario():
        async with (client or office.client()) as used:
            return await Pusher(used, office.store, office.mapping).push()
    return run(scenario())


def _portal_deal(office, deal_id: int) -> dict:
    return office.box.state.crm.deals.table.get(deal_id)


def _code(office, logical: str) -> str:
    return office.mapping.deal_field(logical).code


def test_an_edit_shows_in_the_cache_at_once_and_reaches_the_portal(office):
    office.sync()
    deal = office.store.deals()[0]
    changes = {"partner_code": "ПАРТНЁР-9", "event_name": "Охрана труда (новая редакция)", "hours": 72,
               "programme_type": ProgrammeType.PP, "start_date": date(2026, 3, 2), "end_date": date(2026, 3, 20)}
    edit = update_deal(office.store, deal.id, changes)
    shown = office.store.deal(deal.id)
    assert (shown.partner_code, shown.hours, shown.programme_type, shown.start_date) == (
        "ПАРТНЁР-9", 72, ProgrammeType.PP, date(2026, 3, 2))
    assert office.store.outbox_item(edit.outbox_id).state == "pending"
    assert _push(office).done == 1
    row = _portal_deal(office, deal.id)
    assert row[_code(office, "partner_code")] == "ПАРТНЁР-9"
    assert row[_code(office, "event_name")] == "Охрана труда (новая редакция)"
    assert int(row[_code(office, "hours")]) == 72
    assert row[_code(office, "programme_type")] == office.mapping.deal_field("programme_type").value_id("ПП")
    assert str(row[_code(office, "start_date")]).startswith("2026-03-02")
    fresh = office.store.deal(deal.id)
    assert fresh.end_date == date(2026, 3, 20) and fresh.modified >= deal.modified
    assert office.store.outbox_item(edit.outbox_id).state == "done"


def test_the_same_edit_clicked_twice_is_one_item(office):
    office.sync()
    deal = office.store.deals()[1]
    first = update_deal(office.store, deal.id, {"event_code": "ОТ-77"})
    again = update_deal(office.store, deal.id, {"event_code": "ОТ-77"})
    assert first.outbox_id == again.outbox_id and office.store.pending_count() == 1


def test_a_deal_changed_on_the_portal_is_a_conflict_and_the_cache_shows_the_portal(office):
    office.sync()
    deal = office.store.deals()[2]
    update_deal(office.store, deal.id, {"partner_code": "ИЗ-ПРОГРАММЫ"})
    office.box.state.crm.deals.update(deal.id, {_code(office, "partner_code"): "С-ПОРТАЛА"}, 1)
    stats = _push(office)
    assert stats.conflicts == 1 and "изменена на портале" in stats.messages[0]
    assert _portal_deal(office, deal.id)[_code(office, "partner_code")] == "С-ПОРТАЛА"
    assert office.store.deal(deal.id).partner_code == "С-ПОРТАЛА"
    update_deal(office.store, deal.id, {"partner_code": "ИЗ-ПРОГРАММЫ"})  # read again: now it applies
    assert _push(office).done == 1
    assert _portal_deal(office, deal.id)[_code(office, "partner_code")] == "ИЗ-ПРОГРАММЫ"


def test_offline_the_edit_waits(office):
    office.sync()
    deal = office.store.deals()[0]
    update_deal(office.store, deal.id, {"hours": 16})
    stats = _push(office, offline_client())
    assert stats.waiting == 1 and office.store.pending_count() == 1


def test_a_contact_edit_reaches_the_portal(office):
    office.sync()
    contact = office.store.participants()[0].contact_id
    update_contact(office.store, contact, {"snils": "112-233-445 95", "diploma_number": "123456"})
    assert office.store.contact(contact).snils == "112-233-445 95"
    assert _push(office).done == 1
    row = office.box.state.crm.contacts.table.get(contact)
    assert row[office.mapping.contact_field("snils").code] == "112-233-445 95"
    assert row[office.mapping.contact_field("diploma_number").code] == "123456"


@pytest.mark.parametrize(("changes", "reason"), [
    ({}, "нет изменений"),
    ({"title": "Новое"}, "не редактируются"),
])
def test_bad_edits_are_refused(office, changes, reason):
    office.sync()
    with pytest.raises(DealEditError, match=reason):
        update_deal(office.store, office.store.deals()[0].id, changes)
    assert office.store.pending_count() == 0


@pytest.mark.parametrize(("changes", "expected"), [
    ({"programme_type": "ПК"}, {"programme_type": "ПК"}),
    ({"programme_type": None}, {"programme_type": ""}),
    ({"hours": 250}, {"hours": "250"}),
    ({"start_date": None}, {"start_date": ""}),
    ({"unknown_field": "x"}, {}),
])
def test_deal_fields_use_the_mapping(office, changes, expected):
    fields = deal_fields(changes, office.mapping)
    wanted = {}
    for logical, value in expected.items():
        ref = office.mapping.deal_field(logical)
        wanted[ref.code] = ref.value_id(value) if ref.type == "enumeration" and value else value
    assert fields == wanted
