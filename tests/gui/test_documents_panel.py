"""The document panel against the demo sandbox: drops land on the portal on the right people, each file says
what became of it, duplicates and rejections go through the user's choices, pictures render."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPointF, Qt

from dpo_desktop import paths
from dpo_desktop.app import close_context
from dpo_desktop.domain.models import CheckStatus, DocumentType
from dpo_desktop.portal.mapping import FieldRef
from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.limits import PLANS
from dpo_desktop.store.crypto_files import is_sealed_file
from dpo_desktop.ui.models.documents import DocumentRole, DocumentsModel
from dpo_desktop.ui.models.uploads import STATE_TITLES, UploadsModel
from dpo_desktop.ui.thumbnails import render_first_page
from dpo_desktop.ui.views.documents_panel import DocumentPanel
from tests.gui.conftest import context_for
from tests.gui.helpers import drop_files
from tests.sandbox.portal_fixtures import make_sandbox
from tests.sync.scans_support import deal_with_people, make_scan

LANE_TIMEOUT = 30_000
# Shown windows (the panel, the non-blocking dialogs) make the offscreen plugin say this, harmlessly.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def portal_documents(sandbox, context) -> dict[str, dict]:
    """The document elements on the sandbox portal, by ELEMENT_CODE."""
    iblock = sandbox.state.lists.iblocks[context.mapping.documents.iblock_id]
    return {record["CODE"]: record for record in iblock.elements.values()}


def portal_value(record: dict, field: FieldRef) -> str:
    value = record["P"][int(field.code.removeprefix("PROPERTY_"))]
    return str(value[1])


@pytest.fixture
def panel(qtbot, context) -> Iterator[DocumentPanel]:
    made = DocumentPanel(context)
    qtbot.addWidget(made)
    made.resize(1000, 700)
    made.show()
    yield made
    made.close()  # before the context (and its cache) closes


def finished(qtbot, panel: DocumentPanel):
    return qtbot.waitSignal(panel.uploads_finished, timeout=LANE_TIMEOUT)


def shown_states(panel: DocumentPanel) -> dict[str, tuple[str, str]]:
    model = panel.uploads.model
    return {model.data(model.index(row, 0)): (model.data(model.index(row, 1)), model.data(model.index(row, 2)))
            for row in range(model.rowCount())}


def test_three_named_files_dropped_on_the_panel_land_on_the_right_people(qtbot, panel, context, sandbox, tmp_path):
    deal = deal_with_people(context.reader)
    first, second = deal.people[:2]
    files = [make_scan(tmp_path / f"{first.last_name}_паспорт.pdf", seed=101),
             make_scan(tmp_path / f"СНИЛС {second.last_name}.jpg", seed=102, kind="jpeg"),
             make_scan(tmp_path / f"{second.last_name} согласие.png", seed=103, kind="png")]
    panel.set_participant(deal.deal_id, None)
    before = set(portal_documents(sandbox, context))
    with finished(qtbot, panel) as signal:
        assert drop_files(panel, files)
    ids = signal.args[0]
    assert len(ids) == 3
    landed = {code: record for code, record in portal_documents(sandbox, context).items() if code not in before}
    assert len(landed) == 3
    fields = context.mapping.documents.fields
    expected = {(first.id, DocumentType.PASSPORT), (second.id, DocumentType.SNILS), (second.id, DocumentType.CONSENT)}
    got = {(int(portal_value(record, fields["contact"])), fields["type"].values[portal_value(record, fields["type"])])
           for record in landed.values()}
    assert got == {(contact_id, doc_type.value) for contact_id, doc_type in expected}
    assert all(int(portal_value(record, fields["deal"])) == deal.deal_id for record in landed.values())
    assert shown_states(panel) == {path.name: ("загружен", "") for path in files}
    # The panel shows the deal's documents, the new ones among them.
    shown = {panel.documents_model.document(row).code for row in range(panel.documents_model.rowCount())}
    assert set(landed) <= shown


def test_a_drop_onto_a_checklist_slot_fixes_the_type(qtbot, panel, context, sandbox, tmp_path):
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    panel.set_participant(deal.deal_id, person.id)
    assert panel.slots(), "the participant has required documents"
    slot = next((slot for slot in panel.slots() if slot.state == "missing"), panel.slots()[0])
    doc_type = slot.doc_type
    scan = make_scan(tmp_path / "IMG_0001.jpg", seed=111, kind="jpeg")  # the name says nothing
    with finished(qtbot, panel) as signal:
        assert drop_files(slot, [scan])
    (item_id,) = signal.args[0]
    item = context.reader.upload(item_id)
    assert item.state == "done" and item.doc_type == doc_type.value and item.contact_id == person.id
    record = portal_documents(sandbox, context)[item.code]
    fields = context.mapping.documents.fields
    assert fields["type"].values[portal_value(record, fields["type"])] == doc_type.value
    assert int(portal_value(record, fields["contact"])) == person.id
    assert panel.slot(doc_type).state == "present"


def test_a_broken_file_and_a_folder_explain_themselves_while_the_rest_land(qtbot, panel, context, sandbox, tmp_path):
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    good = make_scan(tmp_path / f"{person.last_name}_паспорт.pdf", seed=121)
    broken = tmp_path / f"{person.last_name}_снилс.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a PDF")
    folder = tmp_path / "сканы"
    folder.mkdir()
    panel.set_participant(deal.deal_id, None)
    before = set(portal_documents(sandbox, context))
    with finished(qtbot, panel):
        assert drop_files(panel, [broken, good, folder])
    states = shown_states(panel)
    assert states[good.name] == ("загружен", "")
    for path in (broken, folder):
        state, reason = states[path.name]
        assert state == "ошибка" and reason, path.name
    assert states[broken.name][1] != states[folder.name][1]  # each its own reason
    assert len(set(portal_documents(sandbox, context)) - before) == 1


def queue_a_duplicate(qtbot, panel, context, tmp_path, *, seed: int):
    """A contract uploaded for a participant, then the same bytes dropped again as an application: the second
    file waits as a duplicate. Returns the second file and its waiting row's ID."""
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    panel.set_participant(deal.deal_id, person.id)
    scan = make_scan(tmp_path / "договор.pdf", seed=seed)
    with finished(qtbot, panel):
        panel.upload([scan], doc_type=DocumentType.CONTRACT, contact_id=person.id)
    copy = tmp_path / "копия" / "заявление.pdf"
    copy.parent.mkdir()
    shutil.copyfile(scan, copy)
    with finished(qtbot, panel) as signal:
        panel.upload([copy], doc_type=DocumentType.APPLICATION, contact_id=person.id)
    (item_id,) = signal.args[0]
    return copy, item_id


