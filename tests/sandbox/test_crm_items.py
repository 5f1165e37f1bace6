"""``crm.item.*`` over deals, contacts and companies: the captured shapes, camelCase and real numbers over
the same records the legacy methods serve, user field names, strict filters with ``logic: OR``,
paging (50 a page, ``start=-1``, the ``$result[p][items][49][id]`` batch chain), pipeline moves, errors."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpo_desktop.sandbox import wire

from .portal_fixtures import Sandbox, make_sandbox
from .test_shapes import ISO_WITH_OFFSET, assert_same_shape, assert_time_object, captured

NOW = datetime(2026, 5, 14, 10, 26, 32, tzinfo=UTC).timestamp()  # 13:26:32 in Moscow
DEALS, CONTACTS, COMPANIES = 2, 3, 4


@pytest.fixture
def box() -> Sandbox:
    sandbox = make_sandbox()
    sandbox.state.time_source = lambda: NOW
    yield sandbox
    assert sandbox.portal.bugs == []
    sandbox.client.close()


def item(box: Sandbox, method: str, params: dict[str, Any]) -> dict[str, Any]:
    return box.result(method, params)["item"]


def items(box: Sandbox, params: dict[str, Any]) -> list[dict[str, Any]]:
    return box.result("crm.item.list", {"entityTypeId": DEALS, **params})["items"]


def error(box: Sandbox, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = box.call(method, params)
    return response.status_code, response.json()


# -- shapes against the captures -----------------------------------------------------------------------

def test_a_list_answers_exactly_as_the_captured_one(box: Sandbox):
    """``crm_item_list.json``: the ``items`` wrapper, real IDs, a date field as midnight with the offset."""
    real = captured("crm_item_list.json")
    uf_name = next(key for key in real["result"]["items"][0] if key.startswith("ufCrm"))  # ufCrm11_1712074666
    box.state.crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "11_1712074666", "USER_TYPE_ID": "date"})
    for row in real["result"]["items"]:
        box.result("crm.deal.add", {"fields": {"TITLE": row["title"], "UF_CRM_11_1712074666": row[uf_name][:10]}})
    ours = box.call("crm.item.list", {"entityTypeId": DEALS, "select": ["id", "title", uf_name]}).json()
    assert ours["result"] == real["result"]
    assert ours["total"] == real["total"] and "next" not in ours and "next" not in real
    assert_time_object(ours["time"])


def test_an_add_in_a_batch_has_the_captured_shape(box: Sandbox):
    """``crm_item_add.json`` (a smart process item in a batch): every key it has but the smart-process
    ``xmlId`` is in a deal item too, with the same JSON type; the batch members are PHP's ``[]``."""
    real = captured("crm_item_add.json")
    query = wire.encode_query({"entityTypeId": DEALS, "fields": {"title": "Андрей Макарцев\n"}})
    ours = box.call("batch", {"halt": 0, "cmd": {"order0000000000": f"crm.item.add?{query}"}}).json()
    real_item = real["result"]["result"]["order0000000000"]["item"]
    our_item = ours["result"]["result"]["order0000000000"]["item"]
    shared = {key: our_item[key] for key in real_item if key != "xmlId"}
    assert_same_shape(shared, {key: value for key, value in real_item.items() if key != "xmlId"})
    assert our_item["title"] == "Андрей Макарцев\n" and our_item["entityTypeId"] == DEALS
    ours["result"]["result"]["order0000000000"]["item"] = {**shared, "xmlId": "", "entityTypeId": 133}
    assert_same_shape(ours, real)


