"""Who has brought what: each participant's documents against the rules, and counts per deal and event.

A participant's documents are the elements of «Документы участника» with its deal and contact. A type
is *present* when at least one of its documents is not rejected, *rejected* when all of its documents
are. The status is ``complete`` when nothing required is missing, ``none`` when nothing required is
present, ``partial`` otherwise.

Built for tens of thousands of participants: documents are grouped once into bit masks per
(deal, contact) (one bit per :class:`DocumentType`), and what is required and missing depends only on
the participant's situation and those bits, so it is worked out once per distinct combination.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple, Protocol, TypeVar

from ..domain.models import CheckStatus, Completeness, Contact, Deal, DocumentType
from .required import DOCUMENT_ORDER, DocumentRules, Requirement, Situation

_BIT = {doc_type: doc_type.bit for doc_type in DOCUMENT_ORDER}
_POSITION = {doc_type: index for index, doc_type in enumerate(DOCUMENT_ORDER)}
K = TypeVar("K")


class ParticipantLike(Protocol):
    """What the rules read of a participant: a :class:`~dpo_desktop.domain.models.Participant`, or the
    store's lighter reference with the same attributes."""

    @property
    def deal_id(self) -> int: ...

    @property
    def contact_id(self) -> int: ...


class DocumentLike(Protocol):
    """What the rules read of a document: a :class:`~dpo_desktop.domain.models.Document` or a lighter row."""

    @property
    def deal_id(self) -> int: ...

    @property
    def contact_id(self) -> int: ...

    @property
    def type(self) -> DocumentType: ...

    @property
    def status(self) -> CheckStatus: ...


@cache
def types_in(mask: int) -> tuple[DocumentType, ...]:
    """The types whose bits are set, in :class:`DocumentType` order."""
    return tuple(doc_type for doc_type in DOCUMENT_ORDER if mask & _BIT[doc_type])


class DocumentIndex:
    """Documents grouped by (deal, contact): a bit per type present (a document not rejected), and a bit
    per type that has a rejected document."""

    __slots__ = ("_present", "_rejected")

    def __init__(self, documents: Iterable[DocumentLike] = (), *, deal_ids: Container[int] | None = None) -> None:
        self._present: dict[tuple[int, int], int] = {}
        self._rejected: dict[tuple[int, int], int] = {}
        self.add(documents, deal_ids=deal_ids)

    def add(self, documents: Iterable[DocumentLike], *, deal_ids: Container[int] | None = None) -> None:
        """Index ``documents``; with ``deal_ids``, only those of these deals."""
        present, rejected_any, bits, rejected = self._present, self._rejected, _BIT, CheckStatus.REJECTED
        for document in documents:
            if deal_ids is not None and document.deal_id not in deal_ids:
                continue
            key = (document.deal_id, document.contact_id)
            if document.status is rejected:
                rejected_any[key] = rejected_any.get(key, 0) | bits[document.type]
            else:
                present[key] = present.get(key, 0) | bits[document.type]

    @classmethod
    def from_bits(cls, bits: Mapping[tuple[int, int], tuple[int, int]]) -> DocumentIndex:
        """An index from (present, rejected) bit sets per (deal, contact), as the cache's report read
        groups them (``DocumentType.bit``)."""
        index = cls()
        for key, (present, rejected) in bits.items():
            if present:
                index._present[key] = present
            if rejected:
                index._rejected[key] = rejected
        return index

    def masks(self, deal_id: int, contact_id: int) -> tuple[int, int]:
        """(present, rejected-only) bit masks of one participant."""
        key = (deal_id, contact_id)
        present = self._present.get(key, 0)
        return present, self._rejected.get(key, 0) & ~present


@cache
def titles_in(mask: int) -> tuple[str, ...]:
    """The portal's Russian names of the types whose bits are set, in :class:`DocumentType` order."""
    return tuple(doc_type.title for doc_type in types_in(mask))


class Outcome(NamedTuple):
    """What a situation's requirements make of the present documents, as bit masks."""

    required: int  # for a requirement met by an alternative, the alternative
    missing: int
    status: Completeness


@dataclass(frozen=True, slots=True)
class ParticipantCompleteness:
    """One participant's documents against the rules. Types are kept as bit masks (cheap to make and
    to share); the properties give them as :class:`DocumentType` tuples in the standard order."""

    deal_id: int
    event_code: str
    contact_id: int
    status: Completeness
    required_mask: int
    present_mask: int  # every type with a document not rejected, required or not
    rejected_mask: int  # types whose every document is rejected
    missing_mask: int

    @property
    def required(self) -> tuple[DocumentType, ...]:
        return types_in(self.required_mask)

    @property
    def present(self) -> tuple[DocumentType, ...]:
        return types_in(self.present_mask)

    @property
    def rejected(self) -> tuple[DocumentType, ...]:
        return types_in(self.rejected_mask)

    @property
    def missing(self) -> tuple[DocumentType, ...]:
        return types_in(self.missing_mask)

    def misses(self, doc_type: DocumentType) -> bool:
        return bool(self.missing_mask & _BIT[doc_type])


