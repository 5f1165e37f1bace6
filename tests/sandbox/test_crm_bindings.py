"""Deal ↔ contact bindings (``crm.deal.contact.*``): integers, one primary contact, ``false`` when
nothing changes, the whole set replaced by ``items.set``."""

from __future__ import annotations

import pytest

from .portal_fixtures import Sandbox


@pytest.fixture
def box(sandbox: Sandbox) -> Sandbox:
    sandbox.result("crm.deal.add", {"fields": {"TITLE": "Сделка"}})
    for name in ("Иван", "Пётр", "Анна"):
        sandbox.result("crm.contact.add", {"fields": {"NAME": name}})
    return sandbox


def _items(box: Sandbox) -> list[tuple[int, str, int]]:
    items = box.result("crm.deal.contact.items.get", {"id": 1})
    for item in items:
        assert set(item) == {"CONTACT_ID", "SORT", "ROLE_ID", "IS_PRIMARY"}
        assert all(isinstance(item[key], int) for key in ("CONTACT_ID", "SORT", "ROLE_ID"))
    return [(item["CONTACT_ID"], item["IS_PRIMARY"], item["SORT"]) for item in items]


def _add(box: Sandbox, contact: int, **fields) -> bool:
    return box.result("crm.deal.contact.add", {"id": 1, "fields": {"CONTACT_ID": contact, **fields}})


def test_a_new_deal_has_no_contacts(box: Sandbox):
    assert box.result("crm.deal.contact.items.get", {"id": 1}) == []


def test_the_first_contact_becomes_primary(box: Sandbox):
    assert _add(box, 1) is True
    assert _add(box, 2) is True
    assert _items(box) == [(1, "Y", 10), (2, "N", 20)]
    assert box.result("crm.deal.get", {"id": 1})["CONTACT_ID"] == "1"


def test_adding_a_linked_contact_answers_false(box: Sandbox):
    _add(box, 1)
    assert _add(box, 1) is False
    assert _add(box, "1", IS_PRIMARY="Y") is False
    assert _items(box) == [(1, "Y", 10)]


def test_a_new_primary_takes_over(box: Sandbox):
    _add(box, 1)
    _add(box, 2, IS_PRIMARY="Y", SORT=5)
    assert _items(box) == [(2, "Y", 5), (1, "N", 10)]
    assert box.result("crm.deal.get", {"id": 1})["CONTACT_ID"] == "2"


def test_removing_the_primary_promotes_the_next(box: Sandbox):
    for contact in (1, 2, 3):
        _add(box, contact)
    assert box.result("crm.deal.contact.delete", {"id": 1, "fields": {"CONTACT_ID": 1}}) is True
    assert _items(box) == [(2, "Y", 20), (3, "N", 30)]
    assert box.result("crm.deal.contact.delete", {"id": 1, "fields": {"CONTACT_ID": 1}}) is False


def test_items_set_replaces_everything_and_the_first_is_primary(box: Sandbox):
    _add(box, 1)
    assert box.result("crm.deal.contact.items.set", {"id": 1, "items": [{"CONTACT_ID": 3}, {"CONTACT_ID": 2}]}) is True
    assert _items(box) == [(3, "Y", 10), (2, "N", 20)]
    box.result("crm.deal.contact.items.set", {"id": 1, "items": [
        {"CONTACT_ID": 3, "SORT": 50}, {"CONTACT_ID": 2, "IS_PRIMARY": "Y", "SORT": 60}]})
    assert _items(box) == [(3, "N", 50), (2, "Y", 60)]
    assert box.result("crm.deal.get", {"id": 1})["CONTACT_ID"] == "2"


def test_items_set_with_nothing_and_items_delete_empty_the_deal(box: Sandbox):
    _add(box, 1)
    box.result("crm.deal.contact.items.set", {"id": 1, "items": []})
    assert _items(box) == [] and box.result("crm.deal.get", {"id": 1})["CONTACT_ID"] is None
    _add(box, 2)
    assert box.result("crm.deal.contact.items.delete", {"id": 1}) is True
    assert _items(box) == []


def test_form_encoded_items(box: Sandbox):
    response = box.client.post("crm.deal.contact.items.set",
                               content="id=1&items[0][CONTACT_ID]=2&items[1][CONTACT_ID]=1&items[1][IS_PRIMARY]=Y",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert _items(box) == [(2, "N", 10), (1, "Y", 20)]


@pytest.mark.parametrize(("method", "params", "description"), [
    ("crm.deal.contact.add", {"id": 1, "fields": {"CONTACT_ID": 99}}, "The parameter 'fields' is not valid."),
    ("crm.deal.contact.add", {"id": 1, "fields": {"CONTACT_ID": "x"}}, "The parameter 'fields' is not valid."),
    ("crm.deal.contact.add", {"id": 1}, "The parameter 'fields' is not valid."),
    ("crm.deal.contact.add", {"id": 7, "fields": {"CONTACT_ID": 1}}, "Not found."),
    ("crm.deal.contact.items.set", {"id": 1, "items": [{"CONTACT_ID": 99}]}, "The parameter 'fields' is not valid."),
    ("crm.deal.contact.items.delete", {"id": 0}, "The parameter ownerEntityID is invalid or not defined."),
    ("crm.deal.contact.delete", {"id": 1, "fields": {}}, "The parameter 'fields' is not valid."),
])
def test_errors(box: Sandbox, method: str, params: dict, description: str):
    response = box.call(method, params)
    assert response.status_code == 400
    assert response.json() == {"error": "", "error_description": description}


def test_deleting_the_deal_forgets_its_bindings(box: Sandbox):
    _add(box, 1)
    box.result("crm.deal.delete", {"id": 1})
    assert box.call("crm.deal.contact.items.get", {"id": 1}).json()["error_description"] == "Not found."
    assert box.state.crm.deal_contacts.get(1) is None


def test_the_fields_description(box: Sandbox):
    fields = box.result("crm.deal.contact.fields")
    assert set(fields) == {"CONTACT_ID", "SORT", "ROLE_ID", "IS_PRIMARY"}
    assert fields["CONTACT_ID"]["isRequired"] is True and fields["IS_PRIMARY"]["type"] == "char"
