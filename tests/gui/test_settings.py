"""The settings dialog: a round trip through profiles.json and QSettings, profiles, rules, the cache, install()."""

from __future__ import annotations

import json
import logging

import keyring
import pytest
from PySide6.QtCore import QSettings, Qt

from dpo_desktop import paths
from dpo_desktop.profiles import add_profile, load_profiles, save_mapping
from dpo_desktop.rules.loading import OVERRIDE_NAME, shipped_rules_path
from dpo_desktop.sandbox import seeds
from dpo_desktop.secrets import ENV_WEBHOOK, SERVICE, open_secret_store, webhook_key
from dpo_desktop.ui.dialogs.connect import ConnectWizard
from dpo_desktop.ui.dialogs.settings import LOG_LEVEL_KEY, SYNC_MINUTES_KEY, SettingsDialog, cache_file, install
from dpo_desktop.ui.gui import default_factories
from dpo_desktop.ui.main_window import MainWindow
from tests.cli.harness import LoopbackPortal
from tests.gui.test_connect import check
from tests.sandbox.portal_fixtures import make_sandbox
from tests.sync.conftest import discovered

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

WEBHOOK = "https://one.example.ru/rest/1/settingscode1/"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    monkeypatch.delenv(ENV_WEBHOOK, raising=False)
    level = logging.getLogger().level
    yield
    logging.getLogger().setLevel(level)


@pytest.fixture(scope="module")
def demo_mapping():
    box = make_sandbox(seeds.build("demo"))
    try:
        return discovered(box)
    finally:
        box.client.close()


@pytest.fixture
def profiles(demo_mapping):
    store = open_secret_store()
    add_profile("office", WEBHOOK, store)
    save_mapping("office", demo_mapping)
    add_profile("branch", "https://two.example.ru/rest/3/settingscode2/", store)
    return store


