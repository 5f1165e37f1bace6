"""Universal lists through the client: idempotent adds by ELEMENT_CODE and updates that keep values."""

from __future__ import annotations

import httpx
import pytest

from dpo_desktop.b24.client import RetryPolicy
from dpo_desktop.b24.lists import Lists, disk_file_value
from dpo_desktop.sandbox.faults import parse_faults
from tests.sandbox.portal_fixtures import make_sandbox

from .conftest import client_for, run


def _documents_list(box) -> tuple[int, dict[str, str]]:
    lists = box.state.lists
    iblock = lists.add_list("dpo_documents", "Документы участника", user_id=1)
    ids = {
        "deal": lists.add_field(iblock, {"NAME": "Сделка", "TYPE": "S:ECrm", "CODE": "DEAL",
                                         "USER_TYPE_SETTINGS": {"DEAL": "Y", "VISIBLE": "Y"}}),
        "type": lists.add_field(iblock, {"NAME": "Тип документа", "TYPE": "L", "CODE": "DOC_TYPE",
                                         "LIST_TEXT_VALUES": "Паспорт\nДиплом\nСНИЛС"}),
        "status": lists.add_field(iblock, {"NAME": "Статус проверки", "TYPE": "L", "CODE": "CHECK",
                                           "LIST_TEXT_VALUES": "Получен\nПроверен\nОтклонён"}),
        "received": lists.add_field(iblock, {"NAME": "Дата получения", "TYPE": "S:Date", "CODE": "RECEIVED"}),
        "comment": lists.add_field(iblock, {"NAME": "Комментарий", "TYPE": "S", "CODE": "COMMENT"}),
        "file": lists.add_field(iblock, {"NAME": "Файл", "TYPE": "S:DiskFile", "CODE": "FILE"}),
    }
    return iblock, ids


def test_fields_elements_and_filters(box):
    iblock, ids = _documents_list(box)
    deal = box.state.crm.deals.add({"TITLE": "ДПО"}, 1)
    passport = box.state.lists.enum_ids(iblock, ids["type"])["Паспорт"]

    async def scenario():
        async with client_for(box) as client:
            lists = Lists(client)
            found = await lists.find("dpo_documents")
            fields = await lists.fields(iblock)
            for index in range(75):
                await lists.add_element(iblock, f"doc-{index}", {
                    "NAME": f"Документ {index}", ids["deal"]: deal if index % 3 == 0 else "",
                    ids["type"]: passport, ids["received"]: "2026-11-20"})
            of_deal = [item async for item in lists.iter_elements(iblock, filter={f"={ids['deal']}": deal})]
            everything = [item async for item in lists.iter_elements(iblock)]
            return found, fields, of_deal, everything

    found, fields, of_deal, everything = run(scenario())
    assert found is not None and found.id == iblock
    by_id = {field.field_id: field for field in fields}
    assert by_id[ids["type"]].values and "Паспорт" in by_id[ids["type"]].values.values()
    assert len(of_deal) == 25 and len(everything) == 75
    assert everything[0].value(ids["received"]) == "20.11.2026"  # the portal's locale format
    assert [item.code for item in everything[:2]] == ["doc-0", "doc-1"]


def test_update_changes_one_value_and_keeps_the_rest(box, tmp_path):
    iblock, ids = _documents_list(box)
    disk = box.state.disk
    file_id = disk.add_file(disk.root_folder(disk.common_storage_id()), "scan.pdf", b"%PDF-1.4 scan", user_id=1)
    checked = box.state.lists.enum_ids(iblock, ids["status"])["Проверен"]

    async def scenario():
        async with client_for(box) as client:
            lists = Lists(client)
            element = await lists.add_element(iblock, "doc-a", {
                "NAME": "Паспорт", ids["comment"]: "первая страница", ids["received"]: "21.11.2026",
                ids["file"]: disk_file_value(file_id)})
            before = await lists.element(iblock, element)
            await lists.update_element(iblock, element, {ids["status"]: checked})
            return before, await lists.element(iblock, element)

    before, after = run(scenario())
    assert after.code == "doc-a" and after.name == "Паспорт"
    assert after.value(ids["status"]) == checked
    for kept in ("comment", "received", "file"):
        assert after.value(ids[kept]) == before.value(ids[kept]) is not None
    attached = box.state.disk.attached(int(after.value(ids["file"])))
    assert attached is not None and int(attached["OBJECT_ID"]) == file_id


def test_repeated_adds_of_one_code_give_one_element(box):
    iblock, _ids = _documents_list(box)

    async def scenario():
        async with client_for(box) as client:
            lists = Lists(client)
            first = await lists.add_element(iblock, "p-10-20", {"NAME": "Участник"})
            second = await lists.add_element(iblock, "p-10-20", {"NAME": "Участник"})
            return first, second

    first, second = run(scenario())
    assert first == second
    assert len(box.state.lists.iblocks[iblock].elements) == 1


@pytest.mark.parametrize("seed", [21, 22])
def test_elements_land_exactly_once_under_mixed_faults(seed):
    box = make_sandbox(faults=parse_faults(f"mixed=0.1,slow_seconds=0.2,seed={seed}"))
    iblock, ids = _documents_list(box)

    async def scenario():
        retry = RetryPolicy(attempts=12, base_delay=0.001, max_delay=0.01)
        async with client_for(box, retry=retry, timeout=httpx.Timeout(0.1)) as client:
            lists = Lists(client)
            return [await lists.add_element(iblock, f"doc-{index}", {"NAME": f"Документ {index}",
                                                                      ids["comment"]: str(index)})
                    for index in range(150)]

    created = run(scenario())
    stored = box.state.lists.iblocks[iblock].elements
    assert len(stored) == 150 and len(set(created)) == 150
    assert box.portal.bugs == []
