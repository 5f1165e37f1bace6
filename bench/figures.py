"""Figures a benchmark hands to the benchmark table, besides printing them.

    record("sandbox.batch_median", "batch of 50 pages: median", 31.2, "ms", target=50, strict=True)

When ``DPO_BENCH_FIGURES`` names a file (``python3 dev.py bench`` sets it), each call appends one JSON
line to it; otherwise it does nothing, so a benchmark run by hand prints as before. ``bench.report``
turns the lines into ``docs/BENCHMARKS.md``.

A target is met when the value is at most it (``better="lower"``) or at least it (``"higher"``);
``strict`` makes the comparison strict (a target written «< 50 ms»). ``peers`` are the same figure for
other clients measured in the same run, in the same unit.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Literal

FIGURES_VARIABLE = "DPO_BENCH_FIGURES"


def met(value: float, target: float | None, better: str, strict: bool) -> bool | None:
    """Whether the value meets the target; None without a target."""
    if target is None:
        return None
    if better == "lower":
        return value < target if strict else value <= target
    return value > target if strict else value >= target


def record(key: str, label: str, value: float, unit: str, *, target: float | None = None,
           better: Literal["lower", "higher"] = "lower", strict: bool = False,
           peers: dict[str, float] | None = None, note: str = "", command: str | None = None) -> None:
    """Append the figure to the run's figure file (when there is one).

    ``key`` is ``<benchmark>.<figure>``; the benchmark names the table's section. ``command`` defaults to
    the running benchmark's own command line.
    """
    target_file = os.environ.get(FIGURES_VARIABLE)
    if not target_file:
        return
    bench = key.split(".", 1)[0]
    line = {"key": key, "bench": bench, "label": label, "value": round(float(value), 4), "unit": unit,
            "target": target, "better": better, "strict": strict, "met": met(value, target, better, strict),
            "peers": {name: round(float(figure), 4) for name, figure in (peers or {}).items()},
            "note": note, "command": command or _command(bench),
            "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": _load()}
    with Path(target_file).open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def _load() -> float | None:
    """The machine's load average over the last minute: figures from a busy machine are slower."""
    return round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None


def _command(bench: str) -> str:
    """How the benchmark was run: ``python -m bench.NAME`` with its arguments."""
    return " ".join(["python -m bench." + bench, *sys.argv[1:]])
