"""Who a new participant is: an existing CRM contact when the portal or the cache knows the person.

A person typed in the app is looked up, in this order, before anything is created (DESIGN §3, issue 4):
by phone and e-mail on the portal (``crm.duplicate.findbycomm``), then by surname, name, patronymic and
birth date in the cache. One clear match is used; several are a question for a human, not a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..b24.crm import Crm
from ..domain.models import Contact

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class Person:
    """What the office knows of someone who is not yet linked to a contact."""

    last_name: str
    name: str
    second_name: str = ""
    birth_date: date | None = None
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()  # document fields: (logical name, value)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Person:
        birth = payload.get("birth_date")
        return cls(
            last_name=str(payload.get("last_name") or ""),
            name=str(payload.get("name") or ""),
            second_name=str(payload.get("second_name") or ""),
            birth_date=date.fromisoformat(birth) if birth else None,
            phones=tuple(payload.get("phones") or ()),
            emails=tuple(payload.get("emails") or ()),
            extra=tuple(sorted((payload.get("extra") or {}).items())),
        )

    def to_payload(self) -> dict[str, Any]:
        return {"last_name": self.last_name, "name": self.name, "second_name": self.second_name,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "phones": list(self.phones), "emails": list(self.emails), "extra": dict(self.extra)}

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.name, self.second_name) if part)


@dataclass(frozen=True)
class Match:
    contact_id: int | None  # the one contact to use, or None
    candidates: tuple[int, ...]  # every contact that looked like the person
    how: str  # "phone/e-mail", "name and birth date" or "" (none found)


async def find_person(crm: Crm, store: Store, person: Person) -> Match:
    by_communication: list[int] = []
    if person.phones:
        by_communication += await crm.contacts_by_communication("PHONE", list(person.phones))
    if person.emails:
        by_communication += await crm.contacts_by_communication("EMAIL", list(person.emails))
    candidates = sorted(set(by_communication))
    if candidates:
        named = [contact_id for contact_id in candidates if _same_name(store.contact(contact_id), person)]
        if len(candidates) == 1:
            return Match(candidates[0], tuple(candidates), "phone/e-mail")
        if len(named) == 1:
            return Match(named[0], tuple(candidates), "phone/e-mail")
        return Match(None, tuple(candidates), "phone/e-mail")
    if person.birth_date is not None:
        found = store.find_contacts(last_name=person.last_name, name=person.name,
                                    second_name=person.second_name or None, birth_date=person.birth_date)
        # Provisional contacts (negative IDs, made offline) are the person being looked for, not a match.
        ids = tuple(sorted(contact.id for contact in found if contact.id > 0))
        if len(ids) == 1:
            return Match(ids[0], ids, "name and birth date")
        if ids:
            return Match(None, ids, "name and birth date")
    return Match(None, (), "")


def _same_name(contact: Contact | None, person: Person) -> bool:
    if contact is None:
        return False  # not in the cache: cannot confirm by name

    def norm(text: str) -> str:
        return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()

    return norm(contact.last_name) == norm(person.last_name) and norm(contact.name) == norm(person.name)
