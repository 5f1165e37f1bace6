"""State of the disk family of the sandbox portal."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..state import PortalState


class DiskState:
    def __init__(self, root: PortalState) -> None:
        self.root = root
