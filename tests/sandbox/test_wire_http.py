"""The request encodings a portal accepts, through HTTP: JSON, form, multipart and query strings, with
PHP's bracket rules, case-insensitive method names and legacy keys, and what the portal ignores."""

from __future__ import annotations

import json

import pytest

from dpo_desktop.sandbox import wire

from .portal_fixtures import Sandbox

LIST_PARAMS = {"filter": {">ID": 2, "@STAGE_ID": ["NEW", "WON"]}, "select": ["ID", "TITLE"], "order": {"ID": "DESC"}}


@pytest.fixture
def deals(sandbox: Sandbox) -> Sandbox:
    for number in range(1, 6):
        sandbox.result("crm.deal.add", {"fields": {"TITLE": f"Сделка {number}",
                                                   "STAGE_ID": "WON" if number % 2 else "NEW"}})
    return sandbox


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["ID"] for row in response.json()["result"]]


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "sandbox-boundary-42"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


def test_json_form_multipart_and_query_mean_the_same(deals: Sandbox):
    expected = _ids(deals.call("crm.deal.list", LIST_PARAMS))
    assert expected == ["5", "4", "3"]
    query = wire.encode_query(LIST_PARAMS)
    assert _ids(deals.client.get(f"crm.deal.list?{query}")) == expected
    assert _ids(deals.client.post("crm.deal.list", content=query,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})) == expected
    pairs = dict(pair.split("=", 1) for pair in query.split("&"))
    fields = {wire.parse_query(f"k={key}")["k"]: wire.parse_query(f"v={value}")["v"] for key, value in pairs.items()}
    body, content_type = _multipart(fields)
    assert _ids(deals.client.post("crm.deal.list", content=body, headers={"Content-Type": content_type})) == expected


def test_query_and_body_parameters_merge_and_the_body_wins(deals: Sandbox):
    response = deals.client.post("crm.deal.list?select[]=TITLE&order[ID]=ASC",
                                 json={"order": {"ID": "DESC"}, "filter": {"<ID": 3}})
    assert _ids(response) == ["2", "1"]
    assert set(response.json()["result"][0]) == {"ID", "TITLE"}


def test_select_may_be_indexed_or_appended(deals: Sandbox):
    for query in ("select[]=ID&select[]=TITLE", "select[0]=ID&select[1]=TITLE", "select[5]=TITLE"):
        rows = deals.client.get(f"crm.deal.list?{query}").json()["result"]
        assert set(rows[0]) == {"ID", "TITLE"}, query


def test_an_unencoded_plus_in_a_form_date_is_lost(deals: Sandbox):
    """Reference §2/§16.8: "+03:00" must be sent as "%2B03:00"; a bare "+" becomes a space."""
    encoded = deals.client.get("crm.deal.list?filter[%3E%3DDATE_CREATE]=2000-01-01T00:00:00%2B03:00")
    assert len(encoded.json()["result"]) == 5
    broken = deals.client.get("crm.deal.list?filter[%3E%3DDATE_CREATE]=2000-01-01T00:00:00+03:00")
    assert broken.status_code == 200 and broken.json()["result"] == []


def test_an_unencoded_equals_sign_in_a_key_splits_the_pair(deals: Sandbox):
    """``filter[>=ID]=4`` is read as the name ``filter[>`` (unclosed: ``filter_>``) with the value
    ``ID]=4``, so the filter is lost and every deal comes back."""
    assert wire.parse_query("filter[>=ID]=4") == {"filter_>": "ID]=4"}
    assert len(deals.client.get("crm.deal.list?filter[>=ID]=4").json()["result"]) == 5
    assert len(deals.client.get("crm.deal.list?filter[%3E%3DID]=4").json()["result"]) == 2


@pytest.mark.parametrize("name", ["crm.deal.list", "crm.deal.List", "CRM.DEAL.LIST", "crm.deal.list.json",
                                  "crm.deal.List.json", "Crm.Deal.List.JSON"])
def test_method_names_are_case_insensitive_with_optional_json(deals: Sandbox, name: str):
    assert len(deals.result(name)) == 5


@pytest.mark.parametrize("key", ["id", "ID", "Id", "iD"])
def test_top_level_keys_of_legacy_methods_are_case_insensitive(deals: Sandbox, key: str):
    assert deals.result("crm.deal.get", {key: 3})["ID"] == "3"
    assert deals.result("crm.deal.update", {key: 3, "Fields": {"TITLE": "Новое"}}) is True
    assert deals.result("crm.deal.get", {key: 3})["TITLE"] == "Новое"


