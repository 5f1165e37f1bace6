"""CRM user fields: naming rules (``UF_CRM_`` prefix, upper case, 50 characters, ``ERROR_CORE``), the
list's shape, labels only with ``filter.LANG``, and values written and read through each type."""

from __future__ import annotations

import pytest

from .portal_fixtures import Sandbox

LIST_KEYS = {"ID", "ENTITY_ID", "FIELD_NAME", "USER_TYPE_ID", "XML_ID", "SORT", "MULTIPLE", "MANDATORY",
             "SHOW_FILTER", "SHOW_IN_LIST", "EDIT_IN_LIST", "IS_SEARCHABLE", "SETTINGS"}
LABEL_KEYS = {"EDIT_FORM_LABEL", "LIST_COLUMN_LABEL", "LIST_FILTER_LABEL", "ERROR_MESSAGE", "HELP_MESSAGE"}


def _add(box: Sandbox, entity: str = "deal", **fields) -> int:
    return box.result(f"crm.{entity}.userfield.add", {"fields": {"USER_TYPE_ID": "string", **fields}})


def _names(box: Sandbox, entity: str = "deal") -> list[str]:
    return [field["FIELD_NAME"] for field in box.result(f"crm.{entity}.userfield.list")]


@pytest.mark.parametrize(("given", "stored"), [
    ("MANAGER_NOTE", "UF_CRM_MANAGER_NOTE"),
    ("UF_X", "UF_CRM_X"),
    ("UF_CRM_EVENT", "UF_CRM_EVENT"),
    ("partner_code", "UF_CRM_PARTNER_CODE"),
    ("A" * 43, "UF_CRM_" + "A" * 43),
])
def test_names_get_the_prefix_and_upper_case(sandbox: Sandbox, given: str, stored: str):
    field_id = _add(sandbox, FIELD_NAME=given)
    assert isinstance(field_id, int)
    assert _names(sandbox) == [stored]


@pytest.mark.parametrize("given", ["A" * 44, "поле", "A-B", "A B", "ßTRASSE", "ﬁELD", "UF_CRM_"])
def test_bad_names_are_error_core(sandbox: Sandbox, given: str):
    response = sandbox.call("crm.deal.userfield.add", {"fields": {"FIELD_NAME": given, "USER_TYPE_ID": "string"}})
    assert response.status_code == 400 and response.json()["error"] == "ERROR_CORE"
    assert _names(sandbox) == []


def test_a_name_twice_is_error_core(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="CODE")
    response = sandbox.call("crm.deal.userfield.add",
                            {"fields": {"FIELD_NAME": "UF_CRM_CODE", "USER_TYPE_ID": "string"}})
    assert response.status_code == 400 and response.json()["error"] == "ERROR_CORE"
    _add(sandbox, "contact", FIELD_NAME="CODE")  # another entity has its own names
    assert _names(sandbox, "contact") == ["UF_CRM_CODE"]


def test_the_list_shape_and_labels_only_with_a_language(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="PARTNER", LABEL="Код партнёра", SORT=150, XML_ID="partner")
    _add(sandbox, FIELD_NAME="LEVEL", USER_TYPE_ID="enumeration", MULTIPLE="Y", EDIT_FORM_LABEL={"ru": "Уровень"},
         LIST=[{"VALUE": "ПК", "SORT": 10, "DEF": "Y"}, {"VALUE": "ПП", "XML_ID": "pp"}, {"VALUE": ""}])
    response = sandbox.call("crm.deal.userfield.list")
    assert response.json()["total"] == 2
    enumeration, plain = response.json()["result"]  # default order: SORT (100 before 150), then ID
    assert set(plain) == LIST_KEYS and set(enumeration) == LIST_KEYS | {"LIST"}
    assert (plain["ID"], plain["SORT"], plain["MULTIPLE"], plain["XML_ID"]) == (str(plain["ID"]), "150", "N", "partner")
    assert enumeration["SORT"] == "100" and enumeration["XML_ID"] is None and enumeration["MULTIPLE"] == "Y"
    assert plain["SETTINGS"] == []  # an empty map is PHP's []
    items = enumeration["LIST"]
    assert [(item["VALUE"], item["DEF"]) for item in items] == [("ПК", "Y"), ("ПП", "N")]
    assert set(items[0]) == {"ID", "SORT", "VALUE", "DEF", "XML_ID"} and items[1]["XML_ID"] == "pp"

    labelled = sandbox.result("crm.deal.userfield.list", {"filter": {"LANG": "ru"}})
    assert all(set(field) >= LABEL_KEYS for field in labelled)
    assert labelled[1]["EDIT_FORM_LABEL"] == "Код партнёра" and labelled[1]["ERROR_MESSAGE"] == ""
    assert labelled[0]["EDIT_FORM_LABEL"] == "Уровень" and labelled[0]["LIST_COLUMN_LABEL"] == ""


def test_the_list_filters_on_its_columns(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="A")
    _add(sandbox, FIELD_NAME="B", USER_TYPE_ID="date")
    assert [field["FIELD_NAME"] for field in
            sandbox.result("crm.deal.userfield.list", {"filter": {"USER_TYPE_ID": "date"}})] == ["UF_CRM_B"]
    assert sandbox.result("crm.deal.userfield.list", {"filter": {"FIELD_NAME": "UF_CRM_NONE"}}) == []


def test_get_by_id(sandbox: Sandbox):
    field_id = _add(sandbox, FIELD_NAME="A")
    assert sandbox.result("crm.deal.userfield.get", {"id": field_id})["FIELD_NAME"] == "UF_CRM_A"


