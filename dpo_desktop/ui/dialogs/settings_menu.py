"""«Файл → Настройки…» and «Файл → Подключение к порталу…» in the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence

from .connect import ConnectWizard

if TYPE_CHECKING:
    from ..main_window import MainWindow


def install(window: MainWindow) -> None:
    """«Файл → Настройки…» (Ctrl+,) and «Файл → Подключение к порталу…» in ``window``."""
    from ..views.uploads_view import find_menu  # one place knows how menus are found by title

    menu = find_menu(window, "Файл")
    settings_action = QAction(QCoreApplication.translate("SettingsMenu", "Настройки…"), window)
    settings_action.setShortcut(QKeySequence("Ctrl+,"))
    settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    connect_action = QAction(QCoreApplication.translate("SettingsMenu", "Подключение к порталу…"), window)
    first = menu.actions()[0] if menu.actions() else None
    menu.insertActions(first, [connect_action, settings_action])
    menu.insertSeparator(first)
    window.addAction(settings_action)

    def open_settings() -> None:
        from .settings import SettingsDialog  # the dialog's module re-exports this install

        dialog = SettingsDialog(window, settings=window.settings, in_use=window.context.profile_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def open_wizard() -> None:
        wizard = ConnectWizard(window)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.saved.connect(lambda profile: window.context.messages.info(
            QCoreApplication.translate("SettingsMenu", "Профиль «{name}» сохранён и станет активным при следующем "
                                                       "запуске "
                                                       "программы.").format(name=profile.name)))
        wizard.show()

    settings_action.triggered.connect(lambda _checked=False: open_settings())
    connect_action.triggered.connect(lambda _checked=False: open_wizard())
