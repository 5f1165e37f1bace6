"""The deal browser's rows, read from the cache in one pass: no Qt here, so it runs on any thread.

One row a deal of the ДПО pipeline: the deal, its stage, the client company's title, the responsible
person's name, how many participants it has and how many of them have every required document. The
completeness is the missing report's (the same read, ``StoreReader.report_source``, and the same rules,
``rules.evaluate``), worked out for every deal at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from ...domain.models import Completeness, Deal, Stage
from ...rules import DocumentIndex, DocumentRules, evaluate
from ...store import ReportBatch, StoreReader


class DealStatus(StrEnum):
    """A deal's documents as a whole, for the completeness filter."""

    COMPLETE = "complete"  # every participant has every required document
    INCOMPLETE = "incomplete"  # someone lacks something
    EMPTY = "empty"  # no participants yet


@dataclass(slots=True)
class DealRow:
    deal: Deal
    company: str  # the client company's title, "" when none or not cached
    responsible: str  # the client's responsible person, full name
    participants: int
    complete: int | None  # participants with every required document; None until worked out
    contact_ids: frozenset[int] = frozenset()  # the participants' contacts

    @property
    def status(self) -> DealStatus | None:
        if self.complete is None:
            return None
        if not self.participants:
            return DealStatus.EMPTY
        return DealStatus.COMPLETE if self.complete == self.participants else DealStatus.INCOMPLETE

    @property
    def completeness_text(self) -> str:
        if not self.participants:
            return QCoreApplication.translate("DealRow", "нет участников")
        if self.complete is None:
            return "…"
        return QCoreApplication.translate("DealRow", "{complete} из {participants} полных").format(
            complete=self.complete, participants=self.participants)

    @property
    def completeness_key(self) -> tuple[float, int]:
        """Sorts by the share of complete participants, then by their number; deals without any first."""
        if not self.participants:
            return (-1.0, 0)
        if self.complete is None:
            return (-0.5, self.participants)
        return (self.complete / self.participants, self.participants)


def fold(text: str) -> str:
    """Search form of a text: case and ё/е do not matter."""
    return text.casefold().replace("ё", "е")


def load_rows(reader: StoreReader, pipeline_id: int,
              deal_ids: Iterable[int] | None = None) -> tuple[list[DealRow], ReportBatch]:
    """The rows of the pipeline's deals (only ``deal_ids`` when given), by deal ID, without their
    completeness (``complete`` is None); and the report's read, for :func:`count_complete`.

    A handful of queries whatever the number of deals: the report's read, the responsible people not
    among the participants, and one per client company (there are few; ``StoreReader`` has no bulk read).
    """
    source = reader.report_source(pipeline_id=pipeline_id, deal_ids=deal_ids)
    people: dict[int, set[int]] = {deal.id: set() for deal in source.deals}
    for participant in source.participants:
        people[participant.deal_id].add(participant.contact_id)
    responsible = {deal.client_contact_id for deal in source.deals if deal.client_contact_id is not None}
    names = {contact_id: source.contacts[contact_id].full_name
             for contact_id in responsible if contact_id in source.contacts}  # a name for each of 40,000 costs 70 ms
    names.update((contact.id, contact.full_name) for contact in reader.contacts(responsible - names.keys()))
    companies: dict[int, str] = {}
    for company_id in sorted({deal.company_id for deal in source.deals if deal.company_id is not None}):
        company = reader.company(company_id)
        companies[company_id] = company.title if company is not None else ""
    rows = [
        DealRow(deal, companies.get(deal.company_id, "") if deal.company_id is not None else "",
                names.get(deal.client_contact_id, "") if deal.client_contact_id is not None else "",
                len(people[deal.id]), None, frozenset(people[deal.id]))
        for deal in source.deals
    ]
    return rows, source


def count_complete(source: ReportBatch, rules: DocumentRules) -> dict[int, int]:
    """Per deal of ``source``, how many participants have every required document (the missing report's
    judgement). Pure: safe on the CPU pool."""
    complete = {deal.id: 0 for deal in source.deals}
    index = DocumentIndex.from_bits(source.document_bits)
    for evaluation in evaluate(source.deals, source.contacts, source.participants, index, rules):
        if evaluation.result.status is Completeness.COMPLETE:
            complete[evaluation.deal.id] += 1
    return complete


def stage_map(reader: StoreReader, pipeline_id: int) -> dict[str, Stage]:
    return {stage.status_id: stage for stage in reader.stages(pipeline_id)}


def deal_of_code(code: str) -> int | None:
    """The deal ID an ELEMENT_CODE carries (``p-{deal}-{contact}``, ``d-{deal}-{contact}-…``), None if none."""
    parts = code.split("-")
    if len(parts) >= 3 and parts[0] in ("p", "d") and parts[1].isdigit():
        return int(parts[1])
    return None
