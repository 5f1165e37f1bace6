"""Reading whole tables through each SDK's paging: every row exactly once, as the sandbox holds them.

Deals: b24pysdk ``as_list()`` (offset pages in batches), ``as_list_fast()`` ascending and descending
(ID windows chained by ``$result[n][49][ID]`` with ``start=-1``), and fast_bitrix24 ``get_all()``
(offsets from ``total``, parallel batches; its rows come back in random order, so sets are compared).
Universal-list elements the same way: b24pysdk pages ``lists.element.get`` with ``ELEMENT_ORDER`` and
``FILTER`` keys.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.conformance

SELECT = ["ID", "TITLE", "CATEGORY_ID", "STAGE_ID"]
DOCUMENTS = "dpo_documents"


def pipeline_id(state, name: str) -> int:
    return next(key for key, category in state.crm.categories.items() if category["name"] == name)


def deal_ids(state, category_id: int) -> set[str]:
    return {record["ID"] for record in state.crm.deals.table.values() if record["CATEGORY_ID"] == str(category_id)}


def assert_each_once(rows: list[dict], expected_ids: set[str]) -> None:
    ids = [row["ID"] for row in rows]
    assert len(ids) == len(set(ids)), "a row came back twice"
    assert set(ids) == expected_ids


def assert_deal_rows(rows: list[dict], category_id: int) -> None:
    """Only the selected fields, legacy string typing, and only the filtered pipeline."""
    for row in rows:
        assert set(row) == set(SELECT)
        assert row["CATEGORY_ID"] == str(category_id)
        assert row["STAGE_ID"].startswith(f"C{category_id}:")


# -- deals ------------------------------------------------------------------------------------------


def test_b24pysdk_as_list_reads_every_deal_of_the_pipeline_once(serve, volume_state):
    served = serve(volume_state, tls=True)
    category = pipeline_id(volume_state, "ДПО")
    expected = deal_ids(volume_state, category)
    assert len(expected) == 2_600

    response = served.b24().crm.deal.list(select=SELECT, filter={"CATEGORY_ID": category}).as_list()

    rows = response.result
    assert_each_once(rows, expected)
    assert [int(row["ID"]) for row in rows] == sorted(int(row["ID"]) for row in rows)  # default order: ID ASC
    assert_deal_rows(rows, category)
    # The first page, then batches of up to 50 offset pages: 52 pages in three requests.
    assert served.portal.requests == 3


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_b24pysdk_as_list_fast_walks_id_windows_over_every_deal(serve, volume_state, descending):
    served = serve(volume_state, tls=True)
    category = pipeline_id(volume_state, "ДПО")
    expected = deal_ids(volume_state, category)

    response = served.b24().crm.deal.list(select=SELECT, filter={"CATEGORY_ID": category}).as_list_fast(
        descending=descending)

    rows = list(response.result)
    assert_each_once(rows, expected)
    ids = [int(row["ID"]) for row in rows]
    assert ids == sorted(ids, reverse=descending)
    assert_deal_rows(rows, category)
    # The first page, then one chained batch of 50 pages (2,500 rows), then one more batch.
    assert served.portal.requests == 3


def test_fast_bitrix24_get_all_reads_every_deal_of_the_pipeline_once(serve, volume_state):
    served = serve(volume_state)
    category = pipeline_id(volume_state, "ДПО")
    expected = deal_ids(volume_state, category)

    rows = served.fast().get_all("crm.deal.list", {"select": SELECT, "filter": {"CATEGORY_ID": category}})

    assert_each_once(rows, expected)  # fast_bitrix24 de-duplicates through a set: the order is random
    assert_deal_rows(rows, category)
    # The first page gives total=2,600; the other 51 offsets go in batches of at most 50 commands.
    assert served.portal.requests == 3


def test_both_sdks_agree_with_a_filter_on_another_field(serve, volume_state):
    """A second filter operator (``>=ID``) combined with the pipeline: both SDKs read the same rows."""
    https, http = serve(volume_state, tls=True), serve(volume_state)
    category = pipeline_id(volume_state, "ДПО")
    lowest = 1_000
    expected = {deal for deal in deal_ids(volume_state, category) if int(deal) >= lowest}
    query = {"select": ["ID"], "filter": {"CATEGORY_ID": category, ">=ID": lowest}}

    fast_rows = http.fast().get_all("crm.deal.list", query)
    b24_rows = list(https.b24().crm.deal.list(**query).as_list_fast().result)

    assert_each_once(fast_rows, expected)
    assert_each_once(b24_rows, expected)


# -- universal-list elements ------------------------------------------------------------------------


def check_status_property(state) -> str:
    """The documents list's check-status property (its number depends on the lists created before it)."""
    fields = state.lists.iblock(state.lists.find_list(DOCUMENTS)).fields.values()
    return next(field.field_id for field in fields if field.code == "CHECK_STATUS")


