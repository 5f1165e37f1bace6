"""Security after a working day: the secret is nowhere on disk or on screen, plain http to a remote host and
untrusted certificates are refused, and no file name from the portal writes outside its folder."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.auth import OAuthAuth, OAuthTokens, WebhookAuth
from dpo_desktop.b24.client import B24Client, RetryPolicy
from dpo_desktop.b24.disk import Disk, DiskObject, local_target
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.domain.models import Document, DocumentType
from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.limits import PLANS as PORTAL_PLANS
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.server import LoopbackServer
from dpo_desktop.secrets import ENV_WEBHOOK
from dpo_desktop.store import Store
from dpo_desktop.sync.engine import SyncEngine
from dpo_desktop.sync.folder_files import wanted_files
from dpo_desktop.sync.previews import PreviewFetcher, preview_path
from tests.b24.conftest import run
from tests.b24.test_malformed_answers import Tamper
from tests.cli.harness import Cli, LoopbackPortal, add_profile
from tests.integration.portal_truth import PortalView
from tests.sandbox.portal_fixtures import make_sandbox
from tests.sync.conftest import Office, discovered
from tests.sync.scans_support import make_scan

HOSTILE_NAMES = ["../../evil.pdf", "..\\..\\evil.pdf", "/etc/passwd", "C:\\x.pdf", "CON", "nul.pdf", "скан\x00.pdf",
                 "..", "", "a/../../b.pdf", "\\\\server\\share\\x.pdf"]


def secret_forms(webhook: str, code: str) -> list[bytes]:
    forms = {code, webhook, quote(webhook, safe=""), quote(webhook), json.dumps(webhook)[1:-1],
             webhook.replace("/", "\\/"), quote(code, safe="")}
    return sorted({form.encode() for form in forms} | {form.encode("utf-16-le") for form in forms})


def readable_bytes(path: Path) -> list[bytes]:
    """A file's bytes, and for a zip (XLSX) its members' too: a secret must not hide in compression."""
    data = [path.read_bytes()]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            data.extend(archive.read(name) for name in archive.namelist())
    return data


# -- a full working session through the command line ------------------------------------------------------------

def test_after_a_working_session_the_secret_is_nowhere_but_in_the_keyring(cli: Cli, demo_portal: LoopbackPortal,
                                                                          memory_keyring, monkeypatch, tmp_path):
    monkeypatch.setenv("DPO_DESKTOP_LOG_LEVEL", "DEBUG")
    exports = cli.basedir / "exports"
    exports.mkdir(parents=True)
    outputs = [add_profile(cli, demo_portal)]
    view = PortalView(demo_portal.state)
    deal_id = min(view.deals())

    def ok(*command: str) -> Any:
        result = cli(*command)
        assert result.code == 0, (command, result.err)
        outputs.append(result)
        return result

    ok("portal", "check", "--json")
    ok("sync", "--full")
    for kind in ("table", "csv", "json", "xlsx"):
        ok("missing", "--format", kind, "--output", str(exports / f"missing.{kind}"))
    ok("participants", "add", "--deal", str(deal_id), "--last-name", "Орлова", "--name", "Вера",
       "--snils", "112-233-445 95")
    added = Store.open_reader(cli.cache()).find_contacts(last_name="Орлова", name="Вера")
    contact_id = added[0].id
    scans = [make_scan(tmp_path / f"Орлова паспорт {n}.pdf", seed=300 + n) for n in range(2)]
    ok("upload", "--deal", str(deal_id), "--contact", str(contact_id), "--type", "passport", *map(str, scans))
    ok("queue", "list", "--all", "--json")
    ok("push", "--deal", str(deal_id), "--contact", str(contact_id))
    ok("participants", "remove", "--deal", str(deal_id), "--contact", str(contact_id))
    ok("sync")
    demo_portal.state.revoke_webhook(demo_portal.code)  # an error path too: its message and log lines
    outputs.append(cli("sync"))
    assert outputs[-1].code == 1

    assert [value for (_service, name), value in memory_keyring.values.items()
            if not name.startswith("data-key/")] == [demo_portal.webhook]  # and the cache's data key
    forms = secret_forms(demo_portal.webhook, demo_portal.code)
    for result in outputs:
        shown = (result.out + result.err).encode()
        assert not [form for form in forms if form in shown], result
    files = list(cli.every_file())
    log = cli.basedir / "log" / "dpo-desktop.log"
    assert log in files and b"POST" in log.read_bytes()  # DEBUG lines were written, redacted
    assert {exports / f"missing.{kind}" for kind in ("table", "csv", "json", "xlsx")} <= set(files)
    for path in files:
        for data in readable_bytes(path):
            assert not [form for form in forms if form in data], path


# -- plain http to a remote host ------------------------------------------------------------------------------------

REMOTE_HTTP = "http://portal.example.ru/rest/1/remotesecret99/"


def test_profile_add_refuses_plain_http_to_a_remote_host(cli: Cli):
    result = cli("profile", "add", "office", "--webhook-stdin", stdin=REMOTE_HTTP + "\n")
    assert result.code == 2
    assert len(result.lines()) == 1 and "https" in result.err and "remotesecret99" not in result.err + result.out
    assert not (cli.basedir / "config" / "profiles.json").exists()


def test_automation_refuses_plain_http_to_a_remote_host(cli: Cli, monkeypatch):
    monkeypatch.setenv(ENV_WEBHOOK, REMOTE_HTTP)
    result = cli("sync")
    assert result.code in (1, 2) and len(result.lines()) == 1 and "https" in result.err
    assert "remotesecret99" not in result.err + result.out


@pytest.mark.parametrize("make", [
    lambda: B24Client(WebhookAuth.from_url(REMOTE_HTTP)),
    lambda: WebhookAuth.from_url("http://10.0.0.5/rest/1/remotesecret99/"),
    lambda: OAuthAuth("http://portal.example.ru", OAuthTokens("access123456", "refresh123456", 0),
                      client_id="app", client_secret="clientsecret1"),
    lambda: OAuthAuth("https://portal.example.ru", OAuthTokens("access123456", "refresh123456", 0),
                      client_id="app", client_secret="clientsecret1", token_url="http://oauth.example.ru/token/"),
], ids=["client on a remote http webhook", "a private address is not loopback", "OAuth portal over http",
        "OAuth token endpoint over http"])
def test_clients_for_a_remote_http_address_are_not_built(make):
    with pytest.raises(errors.InsecureURLError) as raised:
        make()
    assert "https" in str(raised.value) and "remotesecret99" not in str(raised.value)


def test_loopback_http_is_allowed_for_the_sandbox():
    assert WebhookAuth.from_url("http://127.0.0.1:8080/rest/1/localsecret1/").base == "http://127.0.0.1:8080"


def test_a_move_to_a_remote_http_host_is_not_followed():
    asked: list[str] = []

    def portal(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.host)
        return httpx.Response(302, headers={"Location": "http://evil.example.com/rest/1/movedsecret1/profile"})

    async def scenario() -> errors.B24Error:
        client = B24Client(WebhookAuth.from_url("https://portal.example.ru/rest/1/movedsecret1/"),
                           transport=httpx.MockTransport(portal), plan=PLANS["off"])
        async with client:
            with pytest.raises(errors.B24Error) as raised:
                await client.call("profile")
            return raised.value
    error = run(scenario())
    assert isinstance(error, errors.ProtocolError) and "movedsecret1" not in str(error)
    assert asked == ["portal.example.ru"]


# -- certificates ---------------------------------------------------------------------------------------------

@pytest.fixture
def tls_portal(tmp_path):
    state = seeds.build("demo")
    admin = next(user for user in state.users.values() if user.admin)
    code = state.add_webhook(admin.id)
    server = LoopbackServer(Portal(state, limits=PORTAL_PLANS["off"]), tls_dir=tmp_path / "tls").start()
    yield f"https://127.0.0.1:{server.port}/rest/{admin.id}/{code}/", server.ca_file
    server.stop()


def test_an_untrusted_certificate_is_refused_at_once_with_one_clear_line(cli: Cli, tls_portal):
    webhook, _ca_file = tls_portal
    assert cli("profile", "add", "office", "--webhook-stdin", stdin=webhook + "\n").code == 0
    result = cli("portal", "check")
    assert result.code == 1 and len(result.lines()) == 1, result.err
    assert "Сертификат" in result.err and "--ca-file" in result.err
    assert webhook.rsplit("/", 2)[-2] not in result.err


def test_the_client_never_retries_past_a_bad_certificate(tls_portal):
    webhook, _ca_file = tls_portal
    waits: list[float] = []

    async def count(seconds: float) -> None:
        waits.append(seconds)

    async def scenario() -> None:
        async with B24Client(WebhookAuth.from_url(webhook), plan=PLANS["off"], sleep=count) as client:
            with pytest.raises(errors.CertificateError):
                await client.call("profile")
    run(scenario())
    assert waits == []
    with pytest.raises(ValueError):
        B24Client(WebhookAuth.from_url(webhook), verify=False)


def test_a_certificate_from_the_named_ca_file_is_accepted(cli: Cli, tls_portal):
    webhook, ca_file = tls_portal
    assert cli("profile", "add", "office", "--webhook-stdin", "--ca-file", str(ca_file), stdin=webhook + "\n").code == 0
    checked = cli("portal", "check")
    assert checked.code == 0, checked.err
    synced = cli("sync")
    assert synced.code == 0 and synced.json()["mode"] == "full", synced.err


# -- file names from the portal on the local disk ---------------------------------------------------------------------

def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_drive_file_name_cannot_leave_the_download_folder(name, tmp_path):
    folder = tmp_path / "a" / "b" / "downloads"
    folder.mkdir(parents=True)

    def portal(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"%PDF-1.4 scan")

    async def scenario() -> Path:
        client = B24Client(WebhookAuth.from_url("https://portal.example.ru/rest/1/namesecret12/"),
                           transport=httpx.MockTransport(portal), plan=PLANS["off"])
        async with client:
            file = DiskObject(5, name, "file", 1, 13, "https://portal.example.ru/disk/downloadFile/5/?token=t",
                              None, None)
            return await Disk(client).download_into(file, folder)
    target = run(scenario())
    assert target.parent == folder and target.read_bytes() == b"%PDF-1.4 scan"
    assert "\x00" not in target.name and target.name.split(".")[0].upper() not in ("CON", "NUL")
    assert files_under(tmp_path) == {target}
    assert local_target(folder, name) == target


@pytest.fixture
def office(tmp_path) -> Office:
    box = make_sandbox(seeds.build("demo"))
    store = Store.open(tmp_path / "cache.sqlite3")
    yield Office(box, store, discovered(box), tmp_path / "cache.sqlite3")
    store.close()
    box.client.close()


def test_document_names_and_hashes_from_the_portal_stay_inside_the_preview_folder(office, tmp_path):
    """The preview cache names files by the document's hash and original name — both written by whoever
    edits the list on the portal. Hostile values must not send a download (or an upload's local copy) out."""
    fields = office.mapping.documents.fields
    sha_code, name_code = fields["sha256"].code, fields["original_name"].code
    hostile = iter(HOSTILE_NAMES * 3)
    changed: set[int] = set()

    def rewrite(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            if sha_code in row and len(changed) < len(HOSTILE_NAMES):
                evil = next(hostile)
                row[sha_code] = {"1": evil or "../" * 8 + "etc/passwd"}
                row[name_code] = {"1": evil}
                changed.add(int(row["ID"]))
        return rows

    async def scenario() -> None:
        transport = Tamper(office, "lists.element.get", rows=rewrite)
        client = B24Client(WebhookAuth.from_url(office.box.webhook), transport=transport, plan=PLANS["off"],
                           retry=RetryPolicy(attempts=2, base_delay=0.001))
        async with client:
            await SyncEngine(client, office.store, office.mapping).sync(full=True)
            documents = [doc for doc in office.store.documents() if doc.id in changed and doc.file_id is not None]
            assert documents
            fetched = await PreviewFetcher(client, office.store, office.mapping, folder).fetch_all(documents)
            assert fetched.files, fetched.problems
    folder = tmp_path / "previews"
    outside = files_under(tmp_path)
    run(scenario())
    stored = [doc for doc in office.store.documents() if doc.id in changed]
    assert stored and all(doc.sha256 == "" for doc in stored)  # not a hash: not used to name anything
    for document in stored:
        assert preview_path(folder, document).parent == folder
    assert {path for path in files_under(tmp_path) if folder not in path.parents} == outside | {
        path for path in files_under(tmp_path) if path.name.startswith("cache.sqlite3")}
    for wanted in wanted_files(stored):
        assert "/" not in wanted.name and "\\" not in wanted.name and "\x00" not in wanted.name
        assert wanted.name.startswith(tuple(DocumentType(doc.type).title for doc in stored))


def test_wanted_file_names_are_safe_whatever_the_original_name(office):
    documents = [Document(id=index + 1, code=f"d-{index}", deal_id=1, contact_id=2, type=DocumentType.PASSPORT,
                          original_name=name) for index, name in enumerate(HOSTILE_NAMES)]
    for wanted in wanted_files(documents):
        assert Path(wanted.name).name == wanted.name and ".." not in wanted.name.split(".")[0]
        assert "\x00" not in wanted.name and "\\" not in wanted.name