def test_a_duplicate_asks_and_linking_keeps_one_copy_of_the_bytes(qtbot, panel, context, sandbox, tmp_path):
    copy, item_id = queue_a_duplicate(qtbot, panel, context, tmp_path, seed=131)
    assert context.reader.upload(item_id).state == "duplicate"
    assert shown_states(panel)[copy.name][0] == STATE_TITLES["duplicate"]
    dialog = panel.uploads.duplicates_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.decisions() == {item_id: "link"}
    drive_objects = len(sandbox.state.disk.objects)
    with finished(qtbot, panel):
        dialog.choose(item_id, "link")
        dialog.confirm()
    item = context.reader.upload(item_id)
    assert item.state == "done"
    assert item.code in portal_documents(sandbox, context)
    assert len(sandbox.state.disk.objects) == drive_objects  # linked: no second copy on the Drive
    assert shown_states(panel)[copy.name][0] == "загружен"


def test_apply_to_all_gives_every_duplicate_the_same_choice(qtbot, panel, context, tmp_path):
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    panel.set_participant(deal.deal_id, person.id)
    scans = [make_scan(tmp_path / f"договор {n}.pdf", seed=140 + n) for n in range(2)]
    with finished(qtbot, panel):
        panel.upload(scans, doc_type=DocumentType.CONTRACT, contact_id=person.id)
    copies = []
    for scan in scans:
        copy = tmp_path / "копии" / scan.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(scan, copy)
        copies.append(copy)
    with finished(qtbot, panel) as signal:
        panel.upload(copies, doc_type=DocumentType.APPLICATION, contact_id=person.id)
    ids = signal.args[0]
    dialog = panel.uploads.duplicates_dialog
    dialog.set_apply_to_all(True)
    dialog.choose(ids[0], "skip")
    assert dialog.decisions() == dict.fromkeys(ids, "skip")
    with finished(qtbot, panel):
        dialog.confirm()
    assert [context.reader.upload(item_id).state for item_id in ids] == ["cancelled", "cancelled"]
    assert {shown_states(panel)[copy.name][0] for copy in copies} == {"отменён"}


