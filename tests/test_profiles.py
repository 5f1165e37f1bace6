"""Profiles: the settings file round trip, adding a webhook profile, choosing one, and clients for it."""

from __future__ import annotations

import io
import json
import logging

import pytest

from dpo_desktop import logs, paths
from dpo_desktop.b24.auth import OAuthAuth
from dpo_desktop.portal.discover import discover
from dpo_desktop.portal.mapping import FieldRef, ListMapping, PortalMapping
from dpo_desktop.profiles import (
    Profile,
    ProfileError,
    ProfilesFile,
    active_profile,
    add_profile,
    client_for,
    describe_profiles,
    load_profiles,
    read_webhook,
    remove_profile,
    save_mapping,
    save_profiles,
)
from dpo_desktop.sandbox.seeds import build
from dpo_desktop.sandbox.transport import SandboxTransport
from dpo_desktop.secrets import ENV_WEBHOOK, KeyringSecretStore, MemorySecretStore, oauth_key
from tests.portal.conftest import run
from tests.sandbox.portal_fixtures import HOST, make_sandbox
from tests.secrets.memory_keyring import MemoryKeyring

WEBHOOK = "https://dpo-center.bitrix24.ru/rest/12/q7w8e9r0t1y2u3i4/"
CODE = "q7w8e9r0t1y2u3i4"


@pytest.fixture
def secrets() -> KeyringSecretStore:
    return KeyringSecretStore(MemoryKeyring())


@pytest.fixture(autouse=True)
def _no_environment_webhook(monkeypatch):
    monkeypatch.delenv(ENV_WEBHOOK, raising=False)


def small_mapping() -> PortalMapping:
    ref = FieldRef(code="PROPERTY_1", type="S:ECrm")
    return PortalMapping(
        pipeline_id=7, pipeline_name="ДПО", stages=(), deal_fields={"hours": FieldRef(code="UF_CRM_1", type="integer")},
        contact_fields={"sex": FieldRef(code="UF_CRM_2", type="enumeration", values={"11": "male", "12": "female"})},
        participants=ListMapping(iblock_id=1, code="dpo_participants", fields={"deal": ref}),
        documents=ListMapping(iblock_id=2, code="dpo_documents", fields={"deal": ref}), archive_folder_id=5)


def test_profiles_round_trip_through_the_file():
    profiles = ProfilesFile(active="office", profiles={
        "office": Profile(name="office", portal="https://dpo-center.bitrix24.ru", user_id=12, mapping=small_mapping()),
        "branch": Profile(name="branch", portal="https://branch.example.ru:8443", rate_plan="custom", rate_burst=20,
                          rate_per_second=1.5, pipeline_id=3, ca_file="/etc/ssl/corp.pem"),
    })
    save_profiles(profiles)

    assert load_profiles() == profiles
    assert [item.name for item in paths.config_dir().iterdir()] == ["profiles.json"]  # no temporary left
    assert load_profiles().profiles["branch"].plan().burst == 20
    assert load_profiles().profiles["branch"].portal_settings().pipeline_id == 3


def test_a_missing_file_is_no_profiles():
    assert load_profiles() == ProfilesFile()


def test_unknown_keys_are_ignored_at_every_level():
    data = ProfilesFile(active="office", profiles={"office": Profile(
        name="office", portal="https://dpo-center.bitrix24.ru", mapping=small_mapping())}).model_dump(mode="json")
    data["window_geometry"] = [1, 2]
    data["profiles"]["office"]["theme"] = "dark"
    data["profiles"]["office"]["mapping"]["future_field"] = {"x": 1}
    data["profiles"]["office"]["mapping"]["deal_fields"]["hours"]["label"] = "Часы"
    (paths.config_dir() / "profiles.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    loaded = load_profiles()
    assert loaded.profiles["office"].mapping == small_mapping()


@pytest.mark.parametrize(("content", "fragment"), [
    ("{broken", "не читается"),
    ("[]", "ожидался объект JSON"),
    ('{"schema_version": 99}', "более новой версией DPO Desk"),
    ('{"profiles": {"x": {"name": "x", "portal": "http://portal.example.ru"}}}', "доступен только по https"),
    ('{"profiles": {"x": {"name": "x"}}}', "profiles.x.portal"),
])
def test_a_damaged_file_is_a_clear_error(content, fragment):
    (paths.config_dir() / "profiles.json").write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError, match=fragment):
        load_profiles()


def test_a_pasted_webhook_is_cut_down_to_the_portal_address():
    profile = Profile(name="x", portal=WEBHOOK)
    assert profile.portal == "https://dpo-center.bitrix24.ru"


