"""How long the portal takes to answer: ``none`` for fast tests, ``cloud`` for realistic benchmarks.

The ``cloud`` constants are estimates from public figures, kept here so a benchmark says what it
assumed:

- ``per_request`` 0.12 s: network round trip from a Russian office to a cloud portal plus PHP start-up
  (captured batches show 0.03–0.17 s between the outer ``time.start`` and the first command);
- ``per_command`` 0.015 s: one method inside a request (captured ``result_time`` durations of
  0.004–0.13 s for small reads);
- ``per_row`` 0.2 ms: reading and serialising one returned row (50-row pages of legacy CRM lists);
- ``per_counted_row`` 21 µs: the ``COUNT(*)`` behind ``total`` (the docs' 2,387,743 rows took 49.9 s
  with counting and 0.097 s without: 49.8 s / 2.39 M rows).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LatencyModel:
    name: str
    per_request: float = 0.0
    per_command: float = 0.0
    per_row: float = 0.0
    per_counted_row: float = 0.0

    def command_cost(self, rows: int, counted: int) -> float:
        return self.per_command + rows * self.per_row + counted * self.per_counted_row


MODELS = {
    "none": LatencyModel("none"),
    "cloud": LatencyModel("cloud", per_request=0.12, per_command=0.015, per_row=0.0002, per_counted_row=0.000021),
}


def parse_latency(spec: str) -> LatencyModel:
    try:
        return MODELS[spec.strip()]
    except KeyError:
        raise ValueError(f"unknown latency model {spec!r}: use none or cloud") from None
