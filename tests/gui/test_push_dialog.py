"""The folder push dialog against the demo sandbox: a participant's folder lands with its documents and the
manifest, the link is the folder's DETAIL_URL and opens through the opener, a second push copies nothing,
a deal's push shows its progress, offline says so, and the automatic mode's rule is saved in the profile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QUrl

from dpo_desktop.app import build_context, close_context
from dpo_desktop.b24.client import RetryPolicy
from dpo_desktop.profiles import Profile, ProfilesFile, load_profiles, save_profiles
from dpo_desktop.secrets import MemorySecretStore, webhook_key
from dpo_desktop.sync.folder_push import PushResult
from dpo_desktop.sync.push_settings import DEFAULT_MANIFEST, PushSettings
from dpo_desktop.ui.dialogs import push_dialog
from dpo_desktop.ui.dialogs.push_dialog import PushDialog, rule_text, summary_text
from dpo_desktop.ui.gui import default_factories
from dpo_desktop.ui.main_window import MainWindow
from dpo_desktop.ui.models import IdRole
from dpo_desktop.ui.models.deals import TITLE
from dpo_desktop.ui.models.push_results import COPIED, PROBLEMS, WHO
from tests.gui.conftest import context_for
from tests.sync.conftest import discovered

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

OFFLINE_WEBHOOK = "http://127.0.0.1:9/rest/1/offlinecode/"


def someone_with_documents(reader, *, at_least: int = 3) -> tuple[int, int]:
    for participant in reader.participants():
        if participant.id is not None and len(reader.documents(deal_id=participant.deal_id,
                                                                 contact_id=participant.contact_id)) >= at_least:
            return participant.deal_id, participant.contact_id
    raise AssertionError("the demo seed has no such participant")


def make_dialog(qtbot, context, deal_id, contact_id=None, **options) -> tuple[PushDialog, list[QUrl]]:
    opened: list[QUrl] = []
    dialog = PushDialog(context, deal_id, contact_id, opener=opened.append, **options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, opened


def push_and_wait(qtbot, dialog: PushDialog, timeout: int = 30_000) -> None:
    dialog.push_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=timeout)


def test_a_participant_is_pushed_with_documents_and_manifest_and_the_link_opens(qtbot, qtmodeltester, context,
                                                                                sandbox):
    deal_id, contact_id = someone_with_documents(context.reader)
    documents = context.reader.documents(deal_id=deal_id, contact_id=contact_id)
    dialog, opened = make_dialog(qtbot, context, deal_id, contact_id)
    assert dialog.participant_button.isChecked() and dialog.targets() == [(deal_id, contact_id)]
    push_and_wait(qtbot, dialog)
    assert dialog.results.rowCount() == 1
    result = dialog.results.result(0)
    assert not result.problems, result.problems
    disk = sandbox.state.disk
    on_portal = {item["NAME"] for item in disk.live_children(result.folder_id) if item["TYPE"] == "file"}
    # the demo seed keeps the scans' originals in the same folder: the push adds its own files beside them
    assert {*result.copied, DEFAULT_MANIFEST} <= on_portal and len(result.copied) == len(documents)
    manifest = next(item for item in disk.live_children(result.folder_id) if item["NAME"] == DEFAULT_MANIFEST)
    text = disk.read_bytes(manifest["ID"]).decode("utf-8-sig")
    assert all(name in text for name in result.copied)
    assert str(contact_id) in disk.path_of(result.folder_id)[-1]
    detail_url = sandbox.result("disk.folder.get", {"id": result.folder_id})["DETAIL_URL"]
    assert detail_url and result.link == detail_url == dialog.link
    assert "Открыть папку на портале" in dialog.link_label.text()
    dialog.link_label.linkActivated.emit(detail_url)  # the user clicks the link
    assert [url.toString() for url in opened] == [QUrl(detail_url).toString()]
    assert dialog.progress.value() == dialog.progress.maximum() == 1
    assert dialog.results.index(0, WHO).data() == context.reader.contact(contact_id).full_name
    assert dialog.results.index(0, COPIED).data() == str(len(documents))
    assert "скопировано файлов" in dialog.status.text()
    qtmodeltester.check(dialog.results)

    push_and_wait(qtbot, dialog)  # the same again: everything is in place
    again = dialog.results.result(0)
    assert again.copied == [] and sorted(again.skipped) == sorted(result.copied)
    assert "ничего не скопировано" in dialog.status.text()
    assert {item["NAME"] for item in disk.live_children(result.folder_id) if item["TYPE"] == "file"} == on_portal


def test_a_deal_push_shows_progress_and_a_row_per_participant(qtbot, context, sandbox):
    deal_id, _contact_id = someone_with_documents(context.reader)
    people = [item.contact_id for item in context.reader.participants(deal_id=deal_id) if item.id is not None]
    dialog, _opened = make_dialog(qtbot, context, deal_id)
    assert dialog.deal_button.isChecked() and not dialog.participant_button.isEnabled()
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    push_and_wait(qtbot, dialog, timeout=60_000)
    assert dialog.progress.maximum() == len(people)
    assert seen == list(range(1, len(people) + 1))  # one step per participant, as each is done
    pushed = [dialog.results.result(row) for row in range(dialog.results.rowCount())]
    assert [result.contact_id for result in pushed] == people
    for result in pushed:
        assert sandbox.state.disk.get_object(result.folder_id) is not None
        assert dialog.results.index(pushed.index(result), PROBLEMS).data() == "; ".join(result.problems)


def test_stop_ends_the_run_after_the_participant_being_pushed(qtbot, context):
    deal_id, _contact_id = someone_with_documents(context.reader)
    people = [item.contact_id for item in context.reader.participants(deal_id=deal_id) if item.id is not None]
    assert len(people) > 1
    dialog, _opened = make_dialog(qtbot, context, deal_id)
    dialog.push_button.click()
    dialog.stop_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.results.rowCount() == 1 and dialog.progress.value() == 1
    assert dialog.status.text() == f"Остановлено: выгружено 1 из {len(people)}"


def test_someone_who_is_not_a_participant_gets_a_problem_row(qtbot, context):
    deal_id, _contact_id = someone_with_documents(context.reader)
    on_deal = {item.contact_id for item in context.reader.participants(deal_id=deal_id)}
    stranger = next(item.contact_id for item in context.reader.participants() if item.contact_id not in on_deal)
    dialog, opened = make_dialog(qtbot, context, deal_id, stranger)
    push_and_wait(qtbot, dialog)
    assert dialog.results.rowCount() == 1
    assert "не участник" in dialog.results.index(0, PROBLEMS).data()
    assert "проблем: 1" in dialog.status.text() and dialog.link == "" and opened == []


def test_the_event_choice_pushes_every_deal_of_the_event(qtbot, context):
    deal = next(item for item in context.reader.deals(context.mapping.pipeline_id) if item.event_code.strip()
                and sum(1 for other in context.reader.deals(context.mapping.pipeline_id)
                        if other.event_code == item.event_code) > 1)
    same_event = {item.id for item in context.reader.deals(context.mapping.pipeline_id)
                  if item.event_code.strip().casefold() == deal.event_code.strip().casefold()}
    dialog, _opened = make_dialog(qtbot, context, deal.id)
    dialog.event_button.setChecked(True)
    targets = dialog.targets()
    assert {deal_id for deal_id, _contact in targets} == {
        item.deal_id for item in context.reader.participants() if item.deal_id in same_event and item.id is not None}
    assert len({deal_id for deal_id, _contact in targets}) > 1


def test_offline_the_push_stops_with_a_clear_message(qtbot, sandbox):
    close_context(context_for(sandbox))  # the cache of profile "office", filled while online
    secrets = MemorySecretStore()
    secrets.set(webhook_key("office"), OFFLINE_WEBHOOK)
    profile = Profile(name="office", portal=OFFLINE_WEBHOOK, mapping=discovered(sandbox), rate_plan="off")
    context = build_context(profile, secrets, retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002))
    try:
        deal_id, contact_id = someone_with_documents(context.reader)
        warnings: list[str] = []
        context.messages.message.connect(lambda level, text: warnings.append(text) if level == "warning" else None)
        dialog, opened = make_dialog(qtbot, context, deal_id, contact_id)
        push_and_wait(qtbot, dialog)
        assert "Нет связи с порталом" in dialog.status.text()
        assert warnings and "Нет связи с порталом" in warnings[-1]
        assert dialog.link == "" and opened == [] and dialog.push_button.isEnabled()
    finally:
        close_context(context)


def test_the_automatic_rule_is_shown_and_saved_in_the_profile(qtbot, context, sandbox):
    save_profiles(ProfilesFile(active="office", profiles={"office": Profile(
        name="office", portal=sandbox.webhook, mapping=context.mapping, rate_plan="off")}))
    deal_id, _contact_id = someone_with_documents(context.reader)
    dialog, _opened = make_dialog(qtbot, context, deal_id)
    assert not dialog.auto_box.isChecked() and "выключена" in dialog.rule_label.text()
    dialog.auto_box.setChecked(True)
    assert "комплект документов участника полный" in dialog.rule_label.text()
    assert not dialog.stage_combo.isEnabled()
    dialog.rule_combo.setCurrentIndex(push_dialog.ON_STAGE)
    stage = context.reader.stages(context.mapping.pipeline_id)[-1]
    dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findData(stage.status_id))
    assert f"на стадии «{stage.name}»" in dialog.rule_label.text()
    assert dialog.save_rule()
    saved = load_profiles().profiles["office"].push
    assert saved.auto_stages == (stage.status_id,) and not saved.auto_on_complete
    assert context.push_settings == saved
    reopened, _ = make_dialog(qtbot, context, deal_id)  # the next dialog starts from the saved rule
    assert reopened.auto_box.isChecked() and reopened.stage_combo.currentData() == stage.status_id


def test_saving_the_rule_for_an_unknown_profile_says_why(qtbot, context):
    deal_id, _contact_id = someone_with_documents(context.reader)
    errors: list[str] = []
    context.messages.message.connect(lambda level, text: errors.append(text) if level == "error" else None)
    dialog, _opened = make_dialog(qtbot, context, deal_id)  # no profiles file in this basedir
    dialog.auto_box.setChecked(True)
    assert not dialog.save_rule()
    assert errors and errors[-1].startswith("Правило не сохранено") and "office" in errors[-1]
    assert not context.push_settings.auto_on_complete


def test_the_business_process_option_shows_only_with_a_template(qtbot, context):
    deal_id, contact_id = someone_with_documents(context.reader)
    plain, _ = make_dialog(qtbot, context, deal_id, contact_id)
    assert plain.bizproc_box.isHidden()
    context.push_settings = context.push_settings.model_copy(update={"bizproc_template_id": 17})
    with_process, _ = make_dialog(qtbot, context, deal_id, contact_id)
    assert not with_process.bizproc_box.isHidden() and "шаблон 17" in with_process.bizproc_box.text()
    assert with_process.push_settings().bizproc_template_id == 17
    with_process.bizproc_box.setChecked(False)
    assert with_process.push_settings().bizproc_template_id is None


@pytest.mark.parametrize(("settings", "expected"), [
    (PushSettings(), "Автоматическая выгрузка выключена: только вручную"),
    (PushSettings(auto_on_complete=True), "Автоматически: когда комплект документов участника полный"),
    (PushSettings(auto_stages=("C1:WON",)), "Автоматически: когда сделка на стадии «Обучение завершено»"),
    (PushSettings(auto_stages=("C1:X",)), "Автоматически: когда сделка на стадии «C1:X»"),
])
def test_rule_text(settings, expected):
    assert rule_text(settings, {"C1:WON": "Обучение завершено"}) == expected


@pytest.mark.parametrize(("results", "expected"), [
    ([PushResult(1, 2, copied=["Паспорт.pdf"], skipped=["СНИЛС.pdf"])],
     "Готово: скопировано файлов: 1, без изменений: 1"),
    ([PushResult(1, 2, skipped=["СНИЛС.pdf"])], "Готово: ничего не скопировано — всё уже на месте"),
    ([PushResult(1, 2, problems=["нет файла"])], "Готово: ничего не скопировано — всё уже на месте; проблем: 1"),
    ([PushResult(1, None, workflow_id="w1")], "Готово: бизнес-процесс запущен: 1"),
])
def test_summary_text(results, expected):
    assert summary_text(results) == expected


@pytest.fixture
def window(qtbot, context, tmp_path):
    made = MainWindow(context, *default_factories(),
                      settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()


def push_action(window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text().replace("&", "") == "Сделки")
    return next(action for action in menu.actions() if action.text() == "Выгрузить папку…")


def test_install_pushes_the_browsers_deal_or_the_deal_views_participant(qtbot, window, context):
    push_dialog.install(window, opener=lambda url: None)
    action = push_action(window)
    browser = window.browser
    qtbot.waitUntil(lambda: browser.proxy.rowCount() > 0, timeout=5000)
    browser.table.setCurrentIndex(browser.proxy.index(0, TITLE))
    deal_id = int(browser.proxy.index(0, TITLE).data(IdRole))
    action.trigger()
    dialog = window.push_dialog
    assert dialog.deal_id == deal_id and dialog.contact_id is None and dialog.deal_button.isChecked()
    dialog.reject()

    with_people = next(item.deal_id for item in context.reader.participants() if item.id is not None)
    window.open_deal(with_people)
    participants = window.deal_view.participants
    qtbot.waitUntil(lambda: participants.model.rowCount() > 0, timeout=5000)
    participants.table.selectRow(0)
    chosen = participants.current_contact_id()
    action.trigger()
    dialog = window.push_dialog
    assert (dialog.deal_id, dialog.contact_id) == (with_people, chosen) and dialog.participant_button.isChecked()
    dialog.reject()


def test_install_without_a_chosen_deal_asks_for_one(qtbot, window, context):
    push_dialog.install(window)
    window.browser.table.setCurrentIndex(window.browser.proxy.index(-1, 0))
    shown: list[tuple[str, str]] = []
    context.messages.message.connect(lambda level, text: shown.append((level, text)))
    push_action(window).trigger()
    assert shown and shown[-1][0] == "warning" and "Выберите сделку" in shown[-1][1]
    assert getattr(window, "push_dialog", None) is None
