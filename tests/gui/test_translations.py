"""The interface's translations: the ``.ts`` catalogues follow the code, every entry is finished with the
same placeholders, and the main screens speak one language — no English chrome in the Russian interface,
no Cyrillic chrome in the English one (portal data — names, titles, stages, document types — is data).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
    QWizard,
)

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.ui import i18n
from dpo_desktop.ui.dialogs.connect import ConnectWizard
from dpo_desktop.ui.dialogs.push_dialog import PushDialog
from dpo_desktop.ui.dialogs.settings import SettingsDialog
from dpo_desktop.ui.dialogs.settings_general import LOG_LEVELS
from dpo_desktop.ui.gui import default_factories, install_screens
from dpo_desktop.ui.main_window import MainWindow
from dpo_desktop.ui.screenshots import show_first_participant_documents

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
CYRILLIC = re.compile("[А-Яа-яЁё]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# Latin words the Russian interface may show: formats and protocols, product names, the webhook scopes
# the user must tick on the portal (they are named so there), and the app's own name.
ALLOWED_LATIN = {"PDF", "XLSX", "CSV", "JSON", "Excel", "URL", "REST", "API", "OAuth", "Bitrix24", "ID", "https",
                 "http", "CA", "DPO", "Desk", "crm", "lists", "disk", "user"}
# {name}, {name:spec}, %n, %1, %v, %m: what the code fills in after translating
PLACEHOLDER = re.compile(r"\{[a-z_0-9]+(?:![rsa])?(?::[^{}]*)?\}|%[nvm0-9]")
TAG = re.compile(r"</?[a-z]+")
URL = re.compile(r"https?://\S+")


def load_dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def messages(path: Path) -> list[tuple[str, ET.Element]]:
    """(context, message element) of every entry in a ``.ts`` file."""
    tree = ET.parse(path)
    return [(context.findtext("name"), message) for context in tree.getroot().iter("context")
            for message in context.iter("message")]


def keys(path: Path) -> set[tuple[str, str, bool]]:
    return {(context, message.findtext("source"), message.get("numerus") == "yes")
            for context, message in messages(path)}


# -- the catalogues --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_catalogue_is_up_to_date_with_the_code(tmp_path, language):
    """A string added to (or dropped from) the interface without ``python3 dev.py translations`` fails here."""
    dev = load_dev()
    fresh = tmp_path / f"dpo_{language}.ts"
    command = [str(part) for part in dev.lupdate_command(language, fresh)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    committed = TRANSLATIONS / f"dpo_{language}.ts"
    missing, stale = keys(fresh) - keys(committed), keys(committed) - keys(fresh)
    assert not missing and not stale, (
        f"run python3 dev.py translations; new in the code: {sorted(missing)}; gone from it: {sorted(stale)}")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_entry_is_finished_with_the_sources_placeholders(language):
    entries = messages(TRANSLATIONS / f"dpo_{language}.ts")
    assert entries
    problems = []
    for context, message in entries:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") is not None:  # unfinished, obsolete, vanished
            problems.append((context, source, translation.get("type")))
            continue
        forms = ([form.text or "" for form in translation.iter("numerusform")] if message.get("numerus") == "yes"
                 else [translation.text or ""])
        expected_forms = 3 if language == "ru" else 2
        if message.get("numerus") == "yes" and len(forms) != expected_forms:
            problems.append((context, source, f"{len(forms)} plural forms"))
        for text in forms:
            if not text.strip():
                problems.append((context, source, "empty"))
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append((context, source, f"placeholders differ in {text!r}"))
            elif sorted(TAG.findall(text)) != sorted(TAG.findall(source)):
                problems.append((context, source, f"markup differs in {text!r}"))
            elif ("&" in source.replace("&&", "")) != ("&" in text.replace("&&", "")):
                problems.append((context, source, f"the & shortcut is lost or added in {text!r}"))
            elif language == "en" and CYRILLIC.search(text):
                problems.append((context, source, f"Cyrillic in {text!r}"))
    assert not problems, problems


def test_the_russian_catalogue_holds_only_plural_forms():
    entries = messages(TRANSLATIONS / "dpo_ru.ts")
    assert entries and all(message.get("numerus") == "yes" for _context, message in entries)


# -- loading -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def compiled(tmp_path_factory) -> Path:
    """The catalogues compiled by lrelease, as ``dev.py`` does, into a folder of this run."""
    dev = load_dev()
    folder = tmp_path_factory.mktemp("qm")
    for source in sorted(TRANSLATIONS.glob("*.ts")):
        done = subprocess.run([str(dev.qt_tool("lrelease")), "-silent", str(source), "-qm",
                               str(folder / source.with_suffix(".qm").name)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def speak(qapp, compiled) -> Iterator:
    """``speak(language)`` installs that language's translators; all are removed afterwards."""
    installed = []
    locale = QLocale()

    def install(language: str) -> list:
        installed.extend(i18n.install_translators(language, compiled))
        return installed

    yield install
    i18n.remove_translators(installed)
    QLocale.setDefault(locale)


