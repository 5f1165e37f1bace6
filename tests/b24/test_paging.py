"""ID-window paging chained 50 pages to a batch, and fetching by IDs."""

from __future__ import annotations

import math

import pytest

from dpo_desktop.b24.paging import get_many, iter_all, iter_pages

from .conftest import client_for, run


def _deals(box, count, **fields):
    return [box.state.crm.deals.add({"TITLE": f"Сделка {index}", **fields}, 1) for index in range(count)]


@pytest.mark.parametrize("count", [0, 10, 50, 51, 2550, 5432])
def test_every_row_once_in_id_order_within_the_request_bound(box, count):
    ids = _deals(box, count)

    async def scenario():
        async with client_for(box) as client:
            seen = [row["ID"] async for row in iter_all(client, "crm.deal.list", {"select": ["ID"]})]
            return seen, client.stats.requests

    seen, requests = run(scenario())
    assert [int(item) for item in seen] == ids
    assert requests <= math.ceil(count / 2500) + 2


def test_filter_and_after_id_are_kept(box):
    box.state.crm.add_category("ДПО")
    _deals(box, 120, CATEGORY_ID=1)
    _deals(box, 80)

    async def scenario():
        async with client_for(box) as client:
            rows = [row async for row in iter_all(client, "crm.deal.list",
                                                  {"filter": {"CATEGORY_ID": 1}, "select": ["ID", "CATEGORY_ID"]},
                                                  after_id=20)]
            return rows

    rows = run(scenario())
    assert len(rows) == 100 and all(row["CATEGORY_ID"] == "1" for row in rows)
    assert int(rows[0]["ID"]) == 21


def test_pages_stream_rather_than_accumulate(box):
    _deals(box, 300)

    async def scenario():
        async with client_for(box) as client:
            return [len(page) async for page in iter_pages(client, "crm.deal.list", {"select": ["ID"]})]

    assert run(scenario()) == [50] * 6


def test_get_many_fetches_by_ids_in_one_batch(box):
    ids = _deals(box, 400)
    wanted = [*ids[::3], 999_999]

    async def scenario():
        async with client_for(box) as client:
            rows = [row async for row in get_many(client, "crm.deal.list", wanted, {"select": ["ID"]})]
            return rows, client.stats.requests

    rows, requests = run(scenario())
    assert sorted(int(row["ID"]) for row in rows) == ids[::3]
    assert requests == 1


def test_a_budget_spent_mid_batch_is_waited_out_and_the_pull_goes_on(clock):
    from dpo_desktop.sandbox.limits import parse_limits
    from tests.sandbox.portal_fixtures import make_sandbox

    box = make_sandbox(limits=parse_limits("custom:burst=off,operating=3,cost=0.05,window=60,bucket=10"))
    ids = _deals(box, 4000)

    async def scenario():
        async with client_for(box, clock=clock) as client:
            rows = [int(row["ID"]) async for row in iter_all(client, "crm.deal.list", {"select": ["ID"]})]
            return rows, client.stats

    rows, stats = run(scenario())
    assert rows == ids
    assert stats.waited > 0 and clock.slept  # the budget ran out inside a batch and was waited for


def test_stopping_early_leaves_no_request_behind(box):
    _deals(box, 500)

    async def scenario():
        async with client_for(box) as client:
            pages = iter_pages(client, "crm.deal.list", {"select": ["ID"]})
            first = await anext(pages)
            await pages.aclose()
            return len(first), client.stats.requests

    size, requests = run(scenario())
    assert size == 50 and requests <= 2


def test_item_style_pages_crm_item_list_through_its_wrapper(box):
    from dpo_desktop.b24.paging import ITEM

    ids = _deals(box, 2600)

    async def scenario():
        async with client_for(box) as client:
            rows = [row async for row in iter_all(client, "crm.item.list",
                                                  {"entityTypeId": 2, "select": ["id", "title"]}, ITEM)]
            return rows, client.stats.requests

    rows, requests = run(scenario())
    assert [row["id"] for row in rows] == ids  # real numbers in crm.item.*
    assert requests <= math.ceil(2600 / 2500) + 2