def documents_by_status(state, status: str) -> tuple[int, str, set[str]]:
    """(list ID, the status's enum ID, IDs of the documents with that check status) from the sandbox state."""
    iblock_id = state.lists.find_list(DOCUMENTS)
    status_property = check_status_property(state)
    status_id = state.lists.enum_ids(iblock_id, status_property)[status]
    ids = {
        str(element_id) for element_id in state.lists.iblocks[iblock_id].elements.ids()
        if status_id in state.lists.element(iblock_id, element_id)[status_property].values()
    }
    return iblock_id, status_id, ids


def all_documents(state) -> tuple[int, set[str]]:
    iblock_id = state.lists.find_list(DOCUMENTS)
    return iblock_id, {str(element_id) for element_id in state.lists.iblocks[iblock_id].elements.ids()}


def test_b24pysdk_pages_every_document_of_the_demo_list(serve, demo_state):
    served = serve(demo_state, tls=True)
    iblock_id, expected = all_documents(demo_state)
    assert len(expected) > 1_000  # several batches' worth of pages
    get = served.b24().lists.element.get

    by_offset = get("lists", iblock_id=iblock_id, select=["ID", "NAME"]).as_list().result
    by_window = list(get("lists", iblock_id=iblock_id, select=["ID", "NAME"]).as_list_fast().result)
    backwards = list(get("lists", iblock_id=iblock_id, select=["ID", "NAME"]).as_list_fast(descending=True).result)

    for rows in (by_offset, by_window, backwards):
        assert_each_once(rows, expected)
        assert all(set(row) == {"ID", "NAME"} and row["NAME"] for row in rows)
    assert [int(row["ID"]) for row in backwards] == sorted((int(row["ID"]) for row in backwards), reverse=True)


def test_b24pysdk_pages_documents_filtered_by_a_list_property(serve, demo_state):
    served = serve(demo_state, tls=True)
    iblock_id, checked, expected = documents_by_status(demo_state, "Проверен")
    status = check_status_property(demo_state)
    assert 50 < len(expected) < len(all_documents(demo_state)[1])
    request = {"select": ["ID", "NAME", status], "filter": {status: checked}}
    get = served.b24().lists.element.get

    for rows in (get("lists", iblock_id=iblock_id, **request).as_list().result,
                 list(get("lists", iblock_id=iblock_id, **request).as_list_fast().result)):
        assert_each_once(rows, expected)
        # A property comes back keyed by its value ID, even a single one.
        assert all(list(row[status].values()) == [checked] for row in rows)


def test_fast_bitrix24_get_all_reads_every_document_and_a_filtered_subset(serve, demo_state):
    served = serve(demo_state)
    iblock_id, every = all_documents(demo_state)
    _, rejected, expected = documents_by_status(demo_state, "Отклонён")
    status = check_status_property(demo_state)
    bx = served.fast()

    rows = bx.get_all("lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock_id, "SELECT": ["ID"]})
    filtered = bx.get_all("lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock_id,
                                                "SELECT": ["ID", status], "FILTER": {status: rejected}})

    assert_each_once(rows, every)
    assert_each_once(filtered, expected)
    assert expected
