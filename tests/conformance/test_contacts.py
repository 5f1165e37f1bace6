"""Contact multifields (``PHONE``, ``EMAIL``) through each SDK: add, then an update that merges by ID.

An update edits the entry whose ``ID`` it names, deletes one sent with ``DELETE: "Y"``, appends one
sent without an ``ID``, and leaves every entry it does not mention as it was (reference §9).
b24pysdk posts JSON; fast_bitrix24 wraps the same call into a batch command, so the multifields
travel in PHP bracket form (``fields[PHONE][1][DELETE]=Y``).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.conformance

NEW_CONTACT = {
    "NAME": "Алина",
    "SECOND_NAME": "Никитична",
    "LAST_NAME": "Майорова",
    "PHONE": [{"VALUE": "+79161234567", "VALUE_TYPE": "MOBILE"}, {"VALUE": "+74957654321", "VALUE_TYPE": "WORK"}],
    "EMAIL": [{"VALUE": "a.mayorova@example.ru", "VALUE_TYPE": "WORK"}],
}


def merge_update(contact: dict) -> dict:
    """Edit the mobile phone, delete the work phone, append a home phone and a second e-mail."""
    mobile, work = contact["PHONE"]
    return {
        "PHONE": [
            {"ID": mobile["ID"], "VALUE": "+79169990011", "VALUE_TYPE": "MOBILE"},
            {"ID": work["ID"], "DELETE": "Y"},
            {"VALUE": "+74951112233", "VALUE_TYPE": "HOME"},
        ],
        "EMAIL": [{"VALUE": "alina@example.org", "VALUE_TYPE": "HOME"}],
    }


def shape(entries: list[dict]) -> list[tuple[str, str, str]]:
    return [(entry["VALUE"], entry["VALUE_TYPE"], entry["TYPE_ID"]) for entry in entries]


def check_added(contact: dict) -> None:
    assert shape(contact["PHONE"]) == [("+79161234567", "MOBILE", "PHONE"), ("+74957654321", "WORK", "PHONE")]
    assert shape(contact["EMAIL"]) == [("a.mayorova@example.ru", "WORK", "EMAIL")]
    assert all(isinstance(entry["ID"], str) and entry["ID"].isdigit() for entry in contact["PHONE"] + contact["EMAIL"])
    assert (contact["HAS_PHONE"], contact["HAS_EMAIL"]) == ("Y", "Y")


def check_merged(before: dict, after: dict) -> None:
    assert shape(after["PHONE"]) == [("+79169990011", "MOBILE", "PHONE"), ("+74951112233", "HOME", "PHONE")]
    assert after["PHONE"][0]["ID"] == before["PHONE"][0]["ID"]  # edited in place
    assert after["PHONE"][1]["ID"] not in {entry["ID"] for entry in before["PHONE"]}  # a new entry
    # The e-mail the update did not mention is still there, ahead of the appended one.
    assert shape(after["EMAIL"]) == [("a.mayorova@example.ru", "WORK", "EMAIL"), ("alina@example.org", "HOME", "EMAIL")]
    assert after["EMAIL"][0]["ID"] == before["EMAIL"][0]["ID"]
    assert after["NAME"] == "Алина"  # fields not sent are kept: a CRM update is not an overwrite


def test_b24pysdk_adds_a_contact_and_merges_its_multifields(serve, demo_state):
    served = serve(demo_state, tls=True)
    contacts = served.b24().crm.contact

    contact_id = contacts.add(fields=NEW_CONTACT).result
    added = contacts.get(bitrix_id=contact_id).result
    updated = contacts.update(bitrix_id=contact_id, fields=merge_update(added)).result
    merged = contacts.get(bitrix_id=contact_id).result
    found = contacts.list(filter={"PHONE": "+74951112233"}, select=["ID", "PHONE"]).result
    [starred] = contacts.list(filter={"ID": contact_id}, select=["*"]).result

    assert isinstance(contact_id, int)
    check_added(added)
    assert updated is True
    check_merged(added, merged)
    assert [row["ID"] for row in found] == [str(contact_id)]  # multifield filters match exactly
    assert "PHONE" not in starred and "EMAIL" not in starred  # "*" leaves multifields out
    assert demo_state.crm.contacts.get(contact_id)["PHONE"] == merged["PHONE"]


def read_with_fast_bitrix24(bx, contact_id: int) -> dict:
    """The contact through ``crm.contact.list``: multifields come only when selected by name."""
    rows = bx.get_all("crm.contact.list", {"filter": {"ID": contact_id},
                                           "select": ["ID", "NAME", "PHONE", "EMAIL", "HAS_PHONE", "HAS_EMAIL"]})
    assert len(rows) == 1
    return rows[0]


def test_fast_bitrix24_adds_a_contact_and_merges_its_multifields(serve, demo_state):
    served = serve(demo_state)
    bx = served.fast()

    contact_id = bx.call("crm.contact.add", {"fields": NEW_CONTACT})
    added = read_with_fast_bitrix24(bx, contact_id)
    updated = bx.call("crm.contact.update", {"ID": contact_id, "fields": merge_update(added)})
    merged = read_with_fast_bitrix24(bx, contact_id)

    assert isinstance(contact_id, int)
    check_added(added)
    assert updated is True
    check_merged(added, merged)
    assert demo_state.crm.contacts.get(contact_id)["EMAIL"] == merged["EMAIL"]


def test_a_bare_id_deletes_the_entry_through_either_sdk(serve, demo_state):
    """``{ID}`` alone (no value) deletes as ``DELETE: "Y"`` does; fast_bitrix24 sends it in bracket form."""
    https, http = serve(demo_state, tls=True), serve(demo_state)
    contacts, bx = https.b24().crm.contact, http.fast()
    contact_id = contacts.add(fields=NEW_CONTACT).result
    phones = contacts.get(bitrix_id=contact_id).result["PHONE"]

    bx.call("crm.contact.update", {"ID": contact_id, "fields": {"PHONE": [{"ID": phones[0]["ID"]}]}})
    left = contacts.get(bitrix_id=contact_id).result["PHONE"]

    assert [entry["ID"] for entry in left] == [phones[1]["ID"]]
