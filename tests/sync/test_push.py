"""The outbox reaches the portal exactly once, never over someone else's change, and waits when offline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest

from dpo_desktop.b24.client import RetryPolicy
from dpo_desktop.domain.models import CheckStatus, participant_code
from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sync.people import Person
from dpo_desktop.sync.push import Pusher
from dpo_desktop.sync.roster import RosterError, add_participant, remove_participant

from .conftest import offline_client, run


def _push(office, client=None):
    async def scenario():
        async with (client or office.client()) as used:
            return await Pusher(used, office.store, office.mapping).push()
    return run(scenario())


def _elements(office) -> dict[str, int]:
    iblock = office.box.state.lists.iblocks[office.mapping.participants.iblock_id]
    return {office.box.state.lists.element(iblock.id, element_id)["CODE"]: element_id
            for element_id in iblock.elements.ids()}


def _free_contact(office) -> int:
    taken = {participant.contact_id for participant in office.store.participants()}
    return next(int(record["ID"]) for record in office.box.state.crm.contacts.table.values()
                if int(record["ID"]) not in taken)


def test_an_existing_contact_joins_a_deal(office):
    office.sync()
    deal = office.store.deals()[0].id
    contact = _free_contact(office)
    edit = add_participant(office.store, deal, contact_id=contact)
    assert office.store.participant_by_code(edit.participant.code).id is None  # shown before it is pushed
    stats = _push(office)
    assert stats.done == 1 and office.store.pending_count() == 0
    assert participant_code(deal, contact) in _elements(office)
    assert office.store.participant_by_code(participant_code(deal, contact)).id is not None


def test_a_new_person_becomes_one_contact_and_one_participant(office):
    office.sync()
    deal = office.store.deals()[1].id
    contacts_before = len(office.box.state.crm.contacts.table)
    person = Person("Соколова", "Дарья", "Игоревна", date(1991, 3, 14), phones=("+79990001122",))
    edit = add_participant(office.store, deal, person=person)
    assert edit.participant.contact_id < 0  # provisional until the portal gives the contact its ID
    again = add_participant(office.store, deal, person=person)  # the same command run twice
    assert again.outbox_id == edit.outbox_id and not again.created
    assert _push(office).done == 1
    assert len(office.box.state.crm.contacts.table) == contacts_before + 1
    created = max(int(key) for key in office.box.state.crm.contacts.table.records)
    assert participant_code(deal, created) in _elements(office)
    assert office.store.contact(created).last_name == "Соколова"
    assert office.store.contact(edit.participant.contact_id) is None  # the provisional row is gone
    assert office.store.participant_by_code(edit.participant.code) is None


def test_a_known_phone_means_the_existing_contact_not_a_duplicate(office):
    office.sync()
    deal = office.store.deals()[2].id
    known = next(record for record in office.box.state.crm.contacts.table.values() if record.get("PHONE"))
    phone = known["PHONE"][0]["VALUE"]
    before = len(office.box.state.crm.contacts.table)
    add_participant(office.store, deal, person=Person(known["LAST_NAME"], known["NAME"], phones=(phone,)))
    assert _push(office).done == 1
    assert len(office.box.state.crm.contacts.table) == before
    assert participant_code(deal, int(known["ID"])) in _elements(office)


def test_two_lookalikes_are_a_question_not_a_guess(office):
    office.sync()
    state = office.box.state
    for name in ("Первый", "Второй"):
        state.crm.contacts.add({"LAST_NAME": "Двойников", "NAME": name, "PHONE": [{"VALUE": "+79995550000"}]}, 1)
    before = len(state.crm.contacts.table)
    add_participant(office.store, office.store.deals()[0].id,
                    person=Person("Двойникова", "Анна", phones=("+79995550000",)))
    stats = _push(office)
    assert stats.conflicts == 1 and "несколько похожих контактов" in stats.messages[0]
    assert len(state.crm.contacts.table) == before


def test_offline_edits_wait_and_land_once_when_the_portal_is_back(office):
    office.sync()
    deal = office.store.deals()[0].id
    contact = _free_contact(office)
    add_participant(office.store, deal, contact_id=contact)
    stats = _push(office, offline_client())
    assert stats.done == 0 and stats.waiting == 1 and office.store.pending_count() == 1
    assert _push(office).done == 1
    assert _push(office).done == 0  # nothing left, nothing repeated
    assert list(_elements(office)).count(participant_code(deal, contact)) == 1


def test_an_interrupted_push_repeated_makes_nothing_twice(office):
    office.sync()
    deal = office.store.deals()[3].id
    add_participant(office.store, deal, person=Person("Морозов", "Илья", birth_date=date(1985, 1, 2)))
    item = office.store.pending()[0]
    contacts_before = len(office.box.state.crm.contacts.table)

    async def crash_after_the_portal_answered():
        async with office.client() as client:
            pusher = Pusher(client, office.store, office.mapping)
            await pusher._participant_add(item)  # the writes land; the item is never marked done

    run(crash_after_the_portal_answered())
    assert _push(office).done == 1
    assert len(office.box.state.crm.contacts.table) == contacts_before + 1
    codes = [code for code in _elements(office) if code.startswith(f"p-{deal}-")]
    assert len(codes) == len(set(codes))


def test_a_contact_changed_on_the_portal_is_a_conflict_not_an_overwrite(office):
    office.sync()
    contact = office.store.participants()[0].contact_id
    read_at = office.store.contact(contact).modified
    office.box.state.crm.contacts.update(contact, {"POST": "Изменено на портале"}, 1)
    with office.store.write() as tx:
        tx.enqueue("contact.update", {"contact_id": contact, "changes": {"post": "Изменено в программе"},
                                      "base_modified": read_at.isoformat()}, "edit-1")
    stats = _push(office)
    assert stats.conflicts == 1
    assert office.box.state.crm.contacts.table.get(contact)["POST"] == "Изменено на портале"
    fresh = office.box.state.crm.contacts.table.get(contact)["DATE_MODIFY"]
    with office.store.write() as tx:
        tx.enqueue("contact.update", {"contact_id": contact, "changes": {"post": "Изменено в программе"},
                                      "base_modified": fresh}, "edit-2")
    assert _push(office).done == 1
    assert office.box.state.crm.contacts.table.get(contact)["POST"] == "Изменено в программе"


def test_a_document_status_is_set_and_keeps_the_rest(office):
    office.sync()
    document = office.store.documents()[0]
    with office.store.write() as tx:
        tx.enqueue("document.status", {"document_id": document.id, "status": CheckStatus.REJECTED.value,
                                       "comment": "Скан нечитаемый",
                                       "base_modified": (datetime.now() + timedelta(days=1)).isoformat()},
                   "status-1")
    assert _push(office).done == 1
    updated = office.store.document_by_code(document.code)
    assert updated.status is CheckStatus.REJECTED and updated.comment == "Скан нечитаемый"
    assert (updated.sha256, updated.file_id, updated.original_name) == (document.sha256, document.file_id,
                                                                         document.original_name)


def test_a_document_changed_on_the_portal_since_it_was_read_is_a_conflict(office):
    office.sync()
    document = office.store.documents()[0]
    with office.store.write() as tx:
        tx.enqueue("document.status", {"document_id": document.id, "status": CheckStatus.CHECKED.value,
                                       "base_modified": (datetime.now() - timedelta(days=3650)).isoformat()},
                   "status-old")
    stats = _push(office)
    assert stats.conflicts == 1 and "изменён на портале" in stats.messages[0]
    assert office.store.document_by_code(document.code).status is document.status


def test_a_deal_deleted_on_the_portal_fails_the_edit_with_a_reason(office):
    office.sync()
    deal = office.store.deals()[0].id
    add_participant(office.store, deal, contact_id=_free_contact(office))
    office.box.state.crm.deals.delete(deal)
    stats = _push(office)
    assert stats.failed == 1 and "удалена на портале" in stats.messages[0]


def test_removal_is_local_at_once_and_on_the_portal_after_the_push(office):
    office.sync()
    participant = office.store.participants()[0]
    remove_participant(office.store, participant.deal_id, participant.contact_id)
    assert office.store.participant_by_code(participant.code) is None
    assert _push(office).done == 1
    assert participant.code not in _elements(office)
    with pytest.raises(RosterError):
        remove_participant(office.store, participant.deal_id, participant.contact_id)


@pytest.mark.parametrize("seed", [31, 32])
def test_roster_edits_land_exactly_once_under_mixed_faults(office, seed):
    office.sync()
    office.box.portal.faults = parse_faults(f"mixed=0.1,slow_seconds=0.2,seed={seed}")
    deals = [deal.id for deal in office.store.deals()[:5]]
    people = [Person(f"Новиков{index}", "Пётр", birth_date=date(1980, 1, 1 + index)) for index in range(10)]
    for index, person in enumerate(people):
        add_participant(office.store, deals[index % 5], person=person)
    contacts_before = len(office.box.state.crm.contacts.table)
    retry = RetryPolicy(attempts=12, base_delay=0.001, max_delay=0.01)
    for _ in range(10):
        if office.store.pending_count() == 0:
            break
        _push(office, office.client(retry=retry, timeout=httpx.Timeout(0.1)))
    assert office.store.pending_count() == 0
    assert len(office.box.state.crm.contacts.table) == contacts_before + 10
    codes = [code for code in _elements(office)]
    assert len(codes) == len(set(codes))
    assert office.box.portal.bugs == []


def test_add_remove_and_add_again_are_three_edits(office):
    office.sync()
    deal = office.store.deals()[0].id
    contact = _free_contact(office)
    add_participant(office.store, deal, contact_id=contact)
    assert _push(office).done == 1
    remove_participant(office.store, deal, contact)
    assert _push(office).done == 1
    again = add_participant(office.store, deal, contact_id=contact)
    assert again.created
    assert _push(office).done == 1
    assert participant_code(deal, contact) in _elements(office)


def test_a_revoked_webhook_leaves_every_edit_waiting(office):
    office.sync()
    add_participant(office.store, office.store.deals()[0].id, contact_id=_free_contact(office))
    office.box.state.webhooks.clear()
    stats = _push(office)
    assert stats.waiting == 1 and stats.failed == 0 and office.store.pending_count() == 1
