"""The ``large`` seed: the demo office's schema at benchmark scale.

At full size: 5,000 ДПО deals over four years (plus some in the sales pipeline), 40,000 participants
and 200,000 document elements whose files are tiny PDFs made on first read (``LazyContent``), so
the portal fits in memory and builds in well under a minute. ``scale`` shrinks every count for tests.
Records are created in their final state, in time order; the story is simpler than the demo's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..state import PortalState
from .clock import SeedClock, seed_time
from .generators import TINY_PDF_GENERATOR
from .install import install
from .names import transliterate
from .organisations import HR_POSTS, PARTNERS, POSTS, Company, generated_company
from .people import Person, make_person
from .programmes import CATALOGUE, PK, Event, make_event
from .schema import DOCUMENT_TYPES, ISSUED_KINDS
from .tiny_pdf import render_tiny_pdf
from .writer import IssuedDocument, OfficeWriter, lazy_content

LARGE_SEED = 424242
DEALS, PARTICIPANTS, DOCUMENTS = 5_000, 40_000, 200_000
SALES_DEALS = 250
COMPANIES = 300
DEALS_PER_EVENT = 12
FIRST_DAY, TODAY = date(2023, 1, 9), date(2026, 11, 20)
# A participant's papers in the order they usually arrive; a file holds the first few of them.
_TYPE_ORDER = ("application", "passport", "snils", "diploma", "consent", "contract", "name_change", "other")
_TYPE_WORDS = {"application": "Zayavlenie", "passport": "Pasport", "snils": "SNILS", "diploma": "Diplom",
               "consent": "Soglasie na obrabotku PD", "contract": "Dogovor", "name_change": "Svidetelstvo o brake",
               "other": "Dokument"}


@dataclass(frozen=True, slots=True)
class LargeCounts:
    deals: int
    participants: int
    documents: int
    sales_deals: int
    companies: int


def counts(scale: float) -> LargeCounts:
    def part(total: int) -> int:
        return max(1, round(total * scale))
    deals = part(DEALS)
    return LargeCounts(deals, max(deals, part(PARTICIPANTS)), part(DOCUMENTS), part(SALES_DEALS),
                       max(2, part(COMPANIES)))


def build_large(scale: float = 1.0, seed: int = LARGE_SEED) -> PortalState:
    """The large portal; ``scale=0.01`` keeps every proportion at a hundredth of the size."""
    rng = random.Random(seed)
    size = counts(scale)
    state = PortalState(offset_minutes=180, locale="ru")
    state.member_id = f"{rng.getrandbits(128):032x}"
    clock = SeedClock(datetime(2022, 11, 1, 7, tzinfo=UTC))
    with seed_time(state, clock):
        admin = state.add_user("Администратор", "Портала", "admin@dpo-center.ru", admin=True)
        managers = [state.add_user(name, last, f"manager{index}@dpo-center.ru").id
                    for index, (name, last) in enumerate((("Елена", "Воронина"), ("Дмитрий", "Соколов"),
                                                         ("Марина", "Лебедева"), ("Олег", "Крылов")), start=1)]
        schema = install(state, admin_id=admin.id)
        writer = OfficeWriter(state, schema)
        _Filler(writer, rng, managers, size, clock).run()
    return state


def spread(rng: random.Random, total: int, parts: int, mean: int, width: int) -> list[int]:
    """``parts`` sizes around ``mean`` (±``width``) that add up to ``total`` exactly, each at least 1."""
    sizes = [mean] * parts
    for index in range(0, parts - 1, 2):
        delta = rng.randrange(width + 1)
        sizes[index] += delta
        sizes[index + 1] -= delta
    difference = total - sum(sizes)
    position = 0
    while difference:
        step = 1 if difference > 0 else -1
        if sizes[position % parts] + step >= 1:
            sizes[position % parts] += step
            difference -= step
        position += 1
    return sizes


def add_clients(writer: OfficeWriter, rng: random.Random, companies: list[Company], managers: list[int],
                clock: SeedClock) -> tuple[list[int], list[int]]:
    """The client companies, an hour apart, each with one HR contact: (company IDs, contact IDs)."""
    company_ids, staff_ids = [], []
    for number, company in enumerate(companies, start=1):
        clock.advance(3600)
        manager = managers[number % len(managers)]
        phone = f"+7 (495) {100 + number % 900}-00-{number % 100:02d}"
        company_id = writer.add_company(company.title, phone=phone, email=f"info@client{number}.ru", user_id=manager)
        hr = make_person(rng, today=TODAY, foreign_share=0.0)
        staff_ids.append(writer.add_staff_contact(hr, company_id=company_id, post=rng.choice(HR_POSTS),
                                                  user_id=manager))
        company_ids.append(company_id)
    return company_ids, staff_ids


def plan_events(rng: random.Random, deals: int) -> list[Event]:
    """About DEALS_PER_EVENT deals an event, starting on Mondays from FIRST_DAY to two months after TODAY."""
    count = max(1, deals // DEALS_PER_EVENT)
    days = (TODAY + timedelta(days=60) - FIRST_DAY).days
    numbers: dict[tuple[str, int], int] = {}
    events = []
    for index in range(count):
        start = FIRST_DAY + timedelta(days=index * days // count)
        start -= timedelta(days=start.weekday())
        programme = CATALOGUE[rng.randrange(len(CATALOGUE))]
        key = (programme[0], start.year)
        numbers[key] = numbers.get(key, 0) + 1
        events.append(make_event(rng, programme, numbers[key], start))
    return events


def add_sales_deal(writer: OfficeWriter, rng: random.Random, company_ids: list[int], user_id: int) -> None:
    """A deal of the sales pipeline, which the app must leave out."""
    schema = writer.schema
    writer.state.crm.deals.add({"TITLE": f"Продажа методических материалов #{rng.randrange(1, 10**5)}",
                                "CATEGORY_ID": schema.sales_category_id, "STAGE_ID": rng.choice(schema.sales_stages),
                                "COMPANY_ID": rng.choice(company_ids), "OPPORTUNITY": rng.randrange(5, 200) * 1000},
                               user_id)


class _Filler:
    """Deals with their participants and documents, in time order."""

    def __init__(self, writer: OfficeWriter, rng: random.Random, managers: list[int], size: LargeCounts,
                 clock: SeedClock) -> None:
        self.writer, self.rng, self.managers, self.size, self.clock = writer, rng, managers, size, clock

    def run(self) -> None:
        rng, size = self.rng, self.size
        companies = [generated_company(rng, number) for number in range(1, size.companies + 1)]
        company_ids, staff_ids = add_clients(self.writer, rng, companies, self.managers, self.clock)
        events = plan_events(rng, size.deals)
        per_deal = spread(rng, size.participants, size.deals, size.participants // size.deals, 7)
        per_person = spread(rng, size.documents, size.participants, max(1, size.documents // size.participants), 3)
        per_person = [min(len(_TYPE_ORDER), count) for count in per_person]
        step = (_midnight(TODAY) - self.clock()) / (size.deals + 1)
        sales_every = max(1, size.deals // size.sales_deals)
        person_at = 0
        for number in range(size.deals):
            event = events[number * len(events) // size.deals]
            self.clock.at_least(min(self.clock() + step, _midnight(event.start)))
            company = rng.randrange(len(companies)) if rng.random() < 0.9 else None
            documents = per_person[person_at:person_at + per_deal[number]]
            person_at += per_deal[number]
            client = (companies[company], company_ids[company], staff_ids[company]) if company is not None else None
            self._deal(number, event, client, documents)
            if number % sales_every == 0:
                add_sales_deal(self.writer, rng, company_ids, self.managers[0])

    def _deal(self, number: int, event: Event, client: tuple[Company, int, int] | None, documents: list[int]) -> None:
        """One deal; ``client`` is (company, its ID, its HR contact) or None for a private person."""
        rng, writer = self.rng, self.writer
        manager = self.managers[number % len(self.managers)]
        stage = _stage(event)
        people = [make_person(rng, today=TODAY) for _ in documents]
        contacts = [writer.add_contact(person, user_id=manager, company_id=client[1] if client else None,
                                       post=rng.choice(POSTS[client[0].kind]) if client else "",
                                       documents_data=stage != "application") for person in people]
        bound = client[2] if client else contacts[0]
        title = f"{client[0].title if client else people[0].full_name} — {event.code}"
        partner = rng.choice(PARTNERS) if rng.random() < 0.4 else ""
        price = max(2500, round(event.hours * (110 if event.kind == PK else 90), -2))
        deal_id = writer.add_deal(event, title=title, stage=stage, user_id=manager,
                                  company_id=client[1] if client else None, client_contact=bound,
                                  partner_code=partner, opportunity=price * len(people),
                                  source="PARTNER" if partner else "CALL")
        writer.bind_contacts(deal_id, [bound])
        for position, (person, contact_id, count) in enumerate(zip(people, contacts, documents, strict=True), 1):
            status, issued = _status(event, stage, position, number)
            writer.add_participant(deal_id, contact_id, person.full_name, status, user_id=manager, issued=issued)
            if count:
                self._documents(event, deal_id, contact_id, person, count, manager)

    def _documents(self, event: Event, deal_id: int, contact_id: int, person: Person, count: int,
                   manager: int) -> None:
        folder = self.writer.person_folder(event, person.full_name, contact_id, user_id=manager)
        latin = f"{transliterate(person.last_name).title()} {transliterate(person.first_name).title()}"
        received = datetime.fromtimestamp(self.clock(), UTC).date()
        for type_code in _TYPE_ORDER[:count]:
            self.clock.advance(1)
            title = f"{DOCUMENT_TYPES[type_code]} — {person.full_name}"
            args = (title, (_TYPE_WORDS[type_code], latin, f"Contact {contact_id}, deal {deal_id}", event.code[-8:]))
            content, sha256 = lazy_content(TINY_PDF_GENERATOR, args, render_tiny_pdf(*args))
            self.writer.add_document(deal_id, contact_id, folder, type_code=type_code,
                                     file_name=f"{_TYPE_WORDS[type_code]} {latin}.pdf", content=content,
                                     sha256=sha256, owner=person.full_name, received=received, status="Проверен",
                                     comment="", user_id=manager)


def _midnight(day: date) -> float:
    return datetime.combine(day, datetime.min.time(), UTC).timestamp()


def _stage(event: Event) -> str:
    if event.end + timedelta(days=10) < TODAY:
        return "issued"
    if event.end < TODAY:
        return "assessment"
    if event.start <= TODAY:
        return "training"
    return "documents" if event.start - timedelta(days=21) <= TODAY else "application"


def _status(event: Event, stage: str, position: int, deal_number: int) -> tuple[str, IssuedDocument | None]:
    if stage in ("application", "documents"):
        return "Заявка", None
    if stage != "issued":
        return "Зачислен", None
    kind = ISSUED_KINDS[0] if event.kind == PK else ISSUED_KINDS[1]
    issued = IssuedDocument(kind, "772419", f"{deal_number:05d}{position:02d}",
                            f"{event.code}/{deal_number}-{position}", event.end + timedelta(days=3))
    return "Обучение завершено", issued


def build_deal_volume(deals: int, seed: int = LARGE_SEED) -> PortalState:
    """Only deals — ``deals`` of them in the ДПО pipeline with every field filled, one in twenty more in
    the sales pipeline — for benchmarks of reading deals (no participants, no files)."""
    rng = random.Random(seed)
    state = PortalState(offset_minutes=180, locale="ru")
    clock = SeedClock(datetime(2022, 11, 1, 7, tzinfo=UTC))
    with seed_time(state, clock):
        admin = state.add_user("Администратор", "Портала", "admin@dpo-center.ru", admin=True)
        writer = OfficeWriter(state, install(state, admin_id=admin.id))
        companies = [generated_company(rng, number) for number in range(1, COMPANIES + 1)]
        company_ids, staff_ids = add_clients(writer, rng, companies, [admin.id], clock)
        events = plan_events(rng, deals)
        step = (_midnight(TODAY) - clock()) / (deals + 1)
        for number in range(deals):
            clock.advance(step)
            event = events[number * len(events) // deals]
            company = number % len(companies)
            writer.add_deal(event, title=f"{companies[company].title} — {event.code}", stage=_stage(event),
                            user_id=admin.id, company_id=company_ids[company], client_contact=staff_ids[company],
                            partner_code=PARTNERS[number % len(PARTNERS)], opportunity=rng.randrange(10, 500) * 1000,
                            source="PARTNER")
            if number % 20 == 0:
                add_sales_deal(writer, rng, company_ids, admin.id)
    return state
