"""The upload queue against the demo sandbox: each file lands once, on the right person, or says why not."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dpo_desktop.b24.disk import Disk
from dpo_desktop.domain.models import DocumentType
from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sync.upload_queue import UploadRequest, add_files, cancel, prepare, retry
from dpo_desktop.sync.uploader import UPLOADS_FOLDER, Uploader, UploadStats, drive_name
from tests.b24.conftest import run
from tests.sync.scans_support import deal_with_people, make_scan


def upload(office, ids=None, **options) -> UploadStats:
    async def scenario() -> UploadStats:
        async with office.client(**options) as client:
            return await Uploader(client, office.store, office.mapping,
                                  local_copies=office.path.parent / "files").run(ids)
    return run(scenario())


def portal_documents(office) -> dict[str, dict]:
    """The document elements on the sandbox, by ELEMENT_CODE."""
    iblock = office.box.state.lists.iblocks[office.mapping.documents.iblock_id]
    return {record["CODE"]: record for record in iblock.elements.values()}


def drive_bytes_of(office, code: str) -> bytes:
    """The bytes behind a document element's Drive-file property."""
    element = portal_documents(office)[code]
    ref = office.mapping.documents.fields["file"].code
    rows = office.box.result("lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": office.mapping.documents
                                                   .iblock_id, "ELEMENT_ID": element["ID"]})
    attached = int(next(iter(rows[0][ref].values())))
    object_id = int(office.box.result("disk.attachedObject.get", {"id": attached})["OBJECT_ID"])
    return office.box.state.disk.read_bytes(object_id)


@pytest.fixture
def synced(office):
    office.sync(full=True)
    return office


def test_files_with_a_chosen_person_and_type_land_once_with_their_bytes(synced, tmp_path):
    office = synced
    deal = deal_with_people(office.store)
    person = deal.people[0]
    files = [make_scan(tmp_path / f"скан {n}.pdf", seed=n) for n in range(3)]
    before = len(portal_documents(office))
    added = add_files(office.store, UploadRequest(files, deal.deal_id, person.id, DocumentType.APPLICATION))
    stats = upload(office)
    assert stats.done == 3 and stats.failed == stats.attention == stats.waiting == 0
    documents = portal_documents(office)
    assert len(documents) == before + 3
    for item_id, path in zip(added.added, files, strict=True):
        item = office.store.upload(item_id)
        assert item.state == "done" and item.element_id is not None
        assert drive_bytes_of(office, item.code) == path.read_bytes()
        cached = office.store.document_by_code(item.code)
        assert cached is not None and cached.type is DocumentType.APPLICATION and cached.contact_id == person.id
        assert cached.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert office.store.active_uploads() == []


def test_names_decide_type_and_person_and_doubt_waits_for_the_user(synced, tmp_path):
    office = synced
    deal = deal_with_people(office.store)
    first, second = deal.people[:2]
    files = [make_scan(tmp_path / f"{first.last_name}_паспорт.pdf", seed=10),
             make_scan(tmp_path / f"СНИЛС {second.last_name}.jpg", seed=11, kind="jpeg"),
             make_scan(tmp_path / "IMG_4021.jpg", seed=12, kind="jpeg")]
    ids = add_files(office.store, UploadRequest(files, deal.deal_id)).ids
    stats = upload(office)
    assert (stats.done, stats.attention) == (2, 1)
    passport, snils, unknown = (office.store.upload(item_id) for item_id in ids)
    assert (passport.contact_id, passport.doc_type) == (first.id, "passport")
    assert (snils.contact_id, snils.doc_type) == (second.id, "snils")
    assert unknown.state == "attention" and unknown.reason
    # The user answers; the file goes.
    retry(office.store, [unknown.id], contact_id=first.id, doc_type=DocumentType.CONSENT)
    assert upload(office).done == 1
    assert office.store.upload(unknown.id).state == "done"


def test_the_same_request_run_again_uploads_nothing(synced, tmp_path):
    office = synced
    deal = deal_with_people(office.store)
    files = [make_scan(tmp_path / f"f{n}.png", seed=20 + n, kind="png") for n in range(4)]
    request = UploadRequest(files, deal.deal_id, deal.people[0].id, DocumentType.CONTRACT)
    add_files(office.store, request)
    upload(office)
    before = len(portal_documents(office))
    again = add_files(office.store, request)
    assert again.added == [] and len(again.known) == 4
    assert upload(office, again.ids).done == 0
    assert len(portal_documents(office)) == before
    # The rows forgotten (a new cache-side request): the content is recognised, still nothing doubles.
    other = add_files(office.store, UploadRequest(files, deal.deal_id, deal.people[0].id, DocumentType.CONTRACT,
                                                  batch="again"))
    assert other.added == []


