"""Re-typing a document: the type changes on the portal and nothing else, never over someone else's change,
and never into a second element for the same scan of the same type."""

from __future__ import annotations

import time

import pytest

from dpo_desktop.b24.lists import Lists
from dpo_desktop.domain.models import DocumentType, document_code
from dpo_desktop.sync.document_edit import KIND, DocumentEditError, retype_document
from dpo_desktop.sync.push import Pusher

from .conftest import run


def _push(office):
    async def scenario():
        async with office.client() as client:
            return await Pusher(client, office.store, office.mapping).push()
    return run(scenario())


def _record(office, element_id: int) -> dict:
    return office.box.state.lists.iblocks[office.mapping.documents.iblock_id].elements.get(element_id)


def _portal_type(office, element_id: int) -> str:
    ref = office.mapping.documents.fields["type"]
    stored = _record(office, element_id)["P"][int(ref.code.removeprefix("PROPERTY_"))]
    return ref.values[str(stored[1])]


def _other_type(document) -> DocumentType:
    return next(doc_type for doc_type in (DocumentType.CONSENT, DocumentType.APPLICATION, DocumentType.CONTRACT)
                if doc_type is not document.type)


def _a_document(office):
    return next(doc for doc in office.store.documents() if doc.id is not None and doc.sha256)


def test_a_retype_changes_the_type_on_the_portal_and_keeps_every_other_value(office):
    office.sync()
    document = _a_document(office)
    before = {key: value for key, value in _record(office, document.id)["P"].items()}
    new_type = _other_type(document)
    edit = retype_document(office.store, document.code, new_type)
    assert office.store.document_by_code(document.code).type is new_type  # shown before it is pushed
    assert office.store.pending()[0].kind == KIND
    stats = _push(office)
    assert (stats.done, stats.conflicts, stats.messages) == (1, 0, [])
    assert _portal_type(office, document.id) == new_type.value
    after = _record(office, document.id)
    type_prop = int(office.mapping.documents.fields["type"].code.removeprefix("PROPERTY_"))
    assert {k: v for k, v in after["P"].items() if k != type_prop} == \
        {k: v for k, v in before.items() if k != type_prop}
    assert after["CODE"] == document.code  # the element keeps its name
    cached = office.store.document_by_code(document.code)
    assert (cached.type, cached.sha256, cached.file_id, cached.original_name, cached.status) == \
        (new_type, document.sha256, document.file_id, document.original_name, document.status)
    assert edit.document.type is new_type
    # A fresh full sync reads the same thing back.
    fresh = office.fresh_store("again.sqlite3")
    assert fresh.document_by_code(document.code).type is new_type
    fresh.close()


def test_the_same_type_or_an_unknown_document_is_refused_before_the_outbox(office):
    office.sync()
    document = _a_document(office)
    with pytest.raises(DocumentEditError, match="уже тип"):
        retype_document(office.store, document.code, document.type)
    with pytest.raises(DocumentEditError, match="нет в кэше"):
        retype_document(office.store, "d-1-2-passport-0000", DocumentType.SNILS)
    assert office.store.pending_count() == 0


def test_a_document_changed_on_the_portal_is_a_conflict_and_the_cache_shows_the_portal(office):
    office.sync()
    document = _a_document(office)
    new_type = _other_type(document)
    retype_document(office.store, document.code, new_type)
    office.box.state.time_source = lambda: time.time() + 120  # someone edits it later on the portal

    async def someone_else():
        async with office.client() as client:
            comment = office.mapping.documents.fields["comment"].code
            await Lists(client, office.mapping.documents.iblock_type).update_element(
                office.mapping.documents.iblock_id, document.id, {comment: "Поправлено на портале"})
    run(someone_else())
    stats = _push(office)
    assert stats.conflicts == 1 and "изменён на портале" in stats.messages[0]
    assert _portal_type(office, document.id) == document.type.value
    cached = office.store.document_by_code(document.code)
    assert cached.type is document.type and cached.comment == "Поправлено на портале"


def test_a_type_under_which_the_person_has_this_very_file_is_refused(office):
    office.sync()
    document = _a_document(office)
    new_type = _other_type(document)
    twin_code = document_code(document.deal_id, document.contact_id, new_type, document.sha256)
    documents = office.mapping.documents

    async def add_twin() -> int:
        async with office.client() as client:
            lists = Lists(client, documents.iblock_type)
            element = await lists.element(documents.iblock_id, document.id)
            fields = {field.field_id: field for field in await lists.fields(documents.iblock_id)}
            values = {key: values[0] for key, values in element.properties.items()
                      if values and key in fields and fields[key].type not in ("F", "S:DiskFile")}
            values[documents.fields["type"].code] = documents.fields["type"].value_id(new_type.value)
            return await lists.add_element(documents.iblock_id, twin_code, {"NAME": element.name, **values})
    twin = run(add_twin())
    retype_document(office.store, document.code, new_type)
    stats = _push(office)
    assert stats.conflicts == 1 and "такой документ уже есть" in stats.messages[0]
    assert _portal_type(office, document.id) == document.type.value
    assert _portal_type(office, twin) == new_type.value
    assert office.store.document_by_code(document.code).type is document.type


def test_a_repeat_after_a_lost_answer_is_done_not_a_conflict(office):
    office.sync()
    document = _a_document(office)
    new_type = _other_type(document)
    retype_document(office.store, document.code, new_type)
    assert _push(office).done == 1
    # The same item sent again (its answer lost): the element has the type already and is newer than the base.
    with office.store.write() as tx:
        tx.enqueue(KIND, {"document_id": document.id, "type": new_type.value,
                          "base_modified": document.modified.isoformat()}, "retype-repeat")
    office.box.state.time_source = lambda: time.time() + 120
    stats = _push(office)
    assert (stats.done, stats.conflicts) == (1, 0)
    assert _portal_type(office, document.id) == new_type.value


def test_a_document_deleted_on_the_portal_fails_with_a_reason(office):
    office.sync()
    document = _a_document(office)
    retype_document(office.store, document.code, _other_type(document))
    office.box.state.lists.delete_element(office.mapping.documents.iblock_id, document.id)
    stats = _push(office)
    assert stats.failed == 1 and "удалён на портале" in stats.messages[0]
