"""The crash dialog: a bug on any thread becomes a copyable, redacted report on the GUI thread."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtGui import QGuiApplication

from dpo_desktop.logs import RecentLines, register_secret
from dpo_desktop.ui.crash import LOG_LINES, CrashHook, crash_report

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SECRET = "k9x2crashsecret77"
WEBHOOK = f"https://portal.example.ru/rest/1/{SECRET}/"


@pytest.fixture
def tail():
    handler = RecentLines()
    logger = logging.getLogger("dpo.test.crash")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def hook(qtbot, tail):
    made = CrashHook(tail).install()
    yield made
    made.uninstall()
    for dialog in made.dialogs:
        dialog.close()
        dialog.deleteLater()


def raised(error: BaseException):
    try:
        raise error
    except BaseException:
        return sys.exc_info()


def test_an_uncaught_exception_opens_a_dialog_with_the_report_and_no_secret(qtbot, hook, tail):
    logging.getLogger("dpo.test.crash").info("calling %s", WEBHOOK)
    exc_type, error, tb = raised(RuntimeError(f"portal {WEBHOOK} exploded"))
    sys.excepthook(exc_type, error, tb)
    assert len(hook.dialogs) == 1
    dialog = hook.dialogs[0]
    assert dialog.isVisible()
    text = dialog.text.toPlainText()
    assert "RuntimeError: portal https://portal.example.ru/rest/1/***/ exploded" in text
    assert "DPO Desk" in text and "Python" in text and "Qt " in text and "Система:" in text
    assert "Последние строки журнала" in text and "calling https://portal.example.ru/rest/1/***/" in text
    assert SECRET not in text
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text


def test_a_registered_secret_is_masked_even_outside_a_webhook_path(hook):
    register_secret(SECRET)
    report = crash_report(*raised(ValueError(f"token was {SECRET}")))
    assert "ValueError: token was ***" in report and SECRET not in report


def test_an_exception_on_another_thread_reaches_the_gui_thread(qtbot, hook):
    seen: list[bool] = []
    hook.crashed.connect(lambda _report: seen.append(threading.current_thread() is threading.main_thread()))

    def boom() -> None:
        raise KeyError("from the worker")

    worker = threading.Thread(target=boom, name="worker-7")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(hook.dialogs), timeout=5000)
    assert seen == [True]
    text = hook.dialogs[0].text.toPlainText()
    assert "Поток: worker-7" in text and "KeyError: 'from the worker'" in text


def test_only_the_last_log_lines_are_kept(hook, tail):
    logger = logging.getLogger("dpo.test.crash")
    for number in range(LOG_LINES + 20):
        logger.info("line number %d", number)
    report = crash_report(*raised(OSError("disk")), log_lines=list(tail.lines))
    assert f"line number {LOG_LINES + 19}" in report
    assert "line number 19\n" not in report and "line number 20" in report


def test_install_and_uninstall_restore_the_previous_hooks(qtbot, tail):
    before = (sys.excepthook, threading.excepthook)
    made = CrashHook(tail).install()
    assert sys.excepthook == made.on_exception and threading.excepthook == made.on_thread_exception
    made.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
