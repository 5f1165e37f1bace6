"""``crm.*.list``: ``select`` semantics, the filter operators, ``order``, 50-row pages with ``total``
and ``next``, and ``start=-1`` without counting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .portal_fixtures import Sandbox, make_sandbox

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()


@pytest.fixture
def box() -> Sandbox:
    sandbox = make_sandbox()
    sandbox.state.time_source = lambda: NOW
    crm = sandbox.state.crm
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "EVENT_CODE", "USER_TYPE_ID": "string"})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "TAGS", "USER_TYPE_ID": "string", "MULTIPLE": "Y"})
    titles = ["Курс ДПО: охрана труда", "Курс ДПО: пожарная безопасность", "Семинар", "курс по 1С", "Вебинар"]
    for number, title in enumerate(titles, start=1):
        sandbox.state.time_source = lambda number=number: NOW + number * 3600
        sandbox.result("crm.deal.add", {"fields": {
            "TITLE": title, "OPPORTUNITY": number * 100, "STAGE_ID": "WON" if number % 2 else "NEW",
            "UF_CRM_EVENT_CODE": f"EV-{number}", "UF_CRM_TAGS": ["a", f"t{number}"],
            "BEGINDATE": f"2026-03-0{number}"}})
    sandbox.state.time_source = lambda: NOW + 86400
    return sandbox


def _ids(box: Sandbox, params: dict) -> list[int]:
    return [int(row["ID"]) for row in box.result("crm.deal.list", {**params, "select": ["ID"]})]


def test_default_select_is_star_and_uf_star(box: Sandbox):
    row = box.result("crm.deal.list")[0]
    assert {"ID", "TITLE", "STAGE_ID", "DATE_MODIFY", "UF_CRM_EVENT_CODE"} <= set(row)
    assert "UF_CRM_TAGS" not in row  # UF_* names single-valued user fields only
    assert "CONTACT_IDS" not in row


def test_star_is_standard_fields_only(box: Sandbox):
    row = box.result("crm.deal.list", {"select": ["*"]})[0]
    assert "TITLE" in row and not any(key.startswith("UF_") for key in row)


def test_uf_star_is_user_fields_and_the_id(box: Sandbox):
    assert box.result("crm.deal.list", {"select": ["UF_*"]})[0] == {"ID": "1", "UF_CRM_EVENT_CODE": "EV-1"}


def test_named_fields_and_the_id_always(box: Sandbox):
    assert box.result("crm.deal.list", {"select": ["TITLE"]})[0] == {"ID": "1", "TITLE": "Курс ДПО: охрана труда"}
    tags = box.result("crm.deal.list", {"select": ["UF_CRM_TAGS", "NOPE"]})[0]
    assert tags == {"ID": "1", "UF_CRM_TAGS": ["a", "t1"]}
    assert box.result("crm.deal.list", {"select": ["TITLE", "*", "TITLE"]})[0]["TITLE"]  # duplicates are harmless


def test_multifields_only_when_named():
    box = make_sandbox()
    box.result("crm.contact.add", {"fields": {"NAME": "Иван", "PHONE": [{"VALUE": "+79990001122"}]}})
    box.result("crm.contact.add", {"fields": {"NAME": "Пётр"}})
    assert all("PHONE" not in row for row in box.result("crm.contact.list", {"select": ["*", "UF_*"]}))
    rows = box.result("crm.contact.list", {"select": ["NAME", "PHONE"]})
    assert rows[0]["PHONE"][0]["VALUE"] == "+79990001122"
    assert rows[1] == {"ID": "2", "NAME": "Пётр"}  # no entries: the key is left out


@pytest.mark.parametrize(("flt", "expected"), [
    ({">=OPPORTUNITY": 300}, [3, 4, 5]),
    ({">OPPORTUNITY": "300"}, [4, 5]),
    ({"<=OPPORTUNITY": 200}, [1, 2]),
    ({"<OPPORTUNITY": 200.0}, [1]),
    ({"OPPORTUNITY": 400}, [4]),
    ({"=OPPORTUNITY": "400.00"}, [4]),
    ({"@ID": [1, 3, 99]}, [1, 3]),
    ({"@ID": "2"}, [2]),
    ({"!@ID": [1, 3]}, [2, 4, 5]),
    ({"ID": [4, 5]}, [4, 5]),
    ({"%TITLE": "дпо"}, [1, 2]),  # a case-insensitive substring
    ({"%TITLE": "КУРС"}, [1, 2, 4]),
    ({"=%TITLE": "курс%"}, [1, 2, 4]),  # explicit wildcards: starts with
    ({"%=TITLE": "%безопасность"}, [2]),
    ({"=%TITLE": "курс"}, []),  # no wildcard: the whole value
    ({"=%TITLE": "семина_"}, [3]),  # "_" is one character
    ({"!=%TITLE": "%дпо%"}, [3, 4, 5]),
    ({"%TITLE": "курс%труда"}, [1]),  # wildcards of its own make it a whole-value pattern
    ({"!TITLE": "Семинар"}, [1, 2, 4, 5]),
    ({"!=TITLE": "семинар"}, [1, 2, 4, 5]),
    ({"!%TITLE": "курс"}, [3, 5]),
    ({"STAGE_ID": "WON"}, [1, 3, 5]),
    ({"!STAGE_ID": "WON"}, [2, 4]),
    ({"UF_CRM_EVENT_CODE": "EV-2"}, [2]),
    ({"UF_CRM_TAGS": "t3"}, [3]),
    ({">=DATE_CREATE": "2026-03-02T15:00:00+03:00"}, [3, 4, 5]),
    ({">DATE_CREATE": "2026-03-02T12:00:00Z"}, [4, 5]),  # another offset, the same moment
    ({"<DATE_CREATE": "02.03.2026 14:00:00"}, [1]),  # the portal's own format, in the server's zone
    ({">=BEGINDATE": "2026-03-04"}, [4, 5]),
    ({"<BEGINDATE": "03.03.2026"}, [1, 2]),
    ({">ID": 2, "<ID": 5, "!ID": 3}, [4]),
    ({"NO_SUCH_FIELD": "x", "@ID": [1]}, [1]),  # unknown fields are ignored
    ({"TITLE": ""}, []),  # an empty value asks for an empty field
    ({"!TITLE": ""}, [1, 2, 3, 4, 5]),
])
def test_filter_operators(box: Sandbox, flt: dict, expected: list[int]):
    assert _ids(box, {"filter": flt}) == expected


def test_like_does_not_search_inside_status_and_link_fields(box: Sandbox):
    """(unconfirmed) LIKE "does not work" on crm_status/link fields (reference §8.1, §16.23): it
    compares the whole value."""
    assert _ids(box, {"filter": {"%STAGE_ID": "WO"}}) == []
    assert _ids(box, {"filter": {"%STAGE_ID": "WON"}}) == [1, 3, 5]
    assert _ids(box, {"filter": {"%ASSIGNED_BY_ID": "1"}}) == [1, 2, 3, 4, 5]


def test_multifield_filters_are_exact():
    box = make_sandbox()
    box.result("crm.contact.add", {"fields": {"NAME": "Иван", "EMAIL": [{"VALUE": "ivan@example.ru"}]}})
    found = box.result("crm.contact.list", {"filter": {"EMAIL": "ivan@example.ru"}, "select": ["ID"]})
    assert found == [{"ID": "1"}]
    assert box.result("crm.contact.list", {"filter": {"%EMAIL": "ivan"}, "select": ["ID"]}) == []


@pytest.mark.parametrize(("order", "expected"), [
    ({"OPPORTUNITY": "DESC"}, [5, 4, 3, 2, 1]),
    ({"OPPORTUNITY": "desc"}, [5, 4, 3, 2, 1]),
    ({"ID": "ASC"}, [1, 2, 3, 4, 5]),
    ({"STAGE_ID": "ASC", "ID": "DESC"}, [4, 2, 5, 3, 1]),
    ({"TITLE": "ASC"}, [5, 1, 2, 4, 3]),
    ({"DATE_CREATE": "DESC"}, [5, 4, 3, 2, 1]),
    ({"NOPE": "DESC"}, [1, 2, 3, 4, 5]),
    ({"OPPORTUNITY": "sideways"}, [1, 2, 3, 4, 5]),
])
def test_order(box: Sandbox, order: dict, expected: list[int]):
    assert _ids(box, {"order": order}) == expected


@pytest.fixture
def many() -> Sandbox:
    sandbox = make_sandbox()
    for number in range(1, 121):
        sandbox.state.crm.deals.add({"TITLE": f"Сделка {number}"}, 1)
    return sandbox


def _page(box: Sandbox, **params) -> dict:
    response = box.call("crm.deal.list", {"select": ["ID"], "order": {"ID": "ASC"}, **params})
    assert response.status_code == 200
    return response.json()


def test_pages_of_fifty_with_total_and_next(many: Sandbox):
    first, second, last = _page(many), _page(many, start=50), _page(many, start="100")
    assert [len(page["result"]) for page in (first, second, last)] == [50, 50, 20]
    assert [page["total"] for page in (first, second, last)] == [120, 120, 120]
    assert (first["next"], second["next"]) == (50, 100) and "next" not in last
    assert first["result"][0]["ID"] == "1" and last["result"][-1]["ID"] == "120"
    beyond = _page(many, start=500)
    assert beyond["result"] == [] and beyond["total"] == 120 and "next" not in beyond


def test_start_is_rounded_down_to_a_page(many: Sandbox):
    """(unconfirmed) the legacy navigation turns start into a page number."""
    page = _page(many, start=70)
    assert page["result"][0]["ID"] == "51" and page["next"] == 100


@pytest.mark.parametrize("start", ["abc", "", None, "12abc"])
def test_an_unreadable_start_is_read_as_php_intval(many: Sandbox, start):
    page = _page(many, start=start)
    assert page["result"][0]["ID"] == "1" and page["next"] == 50


def test_start_minus_one_skips_counting(many: Sandbox):
    page = _page(many, start=-1)
    assert len(page["result"]) == 50 and page["total"] == 0 and "next" not in page
    window = _page(many, start=-1, filter={">ID": 100})
    assert [row["ID"] for row in window["result"]] == [str(number) for number in range(101, 121)]
    assert "next" not in window and window["total"] == 0


def test_the_id_window_works_downwards_too(many: Sandbox):
    page = many.result("crm.deal.list", {"select": ["ID"], "order": {"ID": "DESC"}, "filter": {"<ID": 71},
                                         "start": -1})
    assert [row["ID"] for row in page][:3] == ["70", "69", "68"] and len(page) == 50


def test_paging_by_id_window_reads_every_row_once(many: Sandbox):
    seen, last = [], 0
    while True:
        page = many.result("crm.deal.list", {"select": ["ID"], "order": {"ID": "ASC"}, "filter": {">ID": last},
                                             "start": -1})
        seen.extend(int(row["ID"]) for row in page)
        if len(page) < 50:
            break
        last = int(page[-1]["ID"])
    assert seen == list(range(1, 121))


def test_a_filtered_count(many: Sandbox):
    page = _page(many, filter={"%TITLE": "Сделка 1"})  # 1, 10-19, 100-120
    assert page["total"] == 1 + 10 + 21 and len(page["result"]) == 32 and "next" not in page


def test_a_null_filter_value_asks_for_an_empty_field(box: Sandbox):
    """Reference §16.17: filters with None confuse clients; the sandbox reads null as "empty"."""
    box.result("crm.deal.update", {"id": 2, "fields": {"COMMENTS": "Есть"}})
    assert _ids(box, {"filter": {"COMMENTS": None}}) == [1, 3, 4, 5]
    assert _ids(box, {"filter": {"!COMMENTS": None}}) == [2]


def test_an_id_filter_has_no_size_limit(many: Sandbox):
    """Reference §16.18: no documented maximum for @ID; a page still holds at most 50 rows."""
    page = _page(many, filter={"@ID": list(range(1, 501))})
    assert page["total"] == 120 and len(page["result"]) == 50 and page["next"] == 50


def test_data_changing_between_pages_shifts_offset_paging_but_not_the_id_window(many: Sandbox):
    """Reference §16.1-3: a deletion between pages makes offset paging skip a row; ID windows do not."""
    first = _page(many)
    many.result("crm.deal.delete", {"id": 10})
    second = _page(many, start=50)
    seen = [row["ID"] for row in first["result"] + second["result"]]
    assert "51" not in seen and second["total"] == 119  # row 51 moved onto page one: skipped
    after = many.result("crm.deal.list", {"select": ["ID"], "order": {"ID": "ASC"},
                                          "filter": {">ID": first["result"][-1]["ID"]}, "start": -1})
    assert after[0]["ID"] == "51"
