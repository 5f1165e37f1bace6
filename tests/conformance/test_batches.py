"""``batch`` as each SDK sends it: ``$result[...]`` references, numeric labels, failing commands.

b24pysdk numbers the commands of a sequence ``0, 1, ...``; PHP then serialises every member of the
answer as a JSON list. fast_bitrix24's ``call_batch`` posts the body as given and raises on any
``result_error``; its ``call()`` wraps each item into a batch command of its own.
"""

from __future__ import annotations

import pytest
from fast_bitrix24.server_response import ErrorInServerResponseException

pytestmark = pytest.mark.conformance

MISSING_ID = 987_654


def pipeline_id(state, name: str = "ДПО") -> int:
    return next(key for key, category in state.crm.categories.items() if category["name"] == name)


def first_deal(state, category_id: int) -> dict:
    return min((record for record in state.crm.deals.table.values() if record["CATEGORY_ID"] == str(category_id)),
               key=lambda record: int(record["ID"]))


def chained_commands(category_id: int) -> dict[str, str]:
    """The reference's own example: a deal, its contact bindings, the first contact, the deal's company."""
    return {
        "deal": f"crm.deal.list?filter[CATEGORY_ID]={category_id}&order[ID]=ASC&select[]=ID&select[]=COMPANY_ID",
        "bindings": "crm.deal.contact.items.get?id=$result[deal][0][ID]",
        "contact": "crm.contact.get?id=$result[bindings][0][CONTACT_ID]",
        "company": "crm.company.get?id=$result[deal][0][COMPANY_ID]",
    }


def test_b24pysdk_batch_resolves_references_to_earlier_commands(serve, demo_state):
    served = serve(demo_state, tls=True)
    category = pipeline_id(demo_state)
    deal = first_deal(demo_state, category)
    client = served.b24()
    token = client.get_token()
    commands = {label: tuple(command.split("?", 1)) for label, command in chained_commands(category).items()}
    # b24pysdk encodes the parameters itself: give it the parsed form of each command.
    params = {
        "deal": {"filter": {"CATEGORY_ID": category}, "order": {"ID": "ASC"}, "select": ["ID", "COMPANY_ID"]},
        "bindings": {"id": "$result[deal][0][ID]"},
        "contact": {"id": "$result[bindings][0][CONTACT_ID]"},
        "company": {"id": "$result[deal][0][COMPANY_ID]"},
    }

    answer = token.call_batch({label: (commands[label][0], params[label]) for label in commands})

    batch = answer["result"]
    assert batch["result_error"] == []  # PHP's empty array
    assert batch["result"]["deal"][0] == {"ID": deal["ID"], "COMPANY_ID": deal["COMPANY_ID"]}
    bindings = client.crm.deal.contact.items.get(bitrix_id=int(deal["ID"])).result
    assert batch["result"]["bindings"] == bindings and bindings
    assert isinstance(bindings[0]["CONTACT_ID"], int)  # this method answers integers
    assert batch["result"]["contact"]["ID"] == str(bindings[0]["CONTACT_ID"])
    assert batch["result"]["company"]["ID"] == deal["COMPANY_ID"]
    # Only the list command has a total; no next page for the 42 deals of one pipeline.
    assert batch["result_total"] == {"deal": 42}
    assert batch["result_next"] == []
    assert set(batch["result_time"]) == set(commands)
    assert served.portal.requests == 2


def test_b24pysdk_numeric_labels_come_back_as_json_lists(serve, demo_state):
    served = serve(demo_state, tls=True)
    category = pipeline_id(demo_state)
    deal = first_deal(demo_state, category)
    client = served.b24()

    response = client.call_batch([
        client.crm.deal.list(select=["ID", "TITLE"], filter={"CATEGORY_ID": category}, order={"ID": "ASC"}),
        client.crm.deal.list(select=["ID", "TITLE"], filter={"ID": "$result[0][0][ID]"}),
        client.crm.deal.get(bitrix_id=int(deal["ID"])),
    ]).response

    batch = response.result
    # Labels 0..n-1 make every keyed member a JSON list (b24pysdk numbers sequences that way).
    assert isinstance(batch.result, list) and len(batch.result) == 3
    assert isinstance(batch.result_time, list) and len(batch.result_time) == 3
    assert isinstance(batch.result_total, list) and batch.result_total == [42, 1]
    assert batch.result_error == []
    assert batch.result[1] == [{"ID": deal["ID"], "TITLE": deal["TITLE"]}]
    assert batch.result[2]["TITLE"] == deal["TITLE"]