def test_english_translates_and_russian_picks_the_plural_form(speak):
    source = "Недостающие документы на {now:%d.%m.%Y %H:%M}: %n участников"
    assert speak("ru")
    forms = [QCoreApplication.translate("ReviewOutput", source, "", count) for count in (1, 3, 5, 21)]
    assert [form.rsplit(": ", 1)[1] for form in forms] == ["1 участник", "3 участника", "5 участников",
                                                           "21 участник"]
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"  # Qt's own buttons: qtbase_ru


def test_english_is_installed_from_the_setting(speak):
    settings = QSettings()
    settings.setValue(i18n.LANGUAGE_KEY, "en")
    assert speak(i18n.saved_language(settings))
    assert QCoreApplication.translate("MainWindow", "&Файл") == "&File"
    assert QCoreApplication.translate("ReviewOutput", "Недостающие документы на {now:%d.%m.%Y %H:%M}: %n участников",
                                      "", 2).endswith("2 participants")


def test_a_missing_catalogue_leaves_the_interface_russian(qapp, tmp_path, caplog):
    locale = QLocale()
    try:
        installed = i18n.install_translators("en", tmp_path)  # an empty folder: no .qm built
        assert installed == []
        assert QCoreApplication.translate("MainWindow", "&Файл") == "&Файл"
        assert any("dpo_en.qm" in record.getMessage() for record in caplog.records)
    finally:
        QLocale.setDefault(locale)


def test_an_unknown_saved_language_means_russian():
    settings = QSettings()
    settings.setValue(i18n.LANGUAGE_KEY, "tlh")
    assert i18n.saved_language(settings) == "ru"
    settings.remove(i18n.LANGUAGE_KEY)
    assert i18n.saved_language(settings) == "ru"


def test_the_settings_dialog_saves_the_language_for_the_next_start(qtbot, tmp_path):
    ini = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(settings=ini)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "ru"  # Russian by default
    assert [dialog.language.itemText(index) for index in range(dialog.language.count())] == ["Русский", "English"]
    assert any("следующем запуске" in label.text() for label in dialog.general_tab.findChildren(QLabel))
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.apply()
    assert i18n.saved_language(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)) == "en"
    assert QCoreApplication.translate("MainWindow", "&Файл") == "&Файл"  # nothing changes until the next start


# -- the screens -------------------------------------------------------------------------------------------


def data_strings(context) -> list[str]:
    """What the portal and the cache put on screen: shown as it is in every language."""
    reader, pipeline = context.reader, context.mapping.pipeline_id
    values: set[str] = {context.portal, context.profile_name, *LOG_LEVELS, *i18n.LANGUAGES.values()}
    values |= {doc_type.title for doc_type in DocumentType}
    values |= {stage.name for stage in reader.stages(pipeline)}
    for deal in reader.deals(pipeline):
        values |= {deal.title, deal.event_code, deal.event_name, deal.partner_code}
        company = reader.company(deal.company_id) if deal.company_id else None
        if company is not None:
            values.add(company.title)
        for item in reader.participants(deal_id=deal.id):
            contact = reader.contact(item.contact_id)
            if contact is not None:
                values |= {contact.full_name, contact.last_name, contact.name, contact.second_name or ""}
        values |= {document.original_name for document in reader.documents(deal_id=deal.id)}
        if deal.client_contact_id:
            contact = reader.contact(deal.client_contact_id)
            if contact is not None:
                values.add(contact.full_name)
    return sorted((value for value in values if value and len(value) > 1), key=len, reverse=True)