def test_rejecting_with_a_comment_changes_the_element_on_the_portal(qtbot, panel, context, sandbox):
    deal = deal_with_people(context.reader)
    document = next(doc for person in deal.people
                    for doc in context.reader.documents(deal_id=deal.deal_id, contact_id=person.id)
                    if doc.status is not CheckStatus.REJECTED and doc.id is not None)
    panel.set_participant(deal.deal_id, document.contact_id)
    assert panel.select_document(document.code)
    assert not panel.mark(CheckStatus.REJECTED, "  ")  # a rejection needs its reason
    with qtbot.waitSignal(panel.status_pushed, timeout=LANE_TIMEOUT) as signal:
        panel.comment.setText("Скан нечитаем, пришлите заново")
        qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].done >= 1 and not signal.args[0].messages
    record = portal_documents(sandbox, context)[document.code]
    fields = context.mapping.documents.fields
    assert fields["check_status"].values[portal_value(record, fields["check_status"])] == CheckStatus.REJECTED.value
    assert portal_value(record, fields["comment"]) == "Скан нечитаем, пришлите заново"
    assert context.reader.document_by_code(document.code).status is CheckStatus.REJECTED
    shown = panel.documents_model.document(panel.documents_model.row_of(document.code))
    assert shown.status is CheckStatus.REJECTED


def test_a_pdf_renders_to_a_picture_that_is_not_blank(qapp, tmp_path):
    scan = make_scan(tmp_path / "скан.pdf", seed=151, size=64)
    image = render_first_page(scan, 96)
    assert not image.isNull() and max(image.width(), image.height()) <= 96
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 1


def test_documents_get_thumbnails_and_a_large_preview(qtbot, panel, context, tmp_path):
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    panel.set_participant(deal.deal_id, person.id)
    scan = make_scan(tmp_path / "справка.pdf", seed=161, size=64)
    with finished(qtbot, panel) as signal:
        panel.upload([scan], doc_type=DocumentType.STUDY_CERTIFICATE, contact_id=person.id)
    code = context.reader.upload(signal.args[0][0]).code
    qtbot.waitUntil(lambda: panel.preview_file(code) is not None, timeout=LANE_TIMEOUT)
    assert panel.preview_file(code).read_bytes() == scan.read_bytes()  # the bytes came back from the Drive
    qtbot.waitUntil(lambda: panel.documents_model.has_thumbnail(code), timeout=LANE_TIMEOUT)
    row = panel.documents_model.row_of(code)
    assert panel.documents_model.data(panel.documents_model.index(row, 0), Qt.ItemDataRole.DecorationRole) is not None
    with qtbot.waitSignal(panel.preview.rendered, timeout=LANE_TIMEOUT) as rendered:
        panel.select_document(code)
    assert rendered.args == [True] and not panel.preview.image().isNull()
    opened = []
    panel.url_opener = opened.append
    assert panel.open_selected() == panel.preview_file(code)
    assert opened[0].toLocalFile() == str(panel.preview_file(code))


def test_dropping_onto_a_document_brings_a_new_file_of_its_type(qtbot, panel, context, tmp_path):
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    panel.set_participant(deal.deal_id, person.id)
    assert panel.documents_model.rowCount() > 0, "the demo person has documents"
    target = panel.documents_model.document(0)
    view = panel.documents_view
    rect = view.visualRect(panel.documents_model.index(0, 1))
    scan = make_scan(tmp_path / "новый скан.jpg", seed=171, kind="jpeg")
    with finished(qtbot, panel) as signal:
        assert drop_files(view.viewport(), [scan], at=QPointF(rect.center()))
    item = context.reader.upload(signal.args[0][0])
    assert (item.state, item.doc_type, item.contact_id) == ("done", target.type.value, target.contact_id)


