"""``batch``: labels, the five result members, ``halt``, the 50-command limit, no nesting, and
``$result[...]`` references as b24pysdk and fast_bitrix24 use them."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from dpo_desktop.sandbox import wire

from .portal_fixtures import Sandbox

TIME_KEYS = {"start", "finish", "duration", "processing", "date_start", "date_finish", "operating_reset_at",
             "operating"}


@pytest.fixture
def deals(sandbox: Sandbox) -> Sandbox:
    for number in range(1, 121):
        sandbox.state.crm.deals.add({"TITLE": f"Сделка {number}"}, 1)
    return sandbox


def _batch(box: Sandbox, cmd, halt=None) -> dict:
    params = {"cmd": cmd} if halt is None else {"cmd": cmd, "halt": halt}
    response = box.call("batch", params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"result", "time"} and set(body["time"]) >= TIME_KEYS
    assert set(body["result"]) == {"result", "result_error", "result_total", "result_next", "result_time"}
    return body["result"]


def test_named_labels_give_maps_and_empty_members_are_lists(deals: Sandbox):
    result = _batch(deals, {"one": "crm.deal.get?id=1", "page": "crm.deal.list?select[]=ID&start=50"})
    assert result["result"]["one"]["ID"] == "1"
    assert [row["ID"] for row in result["result"]["page"]][:2] == ["51", "52"]
    assert result["result_error"] == []  # PHP's empty array
    assert result["result_total"] == {"page": 120}
    assert result["result_next"] == {"page": 100}
    assert set(result["result_time"]) == {"one", "page"}
    assert all(set(timing) == TIME_KEYS for timing in result["result_time"].values())


def test_labels_zero_to_n_make_every_member_a_list(deals: Sandbox):
    result = _batch(deals, ["crm.deal.get?id=1", "crm.deal.get?id=2"])
    assert [item["ID"] for item in result["result"]] == ["1", "2"]
    assert isinstance(result["result_time"], list) and len(result["result_time"]) == 2
    failing = _batch(deals, {"0": "crm.deal.get?id=999", "1": "crm.deal.get?id="})
    assert failing["result"] == [] and failing["result_time"] == []
    assert failing["result_error"] == [{"error": "", "error_description": "Not found"},
                                       {"error": "", "error_description": "ID is not defined or invalid."}]


def test_one_based_labels_stay_a_map(deals: Sandbox):
    """b24pysdk numbers its commands from "1" so that results stay dict-shaped."""
    result = _batch(deals, {"1": "crm.deal.get?id=1", "2": "crm.deal.get?id=2"})
    assert set(result["result"]) == {"1", "2"}


def test_labels_keep_their_order(deals: Sandbox):
    result = _batch(deals, {"2": "crm.deal.get?id=2", "8": "crm.deal.get?id=8", "0": "crm.deal.get?id=1"})
    assert list(result["result"]) == ["2", "8", "0"]


def test_failed_commands_do_not_stop_the_batch_without_halt(deals: Sandbox):
    for halt in (None, False, 0, "0"):
        result = _batch(deals, {"a": "crm.deal.get?id=1", "b": "crm.deal.get?id=999", "c": "crm.deal.get?id=3"},
                        halt)
        assert set(result["result"]) == {"a", "c"} and set(result["result_error"]) == {"b"}


@pytest.mark.parametrize("halt", [True, 1, "1"])
def test_halt_stops_at_the_first_failure_and_keeps_what_ran(deals: Sandbox, halt):
    result = _batch(deals, {"a": "crm.deal.update?id=1&fields[TITLE]=ok", "b": "crm.deal.get?id=999",
                            "c": "crm.deal.update?id=3&fields[TITLE]=never"}, halt)
    assert result["result"] == {"a": True}
    assert result["result_error"] == {"b": {"error": "", "error_description": "Not found"}}
    assert deals.result("crm.deal.get", {"id": 1})["TITLE"] == "ok"
    assert deals.result("crm.deal.get", {"id": 3})["TITLE"] == "Сделка 3"


@pytest.mark.parametrize("halt", ["true", "Y", "yes", 2])
def test_halt_is_read_strictly(deals: Sandbox, halt):
    """(unconfirmed) only true, 1 and "1" switch halt on."""
    result = _batch(deals, {"b": "crm.deal.get?id=999", "c": "crm.deal.get?id=3"}, halt)
    assert set(result["result"]) == {"c"}


def test_fifty_commands_run_and_fifty_one_are_refused(deals: Sandbox):
    fifty = {f"c{number}": f"crm.deal.get?id={number}" for number in range(1, 51)}
    assert len(_batch(deals, fifty)["result"]) == 50
    response = deals.call("batch", {"cmd": {**fifty, "c51": "crm.deal.get?id=51"}})
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"}
    assert deals.result("crm.deal.get", {"id": 1})["ID"] == "1"


@pytest.mark.parametrize("command", ["batch?cmd[a]=crm.deal.get%3Fid%3D1", "BATCH.json?cmd[a]=x", " batch"])
def test_batch_inside_batch_is_refused(deals: Sandbox, command: str):
    result = _batch(deals, {"inner": command, "ok": "crm.deal.get?id=2"})
    assert result["result_error"] == {"inner": {"error": "ERROR_BATCH_METHOD_NOT_ALLOWED",
                                                "error_description": "Method is not allowed for batch usage."}}
    assert result["result"]["ok"]["ID"] == "2"


def test_references_to_earlier_results(deals: Sandbox):
    contact = deals.result("crm.contact.add", {"fields": {"NAME": "Иван"}})
    deals.result("crm.deal.contact.add", {"id": 7, "fields": {"CONTACT_ID": contact}})
    result = _batch(deals, {
        "deal": "crm.deal.get?id=7",
        "contacts": "crm.deal.contact.items.get?id=$result[deal][ID]",
        "first": "crm.contact.get?id=$result[contacts][0][CONTACT_ID]",
        "title": "crm.deal.update?id=$result[deal][ID]&fields[TITLE]=Копия: $result[deal][TITLE]",
    })
    assert result["result_error"] == []
    assert result["result"]["first"]["NAME"] == "Иван"
    assert deals.result("crm.deal.get", {"id": 7})["TITLE"] == "Копия: Сделка 7"


def test_references_arrive_percent_encoded_and_are_decoded_first(deals: Sandbox):
    """b24pysdk's call_list_fast: ``filter[%3EID]=%24result%5B1%5D%5B49%5D%5BID%5D``."""
    reference = quote("$result[1][49][ID]", safe="")
    result = _batch(deals, {
        "1": "crm.deal.list?filter[%3EID]=0&select[0]=ID&order[ID]=ASC&start=-1",
        "2": f"crm.deal.list?filter[%3EID]={reference}&select[0]=ID&order[ID]=ASC&start=-1",
    })
    assert [row["ID"] for row in result["result"]["2"]][:1] == ["51"]
    assert result["result_total"] == {"1": 0, "2": 0} and result["result_next"] == []


