"""The ``demo`` seed: a Russian ДПО training office's portal with a year of work on it.

:func:`build_demo` installs the schema the way the office's administrator did, adds the clients and
their HR contacts, then plays the planned story (``story.py``) in time order — deals created and moved
through the stages, participants enrolled and their documents arriving as scans on the drive — with
the portal's clock set to each moment, so IDs and dates agree as on a real portal.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from ..bizproc.state import BizprocState
from ..state import PortalState
from . import scans
from .clock import SeedClock, seed_time
from .documents import DealContext, plan_scan
from .frdo_data import duplicate_json
from .generators import SCAN_GENERATOR
from .install import install
from .organisations import DEMO_COMPANIES, HR_POSTS, POSTS
from .people import Person
from .schema import DEAL_FIELDS_CREATED, DpoSchema
from .story import TODAY, PlannedDeal, Story, issued_kind, plan_story
from .writer import IssuedDocument, OfficeWriter, lazy_content

DEMO_SEED = 20261120
DUPLICATE_EVERY = 23  # one issued document in so many was lost and issued again (ФИС ФРДО: Дубликат)
# Papers that belong to the person rather than to a deal.
PERSONAL_TYPES = ("passport", "snils", "diploma", "study_certificate", "name_change")
MOSCOW = timezone(timedelta(hours=3))
MANAGERS = (("Елена", "Сергеевна", "Воронина", "e.voronina@dpo-center.ru"),
            ("Дмитрий", "Андреевич", "Соколов", "d.sokolov@dpo-center.ru"),
            ("Марина", "Викторовна", "Лебедева", "m.lebedeva@dpo-center.ru"))
OTHER_DEALS = (("Аренда учебной аудитории на 3 дня", 45000), ("Поставка методических пособий по охране труда", 128000),
               ("Вебинар для партнёров: изменения в 44-ФЗ", 15000), ("Разработка программы обучения под заказ", 90000),
               ("Корпоративный семинар по пожарной безопасности", 60000), ("Продление лицензии СДО", 36000),
               ("Выездное обучение: первая помощь", 52000), ("Тестирование персонала", 24000),
               ("Консультация по лицензированию образовательной деятельности", 30000),
               ("Аудит локальных актов учебного центра", 40000))


def build_demo(seed: int = DEMO_SEED) -> PortalState:
    rng = random.Random(seed)
    state = PortalState(offset_minutes=180, locale="ru")
    state.member_id = f"{rng.getrandbits(128):032x}"
    clock = SeedClock(DEAL_FIELDS_CREATED - timedelta(days=3))
    with seed_time(state, clock):
        admin = state.add_user("Администратор", "Портала", "admin@dpo-center.ru", admin=True)
        managers = []
        for name, second_name, last_name, email in MANAGERS:
            managers.append(state.add_user(name, last_name, email, second_name=second_name).id)
        schema = install(state, admin_id=admin.id, clock=clock)
        _add_bizproc_template(state.bizproc, admin.id)
        story = plan_story(rng, len(managers))
        _Office(state, schema, story, managers, clock, seed).play(rng)
    return state


def _add_bizproc_template(bizproc: BizprocState, admin_id: int) -> None:
    bizproc.add_template("Архив документов участников", "crm", "CCrmDocumentDeal", "DEAL", user_id=admin_id,
                         parameters={"Stage": {"Name": "Стадия", "Type": "string", "Required": 0}})


class _Office:
    """Plays the story onto the portal, one dated action after another."""

    def __init__(self, state: PortalState, schema: DpoSchema, story: Story, managers: list[int],
                 clock: SeedClock, seed: int) -> None:
        self.state, self.schema, self.story, self.managers, self.clock = state, schema, story, managers, clock
        self.seed = seed
        self.writer = OfficeWriter(state, schema)
        self.contacts: dict[int, int] = {}  # person index -> contact ID
        self.companies: list[int] = []
        self.staff: list[list[int]] = []
        self.deal_ids: dict[int, int] = {}  # planned deal position -> deal ID
        self.participant_ids: dict[tuple[int, int], int] = {}  # (deal position, person) -> element ID
        self.issued_numbers: dict[str, int] = {}
        self.issued_total = 0
        self.first_received: dict[tuple[int, str], datetime] = {}  # (person, document type) -> first arrival
        for deal in story.deals:
            for participant in deal.participants:
                for document in participant.documents:
                    key = (participant.person, document.type_code)
                    self.first_received[key] = min(self.first_received.get(key, document.received), document.received)

    def play(self, rng: random.Random) -> None:
        self.state.bump_counter("crm.company", 140)
        self.state.bump_counter("crm.contact", 3400)
        self.state.bump_counter("crm.deal", 1180)
        self._add_clients(rng)
        actions: list[tuple[datetime, str, tuple]] = []
        for position, deal in enumerate(self.story.deals):
            actions.append((deal.created, "open", (position, deal)))
            actions.extend((moment, "move", (position, deal, stage)) for moment, stage in deal.moves)
            for participant in deal.participants:
                actions.extend((document.received, "receive", (position, deal, participant.person, number))
                               for number, document in enumerate(participant.documents))
        for number, (title, amount) in enumerate(OTHER_DEALS):
            moment = datetime(2026, 2, 2, 9, tzinfo=UTC) + timedelta(days=number * 31 + rng.randrange(20))
            actions.append((moment, "other", (number, title, amount, rng.random())))
        handlers: dict[str, Callable[..., None]] = {"open": self._open_deal, "move": self._move,
                                                    "receive": self._receive, "other": self._other_deal}
        order = sorted(range(len(actions)), key=lambda index: (actions[index][0], index))
        for index in order:
            moment, kind, payload = actions[index]
            self.clock.at_least(moment)
            handlers[kind](*payload)

    # -- clients --------------------------------------------------------------------------------------

    def _add_clients(self, rng: random.Random) -> None:
        moment = datetime(2025, 3, 3, 8, tzinfo=UTC)
        for index, (title, _kind) in enumerate(DEMO_COMPANIES):
            self.clock.at_least(moment + timedelta(days=index * 23, hours=rng.randrange(9)))
            manager = self.managers[index % len(self.managers)]
            company_id = self.writer.add_company(title, phone=f"+7 (495) {rng.randrange(100, 999)}-"
                                                 f"{rng.randrange(10, 99)}-{rng.randrange(10, 99)}",
                                                 email=f"info{index + 1}@client{index + 1}.ru", user_id=manager)
            self.companies.append(company_id)
            staff = [self.writer.add_staff_contact(person, company_id=company_id, post=rng.choice(HR_POSTS),
                                                   user_id=manager)
                     for person in self.story.staff[index]]
            self.staff.append(staff)

    # -- deals ----------------------------------------------------------------------------------------

    def _contact(self, person_index: int, deal: PlannedDeal) -> int:
        contact_id = self.contacts.get(person_index)
        if contact_id is None:
            person = self.story.people[person_index]
            company = self.companies[deal.company] if deal.company is not None else None
            kind = DEMO_COMPANIES[deal.company][1] if deal.company is not None else None
            post = random.Random(f"{self.seed}-post-{person_index}").choice(POSTS[kind]) if kind else ""
            contact_id = self.writer.add_contact(person, user_id=self.managers[deal.manager], company_id=company,
                                                 post=post, documents_data=deal.stage not in ("application", "refused"))
            self.contacts[person_index] = contact_id
        return contact_id

    def _open_deal(self, position: int, deal: PlannedDeal) -> None:
        manager = self.managers[deal.manager]
        people = [self._contact(participant.person, deal) for participant in deal.participants]
        if deal.company is not None:
            title = f"{DEMO_COMPANIES[deal.company][0]} — {deal.event.code}"
            bound = self.staff[deal.company]
        else:
            title = f"{self.story.people[deal.participants[0].person].full_name} — {deal.event.code}"
            bound = people[:1]
        deal_id = self.writer.add_deal(
            deal.event, title=title, stage="application", user_id=manager,
            company_id=self.companies[deal.company] if deal.company is not None else None, client_contact=bound[0],
            partner_code=deal.partner, opportunity=deal.price * len(deal.participants), source=deal.source)
        self.deal_ids[position] = deal_id
        self.writer.bind_contacts(deal_id, bound)
        for participant, contact_id in zip(deal.participants, people, strict=True):
            name = self.story.people[participant.person].full_name
            self.participant_ids[(position, participant.person)] = self.writer.add_participant(
                deal_id, contact_id, name, "Заявка", user_id=manager)

    def _move(self, position: int, deal: PlannedDeal, stage: str) -> None:
        manager = self.managers[deal.manager]
        deal_id = self.deal_ids[position]
        self.writer.move_deal(deal_id, stage, user_id=manager)
        if stage not in ("training", "issued"):
            return
        for participant in deal.participants:
            person = self.story.people[participant.person]
            issued = None
            if stage == "issued":
                status = "Отчислен" if participant.left_early else "Обучение завершено"
                issued = self._issued_document(deal, participant.left_early, person)
            else:
                status = "Зачислен"
            self.writer.update_participant(self.participant_ids[(position, participant.person)], deal_id,
                                           self.contacts[participant.person], person.full_name, status,
                                           user_id=manager, issued=issued)

    def _issued_document(self, deal: PlannedDeal, left_early: bool, person: Person) -> IssuedDocument:
        event = deal.event
        number = self.issued_numbers.get(event.code, 0) + 1
        self.issued_numbers[event.code] = number
        self.issued_total += 1
        kind = issued_kind(event, left_early)
        # The office's blank forms: a series for the region and a running number; a справка has neither.
        serial = self.issued_total
        series, doc_number = ("", f"С-{serial:04d}") if left_early else ("772419", f"{1200 + serial:07d}")
        registration, issued = f"{event.code}/{number:03d}", event.end + timedelta(days=3)
        if left_early or serial % DUPLICATE_EVERY != DUPLICATE_EVERY // 2:
            return IssuedDocument(kind, series, doc_number, registration, issued)
        # Lost and issued again a month later: a new blank and register entry, the original's data kept.
        again = min(issued + timedelta(days=30), TODAY)
        frdo = duplicate_json(kind, series, doc_number, registration, issued,
                              (person.last_name, person.first_name, person.patronymic))
        return IssuedDocument(kind, series, f"{9000000 + serial:07d}", f"{registration}-Д", again, frdo)

    def _receive(self, position: int, deal: PlannedDeal, person_index: int, number: int) -> None:
        participant = next(item for item in deal.participants if item.person == person_index)
        document = participant.documents[number]
        person = self.story.people[person_index]
        contact_id = self.contacts[person_index]
        customer = DEMO_COMPANIES[deal.company][0] if deal.company is not None else person.full_name
        context = DealContext(deal.event, customer, deal.contract_number, deal.created.date(), deal.price)
        kind = document.type_code
        first_of_kind = next(index for index, item in enumerate(participant.documents) if item.type_code == kind)
        if kind in PERSONAL_TYPES and number == first_of_kind:
            # A person in two deals sends the same photo of their passport to both: one file, two elements.
            key, taken = f"{self.seed}-person-{person_index}-{kind}", self.first_received[(person_index, kind)]
        else:
            key, taken = f"{self.seed}-{position}-{person_index}-{number}", document.received
        rng = random.Random(key)
        plan = plan_scan(rng, kind, person, context, taken, variant=rng.randrange(1 << 30))
        content, sha256 = lazy_content(SCAN_GENERATOR, plan.recipe, scans.render(*plan.recipe))
        manager = self.managers[deal.manager]
        folder = self.writer.person_folder(deal.event, person.full_name, contact_id, user_id=manager)
        self.writer.add_document(self.deal_ids[position], contact_id, folder, type_code=document.type_code,
                                 file_name=plan.file_name, content=content, sha256=sha256, owner=person.full_name,
                                 received=_local_date(document.received), status=document.status,
                                 comment=document.comment, user_id=manager)

    def _other_deal(self, number: int, title: str, amount: int, draw: float) -> None:
        """Deals outside the ДПО pipeline, which the app must leave alone: most in "Продажи", two in the
        default pipeline."""
        in_sales = number < len(OTHER_DEALS) - 2
        category = self.schema.sales_category_id if in_sales else 0
        stages = [stage["STATUS_ID"] for stage in self.state.crm.stages(category)]
        self.state.crm.deals.add({"TITLE": title, "CATEGORY_ID": category, "STAGE_ID": stages[int(draw * 6)],
                                  "OPPORTUNITY": amount, "CURRENCY_ID": "RUB", "TYPE_ID": "SALE", "SOURCE_ID": "CALL",
                                  "COMPANY_ID": self.companies[int(draw * len(self.companies))]},
                                 self.managers[number % len(self.managers)])


def _local_date(moment: datetime) -> date:
    return min(moment.astimezone(MOSCOW).date(), TODAY)
