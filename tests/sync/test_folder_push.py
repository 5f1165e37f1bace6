"""The folder push against the demo sandbox portal: what lands in the folder, what a second push costs,
what changes when documents change, and a push cut off at every request then run again."""

from __future__ import annotations

import base64
import hashlib
import pickle
from datetime import date
from pathlib import Path

import httpx
import pytest

from dpo_desktop.b24.auth import WebhookAuth
from dpo_desktop.b24.client import B24Client, RetryPolicy
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.domain.models import DocumentType, document_code
from dpo_desktop.rules import load_rules
from dpo_desktop.sandbox.transport import SandboxTransport
from dpo_desktop.store import Store, folder_key
from dpo_desktop.sync.engine import SyncEngine
from dpo_desktop.sync.folder_push import FolderPusher, PushResult, PushStopped
from dpo_desktop.sync.push_settings import DEFAULT_MANIFEST, PushSettings
from tests.sandbox.portal_fixtures import make_sandbox

from .conftest import Office, discovered, offline_client, run
from .scans_support import make_scan

TEMPLATE = "Архив/{event_code}/{full_name} [{contact_id}]"
SETTINGS = PushSettings(path_template=TEMPLATE)
TRASHED = 3
FORBIDDEN = set('\\/:*?"<>|')


# -- helpers: pushing --------------------------------------------------------------------------------------

def push(office: Office, deal_id: int, contact_id: int, settings: PushSettings = SETTINGS, *, refresh: bool = True,
         client: B24Client | None = None, local_copies: Path | None = None) -> tuple[PushResult, int]:
    """One participant pushed; the result and the HTTP requests the client made for it."""
    async def scenario() -> tuple[PushResult, int]:
        async with (client or office.client()) as used:
            before = used.stats.requests
            pusher = FolderPusher(used, office.store, office.mapping, settings, local_copies=local_copies)
            result = await pusher.push_participant(deal_id, contact_id, refresh=refresh)
            return result, used.stats.requests - before
    return run(scenario())


def with_pusher(office: Office, work, settings: PushSettings = SETTINGS, client: B24Client | None = None):
    async def scenario():
        async with (client or office.client()) as used:
            before = used.stats.requests
            outcome = await work(FolderPusher(used, office.store, office.mapping, settings))
            return outcome, used.stats.requests - before
    return run(scenario())


def someone(office: Office, *, at_least: int = 5) -> tuple[int, int]:
    """A participant with several documents, each of another type, a passport among them."""
    for participant in office.store.participants():
        documents = office.store.documents(deal_id=participant.deal_id, contact_id=participant.contact_id)
        types = {item.type for item in documents}
        if len(documents) >= at_least and len(types) == len(documents) and DocumentType.PASSPORT in types:
            return participant.deal_id, participant.contact_id
    raise AssertionError("the demo seed has no such participant")


# -- helpers: the portal's truth, read from the sandbox's state ----------------------------------------------

def portal_documents(office: Office, deal_id: int, contact_id: int) -> list[dict]:
    documents = office.mapping.documents
    field = documents.field
    rows = office.box.result("lists.element.get", {
        "IBLOCK_TYPE_ID": documents.iblock_type, "IBLOCK_ID": documents.iblock_id,
        "FILTER": {field("deal").code: str(deal_id), field("contact").code: str(contact_id)}})
    found = []
    for row in sorted(rows, key=lambda item: int(item["ID"])):
        value = {logical: _first(row.get(ref.code)) for logical, ref in documents.fields.items()}
        attached = office.box.state.disk.attached(int(value["file"]))
        found.append({"id": int(row["ID"]), "type": DocumentType(field("type").values[value["type"]]),
                      "original_name": value["original_name"], "sha256": value["sha256"],
                      "bytes": office.box.state.disk.read_bytes(attached["OBJECT_ID"])})
    return found


def _first(value: object) -> str | None:
    """A property as the portal sends it, ``{valueId: value}``, to its only value."""
    return next(iter(value.values()), None) if isinstance(value, dict) else None


