"""``crm.duplicate.findbycomm``: phone numbers compared without formatting and extensions, at most 20
values, integer IDs by entity type, and ``[]`` when nothing is found."""

from __future__ import annotations

import pytest

from .portal_fixtures import Sandbox


@pytest.fixture
def box(sandbox: Sandbox) -> Sandbox:
    sandbox.result("crm.contact.add", {"fields": {"NAME": "Иван", "PHONE": [{"VALUE": "+7 (999) 123-45-67"}],
                                                  "EMAIL": [{"VALUE": "Ivan@Example.ru"}]}})
    sandbox.result("crm.contact.add", {"fields": {"NAME": "Пётр", "PHONE": [{"VALUE": "8 495 000-00-02"}]}})
    sandbox.result("crm.company.add", {"fields": {"TITLE": "ООО Ромашка", "PHONE": [{"VALUE": "+79991234567"}]}})
    return sandbox


def _find(box: Sandbox, **params):
    return box.result("crm.duplicate.findbycomm", params)


@pytest.mark.parametrize("value", ["+79991234567", "89991234567", "9991234567", "+7 999 123 45 67",
                                   "+7 (999) 123-45-67 доб. 15", "+79991234567 ext 3"])
def test_phones_are_compared_as_numbers(box: Sandbox, value: str):
    assert _find(box, type="PHONE", values=[value]) == {"CONTACT": [1], "COMPANY": [1]}


def test_entity_type_narrows_the_search(box: Sandbox):
    assert _find(box, type="PHONE", values=["+79991234567"], entity_type="COMPANY") == {"COMPANY": [1]}
    assert _find(box, type="PHONE", values=["+74950000002", "+79991234567"], entity_type="CONTACT") == \
        {"CONTACT": [1, 2]}


def test_emails_ignore_case(box: Sandbox):
    assert _find(box, type="EMAIL", values=["ivan@example.RU"]) == {"CONTACT": [1]}


def test_nothing_found_is_an_empty_array(box: Sandbox):
    response = box.call("crm.duplicate.findbycomm", {"type": "EMAIL", "values": ["nobody@example.ru"]})
    assert response.status_code == 200 and response.json()["result"] == []
    assert b'"result":[]' in response.content


def test_at_most_twenty_values(box: Sandbox):
    values = [f"+7999000{number:04d}" for number in range(20)]
    assert box.call("crm.duplicate.findbycomm", {"type": "PHONE", "values": values}).status_code == 200
    # (unconfirmed) the error's wording for a 21st value
    too_many = box.call("crm.duplicate.findbycomm", {"type": "PHONE", "values": [*values, "+79990009999"]})
    assert too_many.status_code == 400 and too_many.json()["error"] == ""


def test_form_encoded_values(box: Sandbox):
    response = box.client.post("crm.duplicate.findbycomm", content="type=PHONE&values[]=84950000002",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.json()["result"] == {"CONTACT": [2]}


def test_a_bad_entity_type_is_refused(box: Sandbox):
    response = box.call("crm.duplicate.findbycomm", {"type": "PHONE", "values": ["1"], "entity_type": "DEAL"})
    assert response.status_code == 400 and response.json()["error"] == ""


def test_twenty_hits_of_one_type_leave_the_later_types_out(box: Sandbox):
    for number in range(25):
        box.state.crm.contacts.add({"NAME": f"Двойник {number}", "PHONE": [{"VALUE": "+79991234567"}]}, 1)
    found = _find(box, type="PHONE", values=["+79991234567"])
    assert list(found) == ["CONTACT"] and len(found["CONTACT"]) == 20 and found["CONTACT"][0] == 1
