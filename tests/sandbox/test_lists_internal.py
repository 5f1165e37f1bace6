"""The lists state's internal API (what seeds call), checked through what the portal then answers over HTTP."""

from __future__ import annotations

import pickle

import pytest

from dpo_desktop.sandbox.errors import ApiError

LISTS = {"IBLOCK_TYPE_ID": "lists"}


@pytest.fixture
def seeded(sandbox):
    lists = sandbox.state.lists
    iblock_id = lists.add_list("dpo_participants", "Участники", user_id=1, description="По сделкам", sort=100)
    deal = lists.add_field(iblock_id, {"NAME": "Сделка", "TYPE": "S:ECrm", "CODE": "DEAL", "IS_REQUIRED": "Y",
                                       "USER_TYPE_SETTINGS": {"DEAL": "Y"}})
    status = lists.add_field(iblock_id, {"NAME": "Статус", "TYPE": "L", "CODE": "STATUS",
                                         "LIST": {"n0": {"VALUE": "Заявлен", "SORT": 10},
                                                  "n1": {"VALUE": "Зачислен", "SORT": 20}}})
    return sandbox, iblock_id, deal, status


def rest_rows(sandbox, iblock_id, **params):
    return sandbox.result("lists.element.get", {**LISTS, "IBLOCK_ID": iblock_id, **params})


def test_lists_made_internally_are_served(seeded):
    sandbox, iblock_id, deal, status = seeded
    lists = sandbox.state.lists
    assert lists.find_list("dpo_participants") == iblock_id
    assert lists.find_list("DPO_PARTICIPANTS") == iblock_id
    assert lists.find_list("dpo_participants", "bitrix_processes") is None
    (row,) = sandbox.result("lists.get", {**LISTS, "IBLOCK_CODE": "dpo_participants"})
    assert (row["DESCRIPTION"], row["SORT"]) == ("По сделкам", "100")
    enums = lists.enum_ids(iblock_id, status)
    assert list(enums) == ["Заявлен", "Зачислен"]
    described = sandbox.result("lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id})[status]
    assert described["DISPLAY_VALUES_FORM"] == {value: key for key, value in enums.items()}
    with pytest.raises(ValueError):
        lists.enum_ids(iblock_id, deal)


def test_elements_made_internally_are_backdated_and_overwritten(seeded):
    sandbox, iblock_id, deal, status = seeded
    lists = sandbox.state.lists
    enrolled = lists.enum_ids(iblock_id, status)["Зачислен"]
    element_id = lists.add_element(iblock_id, "p-5-7", {"NAME": "Иванов", deal: 5, status: enrolled},
                                   user_id=1, created=1735689600)  # 01.01.2025 03:00:00 in Moscow
    sandbox.result("lists.field.add", {**LISTS, "IBLOCK_ID": iblock_id, "FIELDS": {"NAME": "Создан",
                                                                                    "TYPE": "DATE_CREATE"}})
    (row,) = rest_rows(sandbox, iblock_id, ELEMENT_CODE="p-5-7")
    assert row["DATE_CREATE"] == "01.01.2025 03:00:00" and list(row[status].values()) == [enrolled]
    lists.update_element(iblock_id, element_id, {"NAME": "Иванов И.", deal: 5}, user_id=1)
    (row,) = rest_rows(sandbox, iblock_id, ELEMENT_ID=element_id)
    assert row["NAME"] == "Иванов И." and status not in row and row["CODE"] == "p-5-7"
    assert lists.element(iblock_id, element_id) == row
    lists.delete_element(iblock_id, element_id)
    assert rest_rows(sandbox, iblock_id) == []


def test_internal_calls_refuse_what_the_portal_refuses(seeded):
    sandbox, iblock_id, deal, _ = seeded
    lists = sandbox.state.lists
    lists.add_element(iblock_id, "p-1-1", {"NAME": "x", deal: 1}, user_id=1)
    cases = [
        (lambda: lists.add_list("dpo_participants", "x", user_id=1), "ERROR_IBLOCK_ALREADY_EXISTS"),
        (lambda: lists.add_element(iblock_id, "p-1-1", {"NAME": "y", deal: 1}, user_id=1),
         "ERROR_ELEMENT_ALREADY_EXISTS"),
        (lambda: lists.add_element(iblock_id, "", {"NAME": "y", deal: 1}, user_id=1),
         "ERROR_REQUIRED_PARAMETERS_MISSING"),
        (lambda: lists.add_element(iblock_id, "p-2-2", {"NAME": "y"}, user_id=1), "ERROR_ELEMENT_FIELD_VALUE"),
        (lambda: lists.update_element(iblock_id, 424242, {"NAME": "y"}, user_id=1), "ERROR_ELEMENT_NOT_FOUND"),
        (lambda: lists.delete_element(424242, 1), "ERROR_IBLOCK_NOT_FOUND"),
        (lambda: lists.add_field(iblock_id, {"NAME": "Без кода", "TYPE": "S"}), "ERROR_SAVE_FIELD"),
    ]
    for action, code in cases:
        with pytest.raises(ApiError) as raised:
            action()
        assert (raised.value.status, raised.value.code) == (400, code)
    assert len(rest_rows(sandbox, iblock_id)) == 1


def test_a_pickled_list_still_filters_and_pages(seeded):
    """Seeds hand out pickled copies of their portals; a list must come back working."""
    sandbox, iblock_id, deal, _ = seeded
    lists = sandbox.state.lists
    for number in range(60):
        lists.add_element(iblock_id, f"p-{number % 3}-{number}", {"NAME": f"№{number}", deal: number % 3}, user_id=1)
    lists.iblocks[iblock_id] = pickle.loads(pickle.dumps(lists.iblocks[iblock_id]))
    body = sandbox.call("lists.element.get", {**LISTS, "IBLOCK_ID": iblock_id, "FILTER": {f"={deal}": "2"}}).json()
    assert body["total"] == 20 and all(list(row[deal].values()) == ["2"] for row in body["result"])
    assert len(rest_rows(sandbox, iblock_id, FILTER={">ID": 0}, start=-1)) == 50