def expected_folder(office: Office, deal_id: int, contact_id: int) -> dict[str, bytes]:
    """Each document as «<type>.<ext>», a second of a type «<type> (2).<ext>», by element ID."""
    files: dict[str, bytes] = {}
    seen: dict[DocumentType, int] = {}
    order = list(DocumentType)
    documents = portal_documents(office, deal_id, contact_id)
    for document in sorted(documents, key=lambda item: (order.index(item["type"]), item["id"])):
        seen[document["type"]] = seen.get(document["type"], 0) + 1
        number = f" ({seen[document['type']]})" if seen[document["type"]] > 1 else ""
        extension = Path(document["original_name"]).suffix.lower()
        files[f"{document['type'].title}{number}{extension}"] = document["bytes"]
    return files


def folder_on_portal(office: Office, folder_id: int) -> dict[str, bytes]:
    disk = office.box.state.disk
    return {item["NAME"]: disk.read_bytes(item["ID"]) for item in disk.live_children(folder_id)
            if item["TYPE"] == "file"}


def folder_ids(office: Office, folder_id: int) -> dict[str, int]:
    return {item["NAME"]: item["ID"] for item in office.box.state.disk.live_children(folder_id)}


def manifest_of(office: Office, folder_id: int) -> str:
    data = folder_on_portal(office, folder_id)[DEFAULT_MANIFEST]
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    return data.decode("utf-8-sig")


def add_document(office: Office, deal_id: int, contact_id: int, doc_type: DocumentType, path: Path) -> int:
    """A new document on the portal as an office would file one: a Drive file and its list element."""
    box, documents = office.box, office.mapping.documents
    data = path.read_bytes()
    root = box.state.disk.root_folder(box.state.disk.common_storage_id())
    uploaded = box.result("disk.folder.uploadfile", {
        "id": root, "data": {"NAME": path.name}, "generateUniqueName": True,
        "fileContent": [path.name, base64.b64encode(data).decode()]})
    sha256 = hashlib.sha256(data).hexdigest()
    field = documents.field
    fields = {"NAME": doc_type.title, field("deal").code: str(deal_id), field("contact").code: str(contact_id),
              field("type").code: field("type").value_id(doc_type.value), field("file").code: f"n{uploaded['ID']}",
              field("sha256").code: sha256, field("original_name").code: path.name,
              field("received").code: "20.06.2026",
              field("check_status").code: field("check_status").value_id("received")}
    return int(box.result("lists.element.add", {
        "IBLOCK_TYPE_ID": documents.iblock_type, "IBLOCK_ID": documents.iblock_id,
        "ELEMENT_CODE": document_code(deal_id, contact_id, doc_type, sha256), "FIELDS": fields}))


# -- the first and the second push ---------------------------------------------------------------------------

def test_the_first_push_copies_every_document_and_writes_the_manifest(office):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    wanted = expected_folder(office, deal_id, contact_id)

    result, _requests = push(office, deal_id, contact_id)

    assert sorted(result.copied) == sorted(wanted) and result.skipped == [] and result.removed == []
    assert result.manifest_written and result.problems == []
    on_portal = folder_on_portal(office, result.folder_id)
    assert on_portal.keys() == {*wanted, DEFAULT_MANIFEST}
    assert {name: on_portal[name] for name in wanted} == wanted  # byte for byte the documents' own files
    disk = office.box.state.disk
    assert disk.path_of(result.folder_id) == result.path.split("/")
    contact = office.store.contact(contact_id)
    deal = office.store.deal(deal_id)
    person = f"{contact.last_name} {contact.name} {contact.second_name}"
    assert result.path == f"Архив/{deal.event_code}/{person} [{contact_id}]"
    assert result.link.endswith(result.path)
    manifest = manifest_of(office, result.folder_id)
    assert contact.last_name in manifest and deal.event_code in manifest and str(deal_id) in manifest
    for name, data in wanted.items():
        assert name in manifest and hashlib.sha256(data).hexdigest() in manifest
    assert f"Файлов: {len(wanted)}," in manifest