class Judge:
    """One set of rules applied to many participants.

    What is required and missing depends only on the participant's situation and on the present bits
    of the types that situation asks about, so each such outcome is worked out once and shared.
    """

    def __init__(self, rules: DocumentRules) -> None:
        self.rules = rules
        self._asked: dict[Situation, tuple[int, tuple[Requirement, ...]]] = {}
        self._outcomes: dict[tuple[Situation, int], Outcome] = {}

    def judge(self, deal: Deal, contact_id: int, contact: Contact | None,
              masks: tuple[int, int]) -> ParticipantCompleteness:
        present, rejected = masks
        outcome = self.outcome(self.rules.situation(deal.programme_type, contact), present)
        return ParticipantCompleteness(deal.id, deal.event_code, contact_id, outcome.status, outcome.required,
                                       present, rejected, outcome.missing)

    def outcome(self, situation: Situation, present: int) -> Outcome:
        asked = self._asked.get(situation)
        if asked is None:
            requirements = self.rules.requirements(situation)
            relevant = 0
            for requirement in requirements:
                for doc_type in requirement.accepted:
                    relevant |= _BIT[doc_type]
            asked = self._asked[situation] = (relevant, requirements)
        relevant, requirements = asked
        key = (situation, present & relevant)
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome = self._outcomes[key] = _work_out(requirements, present)
        return outcome


def _work_out(requirements: tuple[Requirement, ...], present: int) -> Outcome:
    required = missing = 0
    met_any = False
    for requirement in requirements:
        met = next((doc_type for doc_type in requirement.accepted if present & _BIT[doc_type]), None)
        if met is None:
            required |= _BIT[requirement.asked]
            missing |= _BIT[requirement.asked]
        else:
            required |= _BIT[met]
            met_any = True
    if not missing:
        status = Completeness.COMPLETE
    elif met_any:
        status = Completeness.PARTIAL
    else:
        status = Completeness.NONE
    return Outcome(required, missing, status)


def participant_completeness(participant: ParticipantLike, deal: Deal, contact: Contact | None,
                             documents: Iterable[DocumentLike], rules: DocumentRules) -> ParticipantCompleteness:
    """One participant's completeness; documents of other participants are ignored."""
    index = DocumentIndex(document for document in documents
                          if (document.deal_id, document.contact_id) == (participant.deal_id, participant.contact_id))
    masks = index.masks(participant.deal_id, participant.contact_id)
    return Judge(rules).judge(deal, participant.contact_id, contact, masks)


class Evaluation(NamedTuple):
    deal: Deal
    contact: Contact | None  # None when the contact is not in the cache
    result: ParticipantCompleteness


def evaluate(deals: Iterable[Deal], contacts: Iterable[Contact] | Mapping[int, Contact],
             participants: Iterable[ParticipantLike], documents: Iterable[DocumentLike] | DocumentIndex,
             rules: DocumentRules,
             *, deal_filter: Callable[[Deal], bool] | None = None) -> Iterator[Evaluation]:
    """Every participant of the given deals (those ``deal_filter`` accepts), once each, judged.

    Participants of deals not given are skipped: the caller chooses the deals (a pipeline, an event).
    """
    chosen = {deal.id: deal for deal in deals if deal_filter is None or deal_filter(deal)}
    people = contacts if isinstance(contacts, Mapping) else {contact.id: contact for contact in contacts}
    index = documents if isinstance(documents, DocumentIndex) else DocumentIndex(documents, deal_ids=chosen)
    judge, done = Judge(rules), set()
    for participant in participants:
        key = (participant.deal_id, participant.contact_id)
        deal = chosen.get(key[0])
        if deal is None or key in done:
            continue
        done.add(key)
        contact = people.get(key[1])
        yield Evaluation(deal, contact, judge.judge(deal, key[1], contact, index.masks(*key)))


@dataclass
class CompletenessSummary:
    """Counts over a group of participants (a deal, an event, everything)."""

    participants: int = 0
    complete: int = 0
    partial: int = 0
    none: int = 0
    _missing: list[int] = field(default_factory=lambda: [0] * len(DOCUMENT_ORDER), init=False, repr=False)

    @property
    def missing(self) -> dict[DocumentType, int]:
        """How many participants miss each type, in :class:`DocumentType` order; types nobody misses omitted."""
        return {doc_type: count for doc_type, count in zip(DOCUMENT_ORDER, self._missing, strict=True) if count}

    def add(self, result: ParticipantCompleteness) -> None:
        self.participants += 1
        status = result.status
        if status is Completeness.COMPLETE:
            self.complete += 1
        elif status is Completeness.PARTIAL:
            self.partial += 1
        else:
            self.none += 1
        for doc_type in types_in(result.missing_mask):
            self._missing[_POSITION[doc_type]] += 1


def summarize(results: Iterable[ParticipantCompleteness]) -> CompletenessSummary:
    summary = CompletenessSummary()
    for result in results:
        summary.add(result)
    return summary


def summarize_by_deal(results: Iterable[ParticipantCompleteness]) -> dict[int, CompletenessSummary]:
    return _group(results, lambda result: result.deal_id)


def summarize_by_event(results: Iterable[ParticipantCompleteness]) -> dict[str, CompletenessSummary]:
    """Per event code (``""`` for deals with none)."""
    return _group(results, lambda result: result.event_code)


def _group(results: Iterable[ParticipantCompleteness],
           key: Callable[[ParticipantCompleteness], K]) -> dict[K, CompletenessSummary]:
    groups: dict[K, CompletenessSummary] = {}
    for result in results:
        summary = groups.get(key(result))
        if summary is None:
            summary = groups[key(result)] = CompletenessSummary()
        summary.add(result)
    return dict(sorted(groups.items(), key=lambda item: item[0]))
