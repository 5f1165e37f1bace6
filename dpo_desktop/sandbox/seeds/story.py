"""The demo office's year, planned as plain data before anything is written to a portal.

Planning is pure: from one ``random.Random`` it decides the events, which clients send whom, how far
each deal has got by :data:`TODAY`, which papers each participant has handed in, and when. The gaps an
office really has are guaranteed to be present (see :func:`_ensure_gaps`): missing consents, missing
diplomas, a changed surname without the name-change document, a rejected scan with a comment, and
complete sets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .documents import needed_types
from .organisations import DEMO_COMPANIES, PARTNERS
from .people import Person, make_person
from .programmes import CATALOGUE, PK, Event, make_event
from .schema import CHECKED, ISSUED_KINDS, RECEIVED, REJECTED

TODAY = date(2026, 11, 20)
# Days from TODAY to each event's start (before the weekday adjustment).
EVENT_STARTS = (-200, -170, -140, -110, -85, -60, -38, -12, 10, 38)
MIN_DEALS = 42
STAGE_ORDER = ("application", "documents", "training", "assessment", "issued")
GAPS = ("missing_consent", "missing_diploma", "name_change_missing", "rejected")
REJECTION_COMMENTS = (
    "Скан нечитаемый: переснимите при дневном свете, без вспышки",
    "Обрезан край страницы, не видны серия и номер",
    "Нет подписи заявителя",
    "Нужна страница с отметкой о регистрации",
    "Фото размыто, текст не читается",
)


@dataclass
class PlannedDocument:
    type_code: str
    received: datetime
    status: str
    comment: str = ""


@dataclass
class PlannedParticipant:
    person: int  # index into Story.people
    documents: list[PlannedDocument] = field(default_factory=list)
    left_early: bool = False
    gap: str = ""  # one of GAPS, or "" (complete, or still collecting)


@dataclass
class PlannedDeal:
    event: Event
    company: int | None  # index into DEMO_COMPANIES; None for a private client
    manager: int  # position among the managers
    partner: str
    source: str
    created: datetime
    stage: str  # where the deal is on TODAY
    moves: list[tuple[datetime, str]] = field(default_factory=list)
    participants: list[PlannedParticipant] = field(default_factory=list)
    contract_number: str = ""
    price: int = 0


@dataclass
class Story:
    events: list[Event]
    people: list[Person]
    deals: list[PlannedDeal]
    staff: list[list[Person]]  # per company: its HR contacts


def plan_story(rng: random.Random, managers: int) -> Story:
    events = _plan_events(rng)
    story = Story(events, [], [], [[make_person(rng, today=TODAY, foreign_share=0.0)
                                     for _ in range(1 + (rng.random() < 0.35))] for _ in DEMO_COMPANIES])
    alumni: dict[int, list[int]] = {}  # company -> people it sent before
    for event in events:
        clients = [index for index, (_, kind) in enumerate(DEMO_COMPANIES) if kind in event.audiences]
        chosen: list[int | None] = list(rng.sample(clients, min(len(clients), rng.randrange(3, 6))))
        if rng.random() < 0.6:
            chosen.append(None)  # a person who pays for themselves
        _plan_event_deals(rng, story, event, chosen, managers, alumni)
    while len(story.deals) < MIN_DEALS:  # regular clients come back for other programmes
        event = rng.choice(events)
        served = {deal.company for deal in story.deals if deal.event is event}
        others = [index for index in range(len(DEMO_COMPANIES)) if index not in served]
        _plan_event_deals(rng, story, event, [rng.choice(others)], managers, alumni)
    story.deals.sort(key=lambda deal: deal.created)
    for deal in story.deals:
        _plan_stage(rng, deal)
        for participant in deal.participants:
            _plan_documents(rng, deal, participant, story.people[participant.person])
    _ensure_gaps(rng, story)
    return story


def _plan_events(rng: random.Random) -> list[Event]:
    """Runs from spring to the next winter: finished, running and coming ones, as on TODAY."""
    programmes = rng.sample(CATALOGUE, len(EVENT_STARTS))
    numbers: dict[tuple[str, int], int] = {}
    events = []
    for programme, offset in zip(programmes, EVENT_STARTS, strict=True):
        start = TODAY + timedelta(days=offset + rng.randrange(-3, 4))
        start -= timedelta(days=start.weekday())  # courses start on Mondays
        key = (programme[0], start.year)
        numbers[key] = numbers.get(key, 10 if programme[0] == PK else 1) + rng.randrange(1, 4)
        events.append(make_event(rng, programme, numbers[key], start))
    return events


def _plan_event_deals(rng: random.Random, story: Story, event: Event, clients: list[int | None], managers: int,
                      alumni: dict[int, list[int]]) -> None:
    """One deal per client (a company index, or None for a private person) for the event."""
    for company in clients:
        number = sum(1 for deal in story.deals if deal.event is event) + 1
        latest = datetime.combine(min(event.start, TODAY) - timedelta(days=1), time(17), UTC)
        created = datetime.combine(event.start - timedelta(days=rng.randrange(18, 50)), time(rng.randrange(6, 14),
                                   rng.randrange(60)), UTC)
        partner = rng.choice(PARTNERS) if rng.random() < (0.6 if company is not None else 0.3) else ""
        deal = PlannedDeal(
            event=event, company=company, manager=rng.randrange(managers), partner=partner,
            source="PARTNER" if partner else rng.choice(("CALL", "EMAIL", "WEB", "RECOMMENDATION", "WEBFORM")),
            created=min(created, latest), stage="application",
            contract_number=f"{event.code}/{number:02d}",
            price=max(2500, round(event.hours * (110 if event.kind == PK else 90), -2)),
        )
        size = 1 if company is None else min(15, int(rng.expovariate(1 / 5)) + 1)
        if company is not None and len(story.deals) in (5, 23):
            size = 15  # a big group now and then
        for _ in range(size):
            deal.participants.append(PlannedParticipant(_pick_person(rng, story, company, alumni, deal)))
        story.deals.append(deal)


def _pick_person(rng: random.Random, story: Story, company: int | None, alumni: dict[int, list[int]],
                 deal: PlannedDeal) -> int:
    """A new person, or (now and then) one the client sent to an earlier event: they are in two deals."""
    taken = {participant.person for participant in deal.participants}
    earlier = [index for index in alumni.get(company, []) if index not in taken] if company is not None else []
    if earlier and rng.random() < 0.05:
        return rng.choice(earlier)
    story.people.append(make_person(rng, today=TODAY))
    index = len(story.people) - 1
    if company is not None:
        alumni.setdefault(company, []).append(index)
    return index


def _plan_stage(rng: random.Random, deal: PlannedDeal) -> None:
    event = deal.event

    def when(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, rng.randrange(60)), UTC)

    if rng.random() < 0.06:
        deal.stage = "refused"
        deal.moves.append((min(deal.created + timedelta(days=rng.randrange(3, 15)), when(TODAY, 9)), "refused"))
        return
    # Papers are collected from three weeks before the start.
    collecting = max(deal.created + timedelta(days=rng.randrange(1, 5)), when(event.start - timedelta(days=21), 10))
    plan = [(collecting, "documents"), (when(event.start, 9), "training"),
            (when(event.end, 16), "assessment"), (when(event.end + timedelta(days=rng.randrange(4, 12)), 11), "issued")]
    for moment, stage in plan:
        if moment.date() <= TODAY:
            deal.moves.append((moment, stage))
            deal.stage = stage


def _plan_documents(rng: random.Random, deal: PlannedDeal, participant: PlannedParticipant, person: Person) -> None:
    stage = deal.stage
    if stage in ("application", "refused"):
        types = ["application"] if rng.random() < 0.6 else []
    elif stage == "documents":
        types = [code for code in needed_types(person) if rng.random() < 0.55]
    else:
        types = needed_types(person)
        participant.left_early = stage == "issued" and rng.random() < 0.05
    late = min(datetime.combine(deal.event.start + timedelta(days=7), time(18), UTC),
               datetime.combine(TODAY, time(18), UTC))
    span = max(3600.0, (late - deal.created).total_seconds() - 86400)
    settled = STAGE_ORDER.index(stage) >= 2 if stage in STAGE_ORDER else False
    for type_code in types:
        received = deal.created + timedelta(seconds=86400 + rng.random() * span)
        status = CHECKED if rng.random() < (0.85 if settled else 0.3) else RECEIVED
        participant.documents.append(PlannedDocument(type_code, received, status))


def _ensure_gaps(rng: random.Random, story: Story) -> None:
    """Every kind of gap at least twice among deals past document collection; the rest complete."""
    settled = [(deal, participant) for deal in story.deals if deal.stage in ("training", "assessment", "issued")
               for participant in deal.participants]
    rng.shuffle(settled)
    changed = [pair for pair in settled if story.people[pair[1].person].surname_changed]
    for deal, participant in changed[:2]:
        _make_gap(rng, deal, participant, "name_change_missing")
    for gap in ("missing_consent", "missing_diploma", "rejected"):
        free = [pair for pair in settled if not pair[1].gap]
        for position, (deal, participant) in enumerate(free[: rng.randrange(3, 6)]):
            _make_gap(rng, deal, participant, gap)
            if gap == "rejected" and position >= 2:
                _replace_rejected(rng, participant)


def _replace_rejected(rng: random.Random, participant: PlannedParticipant) -> None:
    """The person sent a better scan after the rejection; the rejected one stays on file."""
    rejected = next(item for item in participant.documents if item.status == REJECTED)
    later = rejected.received + timedelta(hours=rng.randrange(5, 72))
    participant.documents.append(PlannedDocument(rejected.type_code, later, RECEIVED))


def _make_gap(rng: random.Random, deal: PlannedDeal, participant: PlannedParticipant, gap: str) -> None:
    participant.gap = gap
    documents = participant.documents
    if gap == "missing_consent":
        documents[:] = [item for item in documents if item.type_code != "consent"]
    elif gap == "missing_diploma":
        documents[:] = [item for item in documents if item.type_code not in ("diploma", "study_certificate")]
    elif gap == "name_change_missing":
        documents[:] = [item for item in documents if item.type_code != "name_change"]
    elif gap == "rejected" and documents:
        rejected = rng.choice([item for item in documents if item.type_code in ("passport", "snils", "diploma")]
                              or documents)
        rejected.status, rejected.comment = REJECTED, rng.choice(REJECTION_COMMENTS)


def issued_kind(event: Event, left_early: bool) -> str:
    if left_early:
        return ISSUED_KINDS[2]
    return ISSUED_KINDS[0] if event.kind == PK else ISSUED_KINDS[1]
