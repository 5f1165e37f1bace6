"""The settings dialog: profiles, the portal's rate plan, background sync, the log level, the rules file,
the automatic folder push and the cache; and :func:`install`, which puts it and the connection wizard
into the window's «Файл» menu.

Profiles are changed through ``profiles`` (the file the command line uses too); window-level choices
go to ``QSettings``. Nothing is written until «Сохранить», and a value that does not pass its check
(a push path template, a rules file) keeps the dialog open with the reason in Russian.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import paths
from ...logs import set_level
from ...profiles import (
    Profile,
    ProfileError,
    load_profiles,
    remove_profile,
    save_profiles,
    secret_store_for,
    set_active,
)
from ...rules.loading import OVERRIDE_NAME, load_rules
from ...sync.push_settings import PushSettings
from ..main_window import DEFAULT_SYNC_MINUTES, SYNC_MINUTES_KEY, MainWindow
from .connect import PLANS, ConnectWizard

log = logging.getLogger("dpo.ui")

LOG_LEVEL_KEY = "log/level"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
CACHE_NAME = "cache.sqlite3"
Confirm = Callable[[QWidget, str], bool]


def ask(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, "DPO Desk", text)
    return answer == QMessageBox.StandardButton.Yes


def cache_file(profile: str) -> Path:
    return paths.data_dir() / profile / CACHE_NAME


def clear_cache(profile: str, in_use: str | None) -> str:
    """Delete ``profile``'s cache (with its WAL files) unless the running app uses it; what happened, in Russian."""
    if profile == in_use:
        return (f"Кэш профиля «{profile}» сейчас открыт программой. Закройте программу и откройте её с другим "
                "профилем, чтобы очистить его.")
    main = cache_file(profile)
    removed = 0
    for path in (main, main.with_name(main.name + "-wal"), main.with_name(main.name + "-shm")):
        if path.exists():
            path.unlink()
            removed += 1
    if not removed:
        return f"Кэш профиля «{profile}» уже пуст."
    log.info("cache of profile %s cleared", profile)
    return f"Кэш профиля «{profile}» удалён: при следующем открытии данные загрузятся с портала заново."


