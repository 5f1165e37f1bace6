"""The connection wizard against a sandbox portal on loopback: good and bad webhooks, provisioning, saving."""

from __future__ import annotations

import socket
import sys
import threading

import keyring
import pytest
from keyring.backends import fail

from dpo_desktop import paths
from dpo_desktop.b24 import errors
from dpo_desktop.profiles import load_profiles
from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.limits import PLANS
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.server import LoopbackServer
from dpo_desktop.secrets import ENV_WEBHOOK, SERVICE, webhook_key
from dpo_desktop.ui.dialogs.connect import ConnectWizard, explain_failure, masked, webhook_problem
from tests.cli.harness import LoopbackPortal

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture(autouse=True)
def _no_env_webhook(monkeypatch):
    monkeypatch.delenv(ENV_WEBHOOK, raising=False)


@pytest.fixture
def demo_portal():
    portal = LoopbackPortal(seeds.build("demo")).start()
    yield portal
    portal.stop()


@pytest.fixture
def empty_portal():
    portal = LoopbackPortal(seeds.build_empty()).start()
    yield portal
    portal.stop()


@pytest.fixture
def wizard(qtbot):
    made = ConnectWizard()
    qtbot.addWidget(made)
    made.show()
    yield made
    made.shutdown()


def check(qtbot, wizard: ConnectWizard, webhook: str) -> str:
    """Paste ``webhook``, press «Проверить», wait for the answer; the page's status line."""
    page = wizard.webhook_page
    page.webhook.setText(webhook)
    answers: list[object] = []
    wizard.checked.connect(answers.append)
    wizard.failed.connect(answers.append)
    try:
        page.check_button.click()
        qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    finally:
        wizard.checked.disconnect(answers.append)
        wizard.failed.disconnect(answers.append)
    return page.status.text()


def test_a_good_webhook_is_checked_mapped_and_saved_with_its_secret_in_the_keyring(qtbot, wizard, demo_portal):
    status = check(qtbot, wizard, demo_portal.webhook)
    assert "схема ДПО на портале найдена" in status
    assert wizard.webhook_page.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.mapping_page.isComplete()
    assert "Участники" in wizard.mapping_page.text.toPlainText()
    assert not wizard.mapping_page.provision_button.isVisible()
    wizard.next()
    assert wizard.currentPage() is wizard.save_page
    wizard.save_page.name.setText("office")
    wizard.accept()
    assert wizard.profile is not None and wizard.profile.name == "office"
    profiles = load_profiles()
    assert profiles.active == "office"
    saved = profiles.profiles["office"]
    assert saved.portal == f"http://127.0.0.1:{demo_portal.port}"
    assert saved.mapping is not None and saved.mapping.pipeline_id == wizard.report.discovery.mapping.pipeline_id
    assert wizard.secrets.kind == "system"
    assert keyring.get_keyring().get_password(SERVICE, webhook_key("office")) == demo_portal.webhook
    # The webhook is not kept on screen, nor in the wizard, once saved.
    assert wizard.webhook_page.webhook.text() == ""
    assert demo_portal.code not in wizard.webhook_page.webhook.placeholderText()
    assert wizard.webhook == ""


@pytest.mark.parametrize(("webhook", "expected"), [
    ("", "Вставьте адрес входящего вебхука"),
    ("portal.example.ru/rest/1/abc", "должен начинаться с https://"),
    ("https://portal.example.ru/crm/deal/", "не адрес входящего вебхука"),
    ("http://portal.example.ru/rest/1/abcdef123/", "только по https"),
    ("https://portal.example.ru/rest/1/abcdef123/", None),
    ("http://127.0.0.1:8080/rest/1/abcdef123/", None),
])
def test_webhook_form(webhook, expected):
    problem = webhook_problem(webhook)
    assert (problem is None) if expected is None else (expected in problem)


@pytest.mark.parametrize(("webhook", "expected"), [
    ("https://portal.example.ru/crm/deal/", "не адрес входящего вебхука"),
    ("http://portal.example.ru/rest/1/abcdef123/", "только по https"),
])
def test_a_badly_formed_webhook_is_refused_before_any_request(qtbot, wizard, webhook, expected):
    assert expected in check(qtbot, wizard, webhook)
    assert wizard.report is None and not wizard.webhook_page.isComplete()


def test_an_unreachable_port_says_the_portal_does_not_answer(qtbot, wizard):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = check(qtbot, wizard, f"http://127.0.0.1:{port}/rest/1/abcdef123/")
    assert f"Портал http://127.0.0.1:{port} не отвечает" in status
    assert "abcdef123" not in status


def test_a_revoked_webhook_is_explained(qtbot, wizard, demo_portal):
    webhook, code = demo_portal.webhook, demo_portal.code
    demo_portal.state.revoke_webhook(code)
    status = check(qtbot, wizard, webhook)
    assert "не принял вебхук" in status and "отозван" in status
    assert code not in status
    assert not wizard.webhook_page.isComplete()


