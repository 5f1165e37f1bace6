"""Portal profiles: ``profiles.json`` in the config folder, secrets kept apart in the SecretStore.

A profile names one portal: its address (never the webhook: that is a password), how the app signs
in, the rate plan, which pipeline holds the ДПО deals, and the mapping discovery found there. The
file has a schema version, ignores keys it does not know and is written atomically. The functions
here are what the command line and the settings page call; they raise :class:`ProfileError` with a
one-line Russian reason.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import paths
from .b24.auth import OAuthAuth, OAuthTokens, WebhookAuth, portal_base
from .b24.client import B24Client
from .b24.errors import B24Error
from .b24.limiter import RatePlan, plan_named
from .portal.mapping import PortalMapping
from .portal.settings import DEFAULT_PIPELINE, PortalSettings
from .secrets import SecretStore, oauth_key, open_secret_store, webhook_from_env, webhook_key
from .sync.push_settings import PushSettings

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "profiles.json"
ENV_PROFILE = "env"  # the unsaved profile made from DPO_B24_WEBHOOK when no profile exists
# N -> N+1 upgrades of the raw file, applied in order on load (none yet).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class ProfileError(Exception):
    """A profile cannot be read, made or used; the text is one Russian sentence and names no secret."""


class Profile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    portal: str  # scheme://host[:port] only
    auth: Literal["webhook", "oauth"] = "webhook"
    user_id: int | None = None  # whose credential it is (shown in lists; not a secret)
    rate_plan: str = "standard"  # standard, enterprise, off or custom
    rate_burst: float | None = None  # custom plan only
    rate_per_second: float | None = None
    ca_file: str | None = None  # a CA bundle to trust on top of the system's (corporate CA, sandbox --tls)
    pipeline_id: int | None = None
    pipeline_name: str = DEFAULT_PIPELINE
    mapping: PortalMapping | None = None
    discovered_at: datetime | None = None
    push: PushSettings = PushSettings()  # the folder push: path template, manifest, automatic mode

    @field_validator("portal")
    @classmethod
    def _only_the_address(cls, value: str) -> str:
        # Whatever was pasted, only scheme://host[:port] is kept: a webhook path never lands in the file.
        try:
            return portal_base(value)
        except B24Error as error:
            raise ValueError(error.description) from None

    def portal_settings(self) -> PortalSettings:
        return PortalSettings(pipeline_id=self.pipeline_id, pipeline_name=self.pipeline_name)

    def plan(self) -> RatePlan:
        return plan_named(self.rate_plan, burst=self.rate_burst, rate=self.rate_per_second)


class ProfilesFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    schema_version: int = SCHEMA_VERSION
    active: str | None = None
    file_secrets: bool = False  # the user's explicit opt-in to secrets in a plain file
    profiles: dict[str, Profile] = Field(default_factory=dict)


def profiles_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load_profiles(path: Path | None = None) -> ProfilesFile:
    path = path or profiles_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ProfilesFile()
    except (OSError, ValueError) as error:
        raise ProfileError(f"Файл профилей {path} не читается ({type(error).__name__})") from None
    if not isinstance(raw, dict):
        raise ProfileError(f"Файл профилей {path} повреждён: ожидался объект JSON")
    version = raw.get("schema_version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ProfileError(f"Файл профилей {path} записан более новой версией DPO Desk (схема {version}); "
                           "обновите программу")
    for step in range(version, SCHEMA_VERSION):
        raw = MIGRATIONS[step](raw)
    try:
        profiles = ProfilesFile.model_validate({**raw, "schema_version": SCHEMA_VERSION})
    except ValidationError as error:
        raise ProfileError(f"Файл профилей {path} повреждён: {_first_error(error)}") from None
    for key, profile in profiles.profiles.items():
        if profile.name != key:
            profiles.profiles[key] = profile.model_copy(update={"name": key})
    return profiles


def save_profiles(profiles: ProfilesFile, path: Path | None = None) -> None:
    """Write atomically: a crash mid-save leaves the previous file as it was."""
    path = path or profiles_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(profiles.model_dump(mode="json"), ensure_ascii=False, indent=2)
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def secret_store_for(profiles: ProfilesFile | None = None) -> SecretStore:
    """The SecretStore on this machine, with the file fallback only if the user opted in."""
    profiles = profiles if profiles is not None else load_profiles()
    return open_secret_store(allow_file=profiles.file_secrets)


def read_webhook(stream: IO[str]) -> str:
    """The webhook from ``--webhook-stdin``: the first non-empty line (never a command-line argument)."""
    for line in stream:
        if line.strip():
            return line.strip()
    raise ProfileError("Вебхук не передан: ожидается адрес вида https://портал/rest/ID/КОД/ в стандартном вводе")


def add_profile(name: str, webhook: str, secret_store: SecretStore, *, rate_plan: str = "standard",
                rate_burst: float | None = None, rate_per_second: float | None = None,
                pipeline_name: str = DEFAULT_PIPELINE, pipeline_id: int | None = None, ca_file: str | None = None,
                activate: bool | None = None, path: Path | None = None) -> Profile:
    """Create or replace profile ``name`` for a webhook: the secret to the store, the rest to the file.

    The new profile becomes the active one when ``activate`` says so, or when none is active yet.
    """
    name = check_name(name)
    try:
        auth = WebhookAuth.from_url(webhook)
    except B24Error as error:
        raise ProfileError(error.description) from None
    check_plan(rate_plan, rate_burst, rate_per_second)
    profiles = load_profiles(path)
    previous = profiles.profiles.get(name)
    # A new webhook for the same portal and pipeline keeps what discovery found there.
    same_place = (previous is not None and previous.portal == auth.base and previous.pipeline_id == pipeline_id
                  and previous.pipeline_name == pipeline_name)
    profile = Profile(name=name, portal=auth.base, auth="webhook", user_id=auth.user_id, rate_plan=rate_plan,
                      rate_burst=rate_burst, rate_per_second=rate_per_second, ca_file=ca_file,
                      pipeline_id=pipeline_id, pipeline_name=pipeline_name,
                      mapping=previous.mapping if same_place and previous else None,
                      discovered_at=previous.discovered_at if same_place and previous else None,
                      push=previous.push if same_place and previous else PushSettings())
    # The secret first: a profile without its secret would be of no use.
    secret_store.set(webhook_key(name), auth.url(""))
    profiles.profiles[name] = profile
    if activate or (activate is None and profiles.active not in profiles.profiles):
        profiles.active = name
    save_profiles(profiles, path)
    log.info("profile %s saved for %s (secret in the %s store)", name, auth.base, secret_store.kind)
    return profile


def remove_profile(name: str, secret_store: SecretStore, path: Path | None = None) -> None:
    profiles = load_profiles(path)
    if name not in profiles.profiles:
        raise ProfileError(f"Профиля «{name}» нет")
    del profiles.profiles[name]
    if profiles.active == name:
        profiles.active = None
    secret_store.delete(webhook_key(name))
    secret_store.delete(oauth_key(name))
    save_profiles(profiles, path)


def set_active(name: str, path: Path | None = None) -> None:
    profiles = load_profiles(path)
    if name not in profiles.profiles:
        raise ProfileError(f"Профиля «{name}» нет")
    profiles.active = name
    save_profiles(profiles, path)


def save_mapping(name: str, mapping: PortalMapping, path: Path | None = None) -> Profile:
    """Keep what discovery found in the profile, so that the app starts without asking the portal."""
    profiles = load_profiles(path)
    if name not in profiles.profiles:
        raise ProfileError(f"Профиля «{name}» нет")
    profile = profiles.profiles[name].model_copy(update={"mapping": mapping, "discovered_at": datetime.now(UTC)})
    profiles.profiles[name] = profile
    save_profiles(profiles, path)
    return profile


def save_push_settings(name: str, settings: PushSettings, path: Path | None = None) -> Profile:
    """The profile's folder-push settings (``push --configure``)."""
    profiles = load_profiles(path)
    if name not in profiles.profiles:
        raise ProfileError(f"Профиля «{name}» нет")
    profile = profiles.profiles[name].model_copy(update={"push": settings})
    profiles.profiles[name] = profile
    save_profiles(profiles, path)
    return profile