def test_a_deal_item_is_camel_case_with_real_numbers_and_y_n(box: Sandbox):
    response = box.call("crm.item.add", {"entityTypeId": DEALS, "fields": {
        "title": "Повышение квалификации", "opportunity": 1000000, "taxValue": 99.9, "probability": "40"}})
    assert '"opportunity":1000000,' in response.text  # a whole amount has no fraction, as in the docs' samples
    deal = response.json()["result"]["item"]
    assert deal["id"] == 1 and deal["categoryId"] == 0 and deal["assignedById"] == 1 and deal["createdBy"] == 1
    assert deal["opportunity"] == 1000000 and deal["taxValue"] == 99.9 and deal["probability"] == 40
    assert (deal["opened"], deal["closed"], deal["isNew"], deal["isManualOpportunity"]) == ("Y", "N", "Y", "N")
    assert deal["createdTime"] == deal["updatedTime"] == deal["movedTime"] == "2026-05-14T13:26:32+03:00"
    assert deal["begindate"] == "2026-05-14T03:00:00+03:00" and deal["closedate"] == "2026-05-21T03:00:00+03:00"
    assert deal["contactIds"] == [] and deal["observers"] == [] and deal["entityTypeId"] == DEALS
    assert list(deal)[:4] == ["id", "createdTime", "dateCreateShort", "updatedTime"]
    assert list(deal)[-3:] == ["observers", "contactIds", "entityTypeId"]
    assert all(ISO_WITH_OFFSET.fullmatch(deal[key]) for key in ("createdTime", "movedTime", "begindate"))


# -- one store, two faces ----------------------------------------------------------------------------

def test_a_deal_written_the_legacy_way_reads_back_as_an_item(box: Sandbox):
    contacts = [box.result("crm.contact.add", {"fields": {"NAME": name}}) for name in ("Анна", "Борис")]
    deal_id = box.result("crm.deal.add", {"fields": {
        "TITLE": "ДПО: охрана труда", "OPPORTUNITY": "1500,5", "CONTACT_IDS": contacts, "COMPANY_ID": 7,
        "BEGINDATE": "01.09.2026", "IS_MANUAL_OPPORTUNITY": "Y"}})
    legacy = box.result("crm.deal.get", {"id": deal_id})
    deal = item(box, "crm.item.get", {"entityTypeId": DEALS, "id": deal_id})
    assert deal["id"] == int(legacy["ID"]) and deal["title"] == legacy["TITLE"]
    assert deal["opportunity"] == float(legacy["OPPORTUNITY"]) == 1500.5
    assert deal["companyId"] == 7 and deal["contactId"] == contacts[0] and deal["contactIds"] == contacts
    assert deal["begindate"] == legacy["BEGINDATE"] == "2026-09-01T03:00:00+03:00"
    assert deal["stageId"] == legacy["STAGE_ID"] and deal["isManualOpportunity"] == "Y"
    assert deal["updatedTime"] == legacy["DATE_MODIFY"] and deal["updatedBy"] == int(legacy["MODIFY_BY_ID"])


def test_an_item_written_deal_reads_back_the_legacy_way(box: Sandbox):
    contact = item(box, "crm.item.add", {"entityTypeId": CONTACTS, "fields": {"name": "Вера"}})["id"]
    deal = item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {
        "title": "Семинар", "opportunity": 2500.75, "contactIds": [contact], "closedate": "2026-12-31",
        "opened": "N", "comments": "первый поток"}})
    legacy = box.result("crm.deal.get", {"id": deal["id"]})
    assert (legacy["TITLE"], legacy["OPPORTUNITY"], legacy["OPENED"]) == ("Семинар", "2500.75", "N")
    assert legacy["CLOSEDATE"] == deal["closedate"] == "2026-12-31T03:00:00+03:00"
    assert legacy["CONTACT_ID"] == str(contact) and legacy["COMMENTS"] == "первый поток"
    assert box.result("crm.deal.contact.items.get", {"id": deal["id"]})[0]["CONTACT_ID"] == contact
    box.result("crm.deal.update", {"id": deal["id"], "fields": {"TITLE": "Семинар (перенос)"}})
    assert item(box, "crm.item.get", {"entityTypeId": DEALS, "id": deal["id"]})["title"] == "Семинар (перенос)"


