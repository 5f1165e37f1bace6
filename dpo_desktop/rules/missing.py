"""The missing-documents report: one row per participant, as ``dpo-desktop missing`` prints it.

The rows are DESIGN §7's JSON: ``{deal_id, deal_title, event_code, contact_id, participant, required,
present, missing, status}``, document types by their Russian names as on the portal, in the order of
:class:`DocumentType`. The inputs are iterables (domain models, or the store's lighter participant and
document rows with the same attributes), read once; the documents are grouped once, and only those of
the selected deals are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.models import Completeness, Contact, Deal, DocumentType
from .completeness import DocumentIndex, DocumentLike, ParticipantCompleteness, ParticipantLike, evaluate, titles_in
from .required import DocumentRules


@dataclass(frozen=True, slots=True)
class MissingRow:
    deal_id: int
    deal_title: str
    event_code: str
    contact_id: int
    participant: str  # the contact's full name, ``#<id>`` when the contact is unknown
    required: tuple[str, ...]
    present: tuple[str, ...]
    missing: tuple[str, ...]
    status: Completeness

    def as_json(self) -> dict[str, Any]:
        """The row as the CLI's JSON writes it."""
        return {"deal_id": self.deal_id, "deal_title": self.deal_title, "event_code": self.event_code,
                "contact_id": self.contact_id, "participant": self.participant, "required": list(self.required),
                "present": list(self.present), "missing": list(self.missing), "status": self.status.value}


@dataclass(frozen=True)
class MissingFilter:
    """Which rows to keep; every criterion given must hold."""

    event_code: str | None = None
    deal_id: int | None = None
    stage_id: str | None = None
    document_type: DocumentType | None = None  # only participants missing this type
    statuses: frozenset[Completeness] | None = None

    def accepts_deal(self, deal: Deal) -> bool:
        return ((self.event_code is None or _same_code(deal.event_code, self.event_code))
                and (self.deal_id is None or deal.id == self.deal_id)
                and (self.stage_id is None or deal.stage_id == self.stage_id))

    def accepts(self, result: ParticipantCompleteness) -> bool:
        return ((self.document_type is None or result.misses(self.document_type))
                and (self.statuses is None or result.status in self.statuses))


def missing_report(deals: Iterable[Deal], contacts: Iterable[Contact] | Mapping[int, Contact],
                   participants: Iterable[ParticipantLike], documents: Iterable[DocumentLike] | DocumentIndex,
                   rules: DocumentRules,
                   filters: MissingFilter | None = None, *, ordered: bool = True) -> list[MissingRow]:
    """Rows for every participant the filters keep, sorted by event code, deal ID, participant name
    (``ordered=False`` leaves the sorting to a caller that merges several batches)."""
    filters = filters or MissingFilter()
    rows = []
    for deal, contact, result in evaluate(deals, contacts, participants, documents, rules,
                                          deal_filter=filters.accepts_deal):
        if not filters.accepts(result):
            continue
        participant = contact.full_name if contact is not None else f"#{result.contact_id}"
        rows.append(MissingRow(deal.id, deal.title, deal.event_code, result.contact_id, participant,
                               titles_in(result.required_mask), titles_in(result.present_mask),
                               titles_in(result.missing_mask), result.status))
    if ordered:
        rows.sort(key=row_order)
    return rows


def row_order(row: MissingRow) -> tuple[str, int, str, int]:
    """The report's order: event code, deal ID, participant name (ё as е, any case), contact ID.

    For whoever builds a report from several batches of deals and sorts the rows together.
    """
    return row.event_code, row.deal_id, row.participant.casefold().replace("ё", "е"), row.contact_id


def _same_code(code: str, wanted: str) -> bool:
    return code.strip().casefold() == wanted.strip().casefold()
