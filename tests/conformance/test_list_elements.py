"""Universal-list elements through each SDK: add, read, overwrite on update, filter by a property.

The demo's "Участники" list (``dpo_participants``) links a deal and a contact (``S:ECrm``, both
required), has a status (``L``), the issued document's series (``S``) and its issue date (``S:Date``).
Reading gives every property as ``{value ID: value}`` and dates in the portal's locale format;
``lists.element.update`` replaces the element, so a property the update does not send is cleared,
and an update that leaves out a required property is refused (reference §10, §16.9).
"""

from __future__ import annotations

import pytest
from b24pysdk.errors import BitrixAPIBadRequest
from fast_bitrix24.server_response import ErrorInServerResponseException

pytestmark = pytest.mark.conformance

PARTICIPANTS = "dpo_participants"
DEAL, CONTACT, STATUS, SERIES, ISSUED = "PROPERTY_1", "PROPERTY_2", "PROPERTY_3", "PROPERTY_5", "PROPERTY_8"


def new_participant(state) -> tuple[int, int, int, dict[str, str]]:
    """(list ID, the first ДПО deal, a contact not enrolled on it, the status enum IDs by name)."""
    iblock_id = state.lists.find_list(PARTICIPANTS)
    pipeline = next(key for key, category in state.crm.categories.items() if category["name"] == "ДПО")
    deal_id = min(int(record["ID"]) for record in state.crm.deals.table.values()
                  if record["CATEGORY_ID"] == str(pipeline))
    enrolled = {int(next(iter(element[CONTACT].values()))) for element in participants_of(state, deal_id)}
    contact_id = next(contact for contact in state.crm.contacts.table.ids() if contact not in enrolled)
    return iblock_id, deal_id, contact_id, state.lists.enum_ids(iblock_id, STATUS)


def participants_of(state, deal_id: int) -> list[dict]:
    iblock_id = state.lists.find_list(PARTICIPANTS)
    elements = (state.lists.element(iblock_id, element) for element in state.lists.iblocks[iblock_id].elements.ids())
    return [element for element in elements if list(element[DEAL].values()) == [str(deal_id)]]


def only_value(element: dict, code: str) -> str | None:
    """The single value of a property read back, or None when the property is empty."""
    values = list((element.get(code) or {}).values())
    assert len(values) <= 1
    return values[0] if values else None


def enrolment(deal_id: int, contact_id: int, status_id: str) -> dict:
    return {"NAME": "Майорова Алина Никитична", DEAL: deal_id, CONTACT: contact_id, STATUS: status_id,
            SERIES: "772419", ISSUED: "2026-06-30"}


def check_enrolled(element: dict, deal_id: int, contact_id: int, status_id: str) -> None:
    assert element["CODE"] == f"p-{deal_id}-{contact_id}"
    assert (only_value(element, DEAL), only_value(element, CONTACT)) == (str(deal_id), str(contact_id))
    assert only_value(element, STATUS) == status_id
    assert only_value(element, SERIES) == "772419"
    assert only_value(element, ISSUED) == "30.06.2026"  # a Russian portal's locale format, not ISO
    assert all(key.isdigit() for key in element[DEAL])  # keyed by property-value ID


def status_change(element: dict, status_id: str) -> dict:
    """An update that sends the name, the two required links and a new status — not the series or the date."""
    return {"NAME": element["NAME"], DEAL: only_value(element, DEAL), CONTACT: only_value(element, CONTACT),
            STATUS: status_id}


def check_overwritten(element: dict, deal_id: int, contact_id: int, status_id: str) -> None:
    assert element["NAME"] == "Майорова Алина Никитична"
    assert (only_value(element, DEAL), only_value(element, CONTACT)) == (str(deal_id), str(contact_id))
    assert only_value(element, STATUS) == status_id
    assert (only_value(element, SERIES), only_value(element, ISSUED)) == (None, None)  # not sent: cleared