def test_fifty_chained_pages_read_every_row_once(deals: Sandbox):
    cmd = {}
    for number in range(1, 51):
        after = "0" if number == 1 else f"$result[{number - 1}][49][ID]"
        cmd[str(number)] = "crm.deal.list?" + wire.encode_query(
            {"order": {"ID": "ASC"}, "filter": {">ID": after}, "select": ["ID"], "start": -1})
    result = _batch(deals, cmd, halt=True)
    pages = [result["result"][str(number)] for number in range(1, 4)]
    assert [len(page) for page in pages] == [50, 50, 20]
    assert [row["ID"] for page in pages for row in page] == [str(number) for number in range(1, 121)]


def test_a_reference_to_a_missing_row_becomes_empty(deals: Sandbox):
    """(unconfirmed) the path does not exist (the page was short): the reference reads as "", and a
    numeric filter compares with 0 — the next page starts over, so a client must stop at a short page."""
    result = _batch(deals, {
        "short": "crm.deal.list?filter[%3EID]=100&select[]=ID&order[ID]=ASC&start=-1",
        "next": "crm.deal.list?filter[%3EID]=$result[short][49][ID]&select[]=ID&order[ID]=ASC&start=-1",
        "missing": "crm.deal.get?id=$result[nothing][0][ID]",
        "echo": "crm.deal.update?id=5&fields[COMMENTS]=[$result[short][49][ID]]",
    })
    assert len(result["result"]["short"]) == 20
    assert result["result"]["next"][0]["ID"] == "1"
    assert result["result_error"] == {"missing": {"error": "", "error_description": "ID is not defined or invalid."}}
    assert deals.result("crm.deal.get", {"id": 5})["COMMENTS"] == "[]"


