"""How fast the sandbox portal serves the app's heaviest read, and what the large seed costs to build.

    python -m bench.sandbox            # from the repository root

(a) One ``batch`` of 50 chained ``crm.deal.list`` pages (``order ID ASC``, ``filter >ID`` from
    ``$result[prev][49][ID]``, ``start=-1``) on a 100,000-deal portal through the in-process httpx
    transport, timed from ``client.post`` to the decoded JSON: with a realistic select of 15 fields
    (target < 50 ms) and, for reference, with the default select (``*`` + ``UF_*``).
(b) Building the ``large`` seed in a fresh process: seconds and peak RSS (targets < 60 s, < 2 GB).

When (a) misses its target, a cProfile of the batches shows where the time goes.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.figures import record
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.seeds.large import build_deal_volume
from dpo_desktop.sandbox.transport import SandboxTransport

DEALS = 100_000
RUNS = 30
PAGES = 50
BATCH_TARGET_MS = 50.0
BUILD_TARGET_S = 60.0
RSS_TARGET_MB = 2048.0
STANDARD_SELECT = ["ID", "TITLE", "STAGE_ID", "CATEGORY_ID", "COMPANY_ID", "ASSIGNED_BY_ID", "DATE_MODIFY"]
ROOT = Path(__file__).resolve().parent.parent

_BUILD_LARGE = """
import json, resource, time
from dpo_desktop.sandbox.seeds.large import build_large
started = time.perf_counter()
state = build_large()
seconds = time.perf_counter() - started
deals = len(state.crm.deals.table)
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "deals": deals}))
"""


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float | None  # a ceiling; None for figures given for reference

    def row(self) -> str:
        target = f"< {self.target:g} {self.unit}" if self.target is not None else "—"
        verdict = ("met" if self.value < self.target else "NOT MET") if self.target is not None else "reference"
        return f"{self.name:<52} {self.value:>10.1f} {self.unit:<3} {target:>12}  {verdict}"


def chained_batch(category_id: int, select: list[str] | None, first_id: int) -> dict:
    """The app's full-pull request: 50 pages, each starting after the last ID of the one before."""
    commands = {}
    for page in range(1, PAGES + 1):
        after = str(first_id) if page == 1 else f"$result[p{page - 1}][49][ID]"
        query = httpx.QueryParams({"order[ID]": "ASC", "filter[>ID]": after, "filter[CATEGORY_ID]": category_id,
                                   "start": -1, **{f"select[{n}]": code for n, code in enumerate(select or [])}})
        commands[f"p{page}"] = f"crm.deal.list?{query}"
    return {"halt": 0, "cmd": commands}


def time_batches(client: httpx.Client, category_id: int, select: list[str] | None) -> list[float]:
    """Milliseconds per batch over RUNS runs, each reading a different window of 2,500 deals."""
    timings = []
    for run in range(RUNS):
        body = chained_batch(category_id, select, run * PAGES * 50 % (DEALS - PAGES * 50))
        started = time.perf_counter()
        answer = client.post("batch", json=body)
        decoded = answer.json()
        timings.append((time.perf_counter() - started) * 1000)
        rows = sum(len(page) for page in decoded["result"]["result"].values())
        if answer.status_code != 200 or decoded["result"]["result_error"] or rows < PAGES * 45:
            raise SystemExit(f"the batch did not read full pages: {answer.status_code}, {rows} rows")
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_batches() -> tuple[list[Figure], str]:
    started = time.perf_counter()
    state = build_deal_volume(DEALS)
    print(f"built a {len(state.crm.deals.table):,}-deal portal in {time.perf_counter() - started:.1f} s")
    admin = next(user for user in state.users.values() if user.admin)
    code = state.add_webhook(admin.id)
    portal = Portal(state)
    client = httpx.Client(transport=SandboxTransport(portal),
                          base_url=f"https://bench.bitrix24.test/rest/{admin.id}/{code}/")
    category_id = next(key for key, item in state.crm.categories.items() if item["name"] == "ДПО")
    user_fields = [uf.field_name for uf in state.crm.deals.userfields()]
    realistic = STANDARD_SELECT + user_fields
    time_batches(client, category_id, realistic)  # warm-up: imports, caches
    standard = time_batches(client, category_id, realistic)
    default = time_batches(client, category_id, None)
    figures = [
        Figure(f"batch of 50 pages, select of {len(realistic)} fields: median", statistics.median(standard), "ms",
               BATCH_TARGET_MS),
        Figure(f"batch of 50 pages, select of {len(realistic)} fields: p95", percentile(standard, 0.95), "ms", None),
        Figure("batch of 50 pages, default select (* + UF_*): median", statistics.median(default), "ms", None),
        Figure("batch of 50 pages, default select (* + UF_*): p95", percentile(default, 0.95), "ms", None),
    ]
    profile = ""
    if statistics.median(standard) >= BATCH_TARGET_MS:
        profile = profile_batches(client, category_id, realistic)
    client.close()
    return figures, profile


def profile_batches(client: httpx.Client, category_id: int, select: list[str]) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for run in range(5):
        client.post("batch", json=chained_batch(category_id, select, run * 2500)).json()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
    return out.getvalue()


def bench_large_build() -> list[Figure]:
    result = subprocess.run([sys.executable, "-c", _BUILD_LARGE], cwd=ROOT, capture_output=True, text=True,
                            check=True, timeout=900)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"built the large seed ({figures['deals']:,} deals) in a fresh process")
    return [Figure("build the large seed: time", figures["seconds"], "s", BUILD_TARGET_S),
            Figure("build the large seed: peak RSS", figures["rss_mb"], "MB", RSS_TARGET_MB)]


def main() -> int:
    batch_figures, profile = bench_batches()
    build_figures = bench_large_build()
    print()
    print(f"{'figure':<52} {'value':>14} {'target':>12}  verdict")
    keys = ("batch_median", "batch_p95", "batch_default_median", "batch_default_p95", "large_seed_seconds",
            "large_seed_rss")
    for key, figure in zip(keys, [*batch_figures, *build_figures], strict=True):
        print(figure.row())
        record(f"sandbox.{key}", figure.name, figure.value, figure.unit, target=figure.target, strict=True)
    if profile:
        print("\nThe batch target was missed; where the time goes (5 batches, by own time):\n")
        print(profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