def chrome_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of the interface's own words in ``root``: labels, buttons, placeholders, tooltips, titles,
    tabs, group boxes, menus and actions, table headers, progress formats, the «any» items of combos.
    Table cells are data and are left out."""
    found: list[tuple[str, str]] = []

    def add(where: QWidget | object, text: object) -> None:
        if isinstance(text, str) and text.strip():
            found.append((type(where).__name__, re.sub(r"<[^>]+>", " ", text)))

    widgets = [root, *(child for child in root.findChildren(QWidget) if child.isVisibleTo(root))]
    for widget in widgets:
        add(widget, widget.toolTip())
        add(widget, widget.statusTip())
        if widget.isWindow():
            add(widget, widget.windowTitle())
        if isinstance(widget, (QLabel, QAbstractButton)):
            add(widget, widget.text())
        elif isinstance(widget, QLineEdit):
            add(widget, widget.placeholderText())
        elif isinstance(widget, QGroupBox):
            add(widget, widget.title())
        elif isinstance(widget, QProgressBar):
            add(widget, widget.format())
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                add(widget, widget.tabText(index))
        elif isinstance(widget, QComboBox):
            for index in range(widget.count()):
                if widget.itemData(index) is None:
                    add(widget, widget.itemText(index))
        elif isinstance(widget, QWizard):
            for page_id in widget.pageIds():
                page = widget.page(page_id)
                add(page, page.title())
                add(page, page.subTitle())
        elif isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount(QModelIndex())):
                add(widget, model.headerData(column, Qt.Orientation.Horizontal))
        elif isinstance(widget, QMenu):
            for action in widget.actions():
                add(action, action.text())
                add(action, action.statusTip())
        for action in QWidget.actions(widget):  # the main window's ``actions`` is its own attribute
            add(action, action.text())
            add(action, action.statusTip())
    return found


def without_data(text: str, data: list[str]) -> str:
    """``text`` less the data in it, the addresses and the placeholders Qt fills in (%v, %m)."""
    text = URL.sub(" ", PLACEHOLDER.sub(" ", text))
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return text


def screens(qtbot, context, tmp_path) -> Iterator[QWidget]:
    """The main window on each main screen, then the dialogs: settings, the connection wizard, the push."""
    window = MainWindow(context, *default_factories(),
                        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    install_screens(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0, timeout=10_000)
    yield window
    deal = max(context.reader.deals(context.mapping.pipeline_id),
               key=lambda item: len(context.reader.participants(deal_id=item.id)))
    window.open_deal(deal.id)
    show_first_participant_documents(window.deal_view, seconds=3)
    yield window
    from dpo_desktop.ui.views.review import review_screen

    review = review_screen(window)
    assert review is not None
    window.stack.setCurrentWidget(review)
    review.reload()
    yield window
    window.stack.setCurrentWidget(window.uploads_view)
    yield window
    settings = SettingsDialog(window, settings=QSettings(str(tmp_path / "dialog.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(settings)
    tabs = settings.findChild(QTabWidget)
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        yield settings
    wizard = ConnectWizard()
    qtbot.addWidget(wizard)
    yield wizard
    contact = context.reader.participants(deal_id=deal.id)[0].contact_id
    push = PushDialog(context, deal.id, contact, window, opener=lambda _url: None)
    qtbot.addWidget(push)
    yield push


def test_the_russian_interface_shows_no_english(qtbot, context, tmp_path, speak):
    speak("ru")
    data = data_strings(context)
    english = set()
    for screen in screens(qtbot, context, tmp_path):
        for where, text in chrome_texts(screen):
            words = set(WORD.findall(without_data(text, data))) - ALLOWED_LATIN
            english |= {(where, word, text) for word in words}
    assert not english, sorted(english)


def test_the_english_interface_shows_no_cyrillic_of_its_own(qtbot, context, tmp_path, speak):
    speak("en")
    data = data_strings(context)
    russian = set()
    for screen in screens(qtbot, context, tmp_path):
        for where, text in chrome_texts(screen):
            if CYRILLIC.search(without_data(text, data)):
                russian.add((where, text))
    assert not russian, sorted(russian)