def test_contacts_and_companies_both_ways(box: Sandbox):
    company = box.result("crm.company.add", {"fields": {"TITLE": "ООО Ромашка", "COMPANY_TYPE": "PARTNER"}})
    contact = box.result("crm.contact.add", {"fields": {
        "NAME": "Иван", "LAST_NAME": "Петров", "SECOND_NAME": "Сергеевич", "BIRTHDATE": "11.11.1999",
        "COMPANY_IDS": [company], "PHONE": [{"VALUE": "+79990000001", "VALUE_TYPE": "MOBILE"}]}})
    person = item(box, "crm.item.get", {"entityTypeId": CONTACTS, "id": contact})
    assert (person["name"], person["lastName"], person["secondName"]) == ("Иван", "Петров", "Сергеевич")
    assert person["birthdate"] == "1999-11-11T03:00:00+03:00" and person["companyIds"] == [company]
    assert person["hasPhone"] == "Y" and person["phone"] == person["phoneMobile"] == "+79990000001"
    phone_id = int(box.result("crm.contact.get", {"id": contact})["PHONE"][0]["ID"])
    assert person["fm"] == [{"id": phone_id, "valueType": "MOBILE", "value": "+79990000001", "typeId": "PHONE"}]
    organisation = item(box, "crm.item.get", {"entityTypeId": COMPANIES, "id": company})
    assert organisation["title"] == "ООО Ромашка" and organisation["typeId"] == "PARTNER"
    assert organisation["contactIds"] == [contact] and organisation["revenue"] == 0
    # fm only adds: the existing phone stays, the e-mail is appended.
    item(box, "crm.item.update", {"entityTypeId": CONTACTS, "id": contact, "fields": {
        "fm": [{"typeId": "EMAIL", "valueType": "WORK", "value": "ivan@example.ru"}], "post": "Инженер"}})
    legacy = box.result("crm.contact.get", {"id": contact})
    assert [entry["VALUE"] for entry in legacy["PHONE"]] == ["+79990000001"] and legacy["POST"] == "Инженер"
    assert [entry["VALUE"] for entry in legacy["EMAIL"]] == ["ivan@example.ru"] and legacy["HAS_EMAIL"] == "Y"


def test_nameless_items_are_named_after_their_id(box: Sandbox):
    assert item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {}})["title"] == "Сделка #1"
    box.result("crm.contact.add", {"fields": {"NAME": "Анна"}})
    assert item(box, "crm.item.add", {"entityTypeId": CONTACTS, "fields": []})["lastName"] == "Контакт #2"
    assert item(box, "crm.item.add", {"entityTypeId": COMPANIES, "fields": {"title": " "}})["title"] == "Компания #1"


@pytest.mark.parametrize(("given", "stored"), [("Y", "Y"), ("y", "Y"), (True, "Y"), ("true", "Y"), ("N", "N"),
                                               ("1", "N"), (1, "N"), ("True", "N"), ("yes", "N"), (False, "N"),
                                               ("", "N")])
def test_flags_take_only_the_documented_yes_values(box: Sandbox, given, stored: str):
    deal = item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {"isRecurring": given}})
    assert deal["isRecurring"] == box.result("crm.deal.get", {"id": deal["id"]})["IS_RECURRING"] == stored


def test_update_clears_empty_values_and_keeps_an_unreadable_date(box: Sandbox):
    deal = item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {"comments": "x", "companyId": 5}})
    updated = item(box, "crm.item.update", {"entityTypeId": DEALS, "id": deal["id"], "fields": {
        "comments": "", "companyId": 0, "begindate": "не дата", "createdBy": 99, "nope": 1}})
    assert updated["comments"] is None and updated["companyId"] is None and updated["createdBy"] == 1
    assert updated["begindate"] == deal["begindate"] and "nope" not in updated


# -- user fields --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("given", "camel"), [
    ("1721244707107", "ufCrm_1721244707107"),  # the docs' deal sample
    ("3_1747309727", "ufCrm3_1747309727"),
    ("3_DIGIT", "ufCrm3Digit"),
    ("3_DIGIT10", "ufCrm_3_DIGIT10"),  # letters and digits mixed: the tail stays as it is
    ("MANAGER_NOTE", "ufCrmManagerNote"),
])
def test_user_field_names(box: Sandbox, given: str, camel: str):
    box.result("crm.deal.userfield.add", {"fields": {"FIELD_NAME": given, "USER_TYPE_ID": "string"}})
    upper = f"UF_CRM_{given}"
    deal_id = box.result("crm.deal.add", {"fields": {"TITLE": "x", upper: "значение"}})
    assert item(box, "crm.item.get", {"entityTypeId": DEALS, "id": deal_id})[camel] == "значение"
    original = item(box, "crm.item.get", {"entityTypeId": DEALS, "id": deal_id, "useOriginalUfNames": "Y"})
    assert original[upper] == "значение" and camel not in original
    for name in (camel, upper):  # both spellings filter and write
        assert [row["id"] for row in items(box, {"filter": {name: "значение"}, "select": ["id"]})] == [deal_id]
    for name in (camel, upper):
        item(box, "crm.item.update", {"entityTypeId": DEALS, "id": deal_id, "fields": {name: name}})
        assert box.result("crm.deal.get", {"id": deal_id})[upper] == name


