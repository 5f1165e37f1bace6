"""Faults the portal injects on purpose, drawn from a seeded random generator so a run repeats.

Spec: comma-separated ``KIND=VALUE`` items, e.g. ``mixed=0.1,seed=7`` or ``503=0.05,drop=0.02``.

- ``503``, ``500``, ``html``: answer that instead of running the call (``html`` is the nginx
  502 page a portal's front end gives when PHP is down);
- ``limit``: 503 ``QUERY_LIMIT_EXCEEDED`` as JSON, although the bucket had room: another app on the same
  portal spent it (the bucket is the portal's, not one client's);
- ``drop``: close the connection without an answer, half of the time *after* running the call (the
  worst case for a client that retries writes);
- ``slow``: run the call, then answer after ``slow_seconds`` (default 3 s), so a client's timeout
  fires although the call landed;
- ``expired``: expire the caller's OAuth access token and answer 401 ``expired_token`` (webhook
  calls are not affected: webhooks do not expire mid-session);
- ``mixed=P``: P spread evenly over 503, 500, drop, slow and expired;
- ``move=N``: after N requests the portal moves to another domain; the old one answers 302 with the
  new address from then on;
- ``seed=N``: the generator's seed (default 0); ``slow_seconds=S``.

Faults hit REST calls, uploads and downloads, not the OAuth token endpoint.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

KINDS = ("503", "500", "html", "limit", "drop", "slow", "expired")
MIXED = ("503", "500", "drop", "slow", "expired")


@dataclass
class FaultPlan:
    rates: dict[str, float] = field(default_factory=dict)
    seed: int = 0
    slow_seconds: float = 3.0
    move_after: int | None = None

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    @property
    def active(self) -> bool:
        return bool(self.rates) or self.move_after is not None

    def draw(self) -> str | None:
        """The fault for the next request, or None."""
        if not self.rates:
            return None
        roll = self._random.random()
        for kind, rate in self.rates.items():
            if roll < rate:
                return kind
            roll -= rate
        return None

    def coin(self) -> bool:
        return self._random.random() < 0.5


def parse_faults(spec: str | None) -> FaultPlan:
    plan = FaultPlan()
    if not spec:
        return plan
    rates: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"fault {item!r} needs a value, e.g. {item}=0.05")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"fault {key!r} needs a number, not {value!r}") from None
        if key == "seed":
            plan.seed = int(number)
        elif key == "slow_seconds":
            plan.slow_seconds = number
        elif key == "move":
            plan.move_after = int(number)
        elif key == "mixed":
            for kind in MIXED:
                rates[kind] = rates.get(kind, 0.0) + number / len(MIXED)
        elif key in KINDS:
            rates[key] = rates.get(key, 0.0) + number
        else:
            raise ValueError(f"unknown fault {key!r}; known: {', '.join((*KINDS, 'mixed', 'move', 'seed'))}")
        if number < 0:
            raise ValueError(f"fault {key!r} cannot be negative")
    if sum(rates.values()) > 1:
        raise ValueError("fault rates add up to more than 1")
    plan.rates = rates
    plan.__post_init__()
    return plan
