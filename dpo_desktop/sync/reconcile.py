"""Finding what was deleted on the portal, which no change filter shows (reference §13).

The portal's count of a set (one counted command) is compared with the cache's; only when they differ
are IDs compared, by ranges: a range whose local IDs fit on one page is listed outright; a bigger one is
counted in up to 50 sub-ranges in one batch, and only the ranges whose counts differ are looked into.
A few deletions among 200,000 elements cost a handful of requests; none cost nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..b24.batch import MAX_COMMANDS, Batch
from ..b24.paging import PAGE

if TYPE_CHECKING:
    from ..b24.client import B24Client

LISTABLE = PAGE - 5  # a range listed outright keeps room for IDs the cache does not know yet


@dataclass(frozen=True)
class RangeQuery:
    """How to ask for one kind's IDs within ``[low, high]``: the method and its parameters."""

    method: str
    params: Callable[[int, int, bool], dict[str, Any]]  # (low, high, counted) -> parameters
    id_field: str = "ID"


async def find_deleted(client: B24Client, query: RangeQuery, local_ids: Sequence[int]) -> set[int]:
    """IDs the cache has and the portal no longer has, ``local_ids`` sorted ascending."""
    if not local_ids:
        return set()
    pending = [(local_ids[0], local_ids[-1])]
    deleted: set[int] = set()
    while pending:
        to_list, to_count = [], []
        for low, high in pending:
            count = _count_between(local_ids, low, high)
            (to_list if count <= LISTABLE else to_count).append((low, high))
        pending = []
        commands: list[tuple[str, str, tuple[int, int]]] = []
        for low, high in to_list:
            commands.append(("list", query.method, (low, high)))
        for low, high in to_count:
            for part in _split(local_ids, low, high, max(2, min(MAX_COMMANDS, _count_between(local_ids, low, high)
                                                               // LISTABLE + 1))):
                commands.append(("count", query.method, part))
        for first in range(0, len(commands), MAX_COMMANDS):
            chunk = commands[first:first + MAX_COMMANDS]
            batch = Batch()
            for index, (kind, method, (low, high)) in enumerate(chunk):
                batch.add(f"{kind}{index}", method, query.params(low, high, kind == "count"))
            result = await client.batch(batch)
            for index, (kind, _method, (low, high)) in enumerate(chunk):
                label = f"{kind}{index}"
                if kind == "list":
                    rows = result.get(label) or []
                    if len(rows) >= PAGE and high > low:
                        # Full page: the portal has more here than the cache knew; look closer.
                        middle = (low + high) // 2
                        pending.extend([(low, middle), (middle + 1, high)])
                        continue
                    remote = {int(row[query.id_field]) for row in rows}
                    local = set(local_ids[bisect.bisect_left(local_ids, low):bisect.bisect_right(local_ids, high)])
                    deleted |= local - remote
                else:
                    result.get(label)  # raises the command's error, if any
                    if result.totals.get(label, 0) != _count_between(local_ids, low, high):
                        pending.append((low, high))
    return deleted


def _count_between(ids: Sequence[int], low: int, high: int) -> int:
    return bisect.bisect_right(ids, high) - bisect.bisect_left(ids, low)


def _split(ids: Sequence[int], low: int, high: int, parts: int) -> list[tuple[int, int]]:
    """``[low, high]`` cut into ``parts`` ranges holding about as many local IDs each."""
    start, end = bisect.bisect_left(ids, low), bisect.bisect_right(ids, high)
    inside = ids[start:end]
    step = max(1, -(-len(inside) // parts))
    ranges = []
    for position in range(0, len(inside), step):
        chunk_low = low if position == 0 else inside[position]
        last = position + step >= len(inside)
        chunk_high = high if last else inside[position + step] - 1
        ranges.append((chunk_low, chunk_high))
    return ranges