def test_user_field_values_are_typed(box: Sandbox):
    crm = box.state.crm
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "HOURS", "USER_TYPE_ID": "integer"})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "PRICE", "USER_TYPE_ID": "double"})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "TAGS", "USER_TYPE_ID": "string", "MULTIPLE": "Y"})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "KIND", "USER_TYPE_ID": "enumeration", "LIST": [{"VALUE": "ПК"}]})
    kind_id = int(crm.userfields.find("CRM_DEAL", "UF_CRM_KIND").items[0]["ID"])
    deal = item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {
        "ufCrmHours": "72", "ufCrmPrice": "1500.5", "ufCrmTags": ["a", "b"], "ufCrmKind": kind_id}})
    assert (deal["ufCrmHours"], deal["ufCrmPrice"], deal["ufCrmTags"], deal["ufCrmKind"]) == (72, 1500.5, ["a", "b"],
                                                                                          kind_id)
    assert list(items(box, {"select": ["UF_*"]})[0]) == ["ufCrmHours", "ufCrmPrice", "ufCrmTags", "ufCrmKind"]
    status, body = error(box, "crm.item.update", {"entityTypeId": DEALS, "id": deal["id"],
                                                  "fields": {"ufCrmTags": "c"}})
    assert status == 400 and body["error"] == "100" and "multiple field" in body["error_description"]


# -- select, filter, order ----------------------------------------------------------------------------

@pytest.fixture
def stocked(box: Sandbox) -> Sandbox:
    """Six deals: titles, amounts, stages and assignees to filter on."""
    box.state.add_user("Борис", "Иванов", "boris@example.ru")
    for number, (stage, assignee) in enumerate([("NEW", 1), ("PREPARATION", 2), ("NEW", 2), ("WON", 1),
                                                ("EXECUTING", 1), ("LOSE", 2)], start=1):
        box.result("crm.deal.add", {"fields": {"TITLE": f"Курс {number}", "OPPORTUNITY": number * 1000,
                                               "STAGE_ID": stage, "ASSIGNED_BY_ID": assignee}})
    return box


def ids(box: Sandbox, **params: Any) -> list[int]:
    return [row["id"] for row in items(box, {"select": ["id"], **params})]


def test_select_star_and_default_carry_everything_a_named_select_only_what_it_names(stocked: Sandbox):
    full = items(stocked, {})[0]
    assert full == items(stocked, {"select": ["*"]})[0] == item(stocked, "crm.item.get", {"entityTypeId": DEALS,
                                                                                          "id": 1})
    assert list(items(stocked, {"select": ["title", "ID", "STAGE_ID", "entityTypeId", "nope"]})[0]) == [
        "id", "title", "stageId"]  # in the item's own order; the type comes only with "*"
    person = stocked.result("crm.contact.add", {"fields": {"NAME": "Анна", "PHONE": [{"VALUE": "+7999"}]}})
    contact = stocked.result("crm.item.list", {"entityTypeId": CONTACTS, "select": ["id", "fm", "phone"]})
    assert contact["items"] == [{"id": person}]


