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

from keyring.backend import KeyringBackend
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from ...b24.auth import WebhookAuth
from ...b24.client import RetryPolicy
from ...portal.check import CheckReport, check
from ...portal.provision import ProvisionReport, provision
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
from .connect_explain import explain_failure, masked, webhook_problem
from .connect_pages import PLANS, MappingPage, SavePage, WebhookPage

__all__ = ["PLANS", "ConnectWizard", "explain_failure", "masked", "webhook_problem"]

log = logging.getLogger("dpo.ui")

CHECK_RETRY = RetryPolicy(attempts=2, base_delay=0.2, max_delay=1.0)  # a check answers in seconds, not minutes
_PROBE_PROFILE = "connect-check"


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
        self.setWindowTitle(self.tr("Подключение к порталу Битрикс24"))
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
            problem = (self.tr("Задана переменная окружения DPO_B24_WEBHOOK: программа использует её вместо "
                               "вставленного "
                       "вебхука. Уберите переменную и запустите программу заново"))
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
            raise ProfileError(self.tr("Сначала проверьте подключение: схема ДПО на портале должна быть найдена"))
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
