"""Compatibility mode: a documents list with a plain File property gets the bytes as streamed base64."""

from __future__ import annotations

import pytest

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.sandbox import seeds
from dpo_desktop.store import Store
from dpo_desktop.store.crypto_files import read_sealed
from dpo_desktop.sync.upload_queue import UploadRequest, add_files
from dpo_desktop.sync.uploader import local_copy_path
from tests.sandbox.portal_fixtures import make_sandbox
from tests.sync.conftest import Office, discovered
from tests.sync.scans_support import deal_with_people, make_scan
from tests.sync.test_uploads import portal_documents, upload


@pytest.fixture
def compat_office(tmp_path):
    """The demo office whose documents list keeps files in an F property (an older portal set-up)."""
    box = make_sandbox(seeds.build("demo"))
    iblock = next(item for item in box.state.lists.iblocks.values() if item.code == "dpo_documents")
    ids = {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock.id}
    drive_field = next(item for item in iblock.fields.values() if item.code == "FILE")
    box.result("lists.field.update", {**ids, "FIELD_ID": drive_field.field_id, "FIELDS": {
        "NAME": "Файл на Диске (не используется)", "TYPE": "S:DiskFile", "CODE": "OLD_DRIVE_FILE"}})
    box.result("lists.field.add", {**ids, "FIELDS": {"NAME": "Файл", "TYPE": "F", "CODE": "FILE", "SORT": 40}})
    store = Store.open(tmp_path / "cache.sqlite3")
    office = Office(box, store, discovered(box), tmp_path / "cache.sqlite3")
    assert office.mapping.file_mode == "file"
    office.sync(full=True)
    yield office
    store.close()
    box.client.close()


def test_files_land_in_the_list_s_file_property_with_a_local_copy(compat_office, tmp_path):
    office = compat_office
    deal = deal_with_people(office.store)
    person = deal.people[0]
    small = make_scan(tmp_path / "паспорт.jpg", seed=1, kind="jpeg")
    large = make_scan(tmp_path / "диплом.png", seed=2, kind="png", size=600, noise=True)  # over one base64 chunk
    assert large.stat().st_size > 3 * 256 * 1024
    before = len(portal_documents(office))
    ids = add_files(office.store, UploadRequest([small, large], deal.deal_id, person.id, DocumentType.OTHER)).ids
    stats = upload(office)
    assert stats.done == 2 and stats.uploaded_bytes == small.stat().st_size + large.stat().st_size
    assert len(portal_documents(office)) == before + 2
    file_field = office.mapping.documents.fields["file"].code
    iblock = office.box.state.lists.iblocks[office.mapping.documents.iblock_id]
    prop_id = int(file_field.split("_")[1])
    for item_id, path in zip(ids, (small, large), strict=True):
        item = office.store.upload(item_id)
        record = portal_documents(office)[item.code]
        (file_id,) = record["P"][prop_id][1::2]
        stored = office.box.state.lists.files.get(file_id)
        assert stored.data == path.read_bytes()
        copy = local_copy_path(office.path.parent / "files", item.sha256, item.kind)
        assert read_sealed(office.store.cipher, copy) == path.read_bytes()  # kept sealed at rest
        assert path.read_bytes()[:4096] not in copy.read_bytes()
    assert iblock.id == office.mapping.documents.iblock_id
    # Run again: the elements are found by their codes, nothing is sent twice.
    again = add_files(office.store, UploadRequest([small, large], deal.deal_id, person.id, DocumentType.OTHER))
    assert again.added == [] and upload(office, again.ids).uploaded_bytes == 0
    assert len(portal_documents(office)) == before + 2
