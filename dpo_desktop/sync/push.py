"""Sending the outbox to the portal: each edit exactly once, and never over someone else's change.

Every item carries an idempotency key, and every write it makes is repeatable: contacts are created with
the key in ``ORIGIN_ID`` (a repeat finds the first), participant elements have the code
``p-{deal}-{contact}`` (a repeat meets ``ERROR_ELEMENT_ALREADY_EXISTS`` and reads it back), removals of
what is already gone are done. So an item interrupted by a crash or a lost answer is simply run again.
An edit of a record that changed on the portal since it was read is a conflict: kept, shown, not applied.
The portal being unreachable stops the push and leaves the rest waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..b24 import errors
from ..b24.crm import Crm
from ..b24.lists import Lists
from ..domain.models import CheckStatus, Participant, participant_code
from . import convert
from .deal_edit import push_deal_update
from .document_edit import KIND as RETYPE
from .document_edit import push_document_retype
from .frdo_edit import KIND as ISSUED
from .frdo_edit import push_issued
from .people import Person, find_person

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..portal.mapping import PortalMapping
    from ..store import Store
    from ..store.outbox import OutboxItem

log = logging.getLogger("dpo.sync")

_OFFLINE = (errors.UnavailableError, errors.LimitError, errors.OperatingLimitError)
# The credential itself stopped working (revoked webhook, lost rights): no edit can go, none is at fault.
_BLOCKED = (errors.AuthError,)


class Conflict(Exception):
    """The portal's record changed since the app read it, or the edit cannot apply as it was meant."""


class Gone(Exception):
    """What the edit is about no longer exists on the portal."""


@dataclass
class PushStats:
    done: int = 0
    conflicts: int = 0
    failed: int = 0
    waiting: int = 0
    messages: list[str] = field(default_factory=list)


