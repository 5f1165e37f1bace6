"""Bad input in a drop: each bad file stops with a clear Russian reason, and the good file beside it lands."""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.sync.upload_queue import UploadRequest, add_files, prepare, retry
from tests.sync.scans_support import deal_with_people, make_scan
from tests.sync.test_uploads import portal_documents, upload

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]  # builds the bad file in a folder
    state: str  # where it must stop ("done" when a hostile name is still a good scan)
    says: str = ""  # a word the reason must contain
    portal: Callable | None = None  # changes the portal before the upload (office, deal, person)


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return make


def _sparse(folder: Path) -> Path:
    path = folder / "огромный скан.pdf"
    with open(path, "wb") as stream:
        stream.write(b"%PDF-1.4\n")
        stream.truncate(101 * 1024 * 1024)
    return path


def _truncated_jpeg(folder: Path) -> Path:
    good = make_scan(folder / "tmp.jpg", seed=900, kind="jpeg", size=200)
    data = good.read_bytes()
    good.unlink()
    return _write("фото паспорта.jpg", data[: len(data) // 2])(folder)


def _docx(folder: Path) -> Path:
    path = folder / "заявление.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def _unreadable(folder: Path) -> Path:
    path = folder / "канал.pdf"
    os.mkfifo(path)  # not a regular file: never opened, so nothing blocks
    return path


def _folder(folder: Path) -> Path:
    path = folder / "Сканы группы"
    path.mkdir()
    make_scan(path / "внутри.pdf", seed=901)
    return path


def _named(name: str, seed: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return make_scan(folder / name, seed=seed)
    return make


def _drop_type(office, deal, person) -> None:
    """The portal's list has no «Заявление» value: the mapping discovered from it says so."""
    field = office.mapping.documents.fields["type"]
    values = {key: value for key, value in field.values.items() if value != "application"}
    fields = {**office.mapping.documents.fields, "type": field.model_copy(update={"values": values})}
    office.mapping = office.mapping.model_copy(
        update={"documents": office.mapping.documents.model_copy(update={"fields": fields})})


def _delete_contact(office, deal, person) -> None:
    office.box.state.crm.contacts.delete(person.id)


def _delete_deal(office, deal, person) -> None:
    office.box.state.crm.deals.delete(deal.deal_id)


CASES = {
    "zero bytes": Case(_write("пустой.pdf", b""), "failed", "пуст"),
    "over the size limit": Case(_sparse, "failed", "МБ"),
    "unsupported office file": Case(_docx, "failed", "не поддерж"),
    "a .pdf that is not a PDF": Case(_write("договор.pdf", "Это текст, а не PDF".encode()), "failed", "PDF"),
    "an HTML page saved as .jpg": Case(_write("скан.jpg", b"<!DOCTYPE html><html><body>404</body></html>"),
                                       "failed", ""),
    "a broken PDF": Case(_write("битый.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 64), "failed", "PDF"),
    "a truncated JPEG": Case(_truncated_jpeg, "failed", ""),
    "a HEIC photo": Case(_write("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64), "failed", "HEIC"),
    "a WebP picture": Case(_write("фото.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64), "failed", "WebP"),
    "a GIF": Case(_write("anim.gif", b"GIF89a" + b"\x00" * 64), "failed", "GIF"),
    "an unreadable file": Case(_unreadable, "failed", ""),
    "a folder instead of files": Case(_folder, "failed", "папк"),
    "a path that does not exist": Case(lambda folder: folder / "нет такого.pdf", "failed", ""),
    "a name with ../": Case(_named("..%2F..%2Fпаспорт.pdf", 902), "done"),
    "a reserved Windows name": Case(_named("CON.pdf", 903), "done"),
    "a very long name": Case(_named("Очень длинное имя файла скана " * 4 + ".pdf", 904), "done"),
    "emoji and mixed scripts": Case(_named("Паспорт 📄 Ivanов ✅.pdf", 905), "done"),
    "a type the portal's list lacks": Case(_named("bad-type.pdf", 906), "failed", "нет типа", _drop_type),
    "a contact deleted on the portal": Case(_named("del-contact.pdf", 907), "failed", "удалён", _delete_contact),
    "a deal deleted on the portal": Case(_named("del-deal.pdf", 908), "failed", "удалена", _delete_deal),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_file_stops_with_a_reason_and_the_good_one_lands(office, tmp_path, name):
    case = CASES[name]
    office.sync(full=True)
    deal = deal_with_people(office.store)
    person = deal.people[0]
    folder = tmp_path / "drop"
    folder.mkdir()
    bad = case.make(folder)
    good = make_scan(tmp_path / "хороший.pdf", seed=999)
    doc_type = DocumentType.APPLICATION
    if case.portal is not None:
        case.portal(office, deal, person)
    bad_id, = add_files(office.store, UploadRequest([bad], deal.deal_id, person.id, doc_type)).ids
    # The good file belongs to another person (the deal or contact case breaks only the bad one's owner).
    other = deal.people[1] if case.portal is not _delete_deal else person
    good_request = UploadRequest([good], deal.deal_id, other.id, DocumentType.CONSENT)
    if case.portal is _delete_deal:
        good_deal = next(d.id for d in office.store.deals() if d.id != deal.deal_id
                         and office.store.participants(deal_id=d.id))
        other_id = office.store.participants(deal_id=good_deal)[0].contact_id
        good_request = UploadRequest([good], good_deal, other_id, DocumentType.CONSENT)
    good_id, = add_files(office.store, good_request).ids
    before = len(portal_documents(office))
    upload(office)
    item = office.store.upload(bad_id)
    assert item.state == case.state, item.reason
    if case.state != "done":
        assert item.reason and set(item.reason.lower()) & CYRILLIC, item.reason
        assert case.says.lower() in item.reason.lower(), item.reason
    assert office.store.upload(good_id).state == "done"
    assert len(portal_documents(office)) == before + 1 + (case.state == "done")
    assert bad.exists() or name == "a path that does not exist"  # nothing of the user's is touched


def test_a_full_drive_stops_the_run_and_nothing_is_lost(office, tmp_path):
    office.sync(full=True)
    deal = deal_with_people(office.store)
    files = [make_scan(tmp_path / f"q{n}.pdf", seed=950 + n) for n in range(3)]
    ids = add_files(office.store, UploadRequest(files, deal.deal_id, deal.people[0].id, DocumentType.OTHER)).ids
    disk = office.box.state.disk
    disk.quota = disk.used_bytes  # not one byte more
    stats = upload(office)
    assert stats.failed == 1 and stats.waiting == 2
    assert "нет места" in office.store.upload(ids[0]).reason
    assert all(office.store.upload(i).state in ("queued", "classified") for i in ids[1:])  # waiting, not failed
    disk.quota = None
    retry(office.store, [ids[0]])
    assert upload(office).done == 3


def test_a_file_deleted_after_queueing_fails_and_a_changed_one_is_checked_again(office, tmp_path):
    office.sync(full=True)
    deal = deal_with_people(office.store)
    gone, changed = make_scan(tmp_path / "gone.pdf", seed=960), make_scan(tmp_path / "changed.pdf", seed=961)
    ids = add_files(office.store, UploadRequest([gone, changed], deal.deal_id, deal.people[0].id,
                                                DocumentType.OTHER)).ids
    for item_id in ids:
        prepare(office.store, office.store.upload(item_id), office.mapping.documents)
    gone.unlink()
    make_scan(changed, seed=962)  # the manager re-scanned it meanwhile
    os.utime(changed, ns=(1, 1))
    upload(office)
    assert "удалён или перемещён" in office.store.upload(ids[0]).reason
    landed = office.store.upload(ids[1])
    assert landed.state == "done"
    assert landed.sha256 == hashlib.sha256(changed.read_bytes()).hexdigest()


def test_a_person_who_is_not_a_participant_needs_attention(office, tmp_path):
    office.sync(full=True)
    deal = deal_with_people(office.store)
    outsider = next(contact for contact in office.store.contacts(range(1, 5000))
                    if contact.id not in {p.id for p in deal.people})
    (item_id,) = add_files(office.store, UploadRequest([make_scan(tmp_path / "x.pdf", seed=970)], deal.deal_id,
                                                       outsider.id, DocumentType.OTHER)).ids
    upload(office)
    item = office.store.upload(item_id)
    assert item.state == "attention" and "не участник" in item.reason
