"""Every way the UI and the CLI touch a participant's personal data leaves a row in the access log (152-ФЗ).

``ACCESS_PATHS`` is the one table of those ways: each entry walks one path for real — the CLI in-process
against the demo portal on loopback, the GUI offscreen against the demo portal in-process — and returns
the rows (action, deal, contact, document) the log must have gained. A new path is one more entry.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.store import Store
from dpo_desktop.store.access_log import ACTIONS, AccessLog, log_path_for, os_account
from dpo_desktop.sync.previews import preview_path
from dpo_desktop.sync.upload_steps import local_copy_path
from dpo_desktop.sync.wipe import previews_dir
from dpo_desktop.ui.dialogs.access_log import AccessLogDialog
from dpo_desktop.ui.views.deal_view import DealView
from dpo_desktop.ui.views.documents_panel import DocumentPanel
from dpo_desktop.ui.views.review import ReviewScreen
from tests.cli.harness import Cli, LoopbackPortal
from tests.gui.conftest import context, sandbox  # noqa: F401  (GUI fixtures: a context on the demo portal)
from tests.gui.test_documents_panel import compat_context  # noqa: F401  (the same office in compatibility mode)
from tests.sync.scans_support import deal_with_people, make_scan

LANE_TIMEOUT = 30_000
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
ANY = object()  # a document ID the path cannot know in advance: any value, None included
Row = tuple[str, int | None, int | None, Any]


def rows(log: AccessLog) -> list[tuple[str, int | None, int | None, int | None]]:
    return [(entry.action, entry.deal_id, entry.contact_id, entry.document_id) for entry in log.entries()]


def gained(expected: set[Row], before: list, after: list) -> bool:
    new = after[len(before):]
    return all(any(row[:3] == found[:3] and (row[3] is ANY or row[3] == found[3]) for found in new)
               for row in expected)


# -- the CLI ------------------------------------------------------------------------------------------------


@dataclass
class CliOffice:
    cli: Cli
    portal: LoopbackPortal
    tmp: Path

    def store(self) -> Store:
        return Store.open(self.cli.cache())

    def someone(self, *, at_least: int = 3) -> tuple[int, int]:
        with self.store() as store:
            for item in store.participants():
                if item.id is not None and len(store.documents(deal_id=item.deal_id,
                                                               contact_id=item.contact_id)) >= at_least:
                    return item.deal_id, item.contact_id
        raise AssertionError("the demo seed has no such participant")

    def documents(self, deal_id: int, contact_id: int | None = None) -> list:
        with self.store() as store:
            return store.documents(deal_id=deal_id, contact_id=contact_id)

    def run(self, *args: str) -> Any:
        result = self.cli(*args)
        assert result.code == 0, result.err
        return result


def cli_upload(office: CliOffice) -> set[Row]:
    deal_id, contact_id = office.someone()
    scan = make_scan(office.tmp / "скан.pdf", seed=801)
    line = office.run("upload", "--deal", str(deal_id), "--contact", str(contact_id), "--type", "Паспорт",
                      str(scan)).json()
    (item,) = line["items"]
    with office.store() as store:
        document = store.document_by_code(store.upload(item["id"]).code)
    return {("upload", deal_id, contact_id, document.id)}


def cli_push(office: CliOffice) -> set[Row]:
    deal_id, contact_id = office.someone()
    office.run("push", "--deal", str(deal_id), "--contact", str(contact_id))
    return {("push", deal_id, contact_id, doc.id) for doc in office.documents(deal_id, contact_id)}


def cli_push_removes_a_deleted_document(office: CliOffice) -> set[Row]:
    deal_id, contact_id = office.someone()
    office.run("push", "--deal", str(deal_id), "--contact", str(contact_id))
    gone = office.documents(deal_id, contact_id)[0]
    iblock = next(iblock_id for iblock_id, block in office.portal.state.lists.iblocks.items()
                  if gone.id in block.elements)
    office.portal.state.lists.delete_element(iblock, gone.id)  # a colleague deleted it on the portal
    office.run("push", "--deal", str(deal_id), "--contact", str(contact_id))
    return {("delete", deal_id, contact_id, ANY)}


def cli_missing(fmt: str, action: str = "export") -> Callable[[CliOffice], set[Row]]:
    def walk(office: CliOffice) -> set[Row]:
        deal_id, _contact_id = office.someone()
        output = ["--output", str(office.tmp / f"missing.{fmt}")] if fmt != "table" else []
        office.run("missing", "--deal", str(deal_id), "--format", fmt, *output)
        return {(action, deal_id, None, None)}
    return walk


def cli_frdo(office: CliOffice) -> set[Row]:
    from dpo_desktop.store.frdo_export import prepare

    with office.store() as store:
        events = sorted({deal.event_code for deal in store.deals() if deal.event_code})
        reports = {code: prepare(store, event_code=code) for code in events}
    code = next(code for code, report in reports.items() if report.rows and not report.problems)
    office.run("frdo", "--event", code, "--output", str(office.tmp / "фрдо.xlsx"))
    return {("export", row.deal_id, row.contact_id, None) for row in reports[code].rows}


def cli_wipe(office: CliOffice) -> set[Row]:
    deal_id, _contact_id = office.someone()
    office.run("push", "--deal", str(deal_id))
    line = office.run("wipe", "--deal", str(deal_id)).json()
    assert line["verified"] and line["documents"] == len(office.documents(deal_id))
    return {("wipe", deal_id, None, None)} | {("wipe", deal_id, doc.contact_id, doc.id)
                                              for doc in office.documents(deal_id)}


def cli_log_export(suffix: str) -> Callable[[CliOffice], set[Row]]:
    def walk(office: CliOffice) -> set[Row]:
        office.run("log", "export", "--output", str(office.tmp / f"журнал.{suffix}"))
        return {("export", None, None, None)}
    return walk


# -- the GUI ------------------------------------------------------------------------------------------------


@dataclass
class GuiOffice:
    qtbot: Any
    context: Any
    tmp: Path

    def panel(self, deal_id: int, contact_id: int) -> DocumentPanel:
        panel = DocumentPanel(self.context)
        self.qtbot.addWidget(panel)
        panel.resize(1000, 700)
        panel.show()
        with self.qtbot.waitSignal(panel.previews_fetched, timeout=LANE_TIMEOUT):
            panel.set_participant(deal_id, contact_id)
        return panel

    def someone(self) -> tuple[int, int]:
        reader = self.context.reader
        for item in reader.participants():
            if item.id is not None and len(reader.documents(deal_id=item.deal_id, contact_id=item.contact_id)) >= 3:
                return item.deal_id, item.contact_id
        raise AssertionError("the demo seed has no such participant")

    def review(self) -> ReviewScreen:
        from PySide6.QtCore import QSettings

        screen = ReviewScreen(self.context, settings=QSettings(str(self.tmp / "ui.ini"), QSettings.Format.IniFormat))
        self.qtbot.addWidget(screen)
        screen.show()
        self.qtbot.waitUntil(lambda: screen.loaded, timeout=5000)
        return screen


def gui_preview(office: GuiOffice) -> set[Row]:
    deal_id, contact_id = office.someone()
    panel = office.panel(deal_id, contact_id)
    document = office.context.reader.documents(deal_id=deal_id, contact_id=contact_id)[0]
    office.qtbot.waitUntil(lambda: panel.preview_file(document.code) is not None, timeout=LANE_TIMEOUT)
    panel.select_document(document.code)
    panel.close()
    return {("view", deal_id, contact_id, document.id)}


def gui_open(office: GuiOffice) -> set[Row]:
    deal_id, contact_id = office.someone()
    panel = office.panel(deal_id, contact_id)
    document = office.context.reader.documents(deal_id=deal_id, contact_id=contact_id)[-1]
    office.qtbot.waitUntil(lambda: panel.preview_file(document.code) is not None, timeout=LANE_TIMEOUT)
    panel.select_document(document.code)
    opened: list = []
    panel.url_opener = opened.append
    assert panel.open_selected() is not None and opened
    panel.close()
    return {("open", deal_id, contact_id, document.id)}


def gui_upload(office: GuiOffice) -> set[Row]:
    deal = deal_with_people(office.context.reader)
    person = deal.people[0]
    panel = office.panel(deal.deal_id, person.id)
    with office.qtbot.waitSignal(panel.uploads_finished, timeout=LANE_TIMEOUT) as signal:
        panel.upload([make_scan(office.tmp / "справка.pdf", seed=802)], doc_type=DocumentType.STUDY_CERTIFICATE,
                     contact_id=person.id)
    document = office.context.reader.document_by_code(office.context.reader.upload(signal.args[0][0]).code)
    panel.close()
    return {("upload", deal.deal_id, person.id, document.id)}


def gui_push(office: GuiOffice) -> set[Row]:
    from dpo_desktop.ui.dialogs.push_dialog import PushDialog

    deal_id, contact_id = office.someone()
    dialog = PushDialog(office.context, deal_id, contact_id, opener=lambda _url: None)
    office.qtbot.addWidget(dialog)
    dialog.show()
    dialog.push_button.click()
    office.qtbot.waitUntil(lambda: not dialog.running, timeout=LANE_TIMEOUT)
    documents = office.context.reader.documents(deal_id=deal_id, contact_id=contact_id)
    return {("push", deal_id, contact_id, doc.id) for doc in documents}


def gui_review_export(office: GuiOffice) -> set[Row]:
    screen = office.review()
    seen: list[str] = []
    office.context.messages.message.connect(lambda _level, text: seen.append(text))
    target = office.tmp / "проверка.xlsx"
    screen.export_to(target)
    office.qtbot.waitUntil(lambda: any(text.startswith("Отчёт сохранён") for text in seen), timeout=10_000)
    return {("export", row.deal.id, row.report.contact_id, None) for row in screen.model.rows}


def gui_letter(office: GuiOffice) -> set[Row]:
    screen = office.review()
    screen.copy_letter()
    return {("export", row.deal.id, row.report.contact_id, None) for row in screen.model.rows if row.report.missing}


def gui_frdo(office: GuiOffice) -> set[Row]:
    from dpo_desktop.store.frdo_export import prepare
    from dpo_desktop.ui.dialogs.frdo_dialog import FrdoDialog, scope_key

    reader = office.context.reader
    reports = {code: prepare(reader, event_code=code)
               for code in sorted({deal.event_code for deal in reader.deals() if deal.event_code})}
    code = next(code for code, report in reports.items() if report.rows and not report.problems)
    dialog = FrdoDialog(office.context)
    office.qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findData(scope_key(code)))
    with office.qtbot.waitSignal(dialog.exported, timeout=LANE_TIMEOUT):
        dialog.export_to(office.tmp / "фрдо.xlsx")
    return {("export", row.deal_id, row.contact_id, None) for row in reports[code].rows}


def gui_wipe_button(office: GuiOffice) -> set[Row]:
    deal_id, contact_id = office.someone()
    gui_push_deal(office, deal_id)
    view = DealView(office.context, documents_panel_factory=lambda ctx, owner: DocumentPanel(ctx, parent=owner))
    office.qtbot.addWidget(view)
    view.show()
    view.show_deal(deal_id)
    panel = view.documents_panel
    with office.qtbot.waitSignal(panel.previews_fetched, timeout=LANE_TIMEOUT):
        panel.set_participant(deal_id, contact_id)  # brings the previews this computer keeps
    documents = office.context.reader.documents(deal_id=deal_id)
    mine = [doc for doc in documents if doc.contact_id == contact_id]
    office.qtbot.waitUntil(lambda: all(panel.preview_file(doc.code) for doc in mine), timeout=LANE_TIMEOUT)
    kept = [panel.preview_file(doc.code) for doc in mine]  # plain copies shown in this session
    kept += [preview_path(previews_dir("office"), doc) for doc in mine]  # the sealed copies kept
    assert all(path.is_file() for path in kept)
    view.wipe.confirm = lambda _parent, _text: True
    with office.qtbot.waitSignal(view.wipe.wiped, timeout=LANE_TIMEOUT):
        view.wipe_button.click()
    assert kept and not any(path.exists() for path in kept)
    assert all(panel.preview_file(doc.code) is None for doc in mine)  # not shown, nor fetched again
    view.detach()
    return {("wipe", deal_id, None, None)} | {("wipe", deal_id, doc.contact_id, doc.id) for doc in documents}


def gui_push_deal(office: GuiOffice, deal_id: int) -> None:
    from dpo_desktop.ui.dialogs.push_dialog import PushDialog

    dialog = PushDialog(office.context, deal_id, None, opener=lambda _url: None)
    office.qtbot.addWidget(dialog)
    dialog.show()
    dialog.push_button.click()
    office.qtbot.waitUntil(lambda: not dialog.running, timeout=LANE_TIMEOUT)


def gui_log_export(suffix: str) -> Callable[[GuiOffice], set[Row]]:
    def walk(office: GuiOffice) -> set[Row]:
        dialog = AccessLogDialog(office.context)
        office.qtbot.addWidget(dialog)
        with office.qtbot.waitSignal(dialog.exported, timeout=10_000) as signal:
            dialog.export_to(office.tmp / f"журнал.{suffix}")
        assert isinstance(signal.args[0], Path), signal.args[0]
        return {("export", None, None, None)}
    return walk


@dataclass(frozen=True)
class AccessPath:
    surface: str  # "cli" or "gui"
    name: str
    action: str  # what the log must call it
    walk: Callable[[Any], set[Row]]


ACCESS_PATHS = (
    AccessPath("cli", "upload FILE", "upload", cli_upload),
    AccessPath("cli", "push (each document copied)", "push", cli_push),
    AccessPath("cli", "push (a document gone from the portal: its file to the trash)", "delete",
               cli_push_removes_a_deleted_document),
    AccessPath("cli", "missing --format xlsx --output", "export", cli_missing("xlsx")),
    AccessPath("cli", "missing --format csv --output", "export", cli_missing("csv")),
    AccessPath("cli", "missing --format json --output", "export", cli_missing("json")),
    AccessPath("cli", "missing (table on screen)", "view", cli_missing("table", "view")),
    AccessPath("cli", "frdo --event --output (the ФИС ФРДО workbook)", "export", cli_frdo),
    AccessPath("cli", "wipe --deal", "wipe", cli_wipe),
    AccessPath("cli", "log export --output .xlsx", "export", cli_log_export("xlsx")),
    AccessPath("cli", "log export --output .csv", "export", cli_log_export("csv")),
    AccessPath("gui", "preview in the document panel", "view", gui_preview),
    AccessPath("gui", "open in the system's viewer", "open", gui_open),
    AccessPath("gui", "upload from the document panel", "upload", gui_upload),
    AccessPath("gui", "push dialog", "push", gui_push),
    AccessPath("gui", "review: export to Excel", "export", gui_review_export),
    AccessPath("gui", "review: letter to the clipboard", "export", gui_letter),
    AccessPath("gui", "ФИС ФРДО dialog: export", "export", gui_frdo),
    AccessPath("gui", "deal view: «Удалить локальные копии»", "wipe", gui_wipe_button),
    AccessPath("gui", "access log dialog: export .xlsx", "export", gui_log_export("xlsx")),
    AccessPath("gui", "access log dialog: export .csv", "export", gui_log_export("csv")),
)


def paths_of(surface: str) -> list:
    return [pytest.param(path, id=path.name) for path in ACCESS_PATHS if path.surface == surface]


def test_every_action_has_a_path_in_the_cli_and_in_the_gui():
    for surface, left_out in (("cli", {"open"}), ("gui", {"delete"})):
        # A terminal opens nothing in a viewer; the GUI's deletions are the folder push's, walked in the CLI.
        assert {path.action for path in ACCESS_PATHS if path.surface == surface} == set(ACTIONS) - left_out


@pytest.fixture
def cli_office(cli, tmp_path) -> CliOffice:
    from dpo_desktop.sandbox import seeds

    portal = LoopbackPortal(seeds.build("demo")).start()
    added = cli("profile", "add", "office", "--webhook-stdin", "--rate-plan", "off", stdin=f"{portal.webhook}\n")
    assert added.code == 0, added.err
    assert cli("sync").code == 0
    yield CliOffice(cli, portal, tmp_path)
    portal.stop()


@pytest.mark.integration
@pytest.mark.parametrize("path", paths_of("cli"))
def test_every_cli_path_is_logged(cli_office, path):
    log_file = log_path_for(cli_office.cli.cache())
    with AccessLog.open(log_file) as log:
        before = rows(log)
    expected = path.walk(cli_office)
    assert path.action in {row[0] for row in expected}
    with AccessLog.open(log_file) as log:
        after = rows(log)
        entries = log.entries()
    assert expected and gained(expected, before, after), (expected, after[len(before):])
    admin = cli_office.portal.admin.id
    assert all(entry.portal_user == admin and entry.os_user == os_account() for entry in entries[len(before):])


@pytest.mark.integration
@pytest.mark.parametrize("path", paths_of("gui"))
def test_every_gui_path_is_logged(qtbot, context, tmp_path, path):  # noqa: F811
    log = context.store.access_log
    before = rows(log)
    expected = path.walk(GuiOffice(qtbot, context, tmp_path))
    assert path.action in {row[0] for row in expected}
    after = rows(log)
    assert expected and gained(expected, before, after), (expected, after[len(before):])


# -- the wipe refuses what the portal does not verifiably hold ------------------------------------------------


@pytest.mark.integration
def test_a_wipe_before_the_push_removes_nothing_and_names_the_documents(cli_office):
    deal_id, contact_id = cli_office.someone()
    document = cli_office.documents(deal_id, contact_id)[0]
    preview = preview_path(previews_dir("office"), document)
    preview.parent.mkdir(parents=True, exist_ok=True)
    preview.write_bytes(b"%PDF-1.4 a preview this computer keeps")
    refused = cli_office.cli("wipe", "--deal", str(deal_id))
    assert refused.code == 1 and len(refused.lines()) == 1
    assert "не подтверждена" in refused.err and f"документ {document.id}" in refused.err
    assert preview.exists()
    with AccessLog.open(log_path_for(cli_office.cli.cache())) as log:
        assert not log.count(["wipe"])


@pytest.mark.integration
def test_a_wipe_without_a_connection_or_for_an_unknown_event_removes_nothing(cli_office):
    deal_id, _contact_id = cli_office.someone()
    cli_office.run("push", "--deal", str(deal_id))
    unknown = cli_office.cli("wipe", "--event", "НЕТ-ТАКОГО")
    assert unknown.code == 1 and len(unknown.lines()) == 1 and "НЕТ-ТАКОГО" in unknown.err
    cli_office.portal.stop()
    offline = cli_office.cli("wipe", "--deal", str(deal_id))
    assert offline.code == 1 and len(offline.lines()) == 1 and "ничего не удалено" in offline.err
    assert cli_office.cli("wipe").code == 2  # --deal or --event is required
    with AccessLog.open(log_path_for(cli_office.cli.cache())) as log:
        assert not log.count(["wipe"])


@pytest.mark.integration
def test_a_file_trashed_on_the_portal_after_the_push_stops_the_wipe(cli_office):
    deal_id, contact_id = cli_office.someone()
    pushed = cli_office.run("push", "--deal", str(deal_id), "--contact", str(contact_id)).json()
    folder_id = pushed["results"][0]["folder_id"]
    disk = cli_office.portal.state.disk
    victim = next(item for item in disk.live_children(folder_id) if item["NAME"] == pushed["results"][0]["copied"][0])
    disk.mark_deleted(victim["ID"], user_id=cli_office.portal.admin.id)  # our record still says it is there
    refused = cli_office.cli("wipe", "--deal", str(deal_id))
    assert refused.code == 1 and "удалён или в корзине" in refused.err


@pytest.mark.integration
def test_force_wipes_unpushed_documents_whose_file_is_on_the_drive_and_says_so(cli_office):
    deal_id, contact_id = cli_office.someone()
    document = cli_office.documents(deal_id, contact_id)[0]
    preview = preview_path(previews_dir("office"), document)
    preview.parent.mkdir(parents=True, exist_ok=True)
    preview.write_bytes(b"%PDF-1.4 a preview this computer keeps")
    line = cli_office.run("wipe", "--deal", str(deal_id), "--force").json()
    assert not line["verified"] and line["unverified"] and line["files_removed"] >= 1
    assert not preview.exists()
    with AccessLog.open(log_path_for(cli_office.cli.cache())) as log:
        details = [entry.detail for entry in log.entries()
                   if entry.action == "wipe" and entry.document_id == document.id]
    assert details and "--force" in details[0]


# -- the log itself: append-only, outliving the cache, exported for people -------------------------------------


def test_the_log_is_append_only(tmp_path):
    import sqlite3

    with AccessLog.open(tmp_path / "access-log.sqlite3") as log:
        log.add("view", deal_id=1, contact_id=2, document_id=3)
    raw = sqlite3.connect(tmp_path / "access-log.sqlite3")
    try:
        for statement in ("UPDATE access_log SET deal_id = 9", "DELETE FROM access_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                raw.execute(statement)
    finally:
        raw.close()
    with pytest.raises(ValueError):
        AccessLog.open(tmp_path / "access-log.sqlite3").add("print")


def test_the_log_outlives_a_cleared_and_a_rebuilt_cache(tmp_path):
    cache = tmp_path / "office" / "cache.sqlite3"
    with Store.open(cache) as store:
        store.log_access("open", deal_id=5, contact_id=6, document_id=7)
    for name in ("cache.sqlite3", "cache.sqlite3-wal", "cache.sqlite3-shm"):
        (cache.parent / name).unlink(missing_ok=True)  # «Очистить кэш» in the settings
    with Store.open(cache) as store:
        assert store.created
        store.log_access("view", deal_id=5)
    cache.write_bytes(b"not a database at all" * 100)  # damaged: moved aside, an empty cache made
    with Store.open(cache) as store:
        assert store.rebuilt
        assert [(entry.action, entry.deal_id) for entry in store.access_log.entries()] == [("open", 5), ("view", 5)]


@pytest.mark.integration
def test_the_export_names_people_and_documents_from_the_cache_for_a_destruction_act(cli_office):
    deal_id, contact_id = cli_office.someone()
    cli_office.run("push", "--deal", str(deal_id), "--contact", str(contact_id))
    with cli_office.store() as store:
        person = store.contact(contact_id).full_name
        event = store.deal(deal_id).event_code
        documents = store.documents(deal_id=deal_id, contact_id=contact_id)
    workbook, table = cli_office.tmp / "акт.xlsx", cli_office.tmp / "акт.csv"
    cli_office.run("log", "export", "--event", event, "--output", str(workbook))
    cli_office.run("log", "export", "--deal", str(deal_id), "--from", "2000-01-01", "--output", str(table))

    sheet = load_workbook(workbook).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].startswith("Журнал доступа к персональным данным")
    assert values[1] == ["Дата и время", "Действие", "Кто", "Сделка", "Участник", "Документ", "Подробности"]
    pushed = [row for row in values[2:] if row[1] == "Копирование в папку на портале"]
    assert len(pushed) == len(documents)
    assert all(row[4] == f"{person} [{contact_id}]" and row[3].startswith(f"{deal_id} «") for row in pushed)
    assert {row[5].split(":")[0] for row in pushed} == {doc.type.title for doc in documents}
    assert all(f"#{cli_office.portal.admin.id}" in row[2] for row in pushed)

    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel with Russian settings reads UTF-8 only with a BOM
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0][:2] == ["Дата и время", "Действие"] and len(lines) == len(pushed) + 1
    assert cli_office.cli("log", "export", "--output", str(cli_office.tmp / "x.pdf")).code == 2
    late = cli_office.cli("log", "export", "--from", "2030-01-02", "--to", "2030-01-01", "--output", str(table))
    assert late.code == 2 and "--from" in late.err


# -- the GUI's own ways in -------------------------------------------------------------------------------------


def test_the_file_menu_opens_the_access_log_dialog(qtbot, context, tmp_path):  # noqa: F811
    from PySide6.QtCore import QSettings

    from dpo_desktop.ui.dialogs import access_log
    from dpo_desktop.ui.gui import default_factories
    from dpo_desktop.ui.main_window import MainWindow

    window = MainWindow(context, *default_factories(),
                        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    access_log.install(window)
    menu = next(action.menu() for action in window.menuBar().actions() if action.text().replace("&", "") == "Файл")
    action = next(action for action in menu.actions() if action.text() == "Журнал доступа к ПД…")
    action.trigger()
    dialog = window.access_log_dialog
    assert dialog.isVisible() and dialog.days()[0] < dialog.days()[1]
    dialog.first.setDate(dialog.last.date().addDays(1))
    with qtbot.waitSignal(dialog.exported) as signal:
        dialog.export_to(tmp_path / "журнал.xlsx")
    assert "позже" in signal.args[0] and not (tmp_path / "журнал.xlsx").exists()
    dialog.close()
    window.close()


def test_the_wipe_button_before_a_push_says_why_and_keeps_the_copies(qtbot, context):  # noqa: F811
    office = GuiOffice(qtbot, context, Path())
    deal_id, contact_id = office.someone()
    view = DealView(context, documents_panel_factory=lambda ctx, owner: DocumentPanel(ctx, parent=owner))
    qtbot.addWidget(view)
    view.show_deal(deal_id)
    panel = view.documents_panel
    with qtbot.waitSignal(panel.previews_fetched, timeout=LANE_TIMEOUT):
        panel.set_participant(deal_id, contact_id)
    code = context.reader.documents(deal_id=deal_id, contact_id=contact_id)[0].code
    qtbot.waitUntil(lambda: panel.preview_file(code) is not None, timeout=LANE_TIMEOUT)
    warnings: list[str] = []
    context.messages.message.connect(lambda level, text: level == "warning" and warnings.append(text))
    asked: list[str] = []
    view.wipe.confirm = lambda _parent, text: asked.append(text) or True
    with qtbot.waitSignal(view.wipe.refused, timeout=LANE_TIMEOUT) as signal:
        view.wipe_button.click()
    assert asked and str(deal_id) in asked[0]
    assert "не подтверждена" in signal.args[0] and warnings == [signal.args[0]]
    assert panel.preview_file(code).is_file()
    assert not context.store.access_log.count(["wipe"])
    view.wipe.confirm = lambda _parent, _text: False  # «Нет»: nothing is even checked
    with qtbot.assertNotEmitted(view.wipe.refused), qtbot.assertNotEmitted(view.wipe.wiped):
        view.wipe_button.click()
    view.detach()


def test_in_compatibility_mode_force_never_wipes_the_only_copy_a_push_needs(qtbot, compat_context, tmp_path):  # noqa: F811
    from dpo_desktop.sync.folder_push import FolderPusher
    from dpo_desktop.sync.wipe import LocalWiper, WipeRefused

    office = compat_context
    deal = deal_with_people(office.reader)
    person = deal.people[0]
    panel = DocumentPanel(office)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.previews_fetched, timeout=LANE_TIMEOUT):
        panel.set_participant(deal.deal_id, person.id)
    with qtbot.waitSignal(panel.uploads_finished, timeout=LANE_TIMEOUT) as signal:
        panel.upload([make_scan(tmp_path / "договор.pdf", seed=803)], doc_type=DocumentType.CONTRACT,
                     contact_id=person.id)
    uploaded = office.reader.document_by_code(office.reader.upload(signal.args[0][0]).code)
    qtbot.waitUntil(lambda: panel.preview_file(uploaded.code) is not None, timeout=LANE_TIMEOUT)
    copy = local_copy_path(office.local_copies, uploaded.sha256, "pdf")  # kept at upload, sealed
    shown = panel.preview_file(uploaded.code)  # the plain copy the panel shows
    panel.close()
    assert copy.is_file() and shown.is_file()
    wiper = LocalWiper(office.client, office.store, office.mapping, previews=previews_dir("office"),
                       local_copies=office.local_copies)

    with pytest.raises(WipeRefused, match="даже с --force") as refused:
        office.lane.submit(wiper.wipe([deal.deal_id], force=True)).result(60)
    assert uploaded.id in {problem.document_id for problem in refused.value.unverified}
    assert copy.is_file() and shown.is_file()

    async def push_person():
        return await FolderPusher(office.client, office.store, office.mapping, office.push_settings,
                                  local_copies=office.local_copies).push_participant(deal.deal_id, person.id)
    office.lane.submit(push_person()).result(120)
    # Pushed from its local copy, the contract is verified on the portal; the seed's documents (made
    # elsewhere, no copy here) could not be pushed, so the wipe still refuses and names them.
    assert office.lane.submit(LocalWiper(office.client, office.store, office.mapping, previews=previews_dir("office"),
                                         local_copies=office.local_copies).check(uploaded)).result(60) is None
    with pytest.raises(WipeRefused) as still:
        office.lane.submit(wiper.wipe([deal.deal_id], force=True)).result(60)
    assert uploaded.id not in {problem.document_id for problem in still.value.unverified}
    assert copy.is_file() and not office.store.access_log.count(["wipe"])