class Pusher:
    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping) -> None:
        self.client = client
        self.store = store
        self.mapping = mapping
        self.crm = Crm(client)
        self.lists = Lists(client, mapping.participants.iblock_type)
        self._handlers = {
            "participant.add": self._participant_add,
            "participant.remove": self._participant_remove,
            "contact.update": self._contact_update,
            "document.status": self._document_status,
            "deal.update": lambda item: push_deal_update(self.client, self.store, self.mapping, item),
            RETYPE: lambda item: push_document_retype(self.client, self.store, self.mapping, item),
            ISSUED: lambda item: push_issued(self.client, self.store, self.mapping, item),
        }

    async def push(self) -> PushStats:
        stats = PushStats()
        items = self.store.pending()
        for position, item in enumerate(items):
            handler = self._handlers.get(item.kind)
            try:
                if handler is None:
                    raise Conflict(f"неизвестный вид изменения {item.kind}")
                result = await handler(item)
            except _OFFLINE as error:
                stats.waiting = len(items) - position
                stats.messages.append(f"нет связи с порталом, изменения ждут отправки: {error.description}")
                break
            except _BLOCKED as error:
                stats.waiting = len(items) - position
                stats.messages.append(f"портал не принял доступ, изменения ждут отправки: {error.description}")
                break
            except Conflict as conflict:
                with self.store.write() as tx:
                    tx.mark_conflict(item.id, str(conflict))
                stats.conflicts += 1
                stats.messages.append(str(conflict))
            except (Gone, errors.B24Error) as error:
                reason = str(error) if isinstance(error, Gone) else error.description
                with self.store.write() as tx:
                    tx.mark_failed(item.id, reason, retry=False)
                stats.failed += 1
                stats.messages.append(reason)
            else:
                with self.store.write() as tx:
                    tx.mark_done(item.id, result)
                stats.done += 1
        return stats

    # -- participants -------------------------------------------------------------------------------

    async def _participant_add(self, item: OutboxItem) -> dict[str, Any]:
        payload, key = item.payload, item.key
        deal_id = int(payload["deal_id"])
        try:
            await self.crm.get("deal", deal_id)
        except errors.NotFoundError:
            raise Gone(f"сделка {deal_id} удалена на портале; участник не добавлен") from None
        contact_id = payload.get("contact_id")
        provisional = -item.id if payload.get("contact_id") is None else None  # see roster.add_participant
        if contact_id is None:
            contact_id = await self._person_contact(Person.from_payload(payload["person"]), key)
        contact_id = int(contact_id)
        row = await self.crm.get("contact", contact_id)  # also proves the contact still exists
        contact = convert.contact_from_row(row, self.mapping)
        participant = Participant(id=None, deal_id=deal_id, contact_id=contact_id, status=payload.get("status", ""))
        fields = convert.participant_fields(participant, contact.full_name, self.mapping.participants)
        element_id = await self.lists.add_element(self.mapping.participants.iblock_id, participant.code, fields)
        element = await self.lists.element(self.mapping.participants.iblock_id, element_id)
        stored = convert.participant_from_element(element, self.mapping.participants)
        with self.store.write() as tx:
            tx.upsert_contacts([contact])
            if provisional is not None:
                tx.delete_participants_by_code([participant_code(deal_id, int(provisional))])
                tx.delete_contacts([int(provisional)])
            if stored is not None:
                tx.upsert_participants([stored])
        return {"contact_id": contact_id, "element_id": element_id}

    async def _person_contact(self, person: Person, key: str) -> int:
        match = await find_person(self.crm, self.store, person)
        if match.contact_id is not None:
            log.info("participant %s matched contact %s by %s", key, match.contact_id, match.how)
            return match.contact_id
        if match.candidates:
            listed = ", ".join(str(item) for item in match.candidates)
            raise Conflict(f"«{person.full_name}»: несколько похожих контактов ({listed}); выберите нужный вручную")
        values: dict[str, Any] = {"last_name": person.last_name, "name": person.name,
                                  "second_name": person.second_name, "birth_date": person.birth_date,
                                  "phones": list(person.phones), "emails": list(person.emails), **dict(person.extra)}
        fields = convert.contact_fields({k: v for k, v in values.items() if v not in (None, "", [])}, self.mapping)
        return await self.crm.add("contact", fields, idempotency_key=f"dpo-{key}")

    async def _participant_remove(self, item: OutboxItem) -> dict[str, Any]:
        payload = item.payload
        code = participant_code(int(payload["deal_id"]), int(payload["contact_id"]))
        iblock = self.mapping.participants.iblock_id
        element = await self.lists.element_by_code(iblock, code)
        if element is not None:
            await self.lists.delete_element(iblock, element.id)
        with self.store.write() as tx:
            tx.delete_participants_by_code([code])
        return {"removed": element.id if element else None}

    # -- edits of existing records ----------------------------------------------------------------------

    async def _contact_update(self, item: OutboxItem) -> dict[str, Any]:
        payload = item.payload
        contact_id = int(payload["contact_id"])
        try:
            current = convert.contact_from_row(await self.crm.get("contact", contact_id), self.mapping)
        except errors.NotFoundError:
            raise Gone(f"контакт {contact_id} удалён на портале; изменения не отправлены") from None
        _check_unchanged(current.modified, payload.get("base_modified"), f"контакт {current.full_name}")
        await self.crm.update("contact", contact_id, convert.contact_fields(payload["changes"], self.mapping))
        fresh = convert.contact_from_row(await self.crm.get("contact", contact_id), self.mapping)
        with self.store.write() as tx:
            tx.upsert_contacts([fresh])
        return {"contact_id": contact_id}

    async def _document_status(self, item: OutboxItem) -> dict[str, Any]:
        payload = item.payload
        mapping = self.mapping.documents
        element_id = int(payload["document_id"])
        try:
            # Asked with its select: without it the portal leaves out TIMESTAMP_X and no change would show.
            element = await self.lists.element(mapping.iblock_id, element_id, select=convert.element_select(mapping))
        except errors.NotFoundError:
            raise Gone(f"документ {element_id} удалён на портале; статус не изменён") from None
        base = payload.get("base_modified")
        if base and element.modified and element.modified > datetime.fromisoformat(base):
            raise Conflict(f"документ {element.name} изменён на портале после загрузки; статус не изменён")
        status = CheckStatus(payload["status"])
        changes: dict[str, Any] = {}
        status_field = mapping.fields["check_status"]
        item = status_field.value_id(status.value)
        if item is None:
            raise Conflict(f"в списке документов нет статуса «{status.title}»")
        changes[status_field.code] = item
        if "comment" in mapping.fields and payload.get("comment") is not None:
            changes[mapping.fields["comment"].code] = payload["comment"]
        await self.lists.update_element(mapping.iblock_id, element_id, changes)
        fresh = convert.document_from_element(await self.lists.element(mapping.iblock_id, element_id), mapping)
        if fresh is not None:
            with self.store.write() as tx:
                tx.upsert_documents([fresh])
        return {"document_id": element_id}


def _check_unchanged(current: datetime | None, base: str | None, what: str) -> None:
    if base and current and current > datetime.fromisoformat(base):
        raise Conflict(f"{what} изменён на портале после того, как вы его открыли; изменения не отправлены")