def test_a_second_push_of_an_unchanged_folder_costs_two_requests_and_copies_nothing(office):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    first, _requests = push(office, deal_id, contact_id)
    objects_before = set(office.box.state.disk.objects)
    ids_before = folder_ids(office, first.folder_id)

    again, requests = push(office, deal_id, contact_id)

    assert requests <= 2 and again.requests == requests
    assert again.copied == [] and again.removed == [] and not again.manifest_written
    assert sorted(again.skipped) == sorted(first.copied) and again.link == first.link
    assert set(office.box.state.disk.objects) == objects_before and folder_ids(office, first.folder_id) == ids_before
    _result, without_refresh = push(office, deal_id, contact_id, refresh=False)
    assert without_refresh == 1


def test_the_manifest_is_the_same_bytes_for_the_same_documents(office, tmp_path):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    first, _requests = push(office, deal_id, contact_id)
    manifest = folder_on_portal(office, first.folder_id)[DEFAULT_MANIFEST]
    office.store.close()
    office.store = Store.open(tmp_path / "another.sqlite3")  # no record: everything is pushed afresh
    office.sync(full=True)
    again, _requests = push(office, deal_id, contact_id)
    # The files are recognised by name and size; the manifest, not in any record now, is written again: the same bytes.
    assert again.folder_id == first.folder_id and again.copied == [] and again.problems == []
    assert folder_on_portal(office, first.folder_id)[DEFAULT_MANIFEST] == manifest


# -- documents change ---------------------------------------------------------------------------------------

def test_a_new_document_is_the_only_file_copied_and_the_manifest_is_rewritten(office, tmp_path):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    first, _requests = push(office, deal_id, contact_id)
    manifest_id = folder_ids(office, first.folder_id)[DEFAULT_MANIFEST]
    scan = make_scan(tmp_path / "паспорт разворот 2.pdf", seed=11)
    add_document(office, deal_id, contact_id, DocumentType.PASSPORT, scan)

    result, _requests = push(office, deal_id, contact_id)

    assert result.copied == ["Паспорт (2).pdf"] and result.removed == [] and result.manifest_written
    assert folder_on_portal(office, first.folder_id)["Паспорт (2).pdf"] == scan.read_bytes()
    assert folder_on_portal(office, first.folder_id).keys() == {*expected_folder(office, deal_id, contact_id),
                                                               DEFAULT_MANIFEST}
    assert folder_ids(office, first.folder_id)[DEFAULT_MANIFEST] == manifest_id  # a new version of the same file
    assert office.box.state.disk.get_object(manifest_id)["GLOBAL_CONTENT_VERSION"] == 2
    assert "Паспорт (2).pdf" in manifest_of(office, first.folder_id)


def test_a_deleted_document_goes_to_the_trash(office):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    first, _requests = push(office, deal_id, contact_id)
    documents = portal_documents(office, deal_id, contact_id)
    gone = documents[0]
    gone_name = next(name for name in expected_folder(office, deal_id, contact_id)
                     if name.startswith(gone["type"].title))
    gone_object = folder_ids(office, first.folder_id)[gone_name]
    list_ids = {"IBLOCK_TYPE_ID": office.mapping.documents.iblock_type, "IBLOCK_ID": office.mapping.documents.iblock_id}
    office.box.result("lists.element.delete", {**list_ids, "ELEMENT_ID": gone["id"]})

    result, _requests = push(office, deal_id, contact_id)

    assert result.removed == [gone_name] and result.copied == [] and result.manifest_written
    assert office.box.state.disk.get_object(gone_object)["DELETED_TYPE"] == TRASHED
    assert gone_name not in folder_on_portal(office, first.folder_id)
    assert gone_name not in manifest_of(office, first.folder_id)
    assert office.store.document_by_code(document_code(deal_id, contact_id, gone["type"], gone["sha256"])) is None


def test_a_folder_deleted_on_the_portal_is_built_again(office):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    first, _requests = push(office, deal_id, contact_id)
    office.box.result("disk.folder.markdeleted", {"id": first.folder_id})

    result, _requests = push(office, deal_id, contact_id)

    assert result.folder_id != first.folder_id and result.path == first.path
    assert sorted(result.copied) == sorted(first.copied) and result.manifest_written
    assert office.box.state.disk.get_object(first.folder_id)["DELETED_TYPE"] == TRASHED
    assert folder_on_portal(office, result.folder_id).keys() == {*expected_folder(office, deal_id, contact_id),
                                                                DEFAULT_MANIFEST}
    assert office.store.push_folder(folder_key(deal_id, contact_id)).folder_id == result.folder_id


