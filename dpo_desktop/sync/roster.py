"""Editing a deal's participants, offline first: the edit goes to the outbox and the cache at once.

The portal learns of it at the next push; until then the cache shows the participant (a new person under
a provisional negative contact ID), so the missing-documents report and the roster are right offline.
Repeating an edit — the same command run twice after a crash — finds the first one by its key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.models import Contact, Participant, participant_code
from .people import Person

if TYPE_CHECKING:
    from ..store import Store
    from ..store.outbox import OutboxItem


class RosterError(ValueError):
    """The edit cannot be made as asked (Russian message for the user)."""


@dataclass(frozen=True)
class RosterEdit:
    outbox_id: int
    key: str
    participant: Participant
    created: bool  # False when the same edit was already waiting


def add_participant(store: Store, deal_id: int, *, contact_id: int | None = None, person: Person | None = None,
                    status: str = "") -> RosterEdit:
    """Put a person on the deal: an existing contact (``contact_id``) or someone new (``person``)."""
    if (contact_id is None) == (person is None):
        raise RosterError("укажите либо контакт (--contact), либо данные человека")
    if store.deal(deal_id) is None:
        raise RosterError(f"сделки {deal_id} нет в кэше: выполните синхронизацию (dpo-desktop sync)")
    if contact_id is not None:
        if store.participant_by_code(participant_code(deal_id, contact_id)) is not None:
            raise RosterError(f"контакт {contact_id} уже участник сделки {deal_id}")
        edit = f"participant.add:{deal_id}:{contact_id}"
        payload = {"deal_id": deal_id, "contact_id": contact_id, "status": status}
    else:
        assert person is not None
        edit = f"participant.add:{deal_id}:person:{_person_key(person)}"
        payload = {"deal_id": deal_id, "contact_id": None, "person": person.to_payload(), "status": status}
    with store.write() as tx:
        existing = _waiting(store, edit)
        key = existing.key if existing is not None else _fresh_key(store, edit)
        outbox_id = tx.enqueue("participant.add", payload, key)
        if contact_id is None:
            provisional = -outbox_id  # the push replaces it with the contact it finds or creates
            if existing is None:
                tx.upsert_contacts([Contact(id=provisional, last_name=person.last_name, name=person.name,
                                            second_name=person.second_name, birth_date=person.birth_date,
                                            phones=person.phones, emails=person.emails)])
            participant = Participant(id=None, deal_id=deal_id, contact_id=provisional, status=status)
        else:
            participant = Participant(id=None, deal_id=deal_id, contact_id=contact_id, status=status)
        if existing is None:
            tx.upsert_participants([participant])
    return RosterEdit(outbox_id, key, participant, created=existing is None)


def remove_participant(store: Store, deal_id: int, contact_id: int) -> RosterEdit:
    code = participant_code(deal_id, contact_id)
    current = store.participant_by_code(code)
    if current is None:
        raise RosterError(f"контакт {contact_id} не участник сделки {deal_id}")
    edit = f"participant.remove:{deal_id}:{contact_id}"
    with store.write() as tx:
        existing = _waiting(store, edit)
        key = existing.key if existing is not None else _fresh_key(store, edit)
        outbox_id = tx.enqueue("participant.remove", {"deal_id": deal_id, "contact_id": contact_id}, key)
        tx.delete_participants_by_code([code])
    return RosterEdit(outbox_id, key, current, created=True)


def _waiting(store: Store, edit: str) -> OutboxItem | None:
    """The same edit still waiting in the outbox: a repeated command joins it instead of adding one more."""
    return next((item for item in store.pending() if item.key.rpartition("#")[0] == edit), None)


def _fresh_key(store: Store, edit: str) -> str:
    """A key for a new round of the edit: adding, removing and adding again are three edits."""
    rounds = sum(1 for item in store.outbox_items() if item.key.rpartition("#")[0] == edit)
    return f"{edit}#{rounds + 1}"


def _person_key(person: Person) -> str:
    """The same person typed twice (spacing, case, ё) is one edit."""
    def norm(text: str) -> str:
        return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()

    identity = "|".join([norm(person.last_name), norm(person.name), norm(person.second_name),
                         person.birth_date.isoformat() if person.birth_date else "",
                         ",".join(sorted(person.phones)), ",".join(sorted(person.emails))])
    return hashlib.sha256(identity.encode()).hexdigest()[:16]
