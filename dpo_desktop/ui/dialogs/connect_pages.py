"""The three pages of the connection wizard: the webhook and its check, the mapping found on the
portal (with «Создать недостающее»), and saving the profile with the secret where it may live."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
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
    QWizardPage,
)

from ...portal.check import CheckReport
from ...profiles import ProfileError
from ...secrets import open_secret_store

if TYPE_CHECKING:
    from .connect import ConnectWizard

PLANS = (("standard", QT_TRANSLATE_NOOP("Plans", "Обычный тариф (2 запроса в секунду)")),
         ("enterprise", QT_TRANSLATE_NOOP("Plans", "Энтерпрайз (5 запросов в секунду)")),
         ("off", QT_TRANSLATE_NOOP("Plans", "Без ограничения (коробочная версия)")))


class WebhookPage(QWizardPage):
    def __init__(self, wizard: ConnectWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(self.tr("Адрес портала"))
        self.setSubTitle(self.tr("Создайте на портале входящий вебхук (Разработчикам → Другое → Входящий вебхук) с "
                                 "правами "
                         "crm, lists, disk и user и вставьте его адрес."))
        self.webhook = QLineEdit()
        self.webhook.setEchoMode(QLineEdit.EchoMode.Password)  # it is a password: never on screen in full
        self.webhook.setPlaceholderText(self.tr("https://ваш-портал.bitrix24.ru/rest/1/код/"))
        self.ca = QLineEdit()
        self.ca.setPlaceholderText(self.tr("не нужен для облачного портала"))
        browse = QPushButton(self.tr("Обзор…"))
        browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca, 1)
        ca_row.addWidget(browse)
        self.plan_box = QComboBox()
        for key, title in PLANS:
            self.plan_box.addItem(QCoreApplication.translate("Plans", title), key)
        self.check_button = QPushButton(self.tr("Проверить"))
        self.check_button.clicked.connect(self.on_check_clicked)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Вебхук:"), self.webhook)
        form.addRow(self.tr("Файл сертификата (CA):"), ca_row)
        form.addRow(self.tr("Тариф портала:"), self.plan_box)
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
        self.status.setText(self.tr("Проверяю портал…"))
        self.check_button.setEnabled(False)
        if self.owner.start_check(self.webhook.text()) is not None:
            self.check_button.setEnabled(True)

    def forget_webhook(self, shown: str) -> None:
        self.webhook.clear()
        self.webhook.setPlaceholderText(self.tr("сохранён: {shown}").format(shown=shown))

    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Сертификат удостоверяющего центра"), "",
                                              self.tr("Сертификаты (*.pem *.crt *.cer);;Все файлы (*)"))
        if path:
            self.ca.setText(path)

    def _on_checked(self, report: CheckReport) -> None:
        self.check_button.setEnabled(True)
        unread = [problem for problem in report.discovery.problems if problem.key.startswith("read:")]
        # A refused read (no scope, no module) matters more than the verdict: say that first.
        self.status.setText(unread[0].message if unread else self.tr("Портал ответил. ") + report.verdict())
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
        self.setTitle(self.tr("Схема ДПО на портале"))
        self.setSubTitle(self.tr("Воронка, поля сделок и контактов, списки участников и документов."))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.provision_button = QPushButton(self.tr("Создать недостающее"))
        self.provision_button.setToolTip(self.tr("Создать воронку, поля и списки (нужны права администратора портала)"))
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
        self.status.setText(self.tr("Создаю на портале недостающее…"))
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
        self.setTitle(self.tr("Сохранение профиля"))
        self.name = QLineEdit()
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.file_opt_in = QCheckBox(self.tr("сохранить в файле (небезопасно)"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Имя профиля:"), self.name)
        form.addRow(self.keyring_note)
        form.addRow(self.file_opt_in)
        form.addRow(self.error)

    def initializePage(self) -> None:
        if not self.name.text() and self.owner.webhook:
            host = urlsplit(self.owner.webhook).hostname or "portal"
            self.name.setText(host.split(".")[0])
        store = open_secret_store(allow_file=False, backend=self.owner.keyring_backend)
        if store.kind == "system":
            self.keyring_note.setText(self.tr("Вебхук будет сохранён в системном хранилище паролей."))
            self.file_opt_in.hide()
        else:
            reason = getattr(store, "reason", "") or self.tr("в системе нет хранилища паролей")
            self.keyring_note.setText(self.tr("Системное хранилище паролей недоступно ({reason}). Вебхук будет "
                                              "храниться только до закрытия программы, и при следующем запуске его "
                                              "придётся вставить снова — или отметьте сохранение в файле: тогда его "
                                              "сможет прочитать любой, у кого есть доступ к вашей папке "
                                              "настроек.").format(reason=reason))
            self.file_opt_in.show()

    def validatePage(self) -> bool:
        try:
            self.owner.save(self.name.text(), file_opt_in=self.file_opt_in.isChecked())
        except ProfileError as error:
            self.error.setText(str(error))
            return False
        return True