def test_a_person_s_existing_content_is_a_duplicate_until_the_user_chooses(synced, tmp_path):
    office = synced
    deal = deal_with_people(office.store)
    person = deal.people[0]
    scan = make_scan(tmp_path / "договор.pdf", seed=30)
    add_files(office.store, UploadRequest([scan], deal.deal_id, person.id, DocumentType.CONTRACT))
    upload(office)
    copy = tmp_path / "копия" / "заявление.pdf"
    copy.parent.mkdir()
    copy.write_bytes(scan.read_bytes())
    (item_id,) = add_files(office.store, UploadRequest([copy], deal.deal_id, person.id,
                                                       DocumentType.APPLICATION)).ids
    stats = upload(office)
    assert stats.duplicates == 1
    item = office.store.upload(item_id)
    assert item.state == "duplicate" and item.duplicate_of
    drive_files = len(office.box.state.disk.objects)
    retry(office.store, [item_id], decision="link")
    assert upload(office).done == 1
    linked = office.store.upload(item_id)
    assert linked.state == "done"
    assert len(office.box.state.disk.objects) == drive_files  # linked: no second copy of the bytes
    assert drive_bytes_of(office, linked.code) == scan.read_bytes()


def test_skip_and_keep_decide_duplicates_up_front(synced, tmp_path):
    office = synced
    deal = deal_with_people(office.store)
    person = deal.people[1]
    scan = make_scan(tmp_path / "a.pdf", seed=40)
    add_files(office.store, UploadRequest([scan], deal.deal_id, person.id, DocumentType.PASSPORT))
    upload(office)
    twin = tmp_path / "b.pdf"
    twin.write_bytes(scan.read_bytes())
    (skipped,) = add_files(office.store, UploadRequest([twin], deal.deal_id, person.id, DocumentType.SNILS,
                                                       duplicates="skip")).ids
    (kept,) = add_files(office.store, UploadRequest([twin], deal.deal_id, person.id, DocumentType.DIPLOMA,
                                                    duplicates="keep")).ids
    stats = upload(office)
    assert office.store.upload(skipped).state == "cancelled"
    assert office.store.upload(kept).state == "done" and stats.done == 1


def test_cancel_stops_a_file_and_its_drive_bytes_go_to_the_trash(synced, tmp_path):
    office = synced
    deal = deal_with_people(office.store)
    (item_id,) = add_files(office.store, UploadRequest([make_scan(tmp_path / "x.pdf", seed=50)], deal.deal_id,
                                                       deal.people[0].id, DocumentType.OTHER)).ids
    # Bytes sent, element not yet made (a process killed in between), then the user cancels.
    item = prepare(office.store, office.store.upload(item_id), office.mapping.documents)
    assert item.state == "classified"

    async def send_bytes_only() -> int:  # what a process killed between the bytes and the element leaves
        async with office.client() as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            folder = await disk.ensure_path(root, [*UPLOADS_FOLDER, str(deal.deal_id)])
            landed = await disk.upload(folder.id, Path(item.path), drive_name(item))
            with office.store.write() as tx:
                tx.update_upload(item_id, "uploading", object_id=landed.id)
            return landed.id
    object_id = run(send_bytes_only())
    assert cancel(office.store, [item_id]) == [item_id]
    upload(office)
    assert office.box.state.disk.objects[object_id]["DELETED_TYPE"] != 0
    assert office.store.upload(item_id).object_id is None
    assert item.code not in portal_documents(office)


def test_with_ten_percent_faults_every_file_lands_exactly_once(synced, tmp_path):
    office = synced
    deal = deal_with_people(office.store)
    files = [make_scan(tmp_path / f"s{n}.pdf", seed=100 + n) for n in range(12)]
    before = len(portal_documents(office))
    add_files(office.store, UploadRequest(files, deal.deal_id, deal.people[0].id, DocumentType.OTHER))
    office.box.portal.faults = parse_faults("mixed=0.1,slow_seconds=0.05,seed=7")
    for _round in range(20):
        upload(office)
        if not office.store.active_uploads():
            break
    office.box.portal.faults = None
    assert office.store.active_uploads() == []
    assert len(portal_documents(office)) == before + 12
    names = [record["NAME"] for record in office.box.state.disk.objects.values()
             if record["TYPE"] == "file" and record["DELETED_TYPE"] == 0 and record["NAME"].startswith(
                 f"{deal.people[0].id} ")]
    assert len(names) == len(set(names)) == 12  # no orphan second copies on the Drive
    assert office.box.portal.bugs == []
