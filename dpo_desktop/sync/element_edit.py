"""What the outbox's edits share: the key that makes one edit of one reading one item, and the read of a
list element that their conflict checks need."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from ..b24 import errors
from ..b24.lists import ListElement, Lists
from . import convert

if TYPE_CHECKING:
    from ..portal.mapping import ListMapping


def edit_key(kind: str, target_id: int, payload: dict[str, Any]) -> str:
    """The same edit of the same reading is one item, however often it is asked for."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
    return f"{kind}:{target_id}:{digest}"


async def read_element(client: Any, mapping: ListMapping, element_id: int) -> ListElement | None:
    """The element with its TIMESTAMP_X (selected explicitly: without a select the portal leaves the system
    fields out, and the conflict check would never see a change); None when it is gone."""
    try:
        return await Lists(client, mapping.iblock_type).element(mapping.iblock_id, element_id,
                                                                select=convert.element_select(mapping))
    except errors.NotFoundError:
        return None