def test_boolean_fields_cannot_be_multiple(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="FLAG", USER_TYPE_ID="boolean", MULTIPLE="Y")
    assert sandbox.result("crm.deal.userfield.list")[0]["MULTIPLE"] == "N"
    deal = sandbox.result("crm.deal.add", {"fields": {"UF_CRM_FLAG": "Y"}})
    assert sandbox.result("crm.deal.get", {"id": deal})["UF_CRM_FLAG"] == "1"


def test_values_by_type(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="DAY", USER_TYPE_ID="date")
    _add(sandbox, FIELD_NAME="MOMENT", USER_TYPE_ID="datetime")
    _add(sandbox, FIELD_NAME="HOURS", USER_TYPE_ID="integer")
    _add(sandbox, FIELD_NAME="PRICE", USER_TYPE_ID="double")
    _add(sandbox, FIELD_NAME="MANAGER", USER_TYPE_ID="employee")
    deal = sandbox.result("crm.deal.add", {"fields": {
        "UF_CRM_DAY": "19.04.2024", "UF_CRM_MOMENT": "2024-04-19T10:00:00+05:00", "UF_CRM_HOURS": 72,
        "UF_CRM_PRICE": "1500,5", "UF_CRM_MANAGER": "1"}})
    record = sandbox.result("crm.deal.get", {"id": deal})
    assert record["UF_CRM_DAY"] == "2024-04-19T03:00:00+03:00"  # a date: midnight UTC, server offset
    assert record["UF_CRM_MOMENT"] == "2024-04-19T08:00:00+03:00"  # the same moment, server offset
    assert (record["UF_CRM_HOURS"], record["UF_CRM_PRICE"], record["UF_CRM_MANAGER"]) == ("72", "1500.50", "1")


def test_enumeration_values_are_item_ids(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="KIND", USER_TYPE_ID="enumeration", LIST=[{"VALUE": "ПК"}, {"VALUE": "ПП"}])
    _add(sandbox, FIELD_NAME="KINDS", USER_TYPE_ID="enumeration", MULTIPLE="Y", LIST=[{"VALUE": "a"}, {"VALUE": "b"}])
    single, multiple = sandbox.result("crm.deal.userfield.list")
    first, second = (item["ID"] for item in single["LIST"])
    options = [item["ID"] for item in multiple["LIST"]]
    deal = sandbox.result("crm.deal.add", {"fields": {"UF_CRM_KIND": second, "UF_CRM_KINDS": [*options, "424242"]}})
    record = sandbox.result("crm.deal.get", {"id": deal})
    assert record["UF_CRM_KIND"] == second and record["UF_CRM_KINDS"] == options  # an unknown item is dropped
    sandbox.result("crm.deal.update", {"id": deal, "fields": {"UF_CRM_KIND": "ПК"}})  # a text is not an item ID
    assert sandbox.result("crm.deal.get", {"id": deal})["UF_CRM_KIND"] is None
    fields = sandbox.result("crm.deal.fields")
    assert fields["UF_CRM_KIND"]["items"] == [{"ID": first, "VALUE": "ПК"}, {"ID": second, "VALUE": "ПП"}]


def test_crm_binding_values_for_one_type_are_bare_ids(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="PERSON", USER_TYPE_ID="crm", SETTINGS={"CONTACT": "Y"})
    deal = sandbox.result("crm.deal.add", {"fields": {"UF_CRM_PERSON": "C_12"}})
    assert sandbox.result("crm.deal.get", {"id": deal})["UF_CRM_PERSON"] == "12"
    for given, stored in (("13", "13"), ("CO_5", None), ("D_1", None), ("C_x", None)):
        sandbox.result("crm.deal.update", {"id": deal, "fields": {"UF_CRM_PERSON": given}})
        assert sandbox.result("crm.deal.get", {"id": deal})["UF_CRM_PERSON"] == stored, given


def test_crm_binding_values_for_several_types_keep_the_prefix(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="LINKS", USER_TYPE_ID="crm", MULTIPLE="Y",
         SETTINGS={"CONTACT": "Y", "COMPANY": "Y", "DEAL": "N"})
    deal = sandbox.result("crm.deal.add", {"fields": {"UF_CRM_LINKS": ["C_12", "CO_456", "D_1", "77", "C_²"]}})
    assert sandbox.result("crm.deal.get", {"id": deal})["UF_CRM_LINKS"] == ["C_12", "CO_456"]


def test_a_crm_field_without_types_points_at_leads(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="SOURCE", USER_TYPE_ID="crm")
    deal = sandbox.result("crm.deal.add", {"fields": {"UF_CRM_SOURCE": "L_3"}})
    assert sandbox.result("crm.deal.get", {"id": deal})["UF_CRM_SOURCE"] == "3"


def test_user_fields_in_the_fields_description(sandbox: Sandbox):
    _add(sandbox, FIELD_NAME="CODE", LABEL="Код мероприятия", MANDATORY="Y")
    description = sandbox.result("crm.deal.fields")["UF_CRM_CODE"]
    assert description["isDynamic"] is True and description["isRequired"] is True
    assert description["title"] == "UF_CRM_CODE"
    assert description["listLabel"] == description["formLabel"] == description["filterLabel"] == "Код мероприятия"


def test_a_field_added_later_is_null_on_existing_records_and_filterable(sandbox: Sandbox):
    deal = sandbox.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    _add(sandbox, FIELD_NAME="CODE")
    _add(sandbox, FIELD_NAME="TAGS", MULTIPLE="Y")
    record = sandbox.result("crm.deal.get", {"id": deal})
    assert record["UF_CRM_CODE"] is None and record["UF_CRM_TAGS"] is None
    sandbox.result("crm.deal.update", {"id": deal, "fields": {"UF_CRM_CODE": "EV-1"}})
    assert sandbox.result("crm.deal.list", {"filter": {"UF_CRM_CODE": "ev-1"}, "select": ["ID"]}) == [{"ID": "1"}]