def test_files_the_manager_put_in_the_folder_are_left_alone(office, tmp_path):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    first, _requests = push(office, deal_id, contact_id)
    notes = office.box.result("disk.folder.uploadfile", {
        "id": first.folder_id, "data": {"NAME": "Заметки.txt"},
        "fileContent": ["Заметки.txt", base64.b64encode("позвонить в отдел кадров".encode()).decode()]})
    squatter = office.box.result("disk.folder.uploadfile", {
        "id": first.folder_id, "data": {"NAME": "Паспорт (2).pdf"},
        "fileContent": ["Паспорт (2).pdf", base64.b64encode(b"not a passport").decode()]})
    gone = portal_documents(office, deal_id, contact_id)[-1]
    list_ids = {"IBLOCK_TYPE_ID": office.mapping.documents.iblock_type, "IBLOCK_ID": office.mapping.documents.iblock_id}
    office.box.result("lists.element.delete", {**list_ids, "ELEMENT_ID": gone["id"]})
    add_document(office, deal_id, contact_id, DocumentType.PASSPORT, make_scan(tmp_path / "p.pdf", seed=5))

    result, _requests = push(office, deal_id, contact_id)

    on_portal = folder_on_portal(office, first.folder_id)
    assert on_portal["Заметки.txt"] == "позвонить в отдел кадров".encode()
    assert on_portal["Паспорт (2).pdf"] == b"not a passport"  # the name was taken: not replaced, said so
    assert folder_ids(office, first.folder_id)["Паспорт (2).pdf"] == int(squatter["ID"])
    assert folder_ids(office, first.folder_id)["Заметки.txt"] == int(notes["ID"])
    assert len(result.problems) == 1 and "Паспорт (2).pdf" in result.problems[0] and "не тронут" in result.problems[0]
    assert len(result.removed) == 1 and result.copied == []
    assert "Паспорт (2).pdf" not in manifest_of(office, first.folder_id)


def test_in_the_seeded_archive_folder_the_documents_go_beside_the_originals(office):
    """The default template names the folder the demo office already keeps scans in: they stay as they are."""
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    documents = portal_documents(office, deal_id, contact_id)
    first_file = office.box.state.disk.attached(int(office.store.documents(
        deal_id=deal_id, contact_id=contact_id)[0].file_id))["OBJECT_ID"]
    archive = office.box.state.disk.get_object(first_file)["PARENT_ID"]
    originals = folder_ids(office, archive)

    result, _requests = push(office, deal_id, contact_id, PushSettings())

    assert result.folder_id == archive and result.problems == []
    assert sorted(result.copied) == sorted(expected_folder(office, deal_id, contact_id))
    now = folder_ids(office, archive)
    assert {name: now[name] for name in originals} == originals
    assert len(now) == len(originals) + len(documents) + 1
    again, requests = push(office, deal_id, contact_id, PushSettings())
    assert again.copied == [] and requests <= 2


# -- templates ------------------------------------------------------------------------------------------------

def test_a_template_with_odd_characters_gives_safe_folder_names(office):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    settings = PushSettings(
        path_template="Архив*/{event_code}: {event_name}//{second_name}{partner_code}|<{contact_id}>?")
    result, _requests = push(office, deal_id, contact_id, settings)
    parts = office.box.state.disk.path_of(result.folder_id)
    assert parts == result.path.split("/") and len(parts) == 3
    assert parts[0] == "Архив_" and parts[2].endswith(f"__{contact_id}__")
    assert not any(FORBIDDEN & set(part) for part in parts)
    assert office.store.deal(deal_id).event_code in parts[1]