def test_filters_with_the_usual_operators(stocked: Sandbox):
    assert ids(stocked, filter={">=opportunity": 2000, "<=opportunity": 4000}) == [2, 3, 4]
    assert ids(stocked, filter={"@stageId": ["NEW", "WON"]}) == [1, 3, 4]
    assert ids(stocked, filter={"!@stageId": ["NEW", "WON"], "assignedById": 2}) == [2, 6]
    assert ids(stocked, filter={"%title": "рс 5"}) == [5]
    assert ids(stocked, filter={"!=assignedById": 1, ">id": 2}) == [3, 6]
    assert ids(stocked, filter={"ID": [1, 2], "STAGE_ID": "NEW"}) == [1]  # UPPER_CASE names work too
    assert ids(stocked, filter={"closed": True}) == [4, 6] == ids(stocked, filter={"closed": "Y"})
    assert ids(stocked, filter={">updatedTime": "2026-05-14T13:00:00+03:00"}) == [1, 2, 3, 4, 5, 6]


def test_nested_groups_with_logic_or(stocked: Sandbox):
    """The docs' example shape: a group under an integer key, its branches under integer keys."""
    either = {"0": {"logic": "OR", "0": {"stageId": "WON"}, "1": {">=opportunity": 6000}}}
    assert ids(stocked, filter=either) == [4, 6]
    assert ids(stocked, filter={**either, "assignedById": 2}) == [6]
    nested = {"logic": "OR", "0": {"id": 1}, "1": {"logic": "AND", "0": {"assignedById": 2}, "1": {">id": 4}}}
    assert ids(stocked, filter=nested) == [1, 6]
    assert ids(stocked, filter=[{"logic": "OR", "0": {"id": 2}, "1": {"id": 3}}]) == [2, 3]  # a JSON list too
    form = "entityTypeId=2&select[]=id&filter[0][logic]=OR&filter[0][0][id]=5&filter[0][1][%3Eid]=5"
    response = stocked.client.post("crm.item.list", content=form,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert [row["id"] for row in response.json()["result"]["items"]] == [5, 6]


def test_a_deal_filters_on_its_bound_contacts(box: Sandbox):
    anna, boris = (box.result("crm.contact.add", {"fields": {"NAME": name}}) for name in ("Анна", "Борис"))
    for contacts in ([anna], [anna, boris], [], [boris]):
        box.result("crm.item.add", {"entityTypeId": DEALS, "fields": {"contactIds": contacts}})
    assert ids(box, filter={"contactIds": boris}) == [2, 4]
    assert ids(box, filter={"!@contactIds": [anna]}) == [3, 4]


@pytest.mark.parametrize(("params", "description"), [
    ({"filter": {"nope": 1}}, "Invalid filter: field 'nope' is not allowed in filter"),
    ({"filter": {">=DATE_MODIFY": "2026-01-01"}}, "Invalid filter: field 'DATE_MODIFY' is not allowed in filter"),
    ({"filter": {"0": {"logic": "OR", "0": {"fm": "x"}}}}, "Invalid filter: field 'fm' is not allowed in filter"),
    ({"filter": {"entityTypeId": 2}}, "Invalid filter: field 'entityTypeId' is not allowed in filter"),
    ({"order": {"nope": "ASC"}}, "Invalid order: field 'nope' is not allowed in order"),
    ({"order": {"id": "UP"}}, "Invalid order: allowed sort directions are ASC, DESC. But got 'UP' for field 'id'"),
])
def test_what_the_type_has_not_is_refused(stocked: Sandbox, params: dict[str, Any], description: str):
    status, body = error(stocked, "crm.item.list", {"entityTypeId": DEALS, **params})
    assert (status, body) == (400, {"error": "INVALID_ARG_VALUE", "error_description": description})
    assert stocked.call("crm.deal.list", {"filter": {"NOPE": 1}}).status_code == 200  # legacy lists ignore it


def test_order(stocked: Sandbox):
    assert ids(stocked, order={"id": "DESC"}) == [6, 5, 4, 3, 2, 1]
    assert ids(stocked, order={"assignedById": "asc", "opportunity": "DESC"}) == [5, 4, 1, 6, 3, 2]


# -- paging -------------------------------------------------------------------------------------------

def _add_deals(box: Sandbox, count: int) -> None:
    for number in range(count):
        box.state.crm.deals.add({"TITLE": f"Сделка {number}"}, 1)


def test_pages_of_fifty_with_total_and_next(box: Sandbox):
    _add_deals(box, 120)
    first = box.call("crm.item.list", {"entityTypeId": DEALS, "select": ["id"]}).json()
    assert len(first["result"]["items"]) == 50 and first["total"] == 120 and first["next"] == 50
    last = box.call("crm.item.list", {"entityTypeId": DEALS, "select": ["id"], "start": 100}).json()
    assert [row["id"] for row in last["result"]["items"]] == list(range(101, 121)) and "next" not in last
    uncounted = box.call("crm.item.list", {"entityTypeId": DEALS, "select": ["id"], "start": -1,
                                           "order": {"id": "ASC"}, "filter": {">id": 60}}).json()
    assert [row["id"] for row in uncounted["result"]["items"]] == list(range(61, 111))
    assert uncounted["total"] == 0 and "next" not in uncounted


def test_fast_paging_batches_return_every_id_once(box: Sandbox):
    """The ID-window chain of reference §7: 50 commands a batch, each page's ``>id`` pointing at the
    previous page's 50th ID inside the ``items`` wrapper; reading stops at the first short page."""
    _add_deals(box, 2600)
    seen: list[int] = []
    requests = 0
    last, finished = 0, False
    while not finished:
        cmd = {}
        for page in range(1, 51):
            after = last if page == 1 else f"$result[p{page - 1}][items][49][id]"
            query = wire.encode_query({"entityTypeId": DEALS, "order": {"id": "ASC"}, "filter": {">id": after},
                                       "select": ["id", "title"], "start": -1})
            cmd[f"p{page}"] = f"crm.item.list?{query}"
        result = box.result("batch", {"halt": 0, "cmd": cmd})
        requests += 1
        assert result["result_error"] == [] and result["result_next"] == []
        for page in range(1, 51):
            rows = result["result"][f"p{page}"]["items"]
            seen.extend(row["id"] for row in rows)
            if len(rows) < 50:
                finished = True
                break
        last = seen[-1]
    assert requests == math.ceil(2600 / 2500)
    assert len(seen) == len(set(seen)) == 2600 and sorted(seen) == box.state.crm.deals.table.ids()


# -- pipelines ----------------------------------------------------------------------------------------

def test_update_moves_a_deal_to_another_pipeline(box: Sandbox):
    category = box.state.crm.add_category("ДПО")
    deal = item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {"title": "x", "stageId": "PREPARATION"}})
    # The legacy update cannot: CATEGORY_ID is immutable there and a foreign stage is ignored.
    box.result("crm.deal.update", {"id": deal["id"], "fields": {"CATEGORY_ID": category,
                                                                "STAGE_ID": f"C{category}:EXECUTING"}})
    assert box.result("crm.deal.get", {"id": deal["id"]})["CATEGORY_ID"] == "0"
    box.state.time_source = lambda: NOW + 60
    moved = item(box, "crm.item.update", {"entityTypeId": DEALS, "id": deal["id"], "fields": {
        "categoryId": category, "stageId": f"C{category}:WON"}})
    assert (moved["categoryId"], moved["stageId"], moved["stageSemanticId"], moved["closed"]) == (
        category, f"C{category}:WON", "S", "Y")
    assert moved["movedTime"] == moved["updatedTime"] == "2026-05-14T13:27:32+03:00"
    legacy = box.result("crm.deal.get", {"id": deal["id"]})
    assert (legacy["CATEGORY_ID"], legacy["STAGE_ID"]) == (str(category), f"C{category}:WON")
    back = item(box, "crm.item.update", {"entityTypeId": DEALS, "id": deal["id"], "fields": {"categoryId": 0}})
    assert (back["categoryId"], back["stageId"], back["isNew"]) == (0, "NEW", "Y")  # the first stage


