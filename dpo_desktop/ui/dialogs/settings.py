"""The settings dialog: profiles, the portal's rate plan, background sync, the log level, the rules file,
the automatic folder push and the cache; and :func:`install`, which puts it and the connection wizard
into the window's «Файл» menu.

Profiles are changed through ``profiles`` (the file the command line uses too); window-level choices
go to ``QSettings``. Nothing is written until «Сохранить», and a value that does not pass its check
(a push path template, a rules file) keeps the dialog open with the reason in Russian.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...profiles import (
    Profile,
    ProfileError,
    load_profiles,
    remove_profile,
    save_profiles,
    secret_store_for,
    set_active,
)
from ...sync.push_settings import PushSettings
from ..main_window import SYNC_MINUTES_KEY
from .connect import PLANS, ConnectWizard
from .settings_cache import cache_file, clear_cache
from .settings_general import LOG_LEVEL_KEY, GeneralTab
from .settings_menu import install
from .settings_rules import RulesTab

__all__ = ["LOG_LEVEL_KEY", "SYNC_MINUTES_KEY", "SettingsDialog", "cache_file", "clear_cache", "install"]

Confirm = Callable[[QWidget, str], bool]


def ask(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, "DPO Desk", text)
    return answer == QMessageBox.StandardButton.Yes


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
        self.setWindowTitle(self.tr("Настройки"))
        self.settings = settings if settings is not None else QSettings()
        self.profiles_path = profiles_path
        self.in_use = in_use
        self.confirm = confirm
        self.wizard_factory = wizard_factory
        self.wizard: ConnectWizard | None = None
        self._push: dict[str, PushSettings] = {}
        self._plans: dict[str, str] = {}
        tabs = QTabWidget()
        tabs.addTab(self._profiles_tab(), self.tr("Профили"))
        self.general_tab = GeneralTab(self.settings)
        self.interval, self.log_level, self.language = (self.general_tab.interval, self.general_tab.log_level,
                                                        self.general_tab.language)
        tabs.addTab(self.general_tab, self.tr("Общие"))
        tabs.addTab(self._push_tab(), self.tr("Выгрузка в папки"))
        self.rules_tab = RulesTab()
        self.rules_path, self.rules_status = self.rules_tab.rules_path, self.rules_tab.rules_status
        tabs.addTab(self.rules_tab, self.tr("Правила документов"))
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
        self.add_button = QPushButton(self.tr("Добавить…"))
        self.remove_button = QPushButton(self.tr("Удалить"))
        self.activate_button = QPushButton(self.tr("Сделать активным"))
        self.clear_cache_button = QPushButton(self.tr("Очистить кэш"))
        self.add_button.clicked.connect(self.on_add_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        self.activate_button.clicked.connect(self.on_activate_clicked)
        self.clear_cache_button.clicked.connect(self.on_clear_cache_clicked)
        self.plan_box = QComboBox()
        for key, title in PLANS:
            self.plan_box.addItem(QCoreApplication.translate("Plans", title), key)
        self.cache_label = QLabel()
        self.cache_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cache_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.activate_button):
            buttons.addWidget(button)
        form = QFormLayout()
        form.addRow(self.tr("Тариф портала:"), self.plan_box)
        form.addRow(self.tr("Кэш:"), self.cache_label)
        form.addRow(self.clear_cache_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.profile_list, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        return page

    def _push_tab(self) -> QWidget:
        page = QWidget()
        self.template = QLineEdit()
        self.auto_on_complete = QCheckBox(self.tr("выгружать папку участника, когда комплект документов собран"))
        self.stages = QListWidget()
        form = QFormLayout(page)
        form.addRow(self.tr("Путь папки:"), self.template)
        form.addRow(self.auto_on_complete)
        form.addRow(self.tr("Выгружать, когда сделка на стадии:"), self.stages)
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
            mark = self.tr(" (активный)") if name == profiles.active else ""
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
            self.status.setText(self.tr("Профиль «{name}», путь папки: {reason}").format(
                name=name, reason=validation_text(error)))
            return False
        return True

    def on_add_clicked(self) -> None:
        self.wizard = self.wizard_factory(self)
        self.wizard.saved.connect(lambda _profile: self.reload_profiles())
        self.wizard.show()

    def on_remove_clicked(self) -> None:
        name = self.selected()
        if name is None or not self.confirm(self, self.tr("Удалить профиль «{name}» и его вебхук? Кэш останется на "
                                                          "диске.").format(name=name)):
            return
        try:
            remove_profile(name, secret_store_for(load_profiles(self.profiles_path)), self.profiles_path)
        except ProfileError as error:
            self.status.setText(str(error))
            return
        self._push.pop(name, None)
        self._plans.pop(name, None)
        self.status.setText(self.tr("Профиль «{name}» удалён.").format(name=name))
        self.reload_profiles()

    def on_activate_clicked(self) -> None:
        name = self.selected()
        if name is not None:
            set_active(name, self.profiles_path)
            self.status.setText(self.tr("Профиль «{name}» откроется при следующем запуске.").format(name=name))
            self.reload_profiles()

    def on_clear_cache_clicked(self) -> None:
        name = self.selected()
        if name is not None and self.confirm(self, self.tr("Удалить кэш профиля «{name}»? Данные загрузятся с портала "
                                                           "заново; "
                                                           "неотправленные изменения пропадут.").format(name=name)):
            self.status.setText(clear_cache(name, self.in_use))

    def check_rules(self) -> bool:
        return self.rules_tab.check_rules()

    # -- saving -------------------------------------------------------------------------------------

    def on_save_clicked(self) -> None:
        if self.apply():
            self.accept()

    def apply(self) -> bool:
        """Write every setting; False (nothing of the invalid part written) when a value is refused."""
        if not self._keep_edits(self.selected()) or not self.rules_tab.check_rules():
            return False
        profiles = load_profiles(self.profiles_path)
        for name, profile in list(profiles.profiles.items()):
            update = {"push": self._push.get(name, profile.push), "rate_plan": self._plans.get(name, profile.rate_plan)}
            profiles.profiles[name] = profile.model_copy(update=update)
        save_profiles(profiles, self.profiles_path)
        self.rules_tab.install_rules()
        self.general_tab.save()
        self.status.setText(self.tr("Настройки сохранены."))
        return True
