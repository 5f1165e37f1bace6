"""The connection wizard: paste a webhook, check the portal for real, see the mapping, save the profile.

Page 1 takes the incoming webhook (https, or http on a loopback address only) and a CA file for
corporate certificates; «Проверить» runs ``portal.check`` on a short-lived network lane of the
wizard's own (there may be no AppContext yet: the wizard also runs before the first profile exists)
and explains a failure in one Russian sentence. Page 2 shows what discovery found and what is
missing, and lets an administrator create the missing part (``portal.provision``). Page 3 saves the
profile: the secret to the keyring, or — with no keyring — to this session only unless the user opts
in to a plain file. The pasted webhook is never shown back after the check; the wizard keeps it only
until the profile is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from keyring.backend import KeyringBackend
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...b24 import errors
from ...b24.auth import WebhookAuth, is_loopback
from ...b24.client import RetryPolicy
from ...logs import redact
from ...portal.check import CheckReport, check
from ...portal.provision import ProvisionError, ProvisionReport, provision
from ...profiles import (
    Profile,
    ProfileError,
    add_profile,
    check_name,
    client_for,
    load_profiles,
    save_mapping,
    save_profiles,
)
from ...runtime.bridge import Bridge
from ...runtime.lane import Lane
from ...secrets import MemorySecretStore, SecretStore, open_secret_store, webhook_from_env, webhook_key

log = logging.getLogger("dpo.ui")

PLANS = (("standard", "Обычный тариф (2 запроса в секунду)"), ("enterprise", "Энтерпрайз (5 запросов в секунду)"),
         ("off", "Без ограничения (коробочная версия)"))
CHECK_RETRY = RetryPolicy(attempts=2, base_delay=0.2, max_delay=1.0)  # a check answers in seconds, not minutes
_PROBE_PROFILE = "connect-check"


def webhook_problem(text: str) -> str | None:
    """Why ``text`` is not a webhook the app may use, in Russian; None when its form is right."""
    text = text.strip()
    if not text:
        return "Вставьте адрес входящего вебхука: https://портал/rest/ID/КОД/"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Адрес вебхука должен начинаться с https:// — скопируйте его целиком со страницы вебхука на портале"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return (f"Портал {parts.hostname} открыт по http: вебхук — это пароль, его можно передавать только по "
                "https. Замените http:// на https://")
    try:
        WebhookAuth.from_url(text)
    except errors.B24Error:
        return ("Это не адрес входящего вебхука Битрикс24: ожидается https://портал/rest/ID/КОД/ "
                "(Разработчикам → Другое → Входящий вебхук)")
    return None


def explain_failure(error: BaseException, portal: str) -> str:
    """One Russian sentence on why the check of ``portal`` failed and what to do; never a secret."""
    if isinstance(error, errors.CertificateError):
        return (f"Сертификат портала {portal} не прошёл проверку ({error.description}). Если в организации свой "
                "удостоверяющий центр, укажите файл его сертификата в поле «Файл сертификата (CA)»")
    if isinstance(error, errors.InsecureURLError):
        return error.description
    if isinstance(error, errors.AuthError) or (isinstance(error, errors.AccessError) and error.status == 401):
        return (f"Портал {portal} не принял вебхук: он неверен или отозван. Создайте на портале новый входящий "
                "вебхук и вставьте его адрес")
    if isinstance(error, errors.AccessError):
        text = f"{error.code} {error.description}".lower()
        if "rest" in text and ("plan" in text or "тариф" in text or "commercial" in text):
            return (f"На тарифе портала {portal} REST API недоступен (он есть на коммерческих тарифах): "
                    "программа не сможет работать с этим порталом")
        return (f"У вебхука не хватает прав ({error.description}): при создании вебхука отметьте права "
                "crm, lists, disk и user (нужен пользователь с доступом к CRM)")
    if isinstance(error, (errors.UnavailableError, errors.LimitError, errors.OperatingLimitError)):
        return (f"Портал {portal} не отвечает ({error.description}): проверьте адрес, подключение к интернету "
                "и попробуйте ещё раз")
    if isinstance(error, errors.ProtocolError):
        return f"По адресу {portal} отвечает не Битрикс24 ({error.description}): проверьте адрес портала"
    if isinstance(error, errors.B24Error):
        return f"Портал {portal} ответил ошибкой: {error.description}"
    if isinstance(error, (ProfileError, ProvisionError)):
        return redact(str(error))
    return redact(f"Проверка не удалась из-за ошибки программы ({type(error).__name__}: {error})")


def masked(webhook: str) -> str:
    """The webhook as it may be shown: the portal and the user, the code hidden."""
    auth = WebhookAuth.from_url(webhook)
    return f"{auth.base}/rest/{auth.user_id}/***/"


class ConnectWizard(QWizard):
    """Three pages from a pasted webhook to a saved profile.

    Signals:
        checked(object): a :class:`CheckReport` after a successful check or provisioning.
        failed(str): the Russian reason a check or provisioning failed.
        saved(object): the saved :class:`Profile`.

    Attributes:
        report: the last :class:`CheckReport` (None before a successful check).
        profile, secrets: after saving, the profile and the store holding its secret (keep using that
            store: a session-only one is the only place the secret is).
    """

    checked = Signal(object)
    failed = Signal(str)
    saved = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, transport: Any = None, profiles_path: Path | None = None,
                 keyring_backend: KeyringBackend | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Подключение к порталу Битрикс24")
        self.transport = transport
        self.profiles_path = profiles_path
        self.keyring_backend = keyring_backend
        self.report: CheckReport | None = None
        self.profile: Profile | None = None
        self.secrets: SecretStore | None = None
        self.webhook = ""  # the checked webhook, until the profile is saved
        self._lane: Lane | None = None
        self._bridge: Bridge | None = None
        self._attempts = count(1)
        self._current = 0
        self.webhook_page = WebhookPage(self)
        self.mapping_page = MappingPage(self)
        self.save_page = SavePage(self)
        for page in (self.webhook_page, self.mapping_page, self.save_page):
            self.addPage(page)
        self.finished.connect(lambda _result: self.shutdown())

    # -- work on the wizard's own lane ------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._bridge is not None and self._bridge.busy > 0

    def run(self, work: Callable[[Any], Coroutine[Any, Any, Any]], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        """``work(client)`` on the lane with a fresh client for the webhook; only the latest attempt reports."""
        if self._lane is None:
            self._lane = Lane(name="dpo-connect").start()
            self._bridge = Bridge(self._lane, self)
        attempt = self._current = next(self._attempts)
        probe = Profile(name=_PROBE_PROFILE, portal=self.webhook, rate_plan=self.webhook_page.plan(),
                        ca_file=self.webhook_page.ca_file())
        secrets = MemorySecretStore()
        secrets.set(webhook_key(_PROBE_PROFILE), self.webhook)

        async def job() -> Any:
            async with client_for(probe, secrets, transport=self.transport, retry=CHECK_RETRY) as client:
                return await work(client)

        def done(result: Any) -> None:
            if attempt == self._current:
                on_done(result)

        def failed(error: BaseException) -> None:
            if attempt == self._current:
                on_error(error)

        assert self._bridge is not None
        self._bridge.run(job(), done, failed)

    def shutdown(self) -> None:
        if self._lane is not None:
            self._lane.stop()
            self._lane = None
            self._bridge = None

    # -- steps ----------------------------------------------------------------------------------

    def start_check(self, webhook: str) -> str | None:
        """Check ``webhook`` (form first, then the portal); returns the form problem, if any."""
        problem = webhook_problem(webhook)
        if problem is None and webhook_from_env() and webhook_from_env() != webhook.strip():
            problem = ("Задана переменная окружения DPO_B24_WEBHOOK: программа использует её вместо вставленного "
                       "вебхука. Уберите переменную и запустите программу заново")
        if problem is not None:
            self.failed.emit(problem)
            return problem
        self.webhook, self.report = webhook.strip(), None
        portal = WebhookAuth.from_url(self.webhook).base
        self.run(lambda client: check(client), self._on_report,
                 lambda error: self.failed.emit(explain_failure(error, portal)))
        return None

    def start_provision(self) -> None:
        portal = WebhookAuth.from_url(self.webhook).base

        async def work(client: Any) -> ProvisionReport:
            return await provision(client)

        def done(report: ProvisionReport) -> None:
            self.mapping_page.show_provision(report.text())
            self._on_report(CheckReport(report.after, portal=portal))

        self.run(work, done, lambda error: self.failed.emit(explain_failure(error, portal)))

    def _on_report(self, report: CheckReport) -> None:
        self.report = report
        log.info("connection check of %s: complete=%s", report.portal, report.complete)
        self.checked.emit(report)

    def save(self, name: str, *, file_opt_in: bool) -> Profile:
        """Save the checked portal as profile ``name``; raises :class:`ProfileError` with a Russian reason."""
        mapping = self.report.discovery.mapping if self.report is not None else None
        if mapping is None or not self.webhook:
            raise ProfileError("Сначала проверьте подключение: схема ДПО на портале должна быть найдена")
        name = check_name(name)
        store = open_secret_store(allow_file=False, backend=self.keyring_backend)
        if store.kind == "memory" and file_opt_in:
            profiles = load_profiles(self.profiles_path)
            profiles.file_secrets = True
            save_profiles(profiles, self.profiles_path)
            store = open_secret_store(allow_file=True, backend=self.keyring_backend)
        add_profile(name, self.webhook, store, rate_plan=self.webhook_page.plan(), ca_file=self.webhook_page.ca_file(),
                    pipeline_id=mapping.pipeline_id, pipeline_name=mapping.pipeline_name, activate=True,
                    path=self.profiles_path)
        self.profile = save_mapping(name, mapping, self.profiles_path)
        self.secrets = store
        self.webhook_page.forget_webhook(masked(self.webhook))
        self.webhook = ""
        self.saved.emit(self.profile)
        return self.profile


class WebhookPage(QWizardPage):
    def __init__(self, wizard: ConnectWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Адрес портала")
        self.setSubTitle("Создайте на портале входящий вебхук (Разработчикам → Другое → Входящий вебхук) с правами "
                         "crm, lists, disk и user и вставьте его адрес.")
        self.webhook = QLineEdit()
        self.webhook.setEchoMode(QLineEdit.EchoMode.Password)  # it is a password: never on screen in full
        self.webhook.setPlaceholderText("https://ваш-портал.bitrix24.ru/rest/1/код/")
        self.ca = QLineEdit()
        self.ca.setPlaceholderText("не нужен для облачного портала")
        browse = QPushButton("Обзор…")
        browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca, 1)
        ca_row.addWidget(browse)
        self.plan_box = QComboBox()
        for key, title in PLANS:
            self.plan_box.addItem(title, key)
        self.check_button = QPushButton("Проверить")
        self.check_button.clicked.connect(self.on_check_clicked)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Вебхук:", self.webhook)
        form.addRow("Файл сертификата (CA):", ca_row)
        form.addRow("Тариф портала:", self.plan_box)
        form.addRow(self.check_button)
        form.addRow(self.status)
        wizard.checked.connect(self._on_checked)
        wizard.failed.connect(self._on_failed)
        self.webhook.textChanged.connect(lambda _text: self.completeChanged.emit())

    def plan(self) -> str:
        return str(self.plan_box.currentData())

    def ca_file(self) -> str | None:
        return self.ca.text().strip() or None

    def on_check_clicked(self) -> None:
        self.status.setText("Проверяю портал…")
        self.check_button.setEnabled(False)
        if self.owner.start_check(self.webhook.text()) is not None:
            self.check_button.setEnabled(True)

    def forget_webhook(self, shown: str) -> None:
        self.webhook.clear()
        self.webhook.setPlaceholderText(f"сохранён: {shown}")

    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Сертификат удостоверяющего центра", "",
                                              "Сертификаты (*.pem *.crt *.cer);;Все файлы (*)")
        if path:
            self.ca.setText(path)

    def _on_checked(self, report: CheckReport) -> None:
        self.check_button.setEnabled(True)
        unread = [problem for problem in report.discovery.problems if problem.key.startswith("read:")]
        # A refused read (no scope, no module) matters more than the verdict: say that first.
        self.status.setText(unread[0].message if unread else "Портал ответил. " + report.verdict())
        self.completeChanged.emit()

    def _on_failed(self, text: str) -> None:
        self.check_button.setEnabled(True)
        self.status.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.owner.report is not None and self.webhook.text().strip() == self.owner.webhook


class MappingPage(QWizardPage):
    def __init__(self, wizard: ConnectWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Схема ДПО на портале")
        self.setSubTitle("Воронка, поля сделок и контактов, списки участников и документов.")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.provision_button = QPushButton("Создать недостающее")
        self.provision_button.setToolTip("Создать воронку, поля и списки (нужны права администратора портала)")
        self.provision_button.clicked.connect(self.on_provision_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: provisioning reports no steps while it runs
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.provision_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        wizard.checked.connect(lambda _report: self.initializePage())
        wizard.failed.connect(self._on_failed)

    def initializePage(self) -> None:
        report = self.owner.report
        self.progress.hide()
        self.text.setPlainText(report.text() if report is not None else "")
        fixable = report is not None and bool(report.discovery.fixable)
        self.provision_button.setVisible(fixable)
        self.provision_button.setEnabled(fixable)
        self.completeChanged.emit()

    def on_provision_clicked(self) -> None:
        self.provision_button.setEnabled(False)
        self.progress.show()
        self.status.setText("Создаю на портале недостающее…")
        self.owner.start_provision()

    def show_provision(self, text: str) -> None:
        self.status.setText(text)

    def _on_failed(self, text: str) -> None:
        self.progress.hide()
        self.provision_button.setEnabled(True)
        self.status.setText(text)

    def isComplete(self) -> bool:
        report = self.owner.report
        return report is not None and report.discovery.mapping is not None


class SavePage(QWizardPage):
    def __init__(self, wizard: ConnectWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Сохранение профиля")
        self.name = QLineEdit()
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.file_opt_in = QCheckBox("сохранить в файле (небезопасно)")
        self.error = QLabel()
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Имя профиля:", self.name)
        form.addRow(self.keyring_note)
        form.addRow(self.file_opt_in)
        form.addRow(self.error)

    def initializePage(self) -> None:
        if not self.name.text() and self.owner.webhook:
            host = urlsplit(self.owner.webhook).hostname or "portal"
            self.name.setText(host.split(".")[0])
        store = open_secret_store(allow_file=False, backend=self.owner.keyring_backend)
        if store.kind == "system":
            self.keyring_note.setText("Вебхук будет сохранён в системном хранилище паролей.")
            self.file_opt_in.hide()
        else:
            reason = getattr(store, "reason", "") or "в системе нет хранилища паролей"
            self.keyring_note.setText(f"Системное хранилище паролей недоступно ({reason}). Вебхук будет храниться "
                                      "только до закрытия программы, и при следующем запуске его придётся вставить "
                                      "снова — или отметьте сохранение в файле: тогда его сможет прочитать любой, "
                                      "у кого есть доступ к вашей папке настроек.")
            self.file_opt_in.show()

    def validatePage(self) -> bool:
        try:
            self.owner.save(self.name.text(), file_opt_in=self.file_opt_in.isChecked())
        except ProfileError as error:
            self.error.setText(str(error))
            return False
        return True
