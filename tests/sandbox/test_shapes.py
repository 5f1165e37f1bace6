"""The sandbox's answers held against answers captured from real portals (``tests/data/real_responses``):
key sets, nesting, which values are strings and which numbers, ``[]`` where an empty map is meant,
JSON lists where batch labels were ``0..n-1``, and the ``time`` object."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from .portal_fixtures import Sandbox

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "real_responses"
TIME_REQUIRED = {"start", "finish", "duration", "processing", "date_start", "date_finish"}
TIME_OPTIONAL = {"operating", "operating_reset_at"}
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def captured(name: str) -> dict[str, Any]:
    return json.loads((CAPTURES / name).read_text(encoding="utf-8"))["response"]


def kind(value: Any) -> str:
    """The JSON type of a value, as a client sees it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list" if isinstance(value, list) else "map"


def assert_same_shape(ours: Any, real: Any, path: str = "$") -> None:
    """Same JSON types everywhere; maps with the same keys; list items shaped like the real item at the
    same place (or the real last one, when ours is longer).

    ``time`` objects are compared by :func:`assert_time_object` (the real key set varies).
    """
    assert kind(ours) == kind(real), f"{path}: {kind(ours)} where the portal has {kind(real)}"
    if isinstance(real, dict):
        if path.endswith(".time") or re.search(r"\.result_time\.[^.]+$", path):
            assert_time_object(ours, path)
            return
        assert set(ours) == set(real), f"{path}: keys {sorted(set(ours) ^ set(real))} differ"
        for key in real:
            assert_same_shape(ours[key], real[key], f"{path}.{key}")
    elif isinstance(real, list) and real:
        assert ours, f"{path}: empty where the portal has items"
        for index, item in enumerate(ours):
            assert_same_shape(item, real[min(index, len(real) - 1)], f"{path}[{index}]")


def assert_time_object(timing: Any, path: str = "time") -> None:
    assert isinstance(timing, dict), path
    assert TIME_REQUIRED <= set(timing) <= TIME_REQUIRED | TIME_OPTIONAL, f"{path}: {sorted(timing)}"
    for key in ("start", "finish", "duration", "processing", "operating"):
        if key in timing:
            assert kind(timing[key]) == "number", f"{path}.{key}"
    assert isinstance(timing["start"], float) and timing["finish"] >= timing["start"]
    assert timing["duration"] >= timing["processing"] >= 0
    assert ISO_WITH_OFFSET.fullmatch(timing["date_start"]) and ISO_WITH_OFFSET.fullmatch(timing["date_finish"])
    assert isinstance(timing.get("operating_reset_at", 0), int)


