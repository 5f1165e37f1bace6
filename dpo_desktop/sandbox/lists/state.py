"""State of the lists family of the sandbox portal."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..state import PortalState


class ListsState:
    def __init__(self, root: PortalState) -> None:
        self.root = root