@pytest.mark.parametrize(("template", "values", "path"), [
    ("ДПО/{event_code} {event_name}/{full_name} [{contact_id}]",
     {"event_code": "ПК-1", "event_name": "Охрана труда", "full_name": "Иванов Иван", "contact_id": 7},
     ["ДПО", "ПК-1 Охрана труда", "Иванов Иван [7]"]),
    ("ДПО/{partner_code}/{deal_id}", {"partner_code": "", "deal_id": 12}, ["ДПО", "12"]),
    ("{event_code}/{last_name}", {"event_code": "ПК/2026:1", "last_name": "  Петрова  "}, ["ПК_2026_1", "Петрова"]),
    ("А/{{копия}}/{name}", {"name": "Ольга"}, ["А", "{копия}", "Ольга"]),
    ("\\Архив\\{deal_title}", {"deal_title": "Договор №5"}, ["Архив", "Договор №5"]),
])
def test_folder_paths_from_templates(template, values, path):
    assert PushSettings(path_template=template).folder_path(values) == path


@pytest.mark.parametrize(("template", "says"), [
    ("ДПО/{event}", "неизвестная подстановка «{event}»"),
    ("ДПО/{full_name!r}", "без формата"),
    ("ДПО/{deal_id:05}", "без формата"),
    ("ДПО/{", "непарная фигурная скобка"),
    ("ДПО/{}", "неизвестная подстановка"),
    ("  / /", "шаблон пути пуст"),
])
def test_a_bad_template_is_refused_when_loaded(template, says):
    with pytest.raises(ValueError, match=r".") as raised:
        PushSettings(path_template=template)
    assert says in str(raised.value)


# -- compatibility mode -----------------------------------------------------------------------------------------

def test_compatibility_mode_uploads_the_local_copies_and_names_what_has_none(compat_office, tmp_path):
    office, people = compat_office
    deal_id, contact_id = people
    root = tmp_path / "files"
    documents = office.store.documents(deal_id=deal_id, contact_id=contact_id)
    kept = documents[:-1]
    from dpo_desktop.sync.uploader import local_copy_path
    for document in kept:
        copy = local_copy_path(root, document.sha256, "pdf")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(compat_bytes(document.sha256))

    result, _requests = push(office, deal_id, contact_id, local_copies=root)

    assert len(result.copied) == len(kept) and result.manifest_written
    assert len(result.problems) == 1 and "нет копии" in result.problems[0]
    on_portal = folder_on_portal(office, result.folder_id)
    for document in kept:
        assert on_portal[f"{document.type.title}.pdf"] == compat_bytes(document.sha256)
    assert f"{documents[-1].type.title}.pdf" not in on_portal
    again, requests = push(office, deal_id, contact_id, local_copies=root)
    assert again.copied == [] and requests == 2 and len(again.problems) == 1


# -- business process ---------------------------------------------------------------------------------------

def test_the_business_process_is_started_once_per_deal_instead_of_copying(office):
    office.sync(full=True)
    state = office.box.state
    template_id = next(iter(state.bizproc.templates))
    deal_id, _contact_id = someone(office)
    objects, workflows = len(state.disk.objects), len(state.bizproc.workflows)
    settings = PushSettings(bizproc_template_id=template_id)

    results, _requests = with_pusher(office, lambda pusher: pusher.push_deal(deal_id), settings)

    assert len(results) == 1 and results[0].contact_id is None and results[0].problems == []
    workflow = state.bizproc.workflows[results[0].workflow_id]
    assert (workflow["TEMPLATE_ID"], workflow["DOCUMENT_ID"]) == (template_id, f"DEAL_{deal_id}")
    assert len(state.bizproc.workflows) == workflows + 1 and len(state.disk.objects) == objects


@pytest.mark.parametrize("case", ["not an administrator", "no such template"])
def test_a_business_process_that_cannot_start_is_a_clear_problem(office, case):
    office.sync(full=True)
    state = office.box.state
    deal_id, _contact_id = someone(office)
    template_id = next(iter(state.bizproc.templates)) if case != "no such template" else 99999
    client = None
    if case == "not an administrator":
        manager = next(user for user in state.users.values() if not user.admin)
        webhook = f"https://sandbox.bitrix24.test/rest/{manager.id}/{state.add_webhook(manager.id)}/"
        client = B24Client(WebhookAuth.from_url(webhook), transport=SandboxTransport(office.box.portal),
                           plan=PLANS["off"])
    workflows = len(state.bizproc.workflows)
    results, _requests = with_pusher(office, lambda pusher: pusher.push_deal(deal_id),
                                     PushSettings(bizproc_template_id=template_id), client)
    assert results[0].workflow_id is None and len(results[0].problems) == 1
    assert ("администратор" if case == "not an administrator" else "не найден") in results[0].problems[0]
    assert len(state.bizproc.workflows) == workflows


