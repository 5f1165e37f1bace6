"""Universal lists of the sandbox portal: ``lists.get``, ``lists.add`` and ``lists.field.*`` over HTTP."""

from __future__ import annotations

import re

import pytest

from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import Sandbox, make_sandbox

LISTS = {"IBLOCK_TYPE_ID": "lists"}


def add_list(sandbox: Sandbox, code: str = "dpo_participants", name: str = "Участники", **extra) -> int:
    return sandbox.result("lists.add", {**LISTS, "IBLOCK_CODE": code, "FIELDS": {"NAME": name}, **extra})


def add_field(sandbox: Sandbox, iblock_id: int, **fields) -> str:
    return sandbox.result("lists.field.add", {**LISTS, "IBLOCK_ID": iblock_id, "FIELDS": fields})


def error_of(response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


def missing(name: str) -> tuple[int, str, str]:
    return 400, "ERROR_REQUIRED_PARAMETERS_MISSING", f'Required parameter "{name}" is missing'


# -- lists.add / lists.get ------------------------------------------------------------------------------


def test_a_new_list_is_described_by_lists_get(sandbox):
    sandbox.state.time_source = lambda: 1772708829.0  # 05.03.2026 14:07:09 on the +03:00 server
    iblock_id = add_list(sandbox)
    assert isinstance(iblock_id, int)
    body = sandbox.call("lists.get", {**LISTS, "IBLOCK_ID": iblock_id}).json()
    assert body["total"] == 1
    (row,) = body["result"]
    assert row["ID"] == str(iblock_id) and row["CODE"] == "dpo_participants" and row["NAME"] == "Участники"
    assert row["IBLOCK_TYPE_ID"] == "lists" and row["SORT"] == "500" and row["ACTIVE"] == "Y"
    assert row["TIMESTAMP_X"] == "05.03.2026 14:07:09"
    assert row["SOCNET_GROUP_ID"] is None and row["ELEMENTS_NAME"] == "Элементы"


def test_lists_add_takes_parameter_names_in_any_case(sandbox):
    iblock_id = sandbox.result("lists.add", {"iblock_type_id": "lists", "iblock_code": "docs",
                                             "fields": {"name": "Документы", "sort": 20, "bizproc": "Y"}})
    (row,) = sandbox.result("lists.get", {"iblock_type_id": "lists", "iblock_code": "DOCS"})
    assert row["ID"] == str(iblock_id) and row["SORT"] == "20" and row["BIZPROC"] == "Y"


def test_a_taken_code_is_refused_even_before_the_rights_check(sandbox):
    add_list(sandbox)
    assert error_of(sandbox.call("lists.add", {**LISTS, "IBLOCK_CODE": "dpo_participants",
                                               "FIELDS": {"NAME": "Ещё раз"}})) == \
        (400, "ERROR_IBLOCK_ALREADY_EXISTS", "Iblock already exists")
    employee = make_sandbox(sandbox.state, admin=False)
    assert error_of(employee.call("lists.add", {**LISTS, "IBLOCK_CODE": "dpo_participants",
                                                "FIELDS": {"NAME": "x"}}))[1] == "ERROR_IBLOCK_ALREADY_EXISTS"


def test_only_an_administrator_adds_lists_and_the_refusal_is_http_400():
    employee = make_sandbox(admin=False)
    response = employee.call("lists.add", {**LISTS, "IBLOCK_CODE": "mine", "FIELDS": {"NAME": "Моё"}})
    assert error_of(response) == (400, "ACCESS_DENIED", "Access denied")
    assert employee.call("lists.get", LISTS).json()["result"] == []


@pytest.mark.parametrize(("params", "expected"), [
    ({"IBLOCK_TYPE_ID": "lists", "FIELDS": {"NAME": "x"}}, "IBLOCK_CODE"),
    ({"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": "x"}, "NAME"),
    ({"IBLOCK_CODE": "x", "FIELDS": {"NAME": "x"}}, "IBLOCK_TYPE_ID"),
    ({"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": "", "FIELDS": {"NAME": "x"}}, "IBLOCK_CODE"),
])
def test_lists_add_names_the_missing_parameter(sandbox, params, expected):
    assert error_of(sandbox.call("lists.add", params)) == missing(expected)


def test_group_lists_need_their_group(sandbox):
    socnet = {"IBLOCK_TYPE_ID": "lists_socnet"}
    response = sandbox.call("lists.add", {**socnet, "IBLOCK_CODE": "grp", "FIELDS": {"NAME": "Группа"}})
    assert error_of(response) == (400, "ACCESS_DENIED", "Access denied")
    iblock_id = sandbox.result("lists.add", {**socnet, "SOCNET_GROUP_ID": 33, "IBLOCK_CODE": "grp",
                                             "FIELDS": {"NAME": "Группа"}})
    assert error_of(sandbox.call("lists.get", socnet))[1] == "ACCESS_DENIED"
    assert [row["ID"] for row in sandbox.result("lists.get", {**socnet, "SOCNET_GROUP_ID": 33})] == [str(iblock_id)]
    assert sandbox.result("lists.get", {**socnet, "SOCNET_GROUP_ID": 34}) == []
    fields = {**socnet, "IBLOCK_ID": iblock_id}
    assert error_of(sandbox.call("lists.field.get", fields))[1] == "ACCESS_DENIED"
    assert "NAME" in sandbox.result("lists.field.get", {**fields, "SOCNET_GROUP_ID": 33})


def test_lists_get_keeps_types_apart_and_answers_nothing_without_total(sandbox):
    add_list(sandbox, "participants")
    sandbox.result("lists.add", {"IBLOCK_TYPE_ID": "bitrix_processes", "IBLOCK_CODE": "leave",
                                 "FIELDS": {"NAME": "Отпуск"}})
    assert [row["CODE"] for row in sandbox.result("lists.get", LISTS)] == ["participants"]
    assert [row["CODE"] for row in sandbox.result("lists.get", {"IBLOCK_TYPE_ID": "bitrix_processes"})] == ["leave"]
    body = sandbox.call("lists.get", {**LISTS, "IBLOCK_CODE": "nothing_like_it"}).json()
    assert body["result"] == [] and "total" not in body
    assert error_of(sandbox.call("lists.get", {})) == missing("IBLOCK_TYPE_ID")


def test_lists_get_pages_by_fifty_ordered_by_id(sandbox):
    ids = [add_list(sandbox, f"list_{number}") for number in range(55)]
    first = sandbox.call("lists.get", LISTS).json()
    assert [row["ID"] for row in first["result"]] == [str(item) for item in ids[:50]]
    assert first["total"] == 55 and first["next"] == 50
    second = sandbox.call("lists.get", {**LISTS, "start": 50}).json()
    assert [row["ID"] for row in second["result"]] == [str(item) for item in ids[50:]] and "next" not in second
    uncounted = sandbox.call("lists.get", {**LISTS, "start": -1}).json()
    assert len(uncounted["result"]) == 50 and uncounted["total"] == 0 and "next" not in uncounted
    newest_first = sandbox.result("lists.get", {**LISTS, "IBLOCK_ORDER": {"ID": "desc"}})
    assert newest_first[0]["ID"] == str(ids[-1])


# -- lists.field.add / lists.field.get ----------------------------------------------------------------------


def test_every_list_has_the_system_field_name(sandbox):
    iblock_id = add_list(sandbox)
    fields = sandbox.result("lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id})
    assert list(fields) == ["NAME"]
    assert fields["NAME"]["FIELD_ID"] == "NAME" and fields["NAME"]["TYPE"] == "NAME"
    assert fields["NAME"]["IS_REQUIRED"] == "Y" and fields["NAME"]["NAME"] == "Название"


@pytest.mark.parametrize("kind", ["S", "N", "L", "F", "S:Date", "S:DateTime", "S:ECrm", "S:DiskFile", "S:HTML",
                                  "S:employee", "N:Sequence", "S:Money", "E"])
def test_field_add_returns_the_property_id(sandbox, kind):
    iblock_id = add_list(sandbox)
    extra = {"LINK_IBLOCK_ID": iblock_id} if kind == "E" else {}
    field_id = add_field(sandbox, iblock_id, NAME="Поле", TYPE=kind, CODE="FIELD", **extra)
    assert re.fullmatch(r"PROPERTY_\d+", field_id)
    described = sandbox.result("lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id})[field_id]
    assert described["TYPE"] == kind and described["CODE"] == "FIELD" and described["ID"] == field_id[9:]
    assert described["PROPERTY_TYPE"] == kind.split(":")[0]
    assert (described["PROPERTY_USER_TYPE"] is False) == (":" not in kind)


def test_field_get_with_field_id_keys_the_field_by_its_type(sandbox):
    iblock_id = add_list(sandbox)
    field_id = add_field(sandbox, iblock_id, NAME="Статус", TYPE="L", CODE="STATUS", SORT=50,
                         LIST={"10": {"VALUE": "Получен", "SORT": 10}, "20": {"VALUE": "Проверен", "SORT": 20}},
                         LIST_TEXT_VALUES="Отклонён\nПолучен", LIST_DEF=["20"])
    result = sandbox.result("lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id, "FIELD_ID": field_id})
    assert list(result) == ["L"]
    field = result["L"]
    assert field["FIELD_ID"] == field_id and field["SORT"] == 50 and field["MULTIPLE"] == "N"
    choices = field["DISPLAY_VALUES_FORM"]
    assert list(choices.values()) == ["Получен", "Проверен", "Отклонён"]
    assert field["DEFAULT_VALUE"] == next(key for key, value in choices.items() if value == "Проверен")
    assert sandbox.result("lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id, "FIELD_ID": "PROPERTY_999999"}) == []
    assert error_of(sandbox.call("lists.field.get", {**LISTS, "IBLOCK_CODE": "missing"})) == \
        (400, "ERROR_IBLOCK_NOT_FOUND", "Iblock not found")
    assert error_of(sandbox.call("lists.field.get", LISTS)) == missing("IBLOCK_CODE")


def test_crm_link_settings_come_back(sandbox):
    iblock_id = add_list(sandbox)
    field_id = add_field(sandbox, iblock_id, NAME="Сделка", TYPE="S:ECrm", CODE="DEAL", IS_REQUIRED="Y",
                         USER_TYPE_SETTINGS={"VISIBLE": "Y", "DEAL": "Y"})
    field = sandbox.result("lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id})[field_id]
    assert field["USER_TYPE_SETTINGS"] == {"VISIBLE": "Y", "LEAD": "N", "CONTACT": "N", "COMPANY": "N", "DEAL": "Y"}
    assert field["IS_REQUIRED"] == "Y"
    assert field["PROPERTY_USER_TYPE"]["USER_TYPE"] == "ECrm"


def test_a_system_field_is_added_by_its_code(sandbox):
    iblock_id = add_list(sandbox)
    assert add_field(sandbox, iblock_id, NAME="Дата изменения", TYPE="TIMESTAMP_X") == "TIMESTAMP_X"
    response = sandbox.call("lists.field.add", {**LISTS, "IBLOCK_ID": iblock_id,
                                                "FIELDS": {"NAME": "Ещё раз", "TYPE": "TIMESTAMP_X"}})
    assert error_of(response)[:2] == (400, "ERROR_SAVE_FIELD")


@pytest.mark.parametrize(("fields", "description"), [
    ({"NAME": "Без кода", "TYPE": "S"}, "Please fill the code fields"),
    ({"NAME": "Повтор", "TYPE": "N", "CODE": "deal"}, "Property already exists"),
    ({"NAME": "Тип", "TYPE": "X:Unknown", "CODE": "X"}, "Error saving the field"),
    ({"NAME": "Только чтение", "TYPE": "S", "CODE": "RO", "SETTINGS": {"ADD_READ_ONLY_FIELD": "Y"}},
     'The default value of the field "Только чтение" is required'),
    ({"NAME": "Ссылка", "TYPE": "E", "CODE": "LINK"}, 'Incorrect lists specified for "Ссылка" property'),
])
def test_field_add_refusals(sandbox, fields, description):
    iblock_id = add_list(sandbox)
    add_field(sandbox, iblock_id, NAME="Сделка", TYPE="S:ECrm", CODE="DEAL")
    response = sandbox.call("lists.field.add", {**LISTS, "IBLOCK_ID": iblock_id, "FIELDS": fields})
    assert error_of(response) == (400, "ERROR_SAVE_FIELD", description)


def test_field_add_needs_name_type_a_list_and_an_administrator(sandbox):
    iblock_id = add_list(sandbox)
    call = {**LISTS, "IBLOCK_ID": iblock_id}
    assert error_of(sandbox.call("lists.field.add", {**call, "FIELDS": {"NAME": "x"}})) == missing("TYPE")
    assert error_of(sandbox.call("lists.field.add", call)) == missing("TYPE")
    assert error_of(sandbox.call("lists.field.add", {**LISTS, "FIELDS": {"NAME": "x", "TYPE": "S"}})) == \
        missing("IBLOCK_CODE")
    assert error_of(sandbox.call("lists.field.add", {**LISTS, "IBLOCK_ID": 9999, "FIELDS": {"NAME": "x"}})) == \
        (400, "ERROR_IBLOCK_NOT_FOUND", "Iblock not found")
    employee = make_sandbox(sandbox.state, admin=False)
    response = employee.call("lists.field.add", {**call, "FIELDS": {"NAME": "x", "TYPE": "S", "CODE": "X"}})
    assert error_of(response) == (400, "ACCESS_DENIED", "Access denied")
    assert "NAME" in employee.result("lists.field.get", call)


# -- lists.field.update ----------------------------------------------------------------------------------------


def test_field_update_must_repeat_the_type(sandbox):
    iblock_id = add_list(sandbox)
    field_id = add_field(sandbox, iblock_id, NAME="Серия", TYPE="S", CODE="SERIES")
    call = {**LISTS, "IBLOCK_ID": iblock_id, "FIELD_ID": field_id}
    response = sandbox.call("lists.field.update", {**call, "FIELDS": {"NAME": "Серия", "TYPE": "N"}})
    assert error_of(response) == (400, "ERROR_UPDATE_FIELD", "Field type can not be changed")
    assert error_of(sandbox.call("lists.field.update", {**call, "FIELDS": {"NAME": "Серия"}})) == missing("TYPE")
    assert sandbox.result("lists.field.update", {**call, "FIELDS": {"NAME": "Серия документа", "TYPE": "S",
                                                                     "IS_REQUIRED": "Y", "SORT": 5}}) is True
    field = sandbox.result("lists.field.get", call)["S"]
    assert (field["NAME"], field["IS_REQUIRED"], field["SORT"]) == ("Серия документа", "Y", 5)
    unknown = {**call, "FIELD_ID": "PROPERTY_424242", "FIELDS": {"NAME": "x", "TYPE": "S"}}
    assert error_of(sandbox.call("lists.field.update", unknown))[:2] == (400, "ERROR_UPDATE_FIELD")


def test_field_update_of_a_list_keeps_known_items_and_adds_new_ones(sandbox):
    iblock_id = add_list(sandbox)
    field_id = add_field(sandbox, iblock_id, NAME="Статус", TYPE="L", CODE="STATUS",
                         LIST_TEXT_VALUES="Получен\nПроверен")
    call = {**LISTS, "IBLOCK_ID": iblock_id, "FIELD_ID": field_id}
    before = sandbox.result("lists.field.get", call)["L"]["DISPLAY_VALUES_FORM"]
    received = next(key for key, value in before.items() if value == "Получен")
    sandbox.result("lists.field.update", {**call, "FIELDS": {
        "NAME": "Статус", "TYPE": "L", "LIST": {received: {"VALUE": "Получен", "SORT": 10}},
        "LIST_TEXT_VALUES": "Отклонён"}})
    after = sandbox.result("lists.field.get", call)["L"]["DISPLAY_VALUES_FORM"]
    assert after[received] == "Получен"
    assert sorted(after.values()) == ["Отклонён", "Получен"]  # what the LIST left out is gone


def test_only_an_administrator_updates_fields(sandbox):
    iblock_id = add_list(sandbox)
    field_id = add_field(sandbox, iblock_id, NAME="Серия", TYPE="S", CODE="SERIES")
    employee = make_sandbox(sandbox.state, admin=False)
    response = employee.call("lists.field.update", {**LISTS, "IBLOCK_ID": iblock_id, "FIELD_ID": field_id,
                                                    "FIELDS": {"NAME": "x", "TYPE": "S"}})
    assert error_of(response) == (400, "ACCESS_DENIED", "Access denied")


def test_english_portal_names_the_system_field_in_english():
    sandbox = make_sandbox(PortalState(locale="en"))
    iblock_id = add_list(sandbox)
    assert sandbox.result("lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id})["NAME"]["NAME"] == "Name"