def test_b24pysdk_batch_with_a_failing_command(serve, demo_state):
    served = serve(demo_state, tls=True)
    deal = first_deal(demo_state, pipeline_id(demo_state))
    client = served.b24()

    def commands() -> dict:
        return {"found": client.crm.deal.get(bitrix_id=int(deal["ID"])),
                "missing": client.crm.deal.get(bitrix_id=MISSING_ID),
                "after": client.crm.deal.get(bitrix_id=int(deal["ID"]))}

    carried_on = client.call_batch(commands()).response.result
    halted = client.call_batch(commands(), halt=True).response.result

    not_found = {"error": "", "error_description": "Not found"}  # legacy CRM: empty code, HTTP 400 alone
    assert carried_on.result_error == {"missing": not_found}
    assert set(carried_on.result) == {"found", "after"}
    assert halted.result_error == {"missing": not_found}
    assert set(halted.result) == {"found"}  # halt stops at the failure and keeps what ran before it
    assert served.portal.statuses == {200: 2}  # a batch answers 200 whatever its commands did


def test_fast_bitrix24_call_batch_resolves_references(serve, demo_state):
    served = serve(demo_state)
    category = pipeline_id(demo_state)
    deal = first_deal(demo_state, category)
    bx = served.fast()

    result = bx.call_batch({"halt": 0, "cmd": chained_commands(category)})
    # raw=True: one plain call (call() would unwrap a one-item list into the item).
    bindings = bx.call("crm.deal.contact.items.get", {"id": deal["ID"]}, raw=True)["result"]

    assert result["deal"][0] == {"ID": deal["ID"], "COMPANY_ID": deal["COMPANY_ID"]}
    assert result["bindings"] == bindings and bindings
    assert result["contact"]["ID"] == str(bindings[0]["CONTACT_ID"])
    assert result["company"]["ID"] == deal["COMPANY_ID"]


def test_fast_bitrix24_call_batch_with_numeric_labels_gets_a_list(serve, demo_state):
    served = serve(demo_state)
    category = pipeline_id(demo_state)
    deal = first_deal(demo_state, category)

    result = served.fast().call_batch({"halt": 0, "cmd": [
        f"crm.deal.list?filter[CATEGORY_ID]={category}&order[ID]=ASC&select[]=ID",
        "crm.deal.get?id=$result[0][0][ID]",
    ]})

    assert isinstance(result, list) and len(result) == 2
    assert result[1]["ID"] == deal["ID"]


def test_fast_bitrix24_raises_on_a_failing_command(serve, demo_state):
    served = serve(demo_state)
    deal = first_deal(demo_state, pipeline_id(demo_state))
    bx = served.fast()

    with pytest.raises(ErrorInServerResponseException) as raw_batch:
        bx.call_batch({"halt": 0, "cmd": {"found": f"crm.deal.get?id={deal['ID']}",
                                          "missing": f"crm.deal.get?id={MISSING_ID}"}})
    with pytest.raises(ErrorInServerResponseException) as items:
        bx.call("crm.deal.get", [{"ID": deal["ID"]}, {"ID": MISSING_ID}])

    assert raw_batch.value.args[0] == {"missing": {"error": "", "error_description": "Not found"}}
    # call() labels its commands order0000000000, order0000000001, ...
    assert items.value.args[0] == {"order0000000001": {"error": "", "error_description": "Not found"}}
    assert served.portal.statuses == {200: 2}