# -- the automatic push -------------------------------------------------------------------------------------

def test_the_automatic_push_takes_deals_in_a_chosen_stage_and_skips_the_unchanged_without_a_request(office):
    office.sync(full=True)
    deal_id, _contact_id = someone(office)
    stage = office.store.deal(deal_id).stage_id
    settings = PushSettings(path_template=TEMPLATE, auto_stages=(stage,))
    rules = load_rules().rules
    in_stage = {(deal.id, participant.contact_id) for deal in office.store.deals(stage_id=stage)
                for participant in office.store.participants(deal_id=deal.id)}

    first, _requests = with_pusher(office, lambda pusher: pusher.push_auto(rules), settings)
    again, requests = with_pusher(office, lambda pusher: pusher.push_auto(rules), settings)

    assert {(result.deal_id, result.contact_id) for result in first} == in_stage
    assert again == [] and requests == 0
    assert with_pusher(office, lambda pusher: pusher.push_auto(rules), PushSettings())[0] == []


def test_the_automatic_push_takes_complete_sets(office):
    office.sync(full=True)
    settings = PushSettings(path_template=TEMPLATE, auto_on_complete=True)
    rules = load_rules().rules
    complete = {(row.deal_id, row.contact_id) for row in _missing_rows(office) if row.status.value == "complete"}
    assert complete

    results, _requests = with_pusher(office, lambda pusher: pusher.push_auto(rules), settings)

    assert {(result.deal_id, result.contact_id) for result in results} == complete
    assert all(result.problems == [] and result.manifest_written for result in results)


def _missing_rows(office):
    from dpo_desktop.commands.missing_command import report_rows
    from dpo_desktop.rules import MissingFilter

    return report_rows(office.store, MissingFilter(), load_rules().rules)


# -- offline ----------------------------------------------------------------------------------------------------

def test_offline_the_push_stops_with_a_clear_reason(office):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    with pytest.raises(PushStopped, match="Нет связи с порталом"):
        push(office, deal_id, contact_id, client=offline_client())


class CutTransport(httpx.AsyncBaseTransport):
    """The sandbox until request number ``cut``: that one runs and its answer is lost (``lost``) or never
    arrives, and the connection is gone from then on."""

    def __init__(self, transport: SandboxTransport, cut: int, *, lost: bool) -> None:
        self.transport, self.cut, self.lost, self.count = transport, cut, lost, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        if self.count < self.cut:
            return await self.transport.handle_async_request(request)
        if self.count == self.cut and self.lost:
            await self.transport.handle_async_request(request)
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        raise httpx.ConnectError("Connection refused", request=request)


def test_a_push_cut_off_at_any_request_completes_when_run_again_with_no_duplicate(office, tmp_path):
    office.sync(full=True)
    deal_id, contact_id = someone(office)
    snapshot = pickle.dumps(office.box.state)
    clean = _fresh(office, snapshot, tmp_path / "clean.sqlite3")
    _result, needed = push(clean, deal_id, contact_id)
    wanted = expected_folder(clean, deal_id, contact_id)
    clean.store.close()

    for cut in range(1, needed + 1):
        for lost in (False, True):
            cut_office = _fresh(office, snapshot, tmp_path / f"cut-{cut}-{lost}.sqlite3")
            client = B24Client(WebhookAuth.from_url(cut_office.box.webhook), plan=PLANS["off"],
                               transport=CutTransport(SandboxTransport(cut_office.box.portal), cut, lost=lost),
                               retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002))
            with pytest.raises(PushStopped):
                push(cut_office, deal_id, contact_id, client=client)

            result, _requests = push(cut_office, deal_id, contact_id)

            where = f"cut at request {cut}, answer {'lost' if lost else 'never sent'}"
            assert result.problems == [], where
            on_portal = folder_on_portal(cut_office, result.folder_id)
            assert {name: data for name, data in on_portal.items() if name != DEFAULT_MANIFEST} == wanted, where
            assert len(cut_office.box.state.disk.live_children(result.folder_id)) == len(wanted) + 1, where
            assert _the_only_folder(cut_office, result), where
            _again, requests = push(cut_office, deal_id, contact_id)
            assert _again.copied == [] and requests == 2, where
            cut_office.store.close()


