"""``lists.element.get`` over HTTP: FILTER operators, ELEMENT_ORDER, SELECT, paging and fast ID-window paging."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from .portal_fixtures import Sandbox

LISTS = {"IBLOCK_TYPE_ID": "lists"}
DAY = 86400


def error_of(response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


@dataclass
class Participants:
    sandbox: Sandbox
    iblock_id: int
    deal: str  # S:ECrm (deals)
    contact: str  # S:ECrm (contacts)
    status: str  # L
    statuses: dict[str, str]
    issued: str  # S:Date
    hours: str  # N
    roles: str  # S, multiple

    @property
    def ids(self) -> dict:
        return {**LISTS, "IBLOCK_ID": self.iblock_id}

    def names(self, **params) -> list[str]:
        return [row["NAME"] for row in self.sandbox.result("lists.element.get", {**self.ids, **params})]

    def call(self, **params):
        return self.sandbox.call("lists.element.get", {**self.ids, **params})


@pytest.fixture
def roster(sandbox) -> Participants:
    """Five participants of two deals, created a day apart, through the seeds' internal API."""
    state = sandbox.state
    lists = state.lists
    iblock_id = lists.add_list("dpo_participants", "Участники", user_id=1)

    def field(name: str, kind: str, code: str, **extra) -> str:
        return lists.add_field(iblock_id, {"NAME": name, "TYPE": kind, "CODE": code, **extra})

    roster = Participants(
        sandbox, iblock_id,
        deal=field("Сделка", "S:ECrm", "DEAL", USER_TYPE_SETTINGS={"DEAL": "Y"}),
        contact=field("Участник", "S:ECrm", "CONTACT", USER_TYPE_SETTINGS={"CONTACT": "Y"}),
        status=field("Статус", "L", "STATUS", LIST_TEXT_VALUES="Заявлен\nЗачислен\nОтчислен"),
        statuses={}, issued=field("Дата выдачи", "S:Date", "ISSUED"), hours=field("Часы", "N", "HOURS"),
        roles=field("Роли", "S", "ROLES", MULTIPLE="Y"),
    )
    roster.statuses = lists.enum_ids(iblock_id, roster.status)
    people = [("Иванов Иван", 345, 11, "Зачислен", "2025-01-10", 72, ["староста"]),
              ("Петров Пётр", 345, 12, "Заявлен", "", 16, []),
              ("Сидорова Анна", 346, 13, "Зачислен", "2025-02-01", 250, ["слушатель", "староста"]),
              ("Кузнецов Олег", 346, 11, "Отчислен", "", 0, []),
              ("Смирнова Мария", 347, 14, "Зачислен", "2024-12-31", 72, ["слушатель"])]
    start = 1735689600  # 2025-01-01 00:00:00 UTC
    for number, (name, deal, contact, status, issued, hours, roles) in enumerate(people):
        fields = {"NAME": name, roster.deal: deal, roster.contact: contact, roster.status: roster.statuses[status],
                  roster.issued: issued, roster.hours: hours, roster.roles: roles}
        lists.add_element(iblock_id, f"p-{deal}-{contact}", fields, user_id=1, created=start + number * DAY)
    return roster


# -- filters -----------------------------------------------------------------------------------------------------


def test_filter_by_a_crm_link_property(roster):
    assert roster.names(FILTER={f"={roster.deal}": "345"}) == ["Иванов Иван", "Петров Пётр"]
    assert roster.names(FILTER={roster.deal: "346"}) == ["Сидорова Анна", "Кузнецов Олег"]
    assert roster.names(FILTER={f"@{roster.deal}": ["345", "347"], f"={roster.contact}": "11"}) == ["Иванов Иван"]
    assert roster.names(FILTER={f"!@{roster.deal}": ["345", "346"]}) == ["Смирнова Мария"]
    assert roster.names(FILTER={f"={roster.deal.lower()}": "347"}) == ["Смирнова Мария"]  # keys in any case
    assert roster.names(FILTER={"=PROPERTY_CONTACT": "11"}) == ["Иванов Иван", "Кузнецов Олег"]  # by property code


