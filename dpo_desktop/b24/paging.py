"""Reading whole tables: ID-window paging chained 50 pages to a batch, and fetching by IDs.

The pattern of reference §7: ``order {ID: ASC}``, ``filter {">ID": last}``, ``start=-1`` (no
``COUNT(*)``), each page's filter pointing at the previous page's 50th ID through ``$result[...]``.
A set of N rows costs ``ceil(N / 2500)`` batches plus one probe call; rows are yielded page by page,
so memory stays bounded whatever the size.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .batch import MAX_COMMANDS, Batch, ref
from .errors import LimitError, OperatingLimitError, ProtocolError

if TYPE_CHECKING:
    from .client import B24Client

PAGE = 50


@dataclass(frozen=True)
class ListStyle:
    """Where a family of list methods keeps its ID, order, filter and rows."""

    id_field: str
    order_key: str
    filter_key: str
    items_key: str | None = None  # crm.item.list wraps its rows: {"items": [...]}


LEGACY = ListStyle("ID", "order", "filter")
ITEM = ListStyle("id", "order", "filter", "items")
LISTS = ListStyle("ID", "ELEMENT_ORDER", "FILTER")

_RETRY_BATCHES = 5


def _rows(style: ListStyle, result: Any) -> list[dict[str, Any]]:
    if style.items_key is not None:
        result = result.get(style.items_key, []) if isinstance(result, dict) else result
    if isinstance(result, dict):  # PHP may send a map where a list is meant
        result = list(result.values())
    if not isinstance(result, list):
        raise ProtocolError(f"страница списка не список: {type(result).__name__}")
    return result


def _page_params(style: ListStyle, params: dict[str, Any], after: Any) -> dict[str, Any]:
    page = dict(params)
    page[style.filter_key] = {**params.get(style.filter_key, {}), f">{style.id_field}": after}
    page[style.order_key] = {style.id_field: "ASC"}
    page["start"] = -1
    return page


def _last_id(style: ListStyle, rows: list[dict[str, Any]]) -> int:
    try:
        return int(rows[-1][style.id_field])
    except (KeyError, TypeError, ValueError):
        raise ProtocolError(f"в строке списка нет {style.id_field}") from None


async def iter_pages(
    client: B24Client,
    method: str,
    params: dict[str, Any] | None = None,
    style: ListStyle = LEGACY,
    *,
    after_id: int = 0,
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every page of ``method`` in ID order, starting after ``after_id``."""
    params = dict(params or {})
    answer = await client.call(method, _page_params(style, params, after_id))
    rows = _rows(style, answer.result)
    if rows:
        yield rows
    if len(rows) < PAGE:
        return
    last = _last_id(style, rows)
    path = (style.items_key,) if style.items_key else ()
    failures = 0
    while True:
        batch = Batch()
        previous = None
        for index in range(MAX_COMMANDS):
            after = last if previous is None else ref(previous, *path, PAGE - 1, style.id_field)
            previous = batch.add(f"p{index}", method, _page_params(style, params, after))
        result = await client.batch(batch)
        for label in batch.labels():
            if label in result.errors:
                error = result.errors[label]
                if isinstance(error, (LimitError, OperatingLimitError)) and failures < _RETRY_BATCHES:
                    failures += 1
                    break  # go on from the last page read, after the client's own waiting
                raise error
            rows = _rows(style, result.get(label))
            if rows:
                yield rows
            if len(rows) < PAGE:
                return  # later pages follow an empty reference and must not be read
            last = _last_id(style, rows)


async def iter_all(
    client: B24Client,
    method: str,
    params: dict[str, Any] | None = None,
    style: ListStyle = LEGACY,
    *,
    after_id: int = 0,
) -> AsyncIterator[dict[str, Any]]:
    """Every row of ``method`` in ID order, streamed."""
    async for rows in iter_pages(client, method, params, style, after_id=after_id):
        for row in rows:
            yield row


async def get_many(
    client: B24Client,
    method: str,
    ids: Iterable[int],
    params: dict[str, Any] | None = None,
    style: ListStyle = LEGACY,
) -> AsyncIterator[dict[str, Any]]:
    """The rows with the given IDs: 50 IDs a command, 50 commands a batch."""
    unique = sorted({int(item) for item in ids})
    params = dict(params or {})
    id_filter = f"@{style.id_field}" if style is not LISTS else style.id_field
    chunks = [unique[start:start + PAGE] for start in range(0, len(unique), PAGE)]
    for first in range(0, len(chunks), MAX_COMMANDS):
        batch = Batch()
        for index, chunk in enumerate(chunks[first:first + MAX_COMMANDS]):
            command = dict(params)
            command[style.filter_key] = {**params.get(style.filter_key, {}), id_filter: chunk}
            command["start"] = -1
            batch.add(f"ids{index}", method, command)
        result = await client.batch(batch)
        for label in batch.labels():
            for row in _rows(style, result.get(label)):
                yield row
