"""Everything a sandbox portal knows: users, credentials, and the data of each method family.

The families keep their own state objects (``crm``, ``lists``, ``disk``, ``bizproc``); this root
holds what they share — the clock, the ID counters, the users — and what authenticates a call.
A state is plain data: it pickles to a file for ``sandbox --state`` and back.
"""

from __future__ import annotations

import os
import pickle
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bizproc.state import BizprocState
from .crm.state import CrmState
from .disk.state import DiskState
from .lists.state import ListsState
from .timefmt import PortalClock

# Bump when the pickled layout changes, so an old --state file is refused with a clear message.
STATE_FORMAT = 1


@dataclass(slots=True)
class User:
    id: int
    name: str
    last_name: str
    email: str
    admin: bool = False
    second_name: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {
            "ID": str(self.id),
            "XML_ID": None,
            "ACTIVE": True,
            "NAME": self.name,
            "LAST_NAME": self.last_name,
            "SECOND_NAME": self.second_name,
            "EMAIL": self.email,
            "LAST_LOGIN": None,
            "TIME_ZONE": "",
            "PERSONAL_GENDER": "",
            "IS_ONLINE": "N",
            "USER_TYPE": "employee",
        }


@dataclass(slots=True)
class Webhook:
    user_id: int
    scopes: frozenset[str] | None = None  # None: every scope


@dataclass(slots=True)
class OAuthApp:
    client_id: str
    client_secret: str
    scopes: frozenset[str] | None = None


@dataclass(slots=True)
class Token:
    user_id: int
    client_id: str
    expires_at: float


class PortalState:
    def __init__(self, *, offset_minutes: int = 180, locale: str = "ru", token_ttl: float = 3600.0) -> None:
        self.format = STATE_FORMAT
        self.clock = PortalClock(offset_minutes, locale)
        self.token_ttl = token_ttl
        self.member_id = secrets.token_hex(16)
        self.users: dict[int, User] = {}
        self.webhooks: dict[str, Webhook] = {}
        self.apps: dict[str, OAuthApp] = {}
        self.access_tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, Token] = {}
        self._counters: dict[str, int] = {}
        self.time_source: Callable[[], float] = time.time
        self.crm = CrmState(self)
        self.lists = ListsState(self)
        self.disk = DiskState(self)
        self.bizproc = BizprocState(self)

    # -- shared services ------------------------------------------------------------------------

    def now(self) -> float:
        return self.time_source()

    def next_id(self, kind: str, start: int = 1) -> int:
        value = max(self._counters.get(kind, start - 1) + 1, start)
        self._counters[kind] = value
        return value

    def bump_counter(self, kind: str, at_least: int) -> None:
        """Make the next ID of ``kind`` larger than ``at_least`` (seeds with fixed IDs)."""
        self._counters[kind] = max(self._counters.get(kind, 0), at_least)

    # -- people and credentials -----------------------------------------------------------------

    def add_user(self, name: str, last_name: str, email: str, *, admin: bool = False, second_name: str = "") -> User:
        user = User(self.next_id("user"), name, last_name, email, admin, second_name)
        self.users[user.id] = user
        return user

    def add_webhook(self, user_id: int, code: str | None = None, scopes: frozenset[str] | None = None) -> str:
        code = code or secrets.token_hex(8)
        self.webhooks[code] = Webhook(user_id, scopes)
        return code

    def revoke_webhook(self, code: str) -> None:
        self.webhooks.pop(code, None)

    def add_app(self, scopes: frozenset[str] | None = None) -> OAuthApp:
        app = OAuthApp(f"local.{secrets.token_hex(6)}", secrets.token_urlsafe(24), scopes)
        self.apps[app.client_id] = app
        return app

    def issue_tokens(self, user_id: int, client_id: str) -> tuple[str, str]:
        """A fresh access token (``token_ttl`` seconds) and refresh token (180 days)."""
        now = self.now()
        access, refresh = secrets.token_hex(24), secrets.token_hex(24)
        self.access_tokens[access] = Token(user_id, client_id, now + self.token_ttl)
        self.refresh_tokens[refresh] = Token(user_id, client_id, now + 180 * 86400)
        return access, refresh

    # -- persistence ----------------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("time_source", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.time_source = time.time

    def save(self, path: Path) -> None:
        """Write atomically: a crash mid-save leaves the previous file intact."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(self, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @staticmethod
    def load(path: Path) -> PortalState:
        # The file is one this program wrote for itself (--state); never load one from elsewhere.
        with open(path, "rb") as stream:
            state = pickle.load(stream)
        if not isinstance(state, PortalState) or getattr(state, "format", None) != STATE_FORMAT:
            raise ValueError(f"{path} is not a sandbox state file of this version")
        return state