@pytest.mark.parametrize("fields", [{"categoryId": 42}, {"stageId": "C9:NEW"}, {"stageId": "НЕТ"}])
def test_an_unknown_pipeline_or_stage_is_refused(box: Sandbox, fields: dict[str, Any]):
    deal = item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {"title": "x"}})
    for method, params in (("crm.item.add", {}), ("crm.item.update", {"id": deal["id"]})):
        status, body = error(box, method, {"entityTypeId": DEALS, "fields": fields, **params})
        assert status == 400 and body["error"] == "CRM_FIELD_ERROR_VALUE_NOT_VALID", body
    assert len(box.state.crm.deals.table) == 1


# -- errors -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("type_id", [1, 7, 31, 128, 1030, 0, -2, "5"])
def test_types_the_sandbox_has_not_are_smart_process_not_found(box: Sandbox, type_id):
    for method in ("crm.item.list", "crm.item.get", "crm.item.add", "crm.item.update", "crm.item.delete"):
        status, body = error(box, method, {"entityTypeId": type_id, "id": 1, "fields": {}})
        assert (status, body) == (400, {"error": "NOT_FOUND", "error_description": "Smart process not found"})


def test_missing_items_and_delete(box: Sandbox):
    deal = item(box, "crm.item.add", {"entityTypeId": DEALS, "fields": {"title": "x"}})
    assert box.result("crm.item.delete", {"entityTypeId": DEALS, "id": deal["id"]}) == []
    for method in ("crm.item.get", "crm.item.update", "crm.item.delete"):
        status, body = error(box, method, {"entityTypeId": DEALS, "id": deal["id"], "fields": {"title": "y"}})
        assert (status, body) == (400, {"error": "NOT_FOUND", "error_description": "Item not found"})
    assert box.call("crm.deal.get", {"id": deal["id"]}).json() == {"error": "", "error_description": "Not found"}