def test_camel_case_methods_want_exact_keys(sandbox: Sandbox):
    assert sandbox.call("crm.category.list", {"entityTypeId": 2}).status_code == 200
    wrong = sandbox.call("crm.category.list", {"ENTITYTYPEID": 2})
    assert wrong.status_code == 400 and wrong.json()["error"] == "NOT_FOUND"


def test_unknown_parameters_are_ignored(deals: Sandbox):
    """fast_bitrix24 injects ``__order=...`` and a trailing ``&`` into every batched call."""
    response = deals.client.get("crm.deal.update?__order=order0000000000&ID=1&fields[TITLE]=a%26b&"
                                "fields[NO_SUCH_FIELD]=x&whatever[deep][]=1&")
    assert response.status_code == 200 and response.json()["result"] is True
    deal = deals.result("crm.deal.get", {"id": 1})
    assert deal["TITLE"] == "a&b" and "NO_SUCH_FIELD" not in deal


def test_a_json_body_on_get_is_ignored(sandbox: Sandbox):
    """Issue b24-rest-docs#223: GET + JSON body to crm.duplicate.findbycomm → 400, empty error code."""
    response = sandbox.client.request("GET", "crm.duplicate.findbycomm",
                                      content=json.dumps({"type": "PHONE", "values": ["+79990000000"]}),
                                      headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "", "error_description": "Communication type is not defined."}
    assert sandbox.call("crm.duplicate.findbycomm", {"type": "PHONE", "values": ["+79990000000"]}).status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", "application/xml", ""])
def test_a_body_of_another_content_type_is_not_read(sandbox: Sandbox, content_type: str):
    body = json.dumps({"fields": {"TITLE": "x"}})
    response = sandbox.client.post("crm.deal.add", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.json() == {"error": "", "error_description": "Parameter 'fields' must be array."}


def test_json_content_type_with_charset_is_json(sandbox: Sandbox):
    response = sandbox.client.post("crm.deal.add", content=json.dumps({"fields": {"TITLE": "x"}}).encode(),
                                   headers={"Content-Type": "Application/JSON; charset=UTF-8"})
    assert response.status_code == 200 and response.json()["result"] == 1


def test_json_booleans_numbers_and_strings_are_all_accepted(sandbox: Sandbox):
    sandbox.result("crm.deal.add", {"fields": {"TITLE": "x", "OPENED": False, "OPPORTUNITY": 1500.5,
                                               "PROBABILITY": "40", "IS_RECURRING": True}})
    deal = sandbox.result("crm.deal.get", {"id": "1"})
    assert (deal["OPENED"], deal["OPPORTUNITY"], deal["PROBABILITY"], deal["IS_RECURRING"]) == ("N", "1500.50",
                                                                                                   "40", "Y")


def test_answers_are_json_escaped_the_php_way(deals: Sandbox):
    response = deals.call("crm.deal.get", {"id": 1})
    assert response.headers["content-type"].startswith("application/json")
    raw = response.content.decode("ascii")  # non-ASCII text is \\uXXXX-escaped
    assert "\\u0421\\u0434\\u0435\\u043b\\u043a\\u0430" in raw  # "Сделка"
    assert "+03:00" in raw and "\\/" not in json.dumps(response.json())
    deals.result("crm.deal.update", {"id": 1, "fields": {"COMMENTS": "a/b"}})
    assert b'"a\\/b"' in deals.call("crm.deal.get", {"id": 1}).content  # "/" is escaped as "\/"


def test_a_list_as_json_body_gives_index_keys(sandbox: Sandbox):
    response = sandbox.client.post("crm.deal.get", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert response.status_code == 400  # {"0": 1, "1": 2}: no ID
    assert response.json()["error_description"] == "ID is not defined or invalid."


def test_null_empty_and_the_text_none(sandbox: Sandbox):
    """Reference §16.16: a JSON null clears a field; a form can only send "" (b24pysdk) or the text
    "None" (fast_bitrix24's batches), which is stored as that text."""
    sandbox.result("crm.deal.add", {"fields": {"TITLE": "x", "COMMENTS": "Заметка", "SOURCE_DESCRIPTION": "a"}})
    sandbox.result("crm.deal.update", {"id": 1, "fields": {"COMMENTS": None}})
    assert sandbox.result("crm.deal.get", {"id": 1})["COMMENTS"] is None
    sandbox.client.post("crm.deal.update", content="id=1&fields[SOURCE_DESCRIPTION]=",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert sandbox.result("crm.deal.get", {"id": 1})["SOURCE_DESCRIPTION"] == ""
    sandbox.result("batch", {"cmd": {"a": "crm.deal.update?id=1&fields[COMMENTS]=None"}})
    assert sandbox.result("crm.deal.get", {"id": 1})["COMMENTS"] == "None"
