"""The seeds' own time: records get dates from the story being told, not from the moment of building."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..state import PortalState


class SeedClock:
    """A clock that only moves when told to, and never backwards (record IDs follow creation time)."""

    def __init__(self, start: datetime) -> None:
        self.moment = start.timestamp()

    def __call__(self) -> float:
        return self.moment

    def at_least(self, moment: datetime | float) -> float:
        """Move to ``moment`` unless the clock is already past it; the time now."""
        stamp = moment.timestamp() if isinstance(moment, datetime) else moment
        self.moment = max(self.moment, stamp)
        return self.moment

    def advance(self, seconds: float) -> float:
        self.moment += seconds
        return self.moment


@contextmanager
def seed_time(state: PortalState, clock: SeedClock) -> Iterator[SeedClock]:
    """Let ``state`` read ``clock`` while a seed builds, then hand it back the real time."""
    previous = state.time_source
    state.time_source = clock
    try:
        yield clock
    finally:
        state.time_source = previous