def test_adding_a_profile_keeps_the_secret_in_the_store_and_the_rest_in_the_file(secrets):
    profile = add_profile("office", read_webhook(io.StringIO(f"\n  {WEBHOOK}  \n")), secrets)

    assert (profile.portal, profile.user_id, profile.auth) == ("https://dpo-center.bitrix24.ru", 12, "webhook")
    assert secrets.backend.values == {("DPO Desk", "office/webhook"): WEBHOOK}
    text = (paths.config_dir() / "profiles.json").read_text(encoding="utf-8")
    assert CODE not in text and "/rest/" not in text
    loaded = load_profiles()
    assert loaded.active == "office" and loaded.profiles["office"] == profile

    add_profile("branch", WEBHOOK.replace("dpo-center", "branch"), secrets)
    assert load_profiles().active == "office"  # the first one stays active
    add_profile("branch", WEBHOOK.replace("dpo-center", "branch"), secrets, activate=True)
    assert load_profiles().active == "branch"


@pytest.mark.parametrize(("webhook", "fragment"), [
    ("http://dpo-center.bitrix24.ru/rest/1/abcdefgh/", "только по https"),
    ("https://dpo-center.bitrix24.ru/", "не адрес входящего вебхука"),
    ("dpo-center.bitrix24.ru/rest/1/abcdefgh/", "должен начинаться с https://"),
])
def test_a_bad_webhook_is_refused_and_nothing_is_kept(secrets, webhook, fragment):
    with pytest.raises(ProfileError, match=fragment):
        add_profile("office", webhook, secrets)
    assert secrets.backend.values == {}
    assert not (paths.config_dir() / "profiles.json").exists()


@pytest.mark.parametrize(("name", "ok"), [("office", True), ("Филиал №2", True), ("", False), ("a/b", False),
                                          ("x" * 65, False), ("tab\there", False), ("a:b", False),
                                          ("a\\b", False), ("CON", False), ("lpt1.local", False), ("end.", False),
                                          ("Учебный центр-1", True)])
def test_profile_names(secrets, name, ok):
    if ok:
        assert add_profile(name, WEBHOOK, secrets).name == name
    else:
        with pytest.raises(ProfileError, match="Имя профиля"):
            add_profile(name, WEBHOOK, secrets)


def test_rate_plans_are_checked(secrets):
    with pytest.raises(ProfileError, match="Неизвестный тариф портала «unlimited»"):
        add_profile("office", WEBHOOK, secrets, rate_plan="unlimited")
    with pytest.raises(ProfileError, match="Для тарифа custom нужны"):
        add_profile("office", WEBHOOK, secrets, rate_plan="custom")
    profile = add_profile("office", WEBHOOK, secrets, rate_plan="custom", rate_burst=20, rate_per_second=1)
    client = client_for(profile, secrets)
    assert client.limiter.plan.burst == 20
    run(client.aclose())
    hand_edited = profile.model_copy(update={"rate_burst": None})
    with pytest.raises(ProfileError, match="Для тарифа custom нужны"):
        client_for(hand_edited, secrets)


def test_read_webhook_wants_a_line():
    with pytest.raises(ProfileError, match="Вебхук не передан"):
        read_webhook(io.StringIO("\n \n"))


def test_choosing_the_profile(secrets, monkeypatch):
    with pytest.raises(ProfileError, match="Профилей нет"):
        active_profile()
    monkeypatch.setenv(ENV_WEBHOOK, WEBHOOK)
    assert active_profile().portal == "https://dpo-center.bitrix24.ru"  # automation without a profile
    monkeypatch.delenv(ENV_WEBHOOK)

    add_profile("office", WEBHOOK, secrets)
    assert active_profile().name == "office"
    add_profile("branch", WEBHOOK.replace("dpo-center", "branch"), secrets)
    assert active_profile("branch").name == "branch"
    with pytest.raises(ProfileError, match="Профиля «nope» нет"):
        active_profile("nope")
    profiles = load_profiles()
    profiles.active = None
    save_profiles(profiles)
    with pytest.raises(ProfileError, match=r"укажите --profile ИМЯ \(профили: branch, office\)"):
        active_profile()


def test_the_mapping_is_kept_while_the_portal_stays_the_same(secrets):
    add_profile("office", WEBHOOK, secrets)
    save_mapping("office", small_mapping())
    assert load_profiles().profiles["office"].mapping == small_mapping()
    assert load_profiles().profiles["office"].discovered_at is not None

    add_profile("office", WEBHOOK.replace(CODE, "newcode12345"), secrets)  # a new webhook for the same portal
    assert load_profiles().profiles["office"].mapping == small_mapping()
    add_profile("office", WEBHOOK.replace("dpo-center", "other"), secrets)
    assert load_profiles().profiles["office"].mapping is None


def test_another_pipeline_name_forgets_the_mapping(secrets):
    add_profile("office", WEBHOOK, secrets)
    save_mapping("office", small_mapping())
    add_profile("office", WEBHOOK, secrets, pipeline_name="Обучение")
    assert load_profiles().profiles["office"].mapping is None


