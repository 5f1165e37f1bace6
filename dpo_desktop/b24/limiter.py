"""The client's side of the portal's limits, kept in one place per portal.

- :class:`RateLimiter` mirrors the portal's leaky bucket (reference §5.1) with a safety margin, so our
  own requests never cause a 503; after a 503 anyway it assumes the bucket is full and backs off.
- :class:`OperatingTracker` follows each method's execution budget from ``time.operating`` and
  ``operating_reset_at`` (§5.2) and says how long to wait before a method may run again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RatePlan:
    name: str
    burst: float | None  # None: no client-side limit
    rate: float
    operating_limit: float = 480.0


PLANS = {
    "standard": RatePlan("standard", 50, 2.0),
    "enterprise": RatePlan("enterprise", 250, 5.0),
    "off": RatePlan("off", None, 0.0),
}


def plan_named(name: str, *, burst: float | None = None, rate: float | None = None) -> RatePlan:
    """A named plan, or ``custom`` with the given numbers."""
    if name == "custom":
        if burst is None or rate is None or burst < 1 or rate <= 0:
            raise ValueError("a custom rate plan needs burst >= 1 and rate > 0")
        return RatePlan("custom", burst, rate)
    try:
        return PLANS[name]
    except KeyError:
        raise ValueError(f"unknown rate plan {name!r}: standard, enterprise, off or custom") from None


class RateLimiter:
    """A leaky bucket a little stricter than the portal's: burst minus a margin, drained a little slower."""

    MARGIN = 2  # requests kept in reserve for clock skew and other clients of the same portal
    DRAIN = 0.95  # drain at 95 % of the portal's rate

    def __init__(self, plan: RatePlan, clock: Callable[[], float] = time.monotonic) -> None:
        self.plan = plan
        self.clock = clock
        self.level = 0.0
        self._last = clock()

    def _drain(self) -> None:
        now = self.clock()
        self.level = max(0.0, self.level - (now - self._last) * self.plan.rate * self.DRAIN)
        self._last = now

    def delay(self) -> float:
        """Seconds to wait before the next request may go; 0 when it may go now."""
        if self.plan.burst is None:
            return 0.0
        self._drain()
        capacity = max(1.0, self.plan.burst - self.MARGIN)
        excess = self.level + 1 - capacity
        # A sliver of excess is float noise; waiting it out could spin on a coarse clock.
        return 0.0 if excess <= 1e-6 else max(0.001, excess / (self.plan.rate * self.DRAIN))

    def record(self) -> None:
        """Count one request that is being sent."""
        if self.plan.burst is not None:
            self._drain()
            self.level += 1

    def saturated(self) -> None:
        """The portal answered 503 QUERY_LIMIT_EXCEEDED: treat the bucket as full."""
        if self.plan.burst is not None:
            self._drain()
            self.level = max(self.level, float(self.plan.burst))


class OperatingTracker:
    """Per-method execution budget as the portal reports it."""

    HEADROOM = 0.95  # stop before the last 5 % of the budget

    def __init__(self, limit: float = 480.0, wallclock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.wallclock = wallclock
        self._seen: dict[str, tuple[float, float]] = {}  # method -> (operating, reset_at)

    def observe(self, method: str, timing: object) -> None:
        if not isinstance(timing, dict):
            return
        operating, reset_at = timing.get("operating"), timing.get("operating_reset_at")
        if isinstance(operating, (int, float)) and isinstance(reset_at, (int, float)):
            self._seen[method.lower()] = (float(operating), float(reset_at))

    def reset_at(self, method: str) -> float | None:
        seen = self._seen.get(method.lower())
        return seen[1] if seen else None

    def delay(self, method: str) -> float:
        """Seconds until ``method`` has budget again, when the last answer showed it nearly spent."""
        seen = self._seen.get(method.lower())
        if seen is None:
            return 0.0
        operating, reset_at = seen
        if operating < self.limit * self.HEADROOM:
            return 0.0
        return max(0.0, reset_at - self.wallclock())