@pytest.fixture
def ini(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def dialog_for(qtbot, ini, **options) -> SettingsDialog:
    made = SettingsDialog(settings=ini, **options)
    qtbot.addWidget(made)
    made.show()
    return made


def select(dialog: SettingsDialog, name: str) -> None:
    row = next(row for row in range(dialog.profile_list.count())
               if dialog.profile_list.item(row).data(Qt.ItemDataRole.UserRole) == name)
    dialog.profile_list.setCurrentRow(row)


def test_settings_round_trip(qtbot, ini, profiles, demo_mapping):
    dialog = dialog_for(qtbot, ini)
    assert dialog.selected() == "office"  # the active profile comes first
    assert "(активный)" in dialog.profile_list.currentItem().text()
    assert dialog.stages.count() == len(demo_mapping.stages)
    dialog.plan_box.setCurrentIndex(dialog.plan_box.findData("enterprise"))
    dialog.template.setText("ДПО/{event_code}/{full_name}")
    dialog.auto_on_complete.setChecked(True)
    dialog.stages.item(1).setCheckState(Qt.CheckState.Checked)
    select(dialog, "branch")  # edits of one profile survive looking at another
    dialog.plan_box.setCurrentIndex(dialog.plan_box.findData("off"))
    dialog.interval.setValue(17)
    dialog.log_level.setCurrentText("DEBUG")
    assert dialog.apply(), dialog.status.text()
    saved = load_profiles().profiles
    office, branch = saved["office"], saved["branch"]
    assert office.rate_plan == "enterprise" and branch.rate_plan == "off"
    assert office.push.path_template == "ДПО/{event_code}/{full_name}"
    assert office.push.auto_on_complete is True
    assert office.push.auto_stages == (demo_mapping.stages[1].status_id,)
    assert office.mapping == demo_mapping  # untouched
    assert int(ini.value(SYNC_MINUTES_KEY)) == 17 and ini.value(LOG_LEVEL_KEY) == "DEBUG"
    assert logging.getLogger().level == logging.DEBUG
    again = dialog_for(qtbot, ini)
    assert again.template.text() == "ДПО/{event_code}/{full_name}" and again.auto_on_complete.isChecked()
    assert again.plan_box.currentData() == "enterprise"
    assert again.stages.item(1).checkState() == Qt.CheckState.Checked
    assert again.interval.value() == 17 and again.log_level.currentText() == "DEBUG"


def test_a_bad_push_template_is_refused_and_nothing_is_written(qtbot, ini, profiles):
    before = load_profiles()
    dialog = dialog_for(qtbot, ini)
    dialog.template.setText("ДПО/{nonsense}")
    dialog.interval.setValue(33)
    assert not dialog.apply()
    assert "шаблон" in dialog.status.text() and "{nonsense}" in dialog.status.text()
    assert load_profiles() == before
    assert ini.value(SYNC_MINUTES_KEY) is None


def test_rules_file_is_validated_and_installed(qtbot, ini, profiles, tmp_path):
    dialog = dialog_for(qtbot, ini)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    dialog.rules_path.setText(str(broken))
    assert not dialog.check_rules()
    assert "Файл правил" in dialog.rules_status.text() and "broken.json" in dialog.rules_status.text()
    assert not dialog.apply()
    assert not (paths.config_dir() / OVERRIDE_NAME).exists()
    good = tmp_path / "good.json"
    good.write_text(shipped_rules_path().read_text(encoding="utf-8"), encoding="utf-8")
    dialog.rules_path.setText(str(good))
    assert dialog.check_rules() and "в порядке" in dialog.rules_status.text()
    assert dialog.apply()
    assert json.loads((paths.config_dir() / OVERRIDE_NAME).read_text(encoding="utf-8")) == json.loads(
        good.read_text(encoding="utf-8"))
    dialog.rules_path.setText("")
    assert dialog.apply()
    assert not (paths.config_dir() / OVERRIDE_NAME).exists()


def test_remove_and_activate_profiles(qtbot, ini, profiles):
    answers = [False, True]
    dialog = dialog_for(qtbot, ini, confirm=lambda _parent, _text: answers.pop(0))
    select(dialog, "branch")
    dialog.activate_button.click()
    assert load_profiles().active == "branch"
    select(dialog, "office")
    dialog.remove_button.click()  # answered «no»
    assert "office" in load_profiles().profiles
    dialog.remove_button.click()
    assert "office" not in load_profiles().profiles
    assert keyring.get_keyring().get_password(SERVICE, webhook_key("office")) is None
    assert [dialog.profile_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(dialog.profile_list.count())] == ["branch"]


def test_clear_cache_deletes_only_a_cache_the_app_is_not_using(qtbot, ini, profiles):
    for name in ("office", "branch"):
        cache_file(name).parent.mkdir(parents=True, exist_ok=True)
        cache_file(name).write_bytes(b"cache")
        cache_file(name).with_name("cache.sqlite3-wal").write_bytes(b"wal")
    dialog = dialog_for(qtbot, ini, in_use="office", confirm=lambda _parent, _text: True)
    assert dialog.cache_label.text() == str(cache_file("office"))
    dialog.clear_cache_button.click()
    assert "перезапуст" in dialog.status.text() or "Закройте программу" in dialog.status.text()
    assert cache_file("office").exists()
    select(dialog, "branch")
    dialog.clear_cache_button.click()
    assert "удалён" in dialog.status.text()
    assert not cache_file("branch").exists() and not cache_file("branch").with_name("cache.sqlite3-wal").exists()


def test_add_a_profile_through_the_wizard(qtbot, ini, profiles):
    portal = LoopbackPortal(seeds.build("demo")).start()
    try:
        dialog = dialog_for(qtbot, ini)
        dialog.add_button.click()
        wizard = dialog.wizard
        assert isinstance(wizard, ConnectWizard) and wizard.isVisible()
        check(qtbot, wizard, portal.webhook)
        wizard.next()
        wizard.next()
        wizard.save_page.name.setText("third")
        wizard.accept()
        wizard.shutdown()
        names = [dialog.profile_list.item(row).data(Qt.ItemDataRole.UserRole)
                 for row in range(dialog.profile_list.count())]
        assert names == ["branch", "office", "third"]
    finally:
        portal.stop()


def test_install_adds_settings_and_connection_to_the_file_menu(qtbot, context, tmp_path):
    window = MainWindow(context, *default_factories(),
                        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    install(window)
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Файл")
    texts = [action.text() for action in menu.actions()]
    assert texts[:2] == ["Подключение к порталу…", "Настройки…"]
    settings_action = menu.actions()[1]
    assert settings_action.shortcut().toString() == "Ctrl+,"
    settings_action.trigger()
    dialogs = [child for child in window.findChildren(SettingsDialog) if child.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].in_use == "office"
    assert dialogs[0].interval.value() == 5
    dialogs[0].close()
    menu.actions()[0].trigger()
    wizards = [child for child in window.findChildren(ConnectWizard) if child.isVisible()]
    assert len(wizards) == 1
    wizards[0].close()
    window.close()