def test_a_reference_to_an_error_or_a_total(deals: Sandbox):
    result = _batch(deals, {
        "list": "crm.deal.list?select[]=ID",
        "bad": "crm.deal.get?id=999",
        "note": "crm.deal.update?id=1&fields[COMMENTS]=$result_total[list] / $result_error[bad][error_description]",
    })
    assert set(result["result"]) == {"list", "note"}
    assert deals.result("crm.deal.get", {"id": 1})["COMMENTS"] == "120 / Not found"


def test_fast_bitrix24_commands_with_junk_parameters(deals: Sandbox):
    cmd = {f"order{number:010d}": f"crm.deal.update?__order=order{number:010d}&ID={number + 1}&fields[TITLE]=a%26b&"
           f"fields[OPENED]=True&" for number in range(3)}
    result = _batch(deals, cmd, halt=0)
    assert result["result"] == {"order0000000000": True, "order0000000001": True, "order0000000002": True}
    deal = deals.result("crm.deal.get", {"id": 1})
    assert deal["TITLE"] == "a&b" and deal["OPENED"] == "N"  # (unconfirmed) "True" is not a Y/N flag


def test_a_form_encoded_batch_is_double_encoded(deals: Sandbox):
    command = "crm.deal.update?id=2&fields[TITLE]=" + quote("Tom & Jerry", safe="")
    body = "halt=0&cmd[x]=" + quote(command, safe="")
    response = deals.client.post("batch", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200 and response.json()["result"]["result"] == {"x": True}
    assert deals.result("crm.deal.get", {"id": 2})["TITLE"] == "Tom & Jerry"


def test_a_fragment_ends_the_command_as_parse_url_reads_it(deals: Sandbox):
    result = _batch(deals, {"x": "crm.deal.update?id=2&fields[TITLE]=before#after"})
    assert result["result"] == {"x": True}
    assert deals.result("crm.deal.get", {"id": 2})["TITLE"] == "before"


def test_a_command_that_is_not_text_fails_alone(deals: Sandbox):
    result = _batch(deals, {"odd": {"x": 1}, "ok": "crm.deal.get?id=1"})
    assert set(result["result_error"]) == {"odd"} and set(result["result"]) == {"ok"}


def test_an_empty_batch(deals: Sandbox):
    for params in ({}, {"cmd": []}, {"cmd": "crm.deal.list"}):
        response = deals.call("batch", params)
        assert response.status_code == 200
        assert response.json()["result"] == {member: [] for member in
                                             ("result", "result_error", "result_total", "result_next", "result_time")}


def test_batch_method_name_forms(deals: Sandbox):
    for name in ("batch", "batch.json", "Batch", "BATCH.JSON"):
        assert deals.call(name, {"cmd": {"a": "crm.deal.get?id=1"}}).json()["result"]["result"]["a"]["ID"] == "1"


def test_commands_run_in_order_and_see_each_others_writes(deals: Sandbox):
    result = _batch(deals, {
        "add": "crm.contact.add?fields[NAME]=Пётр",
        "bind": "crm.deal.contact.add?id=3&fields[CONTACT_ID]=$result[add]",
        "read": "crm.deal.contact.items.get?id=3",
    })
    contact_id = result["result"]["add"]
    assert isinstance(contact_id, int)
    assert result["result"]["read"] == [{"CONTACT_ID": contact_id, "SORT": 10, "ROLE_ID": 0, "IS_PRIMARY": "Y"}]
    starts = [result["result_time"][label]["start"] for label in ("add", "bind", "read")]
    assert starts == sorted(starts)