def validation_text(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    return str(first.get("msg", "")).removeprefix("Value error, ")


class SettingsDialog(QDialog):
    """Non-modal; «Сохранить» writes everything (:meth:`apply`), «Отмена» nothing.

    Attributes:
        profile_list: the profiles (item data: the name); status: the last outcome or error, in Russian.
    """

    def __init__(self, parent: QWidget | None = None, *, settings: QSettings | None = None,
                 profiles_path: Path | None = None, in_use: str | None = None, confirm: Confirm = ask,
                 wizard_factory: Callable[[QWidget], ConnectWizard] = ConnectWizard) -> None:
        super().__init__(parent)
        self.setWindowTitle("Настройки")
        self.settings = settings if settings is not None else QSettings()
        self.profiles_path = profiles_path
        self.in_use = in_use
        self.confirm = confirm
        self.wizard_factory = wizard_factory
        self.wizard: ConnectWizard | None = None
        self._push: dict[str, PushSettings] = {}
        self._plans: dict[str, str] = {}
        tabs = QTabWidget()
        tabs.addTab(self._profiles_tab(), "Профили")
        tabs.addTab(self._general_tab(), "Синхронизация")
        tabs.addTab(self._push_tab(), "Выгрузка в папки")
        tabs.addTab(self._rules_tab(), "Правила документов")
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.reload_profiles()

    # -- tabs ---------------------------------------------------------------------------------------

    def _profiles_tab(self) -> QWidget:
        page = QWidget()
        self.profile_list = QListWidget()
        self.profile_list.currentItemChanged.connect(lambda current, previous: self._profile_selected(previous))
        self.add_button = QPushButton("Добавить…")
        self.remove_button = QPushButton("Удалить")
        self.activate_button = QPushButton("Сделать активным")
        self.clear_cache_button = QPushButton("Очистить кэш")
        self.add_button.clicked.connect(self.on_add_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        self.activate_button.clicked.connect(self.on_activate_clicked)
        self.clear_cache_button.clicked.connect(self.on_clear_cache_clicked)
        self.plan_box = QComboBox()
        for key, title in PLANS:
            self.plan_box.addItem(title, key)
        self.cache_label = QLabel()
        self.cache_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cache_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.activate_button):
            buttons.addWidget(button)
        form = QFormLayout()
        form.addRow("Тариф портала:", self.plan_box)
        form.addRow("Кэш:", self.cache_label)
        form.addRow(self.clear_cache_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.profile_list, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        return page

    def _general_tab(self) -> QWidget:
        page = QWidget()
        self.interval = QSpinBox()
        self.interval.setRange(1, 24 * 60)
        self.interval.setSuffix(" мин")
        self.interval.setValue(int(float(self.settings.value(SYNC_MINUTES_KEY, DEFAULT_SYNC_MINUTES) or 0)
                                    or DEFAULT_SYNC_MINUTES))
        self.log_level = QComboBox()
        self.log_level.addItems(LOG_LEVELS)
        self.log_level.setCurrentText(str(self.settings.value(LOG_LEVEL_KEY, "INFO")))
        form = QFormLayout(page)
        form.addRow("Фоновая синхронизация каждые:", self.interval)
        form.addRow("Подробность журнала:", self.log_level)
        return page

    def _push_tab(self) -> QWidget:
        page = QWidget()
        self.template = QLineEdit()
        self.auto_on_complete = QCheckBox("выгружать папку участника, когда комплект документов собран")
        self.stages = QListWidget()
        form = QFormLayout(page)
        form.addRow("Путь папки:", self.template)
        form.addRow(self.auto_on_complete)
        form.addRow("Выгружать, когда сделка на стадии:", self.stages)
        return page

    def _rules_tab(self) -> QWidget:
        page = QWidget()
        self.rules_path = QLineEdit()
        self.rules_path.setPlaceholderText("стандартные правила")
        current = paths.config_dir() / OVERRIDE_NAME
        if current.exists():
            self.rules_path.setText(str(current))
        browse = QPushButton("Обзор…")
        browse.clicked.connect(self._browse_rules)
        check = QPushButton("Проверить")
        check.clicked.connect(self.check_rules)
        self.rules_status = QLabel()
        self.rules_status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.rules_path, 1)
        row.addWidget(browse)
        row.addWidget(check)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Файл правил обязательных документов (JSON); действует после перезапуска."))
        layout.addLayout(row)
        layout.addWidget(self.rules_status)
        layout.addStretch(1)
        return page

    # -- profiles -----------------------------------------------------------------------------------

    def selected(self) -> str | None:
        item = self.profile_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def reload_profiles(self) -> None:
        profiles = load_profiles(self.profiles_path)
        chosen = self.selected() or profiles.active
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for name, profile in sorted(profiles.profiles.items()):
            mark = " (активный)" if name == profiles.active else ""
            item = QListWidgetItem(f"{name}{mark} — {profile.portal}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.profile_list.addItem(item)
            self._push.setdefault(name, profile.push)
            self._plans.setdefault(name, profile.rate_plan)
            if name == chosen:
                self.profile_list.setCurrentItem(item)
        self.profile_list.blockSignals(False)
        self._show_profile(profiles.profiles.get(self.selected() or ""))

    def _profile_selected(self, previous: QListWidgetItem | None) -> None:
        if previous is not None:
            self._keep_edits(previous.data(Qt.ItemDataRole.UserRole))
        self._show_profile(load_profiles(self.profiles_path).profiles.get(self.selected() or ""))

    def _show_profile(self, profile: Profile | None) -> None:
        has = profile is not None
        for widget in (self.remove_button, self.activate_button, self.clear_cache_button, self.plan_box,
                       self.template, self.auto_on_complete, self.stages):
            widget.setEnabled(has)
        self.stages.clear()
        if profile is None:
            self.cache_label.setText("")
            return
        self.cache_label.setText(str(cache_file(profile.name)))
        index = self.plan_box.findData(self._plans.get(profile.name, profile.rate_plan))
        self.plan_box.setCurrentIndex(max(index, 0))
        push = self._push.get(profile.name, profile.push)
        self.template.setText(push.path_template)
        self.auto_on_complete.setChecked(push.auto_on_complete)
        for stage in profile.mapping.stages if profile.mapping is not None else ():
            item = QListWidgetItem(stage.name)
            item.setData(Qt.ItemDataRole.UserRole, stage.status_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = stage.status_id in push.auto_stages
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.stages.addItem(item)

    def _keep_edits(self, name: str | None) -> bool:
        """Hold the shown profile's edits until «Сохранить»; False (and the reason shown) when invalid."""
        if not name:
            return True
        self._plans[name] = str(self.plan_box.currentData())
        stages = tuple(str(self.stages.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.stages.count())
                       if self.stages.item(row).checkState() == Qt.CheckState.Checked)
        previous = self._push.get(name, PushSettings())
        try:
            # Built anew (not model_copy) so that the template is validated.
            self._push[name] = PushSettings(**{**previous.model_dump(), "path_template": self.template.text(),
                                               "auto_on_complete": self.auto_on_complete.isChecked(),
                                               "auto_stages": stages})
        except ValidationError as error:
            self.status.setText(f"Профиль «{name}», путь папки: {validation_text(error)}")
            return False
        return True

    def on_add_clicked(self) -> None:
        self.wizard = self.wizard_factory(self)
        self.wizard.saved.connect(lambda _profile: self.reload_profiles())
        self.wizard.show()

    def on_remove_clicked(self) -> None:
        name = self.selected()
        if name is None or not self.confirm(self, f"Удалить профиль «{name}» и его вебхук? Кэш останется на диске."):
            return
        try:
            remove_profile(name, secret_store_for(load_profiles(self.profiles_path)), self.profiles_path)
        except ProfileError as error:
            self.status.setText(str(error))
            return
        self._push.pop(name, None)
        self._plans.pop(name, None)
        self.status.setText(f"Профиль «{name}» удалён.")
        self.reload_profiles()

    def on_activate_clicked(self) -> None:
        name = self.selected()
        if name is not None:
            set_active(name, self.profiles_path)
            self.status.setText(f"Профиль «{name}» откроется при следующем запуске.")
            self.reload_profiles()

    def on_clear_cache_clicked(self) -> None:
        name = self.selected()
        if name is not None and self.confirm(self, f"Удалить кэш профиля «{name}»? Данные загрузятся с портала "
                                                   "заново; неотправленные изменения пропадут."):
            self.status.setText(clear_cache(name, self.in_use))

    # -- rules --------------------------------------------------------------------------------------

    def _browse_rules(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Файл правил", "", "JSON (*.json);;Все файлы (*)")
        if path:
            self.rules_path.setText(path)
            self.check_rules()

    def check_rules(self) -> bool:
        text = self.rules_path.text().strip()
        if not text:
            self.rules_status.setText("Используются стандартные правила.")
            return True
        loaded = load_rules(Path(text))
        if loaded.error:
            self.rules_status.setText(loaded.error)
            return False
        self.rules_status.setText("Файл правил в порядке.")
        return True

    # -- saving -------------------------------------------------------------------------------------

    def on_save_clicked(self) -> None:
        if self.apply():
            self.accept()

    def apply(self) -> bool:
        """Write every setting; False (nothing of the invalid part written) when a value is refused."""
        if not self._keep_edits(self.selected()) or not self.check_rules():
            return False
        profiles = load_profiles(self.profiles_path)
        for name, profile in list(profiles.profiles.items()):
            update = {"push": self._push.get(name, profile.push), "rate_plan": self._plans.get(name, profile.rate_plan)}
            profiles.profiles[name] = profile.model_copy(update=update)
        save_profiles(profiles, self.profiles_path)
        self._install_rules()
        self.settings.setValue(SYNC_MINUTES_KEY, self.interval.value())
        self.settings.setValue(LOG_LEVEL_KEY, self.log_level.currentText())
        self.settings.sync()
        set_level(self.log_level.currentText())
        self.status.setText("Настройки сохранены.")
        return True

    def _install_rules(self) -> None:
        target = paths.config_dir() / OVERRIDE_NAME
        text = self.rules_path.text().strip()
        if not text:
            target.unlink(missing_ok=True)
        elif Path(text).resolve() != target.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(text, target)


def install(window: MainWindow) -> None:
    """«Файл → Настройки…» (Ctrl+,) and «Файл → Подключение к порталу…» in ``window``."""
    menu = next(action.menu() for action in window.menuBar().actions() if action.text().replace("&", "") == "Файл")
    settings_action = QAction("Настройки…", window)
    settings_action.setShortcut(QKeySequence("Ctrl+,"))
    settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    connect_action = QAction("Подключение к порталу…", window)
    first = menu.actions()[0] if menu.actions() else None
    menu.insertActions(first, [connect_action, settings_action])
    menu.insertSeparator(first)
    window.addAction(settings_action)

    def open_settings() -> None:
        dialog = SettingsDialog(window, settings=window.settings, in_use=window.context.profile_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def open_wizard() -> None:
        wizard = ConnectWizard(window)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.saved.connect(lambda profile: window.context.messages.info(
            f"Профиль «{profile.name}» сохранён и станет активным при следующем запуске программы."))
        wizard.show()

    settings_action.triggered.connect(lambda _checked=False: open_settings())
    connect_action.triggered.connect(lambda _checked=False: open_wizard())