def test_b24pysdk_adds_reads_overwrites_and_filters_list_elements(serve, demo_state):
    served = serve(demo_state, tls=True)
    iblock_id, deal_id, contact_id, statuses = new_participant(demo_state)
    code = f"p-{deal_id}-{contact_id}"
    elements = served.b24().lists.element

    element_id = elements.add("lists", code, enrolment(deal_id, contact_id, statuses["Зачислен"]),
                              iblock_code=PARTICIPANTS).result
    [added] = elements.get("lists", iblock_id=iblock_id, element_id=element_id).result
    with pytest.raises(BitrixAPIBadRequest) as duplicate:
        elements.add("lists", code, enrolment(deal_id, contact_id, statuses["Заявка"]), iblock_id=iblock_id).call()
    of_deal = elements.get("lists", iblock_id=iblock_id, filter={DEAL: deal_id}, select=["ID", DEAL]).as_list()
    with pytest.raises(BitrixAPIBadRequest) as partial:
        elements.update("lists", {"NAME": added["NAME"], STATUS: statuses["Отчислен"]}, iblock_id=iblock_id,
                        element_code=code).call()
    updated = elements.update("lists", status_change(added, statuses["Обучение завершено"]), iblock_id=iblock_id,
                              element_code=code).result
    [overwritten] = elements.get("lists", iblock_id=iblock_id, element_code=code).result

    assert isinstance(element_id, int)
    check_enrolled(added, deal_id, contact_id, statuses["Зачислен"])
    assert duplicate.value.json_response["error"] == "ERROR_ELEMENT_ALREADY_EXISTS"
    assert {row["ID"] for row in of_deal.result} == {element["ID"] for element in participants_of(demo_state, deal_id)}
    assert str(element_id) in {row["ID"] for row in of_deal.result}
    # An update is not a merge: leaving out the required links is refused...
    assert partial.value.json_response["error"] == "ERROR_ELEMENT_FIELD_VALUE"
    # ...and what a complete update leaves out is cleared.
    assert updated is True
    check_overwritten(overwritten, deal_id, contact_id, statuses["Обучение завершено"])
    assert demo_state.lists.element(iblock_id, element_id) == overwritten


def test_fast_bitrix24_adds_reads_overwrites_and_filters_list_elements(serve, demo_state):
    served = serve(demo_state)
    iblock_id, deal_id, contact_id, statuses = new_participant(demo_state)
    code = f"p-{deal_id}-{contact_id}"
    ids = {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock_id}
    bx = served.fast()

    element_id = bx.call("lists.element.add", {**ids, "ELEMENT_CODE": code,
                                               "FIELDS": enrolment(deal_id, contact_id, statuses["Зачислен"])})
    [added] = bx.get_all("lists.element.get", {**ids, "ELEMENT_ID": element_id})
    of_deal = bx.get_all("lists.element.get", {**ids, "FILTER": {DEAL: deal_id}, "SELECT": ["ID"]})
    updated = bx.call("lists.element.update", {**ids, "ELEMENT_ID": element_id,
                                                "FIELDS": status_change(added, statuses["Отчислен"])})
    [overwritten] = bx.get_all("lists.element.get", {**ids, "ELEMENT_ID": element_id})

    assert isinstance(element_id, int)
    check_enrolled(added, deal_id, contact_id, statuses["Зачислен"])
    assert {row["ID"] for row in of_deal} == {element["ID"] for element in participants_of(demo_state, deal_id)}
    assert updated is True
    check_overwritten(overwritten, deal_id, contact_id, statuses["Отчислен"])


def test_an_element_code_is_required_through_either_sdk(serve, demo_state):
    """``ELEMENT_CODE`` is mandatory on add (the stricter reading the sandbox takes, reference §10)."""
    https, http = serve(demo_state, tls=True), serve(demo_state)
    iblock_id, deal_id, contact_id, statuses = new_participant(demo_state)
    fields = enrolment(deal_id, contact_id, statuses["Заявка"])

    with pytest.raises(BitrixAPIBadRequest) as refused:
        https.b24().lists.element.add("lists", "", fields, iblock_id=iblock_id).call()
    with pytest.raises(ErrorInServerResponseException) as in_batch:
        http.fast().call("lists.element.add", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock_id, "FIELDS": fields})

    missing = {"error": "ERROR_REQUIRED_PARAMETERS_MISSING",
               "error_description": 'Required parameter "ELEMENT_CODE" is missing'}
    assert refused.value.json_response == missing
    assert refused.value.status_code == 400
    assert in_batch.value.args[0] == {"order0000000000": missing}