@pytest.mark.parametrize(("method", "params"), [
    ("crm.item.list", {}),  # no entityTypeId
    ("crm.item.get", {"entityTypeId": DEALS}),  # no id
    ("crm.item.get", {"entityTypeId": DEALS, "id": "один"}),
    ("crm.item.add", {"entityTypeId": DEALS}),  # no fields
    ("crm.item.add", {"entityTypeId": DEALS, "fields": "title"}),
    ("crm.item.list", {"entityTypeId": DEALS, "filter": "id"}),
    ("crm.item.update", {"entityTypeId": DEALS, "id": 1, "fields": {"id": 2}}),  # the primary key is read-only
])
def test_bad_parameters_are_invalid_arg_value(box: Sandbox, method: str, params: dict[str, Any]):
    box.result("crm.item.add", {"entityTypeId": DEALS, "fields": {}})
    status, body = error(box, method, params)
    assert status == 400 and body["error"] == "INVALID_ARG_VALUE", body


def test_keys_are_exact_case(box: Sandbox):
    status, body = error(box, "crm.item.list", {"ENTITYTYPEID": DEALS})
    assert status == 400 and "entityTypeId" in body["error_description"]


# -- robustness ---------------------------------------------------------------------------------------

ODD = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
                             st.sampled_from(["", "0", "Y", "id", "NEW", "C1:NEW", "2026-01-01", "ufCrmDay", "*",
                                              "OR", "logic", "$result[x][items][0][id]"]),
                             st.text(max_size=6)),
                   lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(
                       st.one_of(st.sampled_from(["0", "1", "logic", "id", ">id", "@stageId", "!%=title", "fm",
                                                  "contactIds", "opportunity", "title", "stageId", "categoryId",
                                                  "ufCrmDay", "UF_*", "*"]), st.text(max_size=4)), inner,
                       max_size=4)), max_leaves=12)


@pytest.mark.parametrize("method", ["crm.item.list", "crm.item.get", "crm.item.add", "crm.item.update",
                                    "crm.item.delete"])
def test_odd_parameters_never_break_a_method(method: str):
    sandbox = make_sandbox()
    sandbox.state.crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "DAY", "USER_TYPE_ID": "date"})
    sandbox.state.crm.add_category("ДПО")
    _add_deals(sandbox, 3)

    @settings(max_examples=60, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(type_id=st.sampled_from([2, 3, 4, "2"]), params=st.dictionaries(
        st.sampled_from(["id", "fields", "filter", "select", "order", "start", "useOriginalUfNames"]), ODD,
        max_size=5))
    def call(type_id: Any, params: dict[str, Any]) -> None:
        response = sandbox.call(method, {"entityTypeId": type_id, **params})
        assert response.status_code in (200, 400), response.text
        assert set(response.json()) >= ({"result", "time"} if response.status_code == 200 else {"error"})
        assert sandbox.portal.bugs == []

    call()
