"""``crm.contact.*``: multifields (PHONE, EMAIL...) merged by ID on update, HAS_PHONE/HAS_EMAIL,
BIRTHDATE as a midnight-UTC datetime, companies, and what deleting a contact does to deals."""

from __future__ import annotations

import pytest

from .portal_fixtures import Sandbox


def _phones(box: Sandbox, contact_id: int) -> list[tuple[str, str]]:
    record = box.result("crm.contact.get", {"id": contact_id})
    return [(item["VALUE"], item["VALUE_TYPE"]) for item in record.get("PHONE", [])]


@pytest.fixture
def contact(sandbox: Sandbox) -> int:
    return sandbox.result("crm.contact.add", {"fields": {
        "NAME": "Иван", "LAST_NAME": "Петров",
        "PHONE": [{"VALUE": "+79990000001", "VALUE_TYPE": "MOBILE"}, {"VALUE": "+74950000002", "VALUE_TYPE": "WORK"}],
        "EMAIL": [{"VALUE": "ivan@example.ru", "VALUE_TYPE": "WORK"}]}})


def test_multifields_come_back_as_entries_with_string_ids(sandbox: Sandbox, contact: int):
    record = sandbox.result("crm.contact.get", {"id": contact})
    first = record["PHONE"][0]
    assert set(first) == {"ID", "VALUE_TYPE", "VALUE", "TYPE_ID"}
    assert first["ID"].isdigit() and first["TYPE_ID"] == "PHONE" and first["VALUE_TYPE"] == "MOBILE"
    assert record["EMAIL"][0]["TYPE_ID"] == "EMAIL"
    assert record["HAS_PHONE"] == record["HAS_EMAIL"] == "Y" and record["HAS_IMOL"] == "N"


def test_an_entry_with_its_id_is_edited_and_the_others_stay(sandbox: Sandbox, contact: int):
    mobile = sandbox.result("crm.contact.get", {"id": contact})["PHONE"][0]["ID"]
    sandbox.result("crm.contact.update", {"id": contact, "fields": {"PHONE": [
        {"ID": mobile, "VALUE": "+79991112233", "VALUE_TYPE": "HOME"}]}})
    assert _phones(sandbox, contact) == [("+79991112233", "HOME"), ("+74950000002", "WORK")]


def test_an_edit_without_a_type_keeps_the_type(sandbox: Sandbox, contact: int):
    """(unconfirmed)"""
    mobile = sandbox.result("crm.contact.get", {"id": contact})["PHONE"][0]["ID"]
    sandbox.result("crm.contact.update", {"id": contact, "fields": {"PHONE": [{"ID": mobile, "VALUE": "+7999"}]}})
    assert _phones(sandbox, contact)[0] == ("+7999", "MOBILE")


@pytest.mark.parametrize("deletion", [{"DELETE": "Y"}, {"VALUE": ""}, {}, {"VALUE": "  ", "VALUE_TYPE": "WORK"}])
def test_an_entry_is_deleted_by_delete_y_an_empty_value_or_a_bare_id(sandbox: Sandbox, contact: int, deletion):
    work = sandbox.result("crm.contact.get", {"id": contact})["PHONE"][1]["ID"]
    sandbox.result("crm.contact.update", {"id": contact, "fields": {"PHONE": [{"ID": work, **deletion}]}})
    assert _phones(sandbox, contact) == [("+79990000001", "MOBILE")]


def test_an_entry_without_id_is_appended(sandbox: Sandbox, contact: int):
    sandbox.result("crm.contact.update", {"id": contact, "fields": {"PHONE": [{"VALUE": "+78120000003"}]}})
    assert _phones(sandbox, contact)[-1] == ("+78120000003", "WORK")  # the first type is the default
    assert len(_phones(sandbox, contact)) == 3


def test_one_update_can_edit_delete_and_append(sandbox: Sandbox, contact: int):
    mobile, work = (item["ID"] for item in sandbox.result("crm.contact.get", {"id": contact})["PHONE"])
    sandbox.result("crm.contact.update", {"id": contact, "fields": {"PHONE": [
        {"ID": work, "DELETE": "Y"}, {"VALUE": "+70000000000", "VALUE_TYPE": "FAX"},
        {"ID": mobile, "VALUE": "+79990000009", "VALUE_TYPE": "MOBILE"}, {"ID": "999999", "VALUE": "ignored"}]}})
    assert _phones(sandbox, contact) == [("+79990000009", "MOBILE"), ("+70000000000", "FAX")]


