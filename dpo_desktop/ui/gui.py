"""The GUI's start: the QApplication set-up, the screens' factories and the run loop.

``run_gui(args)`` is what ``dpo-desktop`` with no command does: the main window on the active profile,
or with ``--demo`` on the embedded demo portal; ``--screenshot DIR`` renders the main screens and
exits. With no display at all the demo renders its screens into ``demo-screenshots/`` instead of
failing (DESIGN §7).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QSettings, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .. import paths
from ..b24.errors import B24Error
from ..logs import LEVEL_VARIABLE, set_level
from .context import AppContext
from .dialogs.settings import LOG_LEVEL_KEY
from .i18n import install_translators, remove_translators, saved_language
from .main_window import MainWindow, ScreenFactory

log = logging.getLogger("dpo.ui")
qt_log = logging.getLogger("dpo.qt")

HEADLESS_FOLDER = "demo-screenshots"
FIRST_SYNC_SECONDS = 120.0
_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def has_display() -> bool:
    """Whether Qt can open windows here: a display server, or a platform chosen explicitly."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# What Qt says that is no fault of ours (the offscreen platform, on every top-level window shown).
_QT_NOISE = ("does not support propagateSizeHints",)


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    if any(noise in message for noise in _QT_NOISE):
        level = logging.DEBUG
    qt_log.log(level, "%s", message)


def setup_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (reused when it exists): names for QSettings, the bundled fonts, logging."""
    QCoreApplication.setOrganizationName(paths.APP_AUTHOR)
    QCoreApplication.setApplicationName(paths.APP_NAME)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    assert isinstance(app, QApplication)
    family = load_fonts(paths.resources_dir() / "fonts")
    if family:
        app.setFont(QFont(family, 10))
    return app


def load_fonts(folder: Path) -> str | None:
    """Register the bundled TTFs (so Cyrillic renders even with an empty fontconfig); the first family."""
    family = None
    for font in sorted(folder.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(font))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("the font %s could not be loaded", font.name)
        family = family or (families[0] if families else None)
    return family


def use_settings_folder() -> None:
    """Every ``QSettings()`` of the app is an INI file in ``paths.config_dir()`` (so --basedir holds it)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(paths.config_dir()))


def default_factories() -> tuple[ScreenFactory, ScreenFactory]:
    """The real deal browser and deal view (with the document panel inside)."""
    from .views.deal_browser import DealBrowser
    from .views.deal_view import DealView
    from .views.documents_panel import DocumentPanel

    def browser(context: AppContext, parent: QWidget) -> QWidget:
        return DealBrowser(context, parent=parent)

    def deal_view(context: AppContext, parent: QWidget) -> QWidget:
        return DealView(context, documents_panel_factory=lambda ctx, owner: DocumentPanel(ctx, parent=owner),
                        parent=parent)

    return browser, deal_view


def apply_saved_log_level(settings: QSettings) -> str | None:
    """The log level chosen in the settings, unless the environment asks for another; the level applied."""
    if os.environ.get(LEVEL_VARIABLE):
        return None
    saved = settings.value(LOG_LEVEL_KEY)
    return str(saved) if saved and set_level(str(saved)) else None


def install_screens(window: MainWindow) -> None:
    """The screens and dialogs beyond the deal browser and view: each adds its own actions and screen."""
    from .dialogs import access_log, push_dialog, settings
    from .views import review, uploads_view

    for module in (settings, review, uploads_view, push_dialog, access_log):
        module.install(window)


def show_fatal(text: str) -> None:
    """A reason the GUI cannot start: a dialog when there is a screen to show it on, stderr always."""
    print(f"dpo-desktop: {text}", file=sys.stderr)
    if QGuiApplication.platformName() not in ("offscreen", "minimal", ""):
        QMessageBox.critical(None, "DPO Desk", text)


NO_PROFILE = ("Профилей нет. Создайте профиль: dpo-desktop profile add ИМЯ --webhook-stdin "
              "(или задайте переменную окружения DPO_B24_WEBHOOK)")


