"""Reading whole tables: ID-window paging chained 50 pages to a batch, and fetching by IDs.

The pattern of reference §7: ``order {ID: ASC}``, ``filter {">ID": last}``, ``start=-1`` (no
``COUNT(*)``), each page's filter pointing at the previous page's 50th ID through ``$result[...]``.
A set of N rows costs ``ceil(N / 2500)`` batches plus one probe call; rows are yielded page by page,
so memory stays bounded whatever the size.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import normalize as n
from . import shapes
from .batch import MAX_COMMANDS, Batch, ref
from .errors import B24Error, LimitError, OperatingLimitError, ProtocolError

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
_STARTUP_YIELDS = 8  # loop turns for a request to pass the limiter and reach the socket


def rows_of(style: ListStyle, result: Any, method: str = "") -> list[dict[str, Any]]:
    """A page's rows; PHP may send a map where a list is meant, anything else is a ProtocolError."""
    if style.items_key is not None:
        result = result.get(style.items_key, []) if isinstance(result, dict) else result
    return shapes.rows(result, method)



def _page_params(style: ListStyle, params: dict[str, Any], after: Any) -> dict[str, Any]:
    page = dict(params)
    page[style.filter_key] = {**params.get(style.filter_key, {}), f">{style.id_field}": after}
    page[style.order_key] = {style.id_field: "ASC"}
    page["start"] = -1
    return page


def _last_id(style: ListStyle, rows: list[dict[str, Any]]) -> int:
    value = rows[-1].get(style.id_field)
    number = n.to_int(value) if isinstance(value, (int, str)) else None
    if number is None:
        raise ProtocolError(f"в строке списка нет числового {style.id_field}")
    return number


async def iter_pages(
    client: B24Client,
    method: str,
    params: dict[str, Any] | None = None,
    style: ListStyle = LEGACY,
    *,
    after_id: int = 0,
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every page of ``method`` in ID order, starting after ``after_id``.

    The next batch is requested before the pages of the current one are handed out, so the caller's
    work (normalising, storing) overlaps the portal's; still one request at a time on the wire.
    """
    params = dict(params or {})
    answer = await client.call(method, _page_params(style, params, after_id))
    rows = rows_of(style, answer.result, method)
    if len(rows) < PAGE:
        if rows:
            yield rows
        return
    pending = await _started(_next_chunk(client, method, params, style, _last_id(style, rows)))
    try:
        yield rows
        failures = 0
        while True:
            chunk = await pending
            if chunk.retryable is not None:
                failures += 1
                if failures > _RETRY_BATCHES:
                    raise chunk.retryable
                await client.pause_for(chunk.retryable, method)
            if not chunk.finished:
                pending = await _started(_next_chunk(client, method, params, style, chunk.last))
            for page in chunk.pages:
                yield page
            if chunk.finished:
                return
    finally:
        if not pending.done():
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pending


async def _started(coroutine: Awaitable[_Chunk]) -> asyncio.Future[_Chunk]:
    """A task for the next batch, run until its request is on the wire and it waits for the answer.

    Without the yields it would start only when the caller next awaits — after the caller has done
    its work on the current pages, and the overlap would be lost.
    """
    task = asyncio.ensure_future(coroutine)
    for _ in range(_STARTUP_YIELDS):
        if task.done():
            break
        await asyncio.sleep(0)
    return task


@dataclass
class _Chunk:
    """What one batch of chained pages gave: its non-empty pages and where to go on from."""

    pages: list[list[dict[str, Any]]]
    last: int
    finished: bool  # a short page was met: later pages followed an empty reference and are not read
    retryable: B24Error | None = None  # a limit stopped the chain; go on from ``last`` after waiting


async def _next_chunk(client: B24Client, method: str, params: dict[str, Any], style: ListStyle,
                      last: int) -> _Chunk:
    path = (style.items_key,) if style.items_key else ()
    batch = Batch()
    previous = None
    for index in range(MAX_COMMANDS):
        after = last if previous is None else ref(previous, *path, PAGE - 1, style.id_field)
        previous = batch.add(f"p{index}", method, _page_params(style, params, after))
    result = await client.batch(batch)
    chunk = _Chunk([], last, False)
    for label in batch.labels():
        if label in result.errors:
            error = result.errors[label]
            if isinstance(error, (LimitError, OperatingLimitError)):
                chunk.retryable = error
                return chunk
            raise error
        rows = rows_of(style, result.get(label), method)
        if rows:
            chunk.pages.append(rows)
        if len(rows) < PAGE:
            chunk.finished = True
            return chunk
        chunk.last = _last_id(style, rows)
    return chunk


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
            for row in rows_of(style, result.get(label), method):
                yield row