def test_a_webhook_without_the_needed_scopes_is_explained(qtbot, wizard, demo_portal):
    code = demo_portal.state.add_webhook(demo_portal.admin.id, scopes=frozenset({"user"}))
    status = check(qtbot, wizard, f"http://127.0.0.1:{demo_portal.port}/rest/{demo_portal.admin.id}/{code}/")
    assert "нет на это прав" in status and "crm, lists, disk" in status
    wizard.next()
    assert not wizard.mapping_page.isComplete()
    assert not wizard.mapping_page.provision_button.isVisible()  # rights are not something provisioning fixes


def test_an_untrusted_certificate_suggests_the_ca_file_and_works_with_it(qtbot, wizard, tmp_path):
    state = seeds.build("demo")
    admin = next(user for user in state.users.values() if user.admin)
    code = state.add_webhook(admin.id)
    server = LoopbackServer(Portal(state, limits=PLANS["off"]), tls_dir=tmp_path / "tls").start()
    try:
        webhook = f"{server.url}/rest/{admin.id}/{code}/"
        status = check(qtbot, wizard, webhook)
        assert "Сертификат портала" in status and "Файл сертификата (CA)" in status
        assert code not in status
        wizard.webhook_page.ca.setText(str(server.ca_file))
        assert "найдена" in check(qtbot, wizard, webhook)
        wizard.next()
        wizard.next()
        wizard.save_page.name.setText("tls")
        wizard.accept()
        assert load_profiles().profiles["tls"].ca_file == str(server.ca_file)
    finally:
        server.stop()


def test_a_portal_without_the_schema_is_provisioned_then_saved(qtbot, wizard, empty_portal):
    status = check(qtbot, wizard, empty_portal.webhook)
    assert "неполная" in status
    wizard.next()
    page = wizard.mapping_page
    assert not page.isComplete()
    assert page.provision_button.isVisible()
    assert "воронки сделок «ДПО»" in page.text.toPlainText()
    with qtbot.waitSignal(wizard.checked, timeout=60_000):
        page.provision_button.click()
    assert page.isComplete()
    assert "Сделано на портале" in page.status.text()
    assert "найдена полностью" in page.text.toPlainText() or "работать можно" in page.text.toPlainText()
    wizard.next()
    wizard.save_page.name.setText("fresh")
    wizard.accept()
    assert load_profiles().profiles["fresh"].mapping is not None


def test_without_a_keyring_the_secret_stays_in_the_session_unless_the_file_is_chosen(qtbot, wizard, demo_portal,
                                                                                      tmp_path):
    keyring.set_keyring(fail.Keyring())  # the autouse fixture puts the previous one back
    check(qtbot, wizard, demo_portal.webhook)
    wizard.next()
    wizard.next()
    page = wizard.save_page
    assert "только до закрытия программы" in page.keyring_note.text()
    assert page.file_opt_in.isVisible()
    page.name.setText("office")
    assert page.validatePage()
    assert wizard.secrets.kind == "memory"
    assert wizard.secrets.get(webhook_key("office")) == demo_portal.webhook
    assert load_profiles().file_secrets is False
    # Again, now opting in to the file.
    check(qtbot, wizard, demo_portal.webhook)
    page.file_opt_in.setChecked(True)
    page.name.setText("office")
    assert page.validatePage()
    assert wizard.secrets.kind == "file"
    assert load_profiles().file_secrets is True


@pytest.mark.parametrize(("error", "expected"), [
    (errors.AuthError("Invalid token", status=401, code="NO_AUTH_FOUND"), "не принял вебхук"),
    (errors.AccessError("The request requires higher privileges", status=403, code="insufficient_scope"),
     "не хватает прав"),
    (errors.AccessError("REST API is available only on commercial plans", status=403, code="ACCESS_DENIED"),
     "REST API недоступен"),
    (errors.CertificateError("certificate verify failed"), "файл его сертификата"),
    (errors.UnavailableError("connection refused"), "не отвечает"),
    (errors.ProtocolError("HTML instead of JSON"), "не Битрикс24"),
    (errors.InsecureURLError("Портал x доступен только по https"), "только по https"),
])
def test_each_failure_is_explained_in_russian(error, expected):
    assert expected in explain_failure(error, "https://portal.example.ru")


def test_masked_hides_the_code():
    assert masked("https://portal.example.ru/rest/7/s3cr3tcode/") == "https://portal.example.ru/rest/7/***/"


def test_without_a_profile_and_without_a_screen_the_app_says_how_to_add_one(qapp, monkeypatch, capsys):
    from dpo_desktop import cli

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # no screen to show the wizard on
    hooks = (sys.excepthook, threading.excepthook)
    assert cli.main(["--basedir", str(paths.data_dir().parent / "fresh")]) == 1
    error = capsys.readouterr().err
    assert "Профилей нет" in error and "profile add" in error
    assert (sys.excepthook, threading.excepthook) == hooks  # run_gui put the crash hook back