def test_deleting_every_phone_clears_has_phone_and_the_key(sandbox: Sandbox, contact: int):
    ids = [item["ID"] for item in sandbox.result("crm.contact.get", {"id": contact})["PHONE"]]
    sandbox.result("crm.contact.update", {"id": contact, "fields": {"PHONE": [{"ID": entry} for entry in ids]}})
    record = sandbox.result("crm.contact.get", {"id": contact})
    assert "PHONE" not in record and record["HAS_PHONE"] == "N" and record["HAS_EMAIL"] == "Y"


def test_fields_not_sent_stay_untouched(sandbox: Sandbox, contact: int):
    sandbox.result("crm.contact.update", {"id": contact, "fields": {"POST": "Инженер"}})
    record = sandbox.result("crm.contact.get", {"id": contact})
    assert record["NAME"] == "Иван" and len(record["PHONE"]) == 2 and record["POST"] == "Инженер"


def test_an_unknown_value_type_falls_back_and_odd_entries_are_skipped(sandbox: Sandbox):
    contact = sandbox.result("crm.contact.add", {"fields": {"NAME": "Анна", "PHONE": [
        {"VALUE": "+71", "VALUE_TYPE": "SATELLITE"}, "+72", {"VALUE": {"x": 1}}, {"VALUE": ""}]}})
    assert _phones(sandbox, contact) == [("+71", "WORK")]


def test_birthdate_is_a_midnight_utc_datetime_and_empty_is_an_empty_string(sandbox: Sandbox):
    first = sandbox.result("crm.contact.add", {"fields": {"NAME": "Анна", "BIRTHDATE": "11.11.1999"}})
    second = sandbox.result("crm.contact.add", {"fields": {"NAME": "Ольга"}})
    assert sandbox.result("crm.contact.get", {"id": first})["BIRTHDATE"] == "1999-11-11T03:00:00+03:00"
    assert sandbox.result("crm.contact.get", {"id": second})["BIRTHDATE"] == ""
    sandbox.result("crm.contact.update", {"id": first, "fields": {"BIRTHDATE": ""}})
    assert sandbox.result("crm.contact.get", {"id": first})["BIRTHDATE"] == ""


def test_a_contact_without_a_name_is_named_for_the_ui(sandbox: Sandbox):
    contact = sandbox.result("crm.contact.add", {"fields": {"POST": "x"}})
    assert sandbox.result("crm.contact.get", {"id": contact})["NAME"] == "Без имени"


def test_company_ids_set_the_companies(sandbox: Sandbox):
    first = sandbox.result("crm.company.add", {"fields": {"TITLE": "ООО Ромашка"}})
    second = sandbox.result("crm.company.add", {"fields": {"TITLE": "АО Василёк"}})
    contact = sandbox.result("crm.contact.add", {"fields": {"NAME": "Анна", "COMPANY_IDS": [second, first, "x", -1]}})
    record = sandbox.result("crm.contact.get", {"id": contact})
    assert record["COMPANY_ID"] == str(second) and "COMPANY_IDS" not in record


def test_a_company_needs_a_title(sandbox: Sandbox):
    response = sandbox.call("crm.company.add", {"fields": {"COMPANY_TYPE": "CUSTOMER"}})
    assert response.status_code == 400 and response.json()["error"] == ""


def test_deleting_a_contact_unbinds_it_and_promotes_the_next(sandbox: Sandbox, contact: int):
    other = sandbox.result("crm.contact.add", {"fields": {"NAME": "Пётр"}})
    deal = sandbox.result("crm.deal.add", {"fields": {"TITLE": "x", "CONTACT_IDS": [contact, other]}})
    assert sandbox.result("crm.contact.delete", {"id": contact}) is True
    items = sandbox.result("crm.deal.contact.items.get", {"id": deal})
    assert [(item["CONTACT_ID"], item["IS_PRIMARY"]) for item in items] == [(other, "Y")]
    assert sandbox.result("crm.deal.get", {"id": deal})["CONTACT_ID"] == str(other)


def test_contact_lists_filter_and_page_like_deals(sandbox: Sandbox):
    for number in range(60):
        last_name = "Иванов" if number % 3 else "Петров"
        sandbox.state.crm.contacts.add({"NAME": f"Участник {number}", "LAST_NAME": last_name}, 1)
    page = sandbox.call("crm.contact.list", {"filter": {"LAST_NAME": "петров"}, "select": ["ID", "NAME"]}).json()
    assert page["total"] == 20 and len(page["result"]) == 20 and "next" not in page
    first = sandbox.call("crm.contact.list", {"select": ["ID"]}).json()
    assert first["total"] == 60 and first["next"] == 50
