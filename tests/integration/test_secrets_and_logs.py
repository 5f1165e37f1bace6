"""The webhook reaches no output, file or log line; automation runs on DPO_B24_WEBHOOK (and DPO_DATA_KEY) alone."""

from __future__ import annotations

import base64
import logging

import keyring

from dpo_desktop.secrets import ENV_WEBHOOK
from dpo_desktop.secrets.data_key import ENV_DATA_KEY
from dpo_desktop.store.crypto import new_data_key
from tests.cli.harness import add_profile
from tests.integration.portal_truth import PortalView
from tests.secrets.memory_keyring import LockedKeyring


def test_the_webhook_code_is_nowhere_but_in_the_keyring(cli, demo_portal, memory_keyring, monkeypatch):
    monkeypatch.setenv("DPO_DESKTOP_LOG_LEVEL", "DEBUG")
    handlers = list(logging.getLogger().handlers)
    outputs = [add_profile(cli, demo_portal)]
    deal_id = min(PortalView(demo_portal.state).deals())
    for command in (["portal", "check", "--json"], ["sync"], ["sync", "--full"], ["missing", "--format", "csv"],
                    ["participants", "add", "--deal", str(deal_id), "--last-name", "Орлова", "--name", "Вера"],
                    ["profile", "list", "--json"]):
        result = cli(*command)
        assert result.code == 0, (command, result.err)
        outputs.append(result)
    demo_portal.state.revoke_webhook(demo_portal.code)
    outputs.append(cli("sync"))
    assert outputs[-1].code == 1

    assert [value for (_service, name), value in memory_keyring.values.items()
            if not name.startswith("data-key/")] == [demo_portal.webhook]  # and the cache's data key
    for result in outputs:
        assert demo_portal.code not in result.out + result.err
    log = cli.basedir / "log" / "dpo-desktop.log"
    assert "POST" in log.read_text(encoding="utf-8")  # DEBUG request lines were written, redacted
    files = list(cli.every_file())
    assert log in files and cli.cache() in files
    for path in files:
        assert demo_portal.code.encode() not in path.read_bytes(), path
    assert logging.getLogger().handlers == handlers  # each run's log file handler is gone with it


def test_automation_with_the_environment_variable_never_touches_the_keyring(cli, demo_portal, monkeypatch):
    keyring.set_keyring(LockedKeyring())  # any use of the keyring would fail loudly
    monkeypatch.setenv(ENV_WEBHOOK, demo_portal.webhook)
    monkeypatch.setenv(ENV_DATA_KEY, base64.b64encode(new_data_key()).decode("ascii"))  # the cache's key too
    synced = cli("sync")
    assert synced.code == 0, synced.err
    assert synced.json()["mode"] == "full" and synced.err == ""
    assert (cli.basedir / "data" / "env" / "cache.sqlite3").exists()
    assert cli("missing", "--format", "json").code == 0
    assert cli("sync").json()["mode"] == "incremental"
    assert not (cli.basedir / "config" / "profiles.json").exists()  # nothing saved for an unsaved profile