def connect_first() -> tuple[Any, Any] | None:
    """No profile yet: the connection wizard on a screen (None when cancelled); without one, the reason."""
    if QGuiApplication.platformName() in ("offscreen", "minimal", ""):
        show_fatal(NO_PROFILE)
        return None
    from .dialogs.connect import ConnectWizard

    wizard = ConnectWizard()
    try:
        if wizard.exec() != ConnectWizard.DialogCode.Accepted or wizard.profile is None:
            print("dpo-desktop: подключение к порталу не настроено", file=sys.stderr)
            return None
        return wizard.profile, wizard.secrets
    finally:
        wizard.shutdown()
        wizard.deleteLater()


def wait_for_sync(window: MainWindow, seconds: float = FIRST_SYNC_SECONDS) -> None:
    """Turn the event loop until the running sync has come back (or ``seconds`` pass)."""
    deadline = time.monotonic() + seconds
    while window.syncer.running and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def run_gui(args: argparse.Namespace, factories: tuple[ScreenFactory, ScreenFactory] | None = None) -> int:
    """``dpo-desktop [--demo] [--screenshot DIR]``; returns the exit code."""
    screenshot = Path(args.screenshot) if getattr(args, "screenshot", None) else None
    no_display = not has_display()
    if no_display:
        if not args.demo:
            print("dpo-desktop: нет дисплея для окна программы (не заданы DISPLAY и WAYLAND_DISPLAY); "
                  "команды работают и без него: dpo-desktop --help", file=sys.stderr)
            return 1
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        screenshot = screenshot or Path(HEADLESS_FOLDER)
    previous_handler = qInstallMessageHandler(_qt_message)
    logging.captureWarnings(True)
    crash_hook = None
    translators: list = []
    try:
        setup_application()
        use_settings_folder()  # before anything is shown: the language is a setting
        translators = install_translators(saved_language(QSettings()))
        from .crash import install_crash_hook

        crash_hook = install_crash_hook()
        return _run(args, screenshot, factories or default_factories(), no_display)
    finally:
        if crash_hook is not None:
            crash_hook.uninstall()
        remove_translators(translators)
        logging.captureWarnings(False)
        qInstallMessageHandler(previous_handler)


def _run(args: argparse.Namespace, screenshot: Path | None, factories: tuple[ScreenFactory, ScreenFactory],
         no_display: bool) -> int:
    from ..app import build_context, close_context
    from ..profiles import ProfileError, active_profile, load_profiles, secret_store_for
    from ..secrets import SecretStoreError, webhook_from_env
    from ..store import StoreError

    demo: Any = None
    context: AppContext | None = None
    try:
        if args.demo:
            from .demo import open_demo

            demo = open_demo()
            profile, secrets = demo.profile, demo.secrets
        else:
            profiles = load_profiles()
            first = None
            if not profiles.profiles and args.profile is None and not webhook_from_env():
                first = connect_first()
                if first is None:
                    return 1
            profile, secrets = first or (active_profile(args.profile, profiles), secret_store_for(profiles))
        apply_saved_log_level(QSettings())
        context = build_context(profile, secrets, demo=bool(args.demo))
    except (ProfileError, SecretStoreError, StoreError, B24Error) as error:
        if demo is not None:
            demo.close()
        show_fatal(getattr(error, "description", None) or str(error))
        return 1
    window = MainWindow(context, *factories)
    install_screens(window)
    try:
        if screenshot is not None:
            return _screenshots(window, screenshot, no_display)
        window.start()
        return QApplication.instance().exec()
    finally:
        window.syncer.stop()
        window.close()
        window.deleteLater()
        close_context(context)
        if demo is not None:
            demo.close()


def _screenshots(window: MainWindow, folder: Path, no_display: bool) -> int:
    from .screenshots import render_screens

    window.show()
    window.syncer.sync_now()
    wait_for_sync(window)
    written = render_screens(window, folder)
    names = ", ".join(path.name for path in written)
    reason = "Дисплея нет, поэтому окно не открыто: " if no_display else ""
    print(f"{reason}экраны демо сохранены в {folder}{os.sep} ({names})", file=sys.stderr)
    return 0
