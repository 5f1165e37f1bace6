"""The settings dialog's «Общие» tab: how often the background sync runs, how detailed the log is, and the
interface language (read once at start, so a change applies at the next start)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QWidget

from ...logs import set_level
from ..i18n import LANGUAGE_KEY, LANGUAGES, saved_language
from ..main_window import DEFAULT_SYNC_MINUTES, SYNC_MINUTES_KEY

LOG_LEVEL_KEY = "log/level"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class GeneralTab(QWidget):
    """Attributes: interval (minutes between syncs), log_level, language (item data: the language code)."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.interval = QSpinBox()
        self.interval.setRange(1, 24 * 60)
        self.interval.setSuffix(self.tr(" мин"))
        self.interval.setValue(int(float(settings.value(SYNC_MINUTES_KEY, DEFAULT_SYNC_MINUTES) or 0)
                                    or DEFAULT_SYNC_MINUTES))
        self.log_level = QComboBox()
        self.log_level.addItems(LOG_LEVELS)
        self.log_level.setCurrentText(str(settings.value(LOG_LEVEL_KEY, "INFO")))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)  # each language in its own words: no translation
        self.language.setCurrentIndex(max(self.language.findData(saved_language(settings)), 0))
        language_note = QLabel(self.tr("Язык сменится при следующем запуске программы."))
        language_note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Фоновая синхронизация каждые:"), self.interval)
        form.addRow(self.tr("Подробность журнала:"), self.log_level)
        form.addRow(self.tr("Язык интерфейса:"), self.language)
        form.addRow(language_note)

    def save(self) -> None:
        self.settings.setValue(SYNC_MINUTES_KEY, self.interval.value())
        self.settings.setValue(LOG_LEVEL_KEY, self.log_level.currentText())
        self.settings.setValue(LANGUAGE_KEY, self.language.currentData())
        self.settings.sync()
        set_level(self.log_level.currentText())