def test_documents_model_passes_the_model_tester(qtmodeltester, context):
    deal = deal_with_people(context.reader)
    model = DocumentsModel()
    model.set_documents(context.reader.documents(deal_id=deal.deal_id))
    assert model.rowCount() > 0
    assert model.data(model.index(0, 0), DocumentRole) == model.document(0)
    qtmodeltester.check(model)


def test_uploads_model_passes_the_model_tester(qtbot, qtmodeltester, panel, context, tmp_path):
    deal = deal_with_people(context.reader)
    panel.set_participant(deal.deal_id, None)
    with finished(qtbot, panel):
        panel.upload([make_scan(tmp_path / "IMG_1.jpg", seed=181, kind="jpeg"), tmp_path / "нет такого.pdf"])
    model = UploadsModel()
    for row in range(panel.uploads.model.rowCount()):
        model.update_item(panel.uploads.model.item(row))
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_a_file_that_cannot_be_placed_waits_for_the_user_s_type_and_person(qtbot, panel, context, sandbox, tmp_path):
    deal = deal_with_people(context.reader)
    person = deal.people[1]
    panel.set_participant(deal.deal_id, None)
    scan = make_scan(tmp_path / "IMG_4021.jpg", seed=191, kind="jpeg")
    with finished(qtbot, panel) as signal:
        assert drop_files(panel, [scan])
    (item_id,) = signal.args[0]
    assert shown_states(panel)[scan.name][0] == "требует внимания" and shown_states(panel)[scan.name][1]
    dialog = panel.uploads.attention_dialog
    assert dialog is not None and dialog.choices() == {}  # nothing chosen: nothing sent
    with finished(qtbot, panel):
        dialog.choose(item_id, doc_type=DocumentType.CONSENT, contact_id=person.id)
        dialog.confirm()
    item = context.reader.upload(item_id)
    assert (item.state, item.doc_type, item.contact_id) == ("done", "consent", person.id)
    assert item.code in portal_documents(sandbox, context)


@pytest.fixture
def compat_context(qapp):
    """The demo office whose documents list keeps files in a plain File property (compatibility mode)."""
    box = make_sandbox(seeds.build("demo"), limits=PLANS["off"])
    iblock = next(item for item in box.state.lists.iblocks.values() if item.code == "dpo_documents")
    ids = {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock.id}
    drive_field = next(item for item in iblock.fields.values() if item.code == "FILE")
    box.result("lists.field.update", {**ids, "FIELD_ID": drive_field.field_id, "FIELDS": {
        "NAME": "Файл на Диске (не используется)", "TYPE": "S:DiskFile", "CODE": "OLD_DRIVE_FILE"}})
    box.result("lists.field.add", {**ids, "FIELDS": {"NAME": "Файл", "TYPE": "F", "CODE": "FILE", "SORT": 40}})
    made = context_for(box)
    assert made.mapping.file_mode == "file"
    yield made
    close_context(made)
    box.client.close()


def test_in_compatibility_mode_the_preview_is_the_local_copy_or_says_there_is_none(qtbot, compat_context, tmp_path):
    context = compat_context
    panel = DocumentPanel(context)
    qtbot.addWidget(panel)
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    earlier = context.reader.documents(deal_id=deal.deal_id, contact_id=person.id)
    with qtbot.waitSignal(panel.previews_fetched, timeout=LANE_TIMEOUT):
        panel.set_participant(deal.deal_id, person.id)
    scan = make_scan(tmp_path / "договор.pdf", seed=201)
    with finished(qtbot, panel) as signal:
        panel.upload([scan], doc_type=DocumentType.CONTRACT, contact_id=person.id)
    code = context.reader.upload(signal.args[0][0]).code
    qtbot.waitUntil(lambda: panel.preview_file(code) is not None, timeout=LANE_TIMEOUT)
    # The local copy is sealed at rest; the preview shows its plain copy in the session's private folder.
    assert panel.preview_file(code).parent == paths.session_dir()
    assert panel.preview_file(code).read_bytes() == scan.read_bytes()
    assert [is_sealed_file(copy) for copy in context.local_copies.rglob("*.pdf")] == [True]
    assert earlier, "the demo person has documents made elsewhere"
    # Made on the portal by someone else: no copy here, and the preview says so.
    assert panel.preview_file(earlier[0].code) is None
    assert panel.select_document(earlier[0].code)
    assert "нет копии" in panel.preview.text()
    panel.close()