def test_filter_by_list_number_date_and_multiple_properties(roster):
    enrolled = roster.statuses["Зачислен"]
    assert roster.names(FILTER={roster.status: enrolled}) == ["Иванов Иван", "Сидорова Анна", "Смирнова Мария"]
    assert roster.names(FILTER={f">={roster.hours}": 72, f"<{roster.hours}": "250"}) == ["Иванов Иван",
                                                                                         "Смирнова Мария"]
    assert roster.names(FILTER={f">={roster.issued}": "01.01.2025"}) == ["Иванов Иван", "Сидорова Анна"]
    assert roster.names(FILTER={f"<{roster.issued}": "2025-01-10"}) == ["Смирнова Мария"]
    assert roster.names(FILTER={roster.issued: ""}) == ["Петров Пётр", "Кузнецов Олег"]  # empty asks for empty
    assert roster.names(FILTER={roster.roles: "староста"}) == ["Иванов Иван", "Сидорова Анна"]
    assert roster.names(FILTER={f"><{roster.hours}": [16, 72]}) == ["Иванов Иван", "Петров Пётр", "Смирнова Мария"]


def test_filter_by_standard_fields(roster):
    assert roster.names(FILTER={"%NAME": "ова"}) == ["Сидорова Анна", "Смирнова Мария"]
    assert roster.names(FILTER={"=%NAME": "Пет%"}) == ["Петров Пётр"]
    assert roster.names(FILTER={"!%NAME": "ов"}) == []
    assert roster.names(FILTER={"CODE": "p-346-11"}) == ["Кузнецов Олег"]
    # Created at 03:00 Moscow time on 1, 2, 3, 4 and 5 January 2025.
    assert roster.names(FILTER={">DATE_CREATE": "03.01.2025 03:00:00"}) == ["Кузнецов Олег", "Смирнова Мария"]
    assert roster.names(FILTER={">=DATE_CREATE": "03.01.2025 03:00:00"})[0] == "Сидорова Анна"
    assert roster.names(FILTER={"<=DATE_CREATE": "2025-01-02T03:00:00+03:00"}) == ["Иванов Иван", "Петров Пётр"]
    assert len(roster.names(FILTER={"CREATED_BY": 1, "SORT": 500, ">=TIMESTAMP_X": "2000-01-01"})) == 5
    first, second, *_ = roster.sandbox.result("lists.element.get", roster.ids)
    assert roster.names(FILTER={">ID": first["ID"], "<=ID": second["ID"]}) == ["Петров Пётр"]
    assert roster.names(FILTER={"!ID": first["ID"], "ACTIVE": "Y"})[0] == "Петров Пётр"


def test_filter_refuses_unknown_fields_and_operations(roster):
    assert error_of(roster.call(FILTER={"COLOUR": "red"})) == \
        (400, "ERROR_ARGUMENT", "Filter field not allowed: COLOUR")
    assert error_of(roster.call(FILTER={"~NAME": "x"})) == (400, "ERROR_ARGUMENT", "Filter operation not allowed: ~")
    assert error_of(roster.call(FILTER={"PROPERTY_987654": "1"}))[2] == "Filter field not allowed: PROPERTY_987654"


def test_nothing_found_answers_an_empty_array_without_total(roster):
    body = roster.call(FILTER={roster.deal: "999"}).json()
    assert body["result"] == [] and "total" not in body and "next" not in body


# -- order, select, paging -------------------------------------------------------------------------------------------