def active_profile(name: str | None = None, profiles: ProfilesFile | None = None) -> Profile:
    """The profile to work with: ``name`` (``--profile``), else the active one, else the only one.

    With no profile at all but ``DPO_B24_WEBHOOK`` set, an unsaved profile for that portal.
    """
    profiles = profiles if profiles is not None else load_profiles()
    if name is not None:
        if name in profiles.profiles:
            return profiles.profiles[name]
        raise ProfileError(f"Профиля «{name}» нет. Создайте его: dpo-desktop profile add {name} --webhook-stdin")
    if profiles.active in profiles.profiles:
        return profiles.profiles[profiles.active]
    if len(profiles.profiles) == 1:
        return next(iter(profiles.profiles.values()))
    webhook = webhook_from_env()
    if not profiles.profiles and webhook:
        try:
            return Profile(name=ENV_PROFILE, portal=WebhookAuth.from_url(webhook).base)
        except B24Error as error:
            raise ProfileError(f"Переменная DPO_B24_WEBHOOK: {error.description}") from None
    if not profiles.profiles:
        raise ProfileError("Профилей нет. Создайте профиль: dpo-desktop profile add ИМЯ --webhook-stdin "
                           "(или задайте переменную окружения DPO_B24_WEBHOOK)")
    raise ProfileError("Профиль не выбран: укажите --profile ИМЯ (профили: "
                       f"{', '.join(sorted(profiles.profiles))})")