def test_removing_a_profile_forgets_its_secret(secrets):
    add_profile("office", WEBHOOK, secrets)
    remove_profile("office", secrets)
    assert secrets.backend.values == {}
    assert load_profiles().profiles == {} and load_profiles().active is None
    with pytest.raises(ProfileError):
        remove_profile("office", secrets)


def test_the_profile_list_shows_no_secret(secrets):
    add_profile("office", WEBHOOK, secrets)
    save_profiles(load_profiles().model_copy(update={"profiles": {
        **load_profiles().profiles, "lost": Profile(name="lost", portal="https://lost.bitrix24.ru")}}))

    rows = describe_profiles(load_profiles(), secrets)
    assert rows == [
        {"name": "lost", "active": False, "portal": "https://lost.bitrix24.ru", "auth": "webhook", "user_id": None,
         "rate_plan": "standard", "pipeline": "ДПО", "mapping": False, "discovered_at": None, "secret": None},
        {"name": "office", "active": True, "portal": "https://dpo-center.bitrix24.ru", "auth": "webhook",
         "user_id": 12, "rate_plan": "standard", "pipeline": "ДПО", "mapping": False, "discovered_at": None,
         "secret": "system"},
    ]
    assert CODE not in json.dumps(rows)


def test_a_client_for_the_profile_reaches_its_portal_and_the_environment_wins(monkeypatch):
    box = make_sandbox(build("demo"))
    store = MemorySecretStore()
    profile = add_profile("office", box.webhook, store)

    async def whoami(client):
        async with client:
            return (await client.call("profile")).result["ID"], (await discover(client, profile.portal_settings()))

    user_id, found = run(whoami(client_for(profile, store, transport=SandboxTransport(box.portal))))
    assert user_id == box.webhook.split("/")[4] and found.complete

    manager = next(user for user in box.state.users.values() if not user.admin)
    monkeypatch.setenv(ENV_WEBHOOK, f"https://{HOST}/rest/{manager.id}/{box.state.add_webhook(manager.id)}/")
    user_id, _found = run(whoami(client_for(profile, store, transport=SandboxTransport(box.portal))))
    assert user_id == str(manager.id)

    monkeypatch.delenv(ENV_WEBHOOK)
    with pytest.raises(ProfileError, match=r"не сохранён вебхук \(хранилище: memory\)"):
        client_for(profile, MemorySecretStore())


def test_an_oauth_profile_keeps_refreshed_tokens_in_the_store():
    box = make_sandbox()
    app = box.state.add_app()
    access, refresh = box.state.issue_tokens(1, app.client_id)
    store = MemorySecretStore()
    store.set(oauth_key("app"), json.dumps({"access_token": access, "refresh_token": refresh, "expires_at": 0,
                                            "client_id": app.client_id, "client_secret": app.client_secret,
                                            "token_url": f"https://{HOST}/oauth/token/"}))
    profile = Profile(name="app", portal=f"https://{HOST}", auth="oauth")
    box.state.access_tokens[access].expires_at = 0  # expired: the first call refreshes

    async def call(client):
        async with client:
            return (await client.call("profile")).result["ID"]

    client = client_for(profile, store, transport=SandboxTransport(box.portal))
    assert isinstance(client.auth, OAuthAuth)
    assert run(call(client)) == "1"
    kept = json.loads(store.get(oauth_key("app")))
    assert kept["refresh_token"] != refresh and kept["access_token"] != access
    assert kept["client_secret"] == app.client_secret

    store.set(oauth_key("app"), "{}")
    with pytest.raises(ProfileError, match="войдите заново"):
        client_for(profile, store)


def test_no_secret_in_the_files_or_the_log(secrets, tmp_path):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    logs.configure(paths.log_dir(), "DEBUG")
    try:
        box = make_sandbox(build("empty"))
        profile = add_profile("office", box.webhook, secrets)
        save_mapping("office", small_mapping())

        async def check(client):
            async with client:
                return await discover(client, profile.portal_settings())

        run(check(client_for(profile, secrets, transport=SandboxTransport(box.portal))))
        with pytest.raises(ProfileError):
            add_profile("office", box.webhook.replace("https", "http"), secrets)
    finally:
        for handler in root.handlers[len(handlers):]:
            handler.close()
            root.removeHandler(handler)
        root.setLevel(level)

    code = box.webhook.rstrip("/").rsplit("/", 1)[1]
    log_text = (paths.log_dir() / "dpo-desktop.log").read_text(encoding="utf-8")
    assert "profile office saved for https://sandbox.bitrix24.test" in log_text and "POST" in log_text
    written = [path for path in paths.config_dir().parent.rglob("*") if path.is_file()]
    assert {path.name for path in written} >= {"profiles.json", "dpo-desktop.log"}
    for path in written:
        assert code.encode() not in path.read_bytes(), path
