"""Incremental syncs: cheap in requests, and ending with the same cache as a fresh full sync."""

from __future__ import annotations

import hashlib

from dpo_desktop.domain.models import CheckStatus, DocumentType, document_code

from .cache_compare import assert_same_cache


def _new_document(office, participant, index: int) -> int:
    mapping = office.mapping.documents
    sha = hashlib.sha256(f"new scan {index}".encode()).hexdigest()
    fields = {
        "NAME": f"Новый скан {index}",
        mapping.field("deal").code: str(participant.deal_id),
        mapping.field("contact").code: str(participant.contact_id),
        mapping.field("type").code: mapping.field("type").value_id(DocumentType.OTHER.value),
        mapping.field("sha256").code: sha,
        mapping.field("original_name").code: f"scan{index}.pdf",
        mapping.field("check_status").code: mapping.field("check_status").value_id(CheckStatus.RECEIVED.value),
    }
    code = document_code(participant.deal_id, participant.contact_id, DocumentType.OTHER, sha)
    return office.box.state.lists.add_element(mapping.iblock_id, code, fields, user_id=1)


def test_ten_deals_five_new_and_three_deleted_documents_in_three_requests(office):
    office.sync()
    state, store = office.box.state, office.store
    deals = sorted(store.ids("deals"))[:10]
    for deal_id in deals:
        state.crm.deals.update(deal_id, {"TITLE": f"Изменённая сделка {deal_id}"}, 1)
    participants = store.participants()[:5]
    added = [_new_document(office, participant, index) for index, participant in enumerate(participants)]
    deleted = sorted(store.ids("documents"))[100:103]
    for element_id in deleted:
        state.lists.delete_element(office.mapping.documents.iblock_id, element_id)

    summary = office.sync()

    assert summary.mode == "incremental"
    assert summary.requests <= 3, summary
    assert summary.changed["deals"] == 10 and summary.deleted["documents"] == 3
    assert set(added) <= store.ids("documents") and not set(deleted) & store.ids("documents")
    assert all(store.deal(deal_id).title == f"Изменённая сделка {deal_id}" for deal_id in deals)
    assert_same_cache(store, office.fresh_store("fresh.sqlite3"))


def test_changed_list_elements_and_contacts_arrive(office):
    office.sync()
    state, store, mapping = office.box.state, office.store, office.mapping
    document = store.documents()[0]
    rejected = mapping.documents.field("check_status").value_id(CheckStatus.REJECTED.value)
    element = state.lists.element(mapping.documents.iblock_id, document.id)
    fields = {key: (list(value.values()) if isinstance(value, dict) else value)
              for key, value in element.items() if key.startswith("PROPERTY_") or key == "NAME"}
    fields[mapping.documents.field("check_status").code] = rejected
    state.lists.update_element(mapping.documents.iblock_id, document.id, fields, user_id=1)
    contact = store.participants()[0].contact_id
    state.crm.contacts.update(contact, {"POST": "Главный инженер"}, 1)

    summary = office.sync()

    assert summary.requests <= 3
    assert store.document_by_code(document.code).status is CheckStatus.REJECTED
    assert store.contact(contact).post == "Главный инженер"
    assert_same_cache(store, office.fresh_store("fresh.sqlite3"))


def test_a_deal_leaving_the_pipeline_leaves_the_cache(office):
    office.sync()
    state, store = office.box.state, office.store
    deal_id = sorted(store.ids("deals"))[0]
    other = next(key for key, value in state.crm.categories.items() if key != office.mapping.pipeline_id)
    state.crm.deals.move(deal_id, other, None, 1)
    office.sync()
    assert deal_id not in store.ids("deals")
    assert_same_cache(store, office.fresh_store("fresh.sqlite3"))
