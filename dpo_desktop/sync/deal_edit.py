"""Editing a deal's ДПО fields, offline first: the edit goes to the outbox and the cache at once.

The outbox item ``deal.update`` carries the logical changes (``partner_code``, ``event_name``,
``event_code``, ``programme_type``, ``hours``, ``start_date``, ``end_date``, and ``frdo``: the
programme's ФИС ФРДО data as its JSON text, shown on the deal as ``programme``) and the deal's
``DATE_MODIFY`` as the app read it. The push refuses to write over a deal changed on the portal since
then (a conflict, shown to the user) and puts the portal's version back into the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..b24 import errors
from ..b24.crm import Crm
from ..domain.frdo import FrdoProgramme, from_json, to_json
from ..domain.models import Deal, ProgrammeType
from . import convert
from .element_edit import edit_key

if TYPE_CHECKING:
    from ..portal.mapping import PortalMapping
    from ..store import Store
    from ..store.outbox import OutboxItem

KIND = "deal.update"
EDITABLE = ("partner_code", "event_name", "event_code", "programme_type", "hours", "start_date", "end_date", "frdo")


class DealEditError(ValueError):
    """The edit cannot be made as asked (Russian message for the user)."""


@dataclass(frozen=True)
class DealEdit:
    outbox_id: int
    key: str
    deal: Deal  # the deal as the cache now shows it


def update_deal(store: Store, deal_id: int, changes: dict[str, Any]) -> DealEdit:
    """Queue ``changes`` (logical field -> typed value) of a cached deal and show them in the cache now."""
    deal = store.deal(deal_id)
    if deal is None:
        raise DealEditError(f"сделки {deal_id} нет в кэше: выполните синхронизацию")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise DealEditError(f"эти поля сделки не редактируются: {', '.join(unknown)}")
    if not changes:
        raise DealEditError("нет изменений")
    plain = {name: _plain(value) for name, value in changes.items()}
    base = deal.modified.isoformat() if deal.modified else None
    payload = {"deal_id": deal_id, "changes": plain, "base_modified": base}
    key = edit_key(KIND, deal_id, payload)
    shown = deal.model_copy(update=_typed(plain))
    with store.write() as tx:
        outbox_id = tx.enqueue(KIND, payload, key)
        tx.upsert_deals([shown])
    return DealEdit(outbox_id, key, shown)


def deal_fields(changes: dict[str, Any], mapping: PortalMapping) -> dict[str, Any]:
    """``crm.deal.update`` fields from logical plain values; fields this portal lacks are left out."""
    fields: dict[str, Any] = {}
    for name, value in changes.items():
        ref = mapping.deal_field(name)
        if ref is None:
            continue
        if ref.type == "enumeration":
            fields[ref.code] = (ref.value_id(str(value)) or "") if value else ""
        else:
            fields[ref.code] = "" if value is None else str(value)
    return fields


async def push_deal_update(client: Any, store: Store, mapping: PortalMapping, item: OutboxItem) -> dict[str, Any]:
    """The pusher's handler for ``deal.update`` (registered in ``sync.push.Pusher``)."""
    from .push import Conflict, Gone  # push registers this handler: import late, no cycle

    crm = Crm(client)
    payload = item.payload
    deal_id = int(payload["deal_id"])
    try:
        current = convert.deal_from_row(await crm.get("deal", deal_id), mapping)
    except errors.NotFoundError:
        raise Gone(f"сделка {deal_id} удалена на портале; изменения не отправлены") from None
    base = payload.get("base_modified")
    if base and current.modified and current.modified > datetime.fromisoformat(base):
        with store.write() as tx:
            tx.upsert_deals([current])  # the cache shows the portal's version, not the refused edit
        raise Conflict(f"сделка «{current.title}» изменена на портале после того, как вы её открыли; "
                       "изменения не отправлены")
    fields = deal_fields(payload["changes"], mapping)
    if fields:
        await crm.update("deal", deal_id, fields)
    fresh = convert.deal_from_row(await crm.get("deal", deal_id), mapping)
    with store.write() as tx:
        tx.upsert_deals([fresh])
    return {"deal_id": deal_id}


def _plain(value: Any) -> Any:
    if isinstance(value, ProgrammeType):
        return value.value
    if isinstance(value, FrdoProgramme):
        return to_json(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _typed(plain: dict[str, Any]) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for name, value in plain.items():
        if name == "programme_type":
            typed[name] = ProgrammeType(value) if value else None
        elif name in ("start_date", "end_date"):
            typed[name] = date.fromisoformat(value) if value else None
        elif name == "hours":
            typed[name] = int(value) if value not in (None, "") else None
        elif name == "frdo":
            typed["programme"] = from_json(FrdoProgramme, value)
        else:
            typed[name] = value or ""
    return typed


# -- contacts: the same pattern for a person's document fields -------------------------------------------

CONTACT_KIND = "contact.update"


def update_contact(store: Store, contact_id: int, changes: dict[str, Any]) -> int:
    """Queue a ``contact.update`` of a cached contact (logical field -> plain value); the outbox item's ID.

    The payload is what ``Pusher._contact_update`` expects: ``changes`` and the ``base_modified`` the
    conflict check compares with the portal's ``DATE_MODIFY``. The cache shows the new values at once.
    """
    contact = store.contact(contact_id)
    if contact is None or contact_id < 0:
        raise DealEditError(f"контакта {contact_id} нет на портале: дождитесь отправки участника")
    if not changes:
        raise DealEditError("нет изменений")
    plain = {name: _plain(value) for name, value in changes.items()}
    payload = {"contact_id": contact_id, "changes": plain,
               "base_modified": contact.modified.isoformat() if contact.modified else None}
    with store.write() as tx:
        outbox_id = tx.enqueue(CONTACT_KIND, payload, edit_key(CONTACT_KIND, contact_id, payload))
        tx.upsert_contacts([contact.model_copy(update=changes)])
    return outbox_id