def client_for(profile: Profile, secrets: SecretStore, *, transport: Any = None, **options: Any) -> B24Client:
    """A client for the profile's portal. ``DPO_B24_WEBHOOK`` wins over the stored secret."""
    env_webhook = webhook_from_env()
    try:
        if env_webhook:
            auth: WebhookAuth | OAuthAuth = WebhookAuth.from_url(env_webhook)
        elif profile.auth == "oauth":
            auth = _oauth(profile, secrets)
        else:
            stored = secrets.get(webhook_key(profile.name))
            if not stored:
                raise ProfileError(
                    f"Для профиля «{profile.name}» не сохранён вебхук (хранилище: {secrets.kind}). Добавьте его: "
                    f"dpo-desktop profile add {profile.name} --webhook-stdin, или задайте DPO_B24_WEBHOOK")
            auth = WebhookAuth.from_url(stored)
    except B24Error as error:
        raise ProfileError(f"Профиль «{profile.name}»: {error.description}") from None
    plan = check_plan(profile.rate_plan, profile.rate_burst, profile.rate_per_second)
    options.setdefault("plan", plan)
    options.setdefault("verify", profile.ca_file or True)
    return B24Client(auth, transport=transport, **options)


def _oauth(profile: Profile, secrets: SecretStore) -> OAuthAuth:
    """OAuth: tokens and the application's secret are one JSON value in the store; refreshes go back there."""
    key = oauth_key(profile.name)
    raw = secrets.get(key)
    try:
        data = json.loads(raw or "")
        tokens = OAuthTokens(str(data["access_token"]), str(data["refresh_token"]), float(data["expires_at"]))
        client_id, client_secret = str(data["client_id"]), str(data["client_secret"])
    except (ValueError, KeyError, TypeError):
        raise ProfileError(f"Для профиля «{profile.name}» нет действующего входа через OAuth: войдите заново") from None

    def keep(fresh: OAuthTokens) -> None:
        secrets.set(key, json.dumps({**data, "access_token": fresh.access_token, "refresh_token": fresh.refresh_token,
                                     "expires_at": fresh.expires_at}))

    extra = {"token_url": str(data["token_url"])} if data.get("token_url") else {}
    return OAuthAuth(profile.portal, tokens, client_id=client_id, client_secret=client_secret, on_refresh=keep,
                     **extra)


def describe_profiles(profiles: ProfilesFile, secrets: SecretStore | None = None) -> list[dict[str, Any]]:
    """Rows for ``profile list``: everything but secrets (whether one is stored, at most)."""
    rows = []
    for name, profile in sorted(profiles.profiles.items()):
        row: dict[str, Any] = {
            "name": name, "active": name == profiles.active, "portal": profile.portal, "auth": profile.auth,
            "user_id": profile.user_id, "rate_plan": profile.rate_plan,
            "pipeline": profile.pipeline_id if profile.pipeline_id is not None else profile.pipeline_name,
            "mapping": profile.mapping is not None,
            "discovered_at": profile.discovered_at.isoformat() if profile.discovered_at else None,
        }
        if secrets is not None:
            key = webhook_key(name) if profile.auth == "webhook" else oauth_key(name)
            row["secret"] = secrets.kind if secrets.get(key) else None
        rows.append(row)
    return rows


def check_plan(name: str, burst: float | None = None, rate: float | None = None) -> RatePlan:
    try:
        return plan_named(name, burst=burst, rate=rate)
    except ValueError:
        if name == "custom":
            raise ProfileError("Для тарифа custom нужны запас запросов (burst ≥ 1) и скорость (rate > 0)") from None
        raise ProfileError(f"Неизвестный тариф портала «{name}»: standard, enterprise, off или custom") from None


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
_FORBIDDEN = set('<>:"/\\|?*')


def check_name(name: str) -> str:
    """A profile name is also a folder name (the cache lives under it): valid on Windows too."""
    name = name.strip()
    if (not name or len(name) > 64 or any(not char.isprintable() or char in _FORBIDDEN for char in name)
            or name.endswith(".") or name.split(".")[0].upper() in _RESERVED):
        raise ProfileError("Имя профиля: от 1 до 64 печатных символов, без <>:\"/\\|?* и не имя устройства Windows")
    return name


def _first_error(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))
