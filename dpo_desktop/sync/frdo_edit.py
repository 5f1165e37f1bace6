"""Editing a participant's issued document (and its ФИС ФРДО data), offline first: the edit goes to the
outbox and the cache at once.

The outbox item ``participant.issued`` carries the element ID, the whole issued document as the user
left it, and the element's ``TIMESTAMP_X`` as the app read it. The push refuses to write over a
participant changed on the portal since then (a conflict; the cache gets the portal's version back).
Only the issued document's properties are written; ``Lists.update_element`` keeps every other one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..b24.lists import Lists
from ..domain.frdo import to_json
from ..domain.models import IssuedDocument, Participant
from . import convert
from .element_edit import edit_key, read_element

if TYPE_CHECKING:
    from ..portal.mapping import ListMapping, PortalMapping
    from ..store import Store
    from ..store.outbox import OutboxItem

KIND = "participant.issued"


class IssuedEditError(ValueError):
    """The edit cannot be made as asked (Russian message for the user)."""


@dataclass(frozen=True)
class IssuedEdit:
    outbox_id: int
    key: str
    participant: Participant  # as the cache now shows it


def edit_issued(store: Store, code: str, issued: IssuedDocument) -> IssuedEdit:
    """Queue ``issued`` as the participant ``code``'s document and show it in the cache now."""
    participant = store.participant_by_code(code)
    if participant is None:
        raise IssuedEditError("участника нет в кэше: выполните синхронизацию")
    if participant.id is None:
        raise IssuedEditError("участник ещё не добавлен на портал: сначала отправьте изменения")
    if participant.issued == issued:
        raise IssuedEditError("данные документа не изменились")
    payload = {"element_id": participant.id, "issued": issued.model_dump(mode="json"),
               "base_modified": participant.modified.isoformat() if participant.modified else None}
    key = edit_key(KIND, participant.id, payload)
    shown = participant.model_copy(update={"issued": issued})
    with store.write() as tx:
        outbox_id = tx.enqueue(KIND, payload, key)
        tx.upsert_participants([shown])
    return IssuedEdit(outbox_id, key, shown)


def issued_changes(issued: IssuedDocument, mapping: ListMapping) -> dict[str, Any]:
    """The issued document's properties, every one sent (an emptied value is cleared on the portal)."""
    values = {"issued_series": issued.series, "issued_number": issued.number,
              "issued_reg_number": issued.registration_number,
              "issued_date": issued.issue_date.isoformat() if issued.issue_date else "", "frdo": to_json(issued.frdo)}
    changes = {mapping.fields[logical].code: value for logical, value in values.items() if logical in mapping.fields}
    kind = mapping.fields.get("issued_kind")
    if kind is not None:
        changes[kind.code] = (kind.value_id(issued.kind) or "") if issued.kind else ""
    return changes


async def push_issued(client: Any, store: Store, mapping: PortalMapping, item: OutboxItem) -> dict[str, Any]:
    """The pusher's handler for ``participant.issued`` (registered in ``sync.push.Pusher``)."""
    from .push import Conflict, Gone  # push registers this handler: import late, no cycle

    participants = mapping.participants
    payload = item.payload
    element_id = int(payload["element_id"])
    issued = IssuedDocument.model_validate(payload["issued"])
    element = await read_element(client, participants, element_id)
    if element is None:
        raise Gone(f"участник {element_id} удалён на портале; документ не изменён")
    current = convert.participant_from_element(element, participants)
    if current is None:
        raise Conflict(f"участник {element.name} на портале без сделки или контакта; документ не изменён")
    if current.issued == issued:  # done already (a repeat after a lost answer)
        _keep(store, current)
        return {"element_id": element_id}
    base = payload.get("base_modified")
    if base and current.modified and current.modified > datetime.fromisoformat(base):
        _keep(store, current)  # the cache shows the portal's version, not the refused edit
        raise Conflict(f"участник «{element.name}» изменён на портале после того, как вы его открыли; "
                       "выданный документ не изменён")
    kind = participants.fields.get("issued_kind")
    if issued.kind and kind is not None and kind.value_id(issued.kind) is None:
        _keep(store, current)
        raise Conflict(f"в списке участников на портале нет вида документа «{issued.kind}»; документ не изменён")
    await Lists(client, participants.iblock_type).update_element(
        participants.iblock_id, element_id, issued_changes(issued, participants))
    fresh_element = await read_element(client, participants, element_id)
    fresh = convert.participant_from_element(fresh_element, participants) if fresh_element is not None else None
    if fresh is not None:
        _keep(store, fresh)
    return {"element_id": element_id}


def _keep(store: Store, participant: Participant) -> None:
    with store.write() as tx:
        tx.upsert_participants([participant])
