"""The portal's two throttles: the request-rate leaky bucket and the per-method operating budget.

Plans (reference §5):

- ``standard``: a bucket of 50 requests draining 2 per second (every plan but Enterprise);
- ``enterprise``: 250 draining 5 per second;
- ``off``: no throttling at all;
- ``custom:burst=N,rate=R,operating=S,window=W,bucket=B,cost=C``: any of the numbers changed, so
  tests can reach a limit quickly (``cost`` bills C seconds of execution time to every call: it
  shows in ``time.processing`` and the budget, but is not waited). ``off`` or ``none`` switches a
  number off (``burst=off``: no bucket; ``operating=off``: no budget).

Every plan keeps Bitrix24's cloud operating budget: 480 s of execution time per method and
credential over a sliding 10-minute window of 1-minute buckets; over it, that method answers 429
``OPERATION_TIME_LIMIT`` until ``operating_reset_at``.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class LimitPlan:
    name: str
    burst: float | None  # None: no request-rate limit
    rate: float
    operating_limit: float | None = 480.0  # None: no operating budget
    operating_window: float = 600.0
    operating_bucket: float = 60.0
    call_cost: float = 0.0


PLANS = {
    "standard": LimitPlan("standard", 50, 2.0),
    "enterprise": LimitPlan("enterprise", 250, 5.0),
    "off": LimitPlan("off", None, 0.0, operating_limit=None),
}

_CUSTOM_KEYS = {
    "burst": "burst",
    "rate": "rate",
    "operating": "operating_limit",
    "window": "operating_window",
    "bucket": "operating_bucket",
    "cost": "call_cost",
}


def parse_limits(spec: str) -> LimitPlan:
    """``standard``, ``enterprise``, ``off`` or ``custom:burst=10,rate=1,...``; ValueError otherwise."""
    spec = spec.strip()
    if spec in PLANS:
        return PLANS[spec]
    name, _, body = spec.partition(":")
    if name != "custom":
        raise ValueError(f"unknown limits plan {spec!r}: use standard, enterprise, off or custom:KEY=VALUE,...")
    plan = replace(PLANS["standard"], name="custom")
    for item in filter(None, (part.strip() for part in body.split(","))):
        key, _, value = item.partition("=")
        if key not in _CUSTOM_KEYS:
            raise ValueError(f"unknown limits key {key!r}; known: {', '.join(_CUSTOM_KEYS)}")
        number = None if value in ("off", "none") else float(value)
        if number is not None and (math.isnan(number) or number < 0):
            raise ValueError(f"limits key {key!r} needs a non-negative number")
        plan = replace(plan, **{_CUSTOM_KEYS[key]: number})
    return plan


class LeakyBucket:
    """Each request adds one; the level drains at ``rate`` per second; above ``burst`` it is refused."""

    def __init__(self, plan: LimitPlan) -> None:
        self.plan = plan
        self.level = 0.0
        self._last: float | None = None

    def admit(self, now: float) -> bool:
        if self.plan.burst is None:
            return True
        if self._last is not None:
            self.level = max(0.0, self.level - (now - self._last) * self.plan.rate)
        self._last = now
        if self.level + 1 > self.plan.burst:
            return False
        self.level += 1
        return True


class OperatingBudget:
    """Execution time per (credential, method) in one-minute buckets over a sliding window."""

    def __init__(self, plan: LimitPlan) -> None:
        self.plan = plan
        self._buckets: dict[tuple[str, str], deque[list[float]]] = defaultdict(deque)

    def _trim(self, key: tuple[str, str], now: float) -> deque[list[float]]:
        buckets = self._buckets[key]
        while buckets and buckets[0][0] + self.plan.operating_window <= now:
            buckets.popleft()
        return buckets

    def used(self, key: tuple[str, str], now: float) -> float:
        return sum(seconds for _, seconds in self._trim(key, now))

    def reset_at(self, key: tuple[str, str], now: float) -> int:
        """When the oldest bucket drops out of the window."""
        buckets = self._trim(key, now)
        oldest = buckets[0][0] if buckets else now
        return math.ceil(oldest + self.plan.operating_window)

    def blocked(self, key: tuple[str, str], now: float) -> bool:
        limit = self.plan.operating_limit
        return limit is not None and self.used(key, now) >= limit

    def spend(self, key: tuple[str, str], now: float, seconds: float) -> None:
        buckets = self._trim(key, now)
        start = now - now % self.plan.operating_bucket
        if buckets and buckets[-1][0] == start:
            buckets[-1][1] += seconds
        else:
            buckets.append([start, seconds])
