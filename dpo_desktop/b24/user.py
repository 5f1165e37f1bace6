"""Who the credential belongs to: ``user.current`` and ``profile`` (administrator or not)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import normalize as n

if TYPE_CHECKING:
    from .client import B24Client


@dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str
    last_name: str
    email: str
    admin: bool

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.name, self.last_name) if part) or f"#{self.id}"


async def current_user(client: B24Client) -> CurrentUser:
    answer = await client.call("profile")
    profile = answer.result if isinstance(answer.result, dict) else {}
    details = (await client.call("user.current")).result
    details = details if isinstance(details, dict) else {}
    return CurrentUser(
        id=n.to_int(profile.get("ID") or details.get("ID")) or 0,
        name=str(profile.get("NAME") or details.get("NAME") or ""),
        last_name=str(profile.get("LAST_NAME") or details.get("LAST_NAME") or ""),
        email=str(details.get("EMAIL") or ""),
        admin=n.to_bool(profile.get("ADMIN")),
    )