def _fresh(office: Office, snapshot: bytes, path: Path) -> Office:
    box = make_sandbox(pickle.loads(snapshot))
    fresh = Office(box, Store.open(path), office.mapping, path)
    fresh.sync(full=True)
    return fresh


def _the_only_folder(office: Office, result: PushResult) -> bool:
    """No second folder of the same name was made beside the one pushed into."""
    disk = office.box.state.disk
    parent = disk.get_object(result.folder_id)["PARENT_ID"]
    return [item["NAME"] for item in disk.live_children(parent)].count(disk.get_object(result.folder_id)["NAME"]) == 1


# -- a portal in compatibility mode ------------------------------------------------------------------------------

def compat_bytes(sha256: str) -> bytes:
    return f"%PDF-1.4 скан {sha256}".encode()


@pytest.fixture
def compat_office(tmp_path):
    """A portal whose documents list keeps files in a plain File property, with one participant and four
    documents filed as base64; synced into a cache."""
    from dpo_desktop.portal.provision import provision
    from tests.portal.test_discover import partial_portal

    box, _made = partial_portal(file_type="F")

    async def provisioned() -> None:
        async with B24Client(WebhookAuth.from_url(box.webhook), transport=SandboxTransport(box.portal),
                             plan=PLANS["off"]) as client:
            await provision(client)
    run(provisioned())
    mapping = discovered(box)
    assert mapping.file_mode == "file"
    field = mapping.deal_field
    deal_id = int(box.result("crm.deal.add", {"fields": {
        "TITLE": "Группа охраны труда", "CATEGORY_ID": mapping.pipeline_id,
        field("event_code").code: "ПК-2026-900", field("event_name").code: "Охрана труда"}}))
    contact_id = int(box.result("crm.contact.add", {"fields": {"LAST_NAME": "Орлова", "NAME": "Вера",
                                                               "SECOND_NAME": "Павловна"}}))
    participants, documents = mapping.participants, mapping.documents
    box.result("lists.element.add", {
        "IBLOCK_TYPE_ID": participants.iblock_type, "IBLOCK_ID": participants.iblock_id,
        "ELEMENT_CODE": f"p-{deal_id}-{contact_id}", "FIELDS": {
            "NAME": "Орлова Вера Павловна", participants.field("deal").code: str(deal_id),
            participants.field("contact").code: str(contact_id)}})
    kinds = (DocumentType.PASSPORT, DocumentType.SNILS, DocumentType.DIPLOMA, DocumentType.CONSENT)
    for number, kind in enumerate(kinds):
        sha256 = hashlib.sha256(f"{kind.value}-{number}".encode()).hexdigest()
        data = compat_bytes(sha256)
        ref = documents.field
        box.result("lists.element.add", {
            "IBLOCK_TYPE_ID": documents.iblock_type, "IBLOCK_ID": documents.iblock_id,
            "ELEMENT_CODE": document_code(deal_id, contact_id, kind, sha256), "FIELDS": {
                "NAME": kind.title, ref("deal").code: str(deal_id), ref("contact").code: str(contact_id),
                ref("type").code: ref("type").value_id(kind.value), ref("sha256").code: sha256,
                ref("original_name").code: f"{kind.value}.pdf",
                ref("received").code: date(2026, 6, 1).strftime("%d.%m.%Y"),
                ref("file").code: [f"{kind.value}.pdf", base64.b64encode(data).decode()]}})
    store = Store.open(tmp_path / "compat.sqlite3")
    office = Office(box, store, mapping, tmp_path / "compat.sqlite3")

    async def synced() -> None:
        async with office.client() as client:
            await SyncEngine(client, store, mapping).sync(full=True)
    run(synced())
    yield office, (deal_id, contact_id)
    store.close()
    box.client.close()