def test_element_order(roster):
    assert roster.names(ELEMENT_ORDER={"NAME": "asc"})[0] == "Иванов Иван"
    assert roster.names(ELEMENT_ORDER={"NAME": "DESC"})[0] == "Смирнова Мария"
    assert roster.names(ELEMENT_ORDER={"ID": "desc"})[0] == "Смирнова Мария"
    assert roster.names(ELEMENT_ORDER={roster.hours: "desc"})[0] == "Сидорова Анна"
    # Multiple properties, CRM links and unknown directions cannot sort: the default ID order stays.
    for order in ({roster.roles: "desc"}, {roster.deal: "desc"}, {"NAME": "sideways"}):
        assert roster.names(ELEMENT_ORDER=order)[0] == "Иванов Иван"


def test_select_narrows_the_row_and_keeps_the_id(roster):
    rows = roster.sandbox.result("lists.element.get", {**roster.ids, "SELECT": ["NAME", roster.deal, "SORT"],
                                                       "FILTER": {roster.deal: "347"}})
    (row,) = rows
    assert set(row) == {"ID", "NAME", "SORT", roster.deal} and row["SORT"] == "500"


def test_pages_of_fifty_with_total_and_next(sandbox):
    lists = sandbox.state.lists
    iblock_id = lists.add_list("big", "Большой", user_id=1)
    for number in range(120):
        lists.add_element(iblock_id, f"e{number}", {"NAME": f"Элемент {number:03d}"}, user_id=1)
    ids = {**LISTS, "IBLOCK_ID": iblock_id}
    first = sandbox.call("lists.element.get", ids).json()
    assert len(first["result"]) == 50 and first["total"] == 120 and first["next"] == 50
    last = sandbox.call("lists.element.get", {**ids, "start": 100}).json()
    assert [row["NAME"] for row in last["result"]] == [f"Элемент {number:03d}" for number in range(100, 120)]
    assert last["total"] == 120 and "next" not in last
    uncounted = sandbox.call("lists.element.get", {**ids, "start": -1}).json()
    assert len(uncounted["result"]) == 50 and uncounted["total"] == 0 and "next" not in uncounted


def test_fast_paging_chains_fifty_row_pages_in_one_batch(sandbox):
    """b24pysdk's call_list_fast: ELEMENT_ORDER ID ASC, FILTER >ID from the previous page, start=-1."""
    lists = sandbox.state.lists
    iblock_id = lists.add_list("chained", "Цепочка", user_id=1)
    created = [lists.add_element(iblock_id, f"c{number}", {"NAME": str(number)}, user_id=1) for number in range(130)]
    base = f"lists.element.get?IBLOCK_TYPE_ID=lists&IBLOCK_ID={iblock_id}&ELEMENT_ORDER[ID]=ASC&start=-1"
    commands = {"1": f"{base}&FILTER[%3EID]=0"}
    for label in range(2, 5):
        commands[str(label)] = f"{base}&FILTER[%3EID]=%24result%5B{label - 1}%5D%5B49%5D%5BID%5D"
    body = sandbox.result("batch", {"halt": True, "cmd": commands})
    pages = body["result"]
    assert [len(pages[label]) for label in ("1", "2", "3")] == [50, 50, 30]
    seen = [int(row["ID"]) for label in ("1", "2", "3") for row in pages[label]]
    assert seen == created
    # The fourth command refers past the short third page: it finds nothing rather than starting over.
    assert pages["4"] == []
    assert body["result_total"] == {"1": 0, "2": 0, "3": 0} and body["result_next"] == []


def test_an_id_list_filter_finds_exactly_those_elements(sandbox):
    lists = sandbox.state.lists
    iblock_id = lists.add_list("ids", "IDs", user_id=1)
    created = [lists.add_element(iblock_id, f"i{number}", {"NAME": str(number)}, user_id=1) for number in range(80)]
    wanted = [created[3], created[40], created[77]]
    rows = sandbox.result("lists.element.get", {**LISTS, "IBLOCK_ID": iblock_id, "FILTER": {"=ID": wanted}})
    assert [int(row["ID"]) for row in rows] == wanted
