"""A full sync of the demo office brings exactly the ДПО data into the cache."""

from __future__ import annotations

from dpo_desktop.b24.lists import element_from_wire
from dpo_desktop.domain.models import DocumentType


def _portal_elements(office, list_mapping):
    lists = office.box.state.lists
    rows = (lists.element(list_mapping.iblock_id, element_id)
            for element_id in lists.iblocks[list_mapping.iblock_id].elements.ids())
    return {int(row["ID"]): element_from_wire(row) for row in rows}


def test_the_cache_holds_the_pipeline_people_and_papers(office):
    summary = office.sync()
    assert summary.mode == "full" and summary.waiting == 0
    state, mapping, store = office.box.state, office.mapping, office.store
    pipeline_deals = {int(record["ID"]) for record in state.crm.deals.table.values()
                      if record["CATEGORY_ID"] == str(mapping.pipeline_id)}
    assert store.ids("deals") == pipeline_deals and len(pipeline_deals) >= 40
    assert all(deal.pipeline_id == mapping.pipeline_id for deal in store.deals())
    participants = _portal_elements(office, mapping.participants)
    documents = _portal_elements(office, mapping.documents)
    assert store.ids("participants") == set(participants)
    assert store.ids("documents") == set(documents)
    for element in documents.values():
        cached = store.document_by_code(element.code)
        assert cached is not None and cached.id == element.id
        assert cached.type in DocumentType and len(cached.sha256) == 64
    wanted_people = {item.contact_id for item in store.participants()} | {
        deal.client_contact_id for deal in store.deals() if deal.client_contact_id}
    assert store.ids("contacts") == wanted_people
    contact = store.contact(next(iter(wanted_people)))
    record = state.crm.contacts.table.get(contact.id)
    assert (contact.last_name, contact.name) == (record["LAST_NAME"], record["NAME"])
    assert store.stages(mapping.pipeline_id)
    assert summary.changed["documents"] == len(documents)


def test_a_second_sync_is_incremental_and_changes_nothing(office):
    office.sync()
    before = {kind: office.store.ids(kind) for kind in ("deals", "contacts", "participants", "documents")}
    summary = office.sync()
    assert summary.mode == "incremental"
    assert summary.requests <= 3
    assert {kind: office.store.ids(kind) for kind in before} == before
    assert not any(summary.deleted.values())
