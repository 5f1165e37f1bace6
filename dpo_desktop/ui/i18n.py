"""The interface language: Qt translators installed once at start, from the language setting.

The source language is Russian. The app is Russian first — its users are the document offices of Russian
training organisations — and its ~500 interface strings were written in Russian, so they stay the source
text (``self.tr("Русский текст")``) rather than being rewritten into English keys. Hence two catalogues
in ``resources/translations/``:

- ``dpo_en.ts``: the full English translation, every entry finished;
- ``dpo_ru.ts``: made with ``lupdate -pluralonly``: only the Russian plural forms of ``%n`` messages
  (1 документ / 2 документа / 5 документов), which Qt's numerus picks by the number.

``.qm`` files are built from the ``.ts`` by ``pyside6-lrelease`` (``python3 dev.py`` does it) and never
committed. A missing ``.qm`` is logged once and the interface stays Russian (the source), so the app
still starts. For Russian, Qt's own catalogue (``qtbase_ru``) is loaded too, so the standard buttons
and dialogs (OK, Отмена, the file dialogs) speak Russian.

Strings made by lower layers (reasons from ``rules/``, ``sync/``, ``portal/``) are Russian data from the
interface's point of view and are shown as they are in every language.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from .. import paths

log = logging.getLogger("dpo.ui")

LANGUAGE_KEY = "ui/language"
SOURCE_LANGUAGE = "ru"
# each language named in its own words: the choice must be readable whatever the interface speaks now
LANGUAGES = {"ru": "Русский", "en": "English"}
CATALOGUE = "dpo"
QT_CATALOGUES = ("qtbase", "qt")  # qtbase first: it is the one with the standard buttons

_warned: set[str] = set()


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def saved_language(settings: QSettings) -> str:
    """The language chosen in the settings; Russian when none (or an unknown one) was chosen."""
    value = str(settings.value(LANGUAGE_KEY, SOURCE_LANGUAGE) or SOURCE_LANGUAGE)
    return value if value in LANGUAGES else SOURCE_LANGUAGE


def install_translators(language: str, folder: Path | None = None,
                        app: QCoreApplication | None = None) -> list[QTranslator]:
    """Install the app's catalogue for ``language`` from ``folder`` (the resources by default) and, for
    Russian, Qt's own; returns the translators installed (parented to the app: they live as long as it)."""
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs the QApplication")
    language = language if language in LANGUAGES else SOURCE_LANGUAGE
    russian = language == "ru"
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia) if russian
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    installed = [_install(app, f"{CATALOGUE}_{language}", folder or translations_dir())]
    if russian:  # without a catalogue Qt's own buttons and dialogs speak English
        qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        installed.append(_install(app, f"{QT_CATALOGUES[0]}_{language}", qt_folder, warn=False)
                         or _install(app, f"{QT_CATALOGUES[1]}_{language}", qt_folder))
    return [translator for translator in installed if translator is not None]


def _install(app: QCoreApplication, name: str, folder: Path, *, warn: bool = True) -> QTranslator | None:
    translator = QTranslator(app)
    if translator.load(name, str(folder)):
        app.installTranslator(translator)
        return translator
    translator.deleteLater()
    if warn:
        _warn_once(f"{name}.qm", folder)
    return None


def remove_translators(translators: list[QTranslator], app: QCoreApplication | None = None) -> None:
    app = app or QCoreApplication.instance()
    if app is None:
        return
    for translator in translators:
        app.removeTranslator(translator)
        translator.deleteLater()


def _warn_once(name: str, folder: Path) -> None:
    if str(folder / name) in _warned:
        return
    _warned.add(str(folder / name))
    log.warning("translation %s not found in %s: the interface stays in Russian (python3 dev.py builds it)",
                name, folder)
