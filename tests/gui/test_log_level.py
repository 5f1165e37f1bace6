"""The log level chosen in the settings holds at the next start, for the root logger and its file handler."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QSettings

from dpo_desktop.logs import LEVEL_VARIABLE, set_level
from dpo_desktop.ui.dialogs.settings import LOG_LEVEL_KEY
from dpo_desktop.ui.gui import apply_saved_log_level


@pytest.fixture
def root_handler():
    root = logging.getLogger()
    handler = logging.NullHandler()
    handler.setLevel(logging.INFO)
    before = root.level
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(before)


def test_set_level_reaches_the_handlers(root_handler):
    assert set_level("debug")
    assert logging.getLogger().level == root_handler.level == logging.DEBUG
    assert not set_level("шёпотом")
    assert root_handler.level == logging.DEBUG


def test_the_saved_level_applies_unless_the_environment_says_otherwise(tmp_path, monkeypatch, root_handler):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    monkeypatch.delenv(LEVEL_VARIABLE, raising=False)
    assert apply_saved_log_level(settings) is None  # nothing saved yet
    settings.setValue(LOG_LEVEL_KEY, "WARNING")
    assert apply_saved_log_level(settings) == "WARNING"
    assert root_handler.level == logging.WARNING
    monkeypatch.setenv(LEVEL_VARIABLE, "DEBUG")
    settings.setValue(LOG_LEVEL_KEY, "ERROR")
    assert apply_saved_log_level(settings) is None
    assert root_handler.level == logging.WARNING