def body(box: Sandbox, method: str, params: dict | None = None) -> dict[str, Any]:
    response = box.call(method, params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("name", sorted(path.name for path in CAPTURES.glob("*.json")))
def test_the_captured_time_objects_pass_our_own_check(name: str):
    """The time check is no stricter than real portals: every captured time object passes it."""
    response = captured(name)
    assert_time_object(response["time"])
    inner = response["result"]
    if isinstance(inner, dict) and "result_time" in inner:
        times = inner["result_time"]
        for timing in times.values() if isinstance(times, dict) else times:
            assert_time_object(timing)


def test_batch_of_list_commands_that_found_nothing(sandbox: Sandbox):
    ours = body(sandbox, "batch", {"halt": 0, "cmd": {
        "order0000000000": "crm.deal.list?order[ID]=ASC&filter[%3EID]=0&select[0]=ID&"}})
    assert_same_shape(ours, captured("batch_list_empty.json"))


def test_batch_of_two_lookups_without_totals(sandbox: Sandbox):
    """``call_batch.json``: item lists from methods that are not list methods: no totals, ``[]``."""
    category = sandbox.state.crm.add_category("ДПО")
    ours = body(sandbox, "batch", {"cmd": {"statuses": "crm.dealcategory.stage.list?id=0",
                                           "sources": f"crm.dealcategory.stage.list?id={category}"}})
    assert_same_shape(ours, captured("call_batch.json"))


def test_batch_of_successful_gets(sandbox: Sandbox):
    for number in range(3):
        sandbox.result("crm.deal.add", {"fields": {"TITLE": f"Сделка {number}"}})
    ours = body(sandbox, "batch", {"cmd": {f"order{number}": f"crm.deal.get?id={number + 1}" for number in range(3)}})
    real = captured("call_several_success.json")
    for label, record in ours["result"]["result"].items():
        assert {"ID", "TITLE"} <= set(record) and isinstance(record["ID"], str), label
    ours["result"]["result"] = {label: {"ID": row["ID"], "TITLE": row["TITLE"]}
                                for label, row in ours["result"]["result"].items()}
    assert_same_shape(ours, real)


def test_a_legacy_record_is_strings_y_n_iso_and_nulls(sandbox: Sandbox):
    """``call_single_success.json`` (a lead): every value a string or null; flags Y/N; ISO datetimes
    with offset; empty dates as ""."""
    real = captured("call_single_success.json")["result"]["result"]["order0"]
    assert {kind(value) for value in real.values()} == {"string", "null"}
    contact = sandbox.result("crm.contact.add", {"fields": {"NAME": "Иван", "LAST_NAME": "Петров"}})
    deal = sandbox.result("crm.deal.add", {"fields": {"TITLE": "x", "OPPORTUNITY": 3607999, "CONTACT_ID": contact}})
    for record in (sandbox.result("crm.deal.get", {"id": deal}), sandbox.result("crm.contact.get", {"id": contact})):
        assert {kind(value) for value in record.values()} <= {"string", "null"}
        for key in ("IS_RETURN_CUSTOMER", "OPENED", "HAS_PHONE", "HAS_EMAIL", "HAS_IMOL"):
            if key in record:
                assert record[key] in ("Y", "N") and real.get(key, "N") in ("Y", "N")
        for key in ("DATE_CREATE", "DATE_MODIFY", "MOVED_TIME"):
            if key in record:
                assert ISO_WITH_OFFSET.fullmatch(record[key]) and ISO_WITH_OFFSET.fullmatch(real[key])
    assert sandbox.result("crm.contact.get", {"id": contact})["BIRTHDATE"] == real["BIRTHDATE"] == ""
    assert sandbox.result("crm.deal.get", {"id": deal})["OPPORTUNITY"] == real["OPPORTUNITY"] == "3607999.00"


def test_crm_category_list(sandbox: Sandbox):
    for name in ("Закупки", "Portal Rent"):
        sandbox.result("crm.category.add", {"entityTypeId": 2, "fields": {"name": name}})
    ours = body(sandbox, "crm.category.list", {"entityTypeId": 2})
    real = captured("crm_category_list.json")
    assert set(ours) == set(real) == {"result", "total", "time"}
    assert_same_shape(ours, real)
    default = ours["result"]["categories"][0]
    assert default["id"] == 0 and default["isDefault"] == "Y" and "originId" not in default
    assert set(real["result"]["categories"][0]) == set(default)
    assert ours["total"] == len(ours["result"]["categories"])


def test_deal_contact_items_in_a_batch(sandbox: Sandbox):
    deal = sandbox.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    for name in ("Иван", "Пётр"):
        contact = sandbox.result("crm.contact.add", {"fields": {"NAME": name}})
        sandbox.result("crm.deal.contact.add", {"id": deal, "fields": {"CONTACT_ID": contact}})
    ours = body(sandbox, "batch", {"cmd": {"205364": f"crm.deal.contact.items.get?id={deal}"}})
    real = captured("crm_company_contact_items_get.json")
    ours["result"]["result"] = {"205364": ours["result"]["result"]["205364"]}
    assert_same_shape(ours, real)
    assert all(isinstance(item[key], int) for item in ours["result"]["result"]["205364"]
               for key in ("CONTACT_ID", "SORT", "ROLE_ID"))


def test_contact_add_in_a_batch(sandbox: Sandbox):
    ours = body(sandbox, "batch", {"halt": 0, "cmd": {
        "order0000000000": "crm.contact.add?fields[NAME]=%D0%98%D0%B2%D0%B0%D0%BD&fields[LAST_NAME]=x"}})
    assert_same_shape(ours, captured("crm_contact_add_batch.json"))
    assert isinstance(ours["result"]["result"]["order0000000000"], int)


def test_stage_lists_of_several_pipelines_keep_the_labels_order(sandbox: Sandbox):
    for number in range(1, 9):
        sandbox.state.crm.add_category(f"Направление {number}")
    raw = json.loads((CAPTURES / "crm_dealcategory_stage_list.json").read_text(encoding="utf-8"))
    real = raw["response"]
    ours = body(sandbox, "batch", raw["request"]["params"])
    assert_same_shape(ours, real)
    assert list(ours["result"]["result"]) == list(real["result"]["result"]) == ["2", "4", "8", "0"]
    assert ours["result"]["result"]["2"][0]["STATUS_ID"] == "C2:NEW" and ours["result"]["result"]["0"][0][
        "STATUS_ID"] == "NEW"


def test_a_batch_of_one_labelled_zero_is_all_lists(sandbox: Sandbox):
    raw = json.loads((CAPTURES / "crm_dealcategory_stage_list_batch_of_one.json").read_text(encoding="utf-8"))
    ours = body(sandbox, "batch", raw["request"])
    assert_same_shape(ours, raw["response"])
    assert isinstance(ours["result"]["result"], list) and isinstance(ours["result"]["result_time"], list)


def test_a_batch_mixing_successes_and_failures_labelled_zero_and_one(sandbox: Sandbox):
    deal = sandbox.state.crm.deals.add({"TITLE": "x"}, 1, record_id=35943)
    ours = body(sandbox, "batch", {"cmd": {"0": "crm.deal.get?id=", "1": "crm.deal.get?id=999",
                                           str(deal): f"crm.deal.get?id={deal}"}})
    real = captured("crm_get_batch_mix_success_and_errors.json")
    assert ours["result"]["result_error"] == real["result"]["result_error"]  # same codes and texts, as a list
    ours["result"]["result"] = {"35943": {"ID": ours["result"]["result"][str(deal)]["ID"]}}
    ours["result"]["result_time"] = {"35943": ours["result"]["result_time"][str(deal)]}
    assert_same_shape(ours, real)


@pytest.mark.parametrize(("name", "commands"), [
    ("crm_get_batch_of_two_error.json", ["crm.deal.get?id=", "crm.deal.get?id=999"]),
    ("crm_lead_get_batch_error.json", ["crm.deal.get?id=0"]),
])
def test_a_batch_where_every_command_failed(sandbox: Sandbox, name: str, commands: list[str]):
    ours = body(sandbox, "batch", {"cmd": commands})
    real = captured(name)
    assert_same_shape(ours, real)
    assert ours["result"] == real["result"]  # "result": [], errors with an empty code, word for word


def test_a_legacy_list_page(sandbox: Sandbox):
    for number in range(39):
        sandbox.state.crm.deals.add({"TITLE": f"Сделка {number}"}, 1)
    ours = body(sandbox, "crm.deal.list", {"select": ["ID", "TITLE"], "order": {"ID": "ASC"}})
    real = captured("crm_lead_list_one_page_success.json")
    assert_same_shape(ours, real)
    assert ours["total"] == real["total"] == 39 and "next" not in ours


@pytest.mark.parametrize(("ours_code", "real_code"), [
    ("ID", "ID"), ("TITLE", "TITLE"), ("STAGE_ID", "STATUS_ID"), ("SOURCE_ID", "SOURCE_ID"),
    ("OPPORTUNITY", "OPPORTUNITY"), ("CURRENCY_ID", "CURRENCY_ID"), ("ASSIGNED_BY_ID", "ASSIGNED_BY_ID"),
    ("DATE_CREATE", "DATE_CREATE"), ("OPENED", "OPENED"),
])
def test_fields_descriptions_of_standard_fields(sandbox: Sandbox, ours_code: str, real_code: str):
    ours = body(sandbox, "crm.deal.fields")
    real = captured("crm_lead_fields_success.json")
    assert_same_shape(ours["result"][ours_code], real["result"][real_code])
    assert_time_object(ours["time"])


def test_fields_descriptions_of_multifields_dates_and_user_fields(sandbox: Sandbox):
    sandbox.result("crm.contact.userfield.add", {"fields": {"FIELD_NAME": "METRO", "USER_TYPE_ID": "string",
                                                            "LABEL": "Метро"}})
    ours = body(sandbox, "crm.contact.fields")["result"]
    real = captured("crm_lead_fields_success.json")["result"]
    for ours_code, real_code in (("PHONE", "PHONE"), ("EMAIL", "EMAIL"), ("BIRTHDATE", "BIRTHDATE"),
                                 ("UF_CRM_METRO", "UF_CRM_1594289616952")):
        real_field = dict(real[real_code])
        if "settings" in real_field:
            ours_settings = ours[ours_code]["settings"]
            assert kind(ours_settings) in ("map", "list")  # an empty settings map is []
            real_field.pop("settings")
            ours_field = {key: value for key, value in ours[ours_code].items() if key != "settings"}
        else:
            ours_field = ours[ours_code]
        assert_same_shape(ours_field, real_field, ours_code)
    assert ours["UF_CRM_METRO"]["title"] == "UF_CRM_METRO" and ours["UF_CRM_METRO"]["formLabel"] == "Метро"
    assert ours["UF_CRM_METRO"]["isDynamic"] is True and ours["PHONE"]["isMultiple"] is True


@pytest.mark.parametrize(("method", "params"), [
    ("crm.deal.list", {}), ("crm.deal.fields", {}), ("crm.category.list", {"entityTypeId": 2}),
    ("crm.dealcategory.stage.list", {"id": 0}), ("crm.status.list", {}),
    ("batch", {"cmd": {"a": "crm.deal.list", "b": "crm.deal.fields"}}),
])
def test_every_answer_has_a_full_time_object(sandbox: Sandbox, method: str, params: dict):
    answer = body(sandbox, method, params)
    assert_time_object(answer["time"])
    assert set(answer["time"]) == TIME_REQUIRED | TIME_OPTIONAL
    if method == "batch":
        for timing in answer["result"]["result_time"].values():
            assert_time_object(timing)