def test_retry_sends_a_failed_file_again_once_it_is_there(qtbot, panel, context, sandbox, tmp_path):
    deal = deal_with_people(context.reader)
    person = deal.people[0]
    panel.set_participant(deal.deal_id, person.id)
    missing = tmp_path / "справка.pdf"
    with finished(qtbot, panel) as signal:
        panel.upload([missing], doc_type=DocumentType.STUDY_CERTIFICATE, contact_id=person.id)
    (item_id,) = signal.args[0]
    assert context.reader.upload(item_id).state == "failed"
    uploads = panel.uploads
    assert not uploads.retry_button.isEnabled()  # nothing selected
    uploads.select_ids([item_id])
    assert uploads.retry_button.isEnabled() and uploads.cancel_button.isEnabled()
    make_scan(missing, seed=211)  # the user fixed it: the file is there now
    before = set(portal_documents(sandbox, context))
    with finished(qtbot, panel) as again:
        qtbot.mouseClick(uploads.retry_button, Qt.MouseButton.LeftButton)
    assert again.args[0] == [item_id]
    item = context.reader.upload(item_id)
    assert item.state == "done" and set(portal_documents(sandbox, context)) - before == {item.code}
    assert shown_states(panel)[missing.name] == ("загружен", "")
    uploads.select_ids([item_id])
    assert not uploads.retry_button.isEnabled() and not uploads.cancel_button.isEnabled()  # landed: nothing to do


def test_cancel_stops_a_duplicate_and_nothing_lands(qtbot, panel, context, sandbox, tmp_path):
    copy, item_id = queue_a_duplicate(qtbot, panel, context, tmp_path, seed=221)
    assert context.reader.upload(item_id).state == "duplicate"
    panel.uploads.duplicates_dialog.close()  # the user closes the question and cancels the row instead
    before, drive_objects = set(portal_documents(sandbox, context)), len(sandbox.state.disk.objects)
    panel.uploads.select_ids([item_id])
    assert panel.uploads.cancel_button.isEnabled()
    with finished(qtbot, panel) as cancelled:
        qtbot.mouseClick(panel.uploads.cancel_button, Qt.MouseButton.LeftButton)
    assert cancelled.args[0] == [item_id]
    assert context.reader.upload(item_id).state == "cancelled"
    assert shown_states(panel)[copy.name][0] == "отменён"
    assert set(portal_documents(sandbox, context)) == before and len(sandbox.state.disk.objects) == drive_objects
    assert not panel.uploads.cancel_button.isEnabled() and not panel.uploads.retry_button.isEnabled()


def test_retyping_a_document_from_the_menu_changes_its_type_on_the_portal(qtbot, panel, context, sandbox):
    deal = deal_with_people(context.reader)
    document = next(doc for person in deal.people
                    for doc in context.reader.documents(deal_id=deal.deal_id, contact_id=person.id)
                    if doc.id is not None and doc.sha256)
    panel.set_participant(deal.deal_id, document.contact_id)
    assert panel.selected_document() is None and not panel.retype_button.isEnabled()
    assert panel.select_document(document.code)
    assert panel.retype_button.isEnabled()
    new_type = next(t for t in (DocumentType.CONSENT, DocumentType.APPLICATION) if t is not document.type)
    assert not panel.retype(document.type)  # the same type: refused here, nothing queued
    action = next(action for action in panel.retype_menu.actions() if action.data() == new_type.value)
    with qtbot.waitSignal(panel.status_pushed, timeout=LANE_TIMEOUT) as signal:
        action.trigger()
    assert signal.args[0].done == 1 and not signal.args[0].messages
    record = portal_documents(sandbox, context)[document.code]
    fields = context.mapping.documents.fields
    assert fields["type"].values[portal_value(record, fields["type"])] == new_type.value
    assert context.reader.document_by_code(document.code).type is new_type
    shown = panel.documents_model.document(panel.documents_model.row_of(document.code))
    assert shown.type is new_type
