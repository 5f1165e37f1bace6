"""SecretStore: the system keyring when it works, a visible fallback when not, the environment first."""

from __future__ import annotations

import logging
import stat

import keyring
import pytest
from keyring.backends import fail, null

from dpo_desktop import logs, paths
from dpo_desktop.secrets import (
    ENV_WEBHOOK,
    SERVICE,
    FileSecretStore,
    KeyringSecretStore,
    MemorySecretStore,
    SecretStoreError,
    detect_system_keyring,
    open_secret_store,
    webhook_from_env,
    webhook_key,
)

from .memory_keyring import HangingKeyring, LockedKeyring, MemoryKeyring

WEBHOOK = "https://dpo-center.bitrix24.ru/rest/1/q7w8e9r0t1y2u3i4/"


@pytest.fixture
def system_keyring():
    """keyring's global choice set to a working in-memory backend for the test, then put back."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def log_file(tmp_path):
    """The app's logging (redacted file handler) at DEBUG for one test; the file's path."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    logs.configure(tmp_path / "log", "DEBUG")
    yield tmp_path / "log" / "dpo-desktop.log"
    for handler in root.handlers[len(handlers):]:
        handler.close()
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(("make", "reason"), [
    (fail.Keyring, "в системе нет хранилища паролей"),
    (null.Keyring, "хранилище паролей отключено (null)"),
    (LockedKeyring, "хранилище паролей отвечает ошибкой (KeyringError)"),
])
def test_backends_that_cannot_keep_a_secret_are_no_system_keyring(make, reason):
    status = detect_system_keyring(make())
    assert (status.usable, status.reason) == (False, reason)


def test_a_keyring_that_does_not_answer_in_time_is_no_system_keyring():
    backend = HangingKeyring()
    try:
        status = detect_system_keyring(backend, timeout=0.05)
    finally:
        backend.release.set()
    assert not status.usable and status.reason == "хранилище паролей не ответило за 0.05 с"


@pytest.mark.parametrize("make", [fail.Keyring, null.Keyring, LockedKeyring])
def test_without_a_system_keyring_secrets_live_for_the_session_only_and_the_user_is_told(make):
    store = open_secret_store(backend=make())

    assert isinstance(store, MemorySecretStore) and store.kind == "memory"
    assert "только до закрытия программы" in store.warning and ENV_WEBHOOK in store.warning
    store.set(webhook_key("office"), WEBHOOK)
    assert store.get(webhook_key("office")) == WEBHOOK
    store.delete(webhook_key("office"))
    store.delete(webhook_key("office"))  # forgetting twice is fine
    assert store.get(webhook_key("office")) is None
    assert open_secret_store(backend=make()).get(webhook_key("office")) is None  # a new session knows nothing


def test_a_working_keyring_is_the_system_store_and_keeps_one_key_per_profile(system_keyring):
    store = open_secret_store()

    assert isinstance(store, KeyringSecretStore) and store.kind == "system" and store.warning is None
    store.set(webhook_key("office"), WEBHOOK)
    store.set(webhook_key("branch"), WEBHOOK.replace("q7w8", "zzzz"))
    assert system_keyring.values == {(SERVICE, "office/webhook"): WEBHOOK,
                                     (SERVICE, "branch/webhook"): WEBHOOK.replace("q7w8", "zzzz")}
    assert store.get(webhook_key("office")) == WEBHOOK
    store.delete(webhook_key("office"))
    store.delete(webhook_key("office"))
    assert store.get(webhook_key("office")) is None


def test_keyring_failures_after_start_are_typed_and_name_no_secret():
    store = KeyringSecretStore(LockedKeyring())
    with pytest.raises(SecretStoreError) as raised:
        store.set(webhook_key("office"), WEBHOOK)
    assert "q7w8e9r0t1y2u3i4" not in str(raised.value) and "office/webhook" in str(raised.value)


def test_the_file_store_is_only_an_explicit_opt_in_with_a_warning():
    assert open_secret_store(backend=fail.Keyring()).kind == "memory"
    store = open_secret_store(allow_file=True, backend=fail.Keyring())

    assert isinstance(store, FileSecretStore)
    assert store.path == paths.config_dir() / "secrets.json"
    assert "без шифрования" in store.warning and str(store.path) in store.warning
    assert not store.path.exists()
    store.set(webhook_key("office"), WEBHOOK)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert FileSecretStore(store.path).get(webhook_key("office")) == WEBHOOK
    store.delete(webhook_key("office"))
    assert FileSecretStore(store.path).get(webhook_key("office")) is None
    assert [item.name for item in store.path.parent.iterdir()] == ["secrets.json"]  # no temporary left


def test_a_system_keyring_wins_over_the_file_opt_in(system_keyring):
    assert open_secret_store(allow_file=True).kind == "system"


def test_a_broken_secrets_file_is_a_clear_error():
    path = paths.config_dir() / "secrets.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SecretStoreError, match="не читается"):
        FileSecretStore(path).get(webhook_key("office"))


@pytest.mark.parametrize(("value", "expected"), [(f"  {WEBHOOK}\n", WEBHOOK), ("", None), ("   ", None)])
def test_the_environment_variable_is_read_trimmed(value, expected):
    assert webhook_from_env({ENV_WEBHOOK: value}) == expected
    assert webhook_from_env({}) is None


def test_no_secret_reaches_the_log_or_any_file_but_the_chosen_store(system_keyring, log_file, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_WEBHOOK, WEBHOOK.replace("q7w8e9r0t1y2u3i4", "fromtheenvironment"))
    env_value = webhook_from_env()
    store = open_secret_store()
    store.set(webhook_key("office"), WEBHOOK)
    logging.getLogger("dpo.test").warning("stored %s and using %s", store.get(webhook_key("office")), env_value)
    fallback = open_secret_store(backend=fail.Keyring())  # logs the fallback
    fallback.set(webhook_key("office"), WEBHOOK)

    text = log_file.read_text(encoding="utf-8")
    assert "no system keyring" in text and "stored *** and using ***" in text
    for folder in (tmp_path, paths.config_dir().parent):
        for path in folder.rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                assert b"q7w8e9r0t1y2u3i4" not in content and b"fromtheenvironment" not in content, path
