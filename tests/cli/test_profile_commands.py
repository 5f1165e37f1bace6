"""``profile add`` and ``profile list``: the webhook goes to the keyring and nowhere else."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backends import null

from dpo_desktop import paths
from dpo_desktop.secrets import ENV_WEBHOOK

WEBHOOK = "https://dpo-center.bitrix24.ru/rest/12/q7w8e9r0t1y2u3i4/"
CODE = "q7w8e9r0t1y2u3i4"


def test_profile_add_keeps_the_webhook_in_the_keyring_only(cli, memory_keyring):
    added = cli("profile", "add", "office", "--webhook-stdin", stdin=f"\n  {WEBHOOK}\n")
    assert added.code == 0, added.err
    assert added.err == ""
    assert added.out.startswith("Профиль «office» сохранён: портал https://dpo-center.bitrix24.ru, пользователь 12")
    assert "в системном хранилище паролей" in added.out
    assert memory_keyring.values == {("DPO Desk", "office/webhook"): WEBHOOK}
    for path in cli.every_file():
        assert CODE not in path.read_text(encoding="utf-8", errors="replace"), path
    assert CODE not in added.out


def test_profile_list_as_json_and_as_a_table(cli):
    cli("profile", "add", "office", "--webhook-stdin", stdin=WEBHOOK)
    cli("profile", "add", "branch", "--webhook-stdin", "--rate-plan", "custom", "--burst", "20", "--rate", "1.5",
        "--pipeline", "Обучение", stdin=WEBHOOK.replace("dpo-center", "branch"))

    rows = cli("profile", "list", "--json").json()
    assert [(row["name"], row["active"], row["rate_plan"], row["pipeline"], row["secret"]) for row in rows] == [
        ("branch", False, "custom", "Обучение", "system"), ("office", True, "standard", "ДПО", "system")]
    assert CODE not in json.dumps(rows)

    table = cli("profile", "list")
    lines = table.out.splitlines()
    assert lines[0].split() == ["профиль", "портал", "тариф", "воронка", "схема", "вебхук"]
    assert lines[2].startswith("*  office") and "https://dpo-center.bitrix24.ru" in lines[2]
    assert lines[1].index("https://") == lines[2].index("https://")  # aligned columns


def test_no_profiles_yet(cli, monkeypatch):
    hint = "Профилей нет; создайте профиль: dpo-desktop profile add ИМЯ --webhook-stdin.\n"
    assert cli("profile", "list").out == hint
    assert cli("profile", "list", "--json").json() == []
    monkeypatch.setenv(ENV_WEBHOOK, WEBHOOK)
    assert "переменной DPO_B24_WEBHOOK" in cli("profile", "list").out


def test_without_a_system_keyring_the_user_is_warned(cli):
    keyring.set_keyring(null.Keyring())  # the memory_keyring fixture puts its own back afterwards
    added = cli("profile", "add", "office", "--webhook-stdin", stdin=WEBHOOK)
    assert added.code == 0
    assert "Системное хранилище паролей недоступно" in added.err and "DPO_B24_WEBHOOK" in added.err
    assert "только в памяти" in added.out
    listed = cli("profile", "list", "--json")
    assert listed.json()[0]["secret"] is None
    assert "Системное хранилище паролей недоступно" in listed.err


def test_the_file_store_is_used_only_when_asked_for(cli):
    keyring.set_keyring(null.Keyring())
    added = cli("profile", "add", "office", "--webhook-stdin", "--secret-in-file", stdin=WEBHOOK)
    assert added.code == 0 and "без шифрования" in added.err and "без шифрования" in added.out
    stored = [path for path in paths.config_dir().rglob("*") if path.is_file() and CODE in path.read_text("utf-8")]
    assert len(stored) == 1 and stored[0].name != "profiles.json"  # the secret sits apart from the profile
    assert stored[0].stat().st_mode & 0o077 == 0  # readable by the user only
    assert cli("profile", "list", "--json").json()[0]["secret"] is not None  # a later run finds it


@pytest.mark.parametrize(("arguments", "stdin", "reason"), [
    ([], WEBHOOK, "--webhook-stdin"),  # a webhook is never taken from anywhere else without asking
    (["--webhook-stdin"], "\n\n", "Вебхук не передан"),
    (["--webhook-stdin"], "http://dpo-center.bitrix24.ru/rest/1/abcdefgh/", "доступен только по https"),
    (["--webhook-stdin"], "https://dpo-center.bitrix24.ru/crm/deal/", "не адрес входящего вебхука"),
    (["--webhook-stdin", "--rate-plan", "custom"], WEBHOOK, "Для тарифа custom нужны"),
    (["--webhook-stdin", "--rate-plan", "unlimited"], WEBHOOK, "Неизвестный тариф портала «unlimited»"),
    (["--webhook-stdin", "--ca-file", "/nonexistent/ca.pem"], WEBHOOK, "не найден"),
])
def test_bad_profile_input_is_a_usage_error_and_nothing_is_kept(cli, memory_keyring, arguments, stdin, reason):
    refused = cli("profile", "add", "office", *arguments, stdin=stdin)
    assert refused.code == 2 and reason in refused.err and len(refused.lines()) == 1
    assert memory_keyring.values == {}
    assert not (cli.basedir / "config" / "profiles.json").exists()


def test_a_bad_profile_name(cli):
    refused = cli("profile", "add", "a/b", "--webhook-stdin", stdin=WEBHOOK)
    assert refused.code == 2 and "Имя профиля" in refused.err


def test_a_loopback_sandbox_may_be_plain_http(cli):
    webhook = "http://127.0.0.1:8080/rest/1/abcdef123456/"
    added = cli("profile", "add", "sandbox", "--webhook-stdin", stdin=webhook)
    assert added.code == 0 and "портал http://127.0.0.1:8080" in added.out
