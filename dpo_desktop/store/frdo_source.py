"""The cache's side of the ФИС ФРДО export: the deals of an event (or one deal) with their participants,
the people, and who has a name-change document on file.

Reads go through :class:`StoreReader`'s own queries (so sealed personal columns are opened the one way
they are everywhere); only the name-change marks, which touch no personal column, are one query here.
"""

from __future__ import annotations

from ..domain.models import CheckStatus, DocumentType
from ..rules.frdo import FrdoSource
from .reader import StoreReader

_NAME_CHANGE_SQL = (f"SELECT DISTINCT contact_id FROM documents WHERE type = '{DocumentType.NAME_CHANGE.value}'"
                    f" AND status != '{CheckStatus.REJECTED.value}' AND contact_id IN ({{marks}})")


def frdo_sources(store: StoreReader, *, event_code: str | None = None, deal_id: int | None = None) -> list[FrdoSource]:
    """Every participant of the chosen deals (by deal, then in the order they were added)."""
    if (event_code is None) == (deal_id is None):
        raise ValueError("exactly one of event_code and deal_id")
    if deal_id is not None:
        deal = store.deal(deal_id)
        deals = [deal] if deal is not None else []
    else:
        deals = store.deals(event_code=event_code)
    pairs = [(deal, participant) for deal in deals for participant in store.participants(deal_id=deal.id)]
    people = {participant.contact_id for _deal, participant in pairs}
    contacts = {contact.id: contact for contact in store.contacts(people)}
    renamed = {row[0] for row in store._query_in(_NAME_CHANGE_SQL, sorted(people))}
    return [FrdoSource(deal, participant, contacts.get(participant.contact_id), participant.contact_id in renamed)
            for deal, participant in pairs]
