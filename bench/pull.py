"""Pulling the ``large`` portal: our client against b24pysdk (as_list_fast) and fast_bitrix24 (get_all).

    python -m bench.pull [--scale 1.0] [--clients ours,b24pysdk,fast_bitrix24] [--sets deals,participants,documents]
                         [--limit-seconds 900]

Each (client, set) runs against a fresh sandbox process (``--limits standard --latency cloud``, TLS) built
from one saved ``large`` state, and the client runs in a process of its own. Printed per run: rows,
HTTP requests (counted by the portal), 503s the rate limit gave, wall time, peak RSS growth; and for our
client the request bound ``ceil(rows / 2500) + 2`` and the ratios to the peers. A run that exceeds
``--limit-seconds`` is stopped and shown as such.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.figures import record
from dpo_desktop.sandbox.seeds.large import build_large
from dpo_desktop.sandbox.state import PortalState

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ("ours", "b24pysdk", "fast_bitrix24")
SETS = ("deals", "participants", "documents")
DEAL_SELECT = ["ID", "TITLE", "STAGE_ID", "CATEGORY_ID", "COMPANY_ID", "CONTACT_ID", "ASSIGNED_BY_ID",
               "DATE_CREATE", "DATE_MODIFY", "OPPORTUNITY"]


@dataclass
class Run:
    client: str
    entity: str
    rows: int = 0
    distinct: int = 0
    requests: int = 0
    limit_503: int = 0
    seconds: float = 0.0
    rss_growth_mb: float = 0.0
    stopped: bool = False
    error: str = ""


def target_of(state: PortalState) -> dict:
    pipeline = next(key for key, value in state.crm.categories.items() if value["name"] == "ДПО")
    ufs = [uf.field_name for uf in state.crm.userfields.of("CRM_DEAL") if (uf.xml_id or "").startswith("DPO_")]
    return {"pipeline": pipeline, "select": DEAL_SELECT + ufs,
            "participants": state.lists.find_list("dpo_participants"),
            "documents": state.lists.find_list("dpo_documents")}


def expected_rows(state: PortalState, target: dict) -> dict[str, int]:
    deals = sum(1 for record in state.crm.deals.table.values() if record["CATEGORY_ID"] == str(target["pipeline"]))
    return {"deals": deals, "participants": len(state.lists.iblocks[target["participants"]].elements),
            "documents": len(state.lists.iblocks[target["documents"]].elements)}


def start_portal(state_file: Path, tls_dir: Path) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen([sys.executable, "-m", "bench.portal_process", str(state_file), "--limits", "standard",
                                "--latency", "cloud", "--tls-dir", str(tls_dir)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the sandbox process did not start")
    return process, json.loads(line)


def stop_portal(process: subprocess.Popen) -> dict:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    return json.loads(output.strip().splitlines()[-1])


def run_one(client: str, entity: str, state_file: Path, tls_dir: Path, target: dict, limit: float) -> Run:
    run = Run(client, entity)
    portal, address = start_portal(state_file, tls_dir)
    try:
        command = [sys.executable, "-m", "bench.pull_client", client, entity, address["webhook"], address["ca_file"],
                   json.dumps(target)]
        started = time.perf_counter()
        try:
            finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=limit)
        except subprocess.TimeoutExpired:
            run.stopped, run.seconds = True, time.perf_counter() - started
        else:
            if finished.returncode != 0:
                run.error = failure_of(finished.stderr)
                run.seconds = time.perf_counter() - started
            else:
                result = json.loads(finished.stdout.strip().splitlines()[-1])
                run.rows, run.distinct, run.seconds = result["rows"], result["distinct"], result["seconds"]
                run.rss_growth_mb = result["rss_peak_mb"] - result["rss_base_mb"]
    finally:
        counters = stop_portal(portal)
    run.requests = counters["requests"]
    run.limit_503 = counters["limit_rejections"]
    return run


def failure_of(stderr: str) -> str:
    """The reason a peer gave up, in a few words: the portal's error code when there is one."""
    for code in ("OPERATION_TIME_LIMIT", "QUERY_LIMIT_EXCEEDED"):
        if code in stderr:
            return f"failed: the portal answered {code}"
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return ("failed: " + lines[-1][:100]) if lines else "failed"


def report(runs: list[Run], expected: dict[str, int]) -> None:
    print(f"\n{'set':<13}{'client':<15}{'rows':>8}{'requests':>10}{'bound':>7}{'503s':>6}{'wall s':>9}"
          f"{'RSS +MB':>9}  note")
    for run in runs:
        bound = math.ceil(expected[run.entity] / 2500) + 2 if run.client == "ours" else None
        note = "stopped at the time limit" if run.stopped else run.error
        if not note and (run.rows != expected[run.entity] or run.distinct != run.rows):
            note = f"WRONG: expected {expected[run.entity]} distinct rows, got {run.distinct} of {run.rows}"
        if run.client == "ours" and not note:
            checks = [f"requests {'≤' if run.requests <= bound else '>'} bound",
                      "no 503" if run.limit_503 == 0 else "503s CAUSED"]
            note = ", ".join(checks)
        print(f"{run.entity:<13}{run.client:<15}{run.rows:>8}{run.requests:>10}{bound or '':>7}{run.limit_503:>6}"
              f"{run.seconds:>9.1f}{run.rss_growth_mb:>9.1f}  {note}")
        if run.client == "ours":
            record_ours(run, runs, bound, note)
    print("\nwall-time ratios, ours / peer (targets: ≤ 1.0 × b24pysdk, ≤ 0.5 × fast_bitrix24):")
    for entity in sorted({run.entity for run in runs}, key=SETS.index):
        ours = next((run for run in runs if run.entity == entity and run.client == "ours"), None)
        for peer in ("b24pysdk", "fast_bitrix24"):
            other = next((run for run in runs if run.entity == entity and run.client == peer), None)
            if ours is None or other is None or ours.stopped or not ours.seconds:
                continue
            if other.stopped:
                print(f"  {entity:<13} vs {peer:<14} < {ours.seconds / other.seconds:.2f} (peer stopped at the limit)")
            elif not other.error:
                print(f"  {entity:<13} vs {peer:<14} {ours.seconds / other.seconds:.2f}")
            if other.stopped or not other.error:
                record(f"pull.{entity}_vs_{peer}", f"{entity}: wall time, ours / {peer}", ours.seconds / other.seconds,
                       "", target=RATIO_TARGETS[peer], note="peer stopped at the time limit" if other.stopped else "")


RATIO_TARGETS = {"b24pysdk": 1.0, "fast_bitrix24": 0.5}


def record_ours(run: Run, runs: list[Run], bound: int, note: str) -> None:
    """Our client's figures for the benchmark table, with the peers' from the same run."""
    peers = [other for other in runs if other.entity == run.entity and other.client != "ours"
             and not other.stopped and not other.error]
    record(f"pull.{run.entity}_requests", f"{run.entity}: {run.rows:,} rows, HTTP requests", run.requests, "",
           target=bound, peers={other.client: other.requests for other in peers}, note=note)
    record(f"pull.{run.entity}_503s", f"{run.entity}: 503s the rate limit gave", run.limit_503, "", target=0,
           peers={other.client: other.limit_503 for other in peers})
    record(f"pull.{run.entity}_seconds", f"{run.entity}: wall time", run.seconds, "s",
           peers={other.client: other.seconds for other in peers})
    record(f"pull.{run.entity}_rss_growth", f"{run.entity}: peak RSS growth", run.rss_growth_mb, "MB", target=200,
           strict=True, peers={other.client: other.rss_growth_mb for other in peers})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit-seconds", type=float, default=900.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dpo-bench-pull-") as folder:
        state_file, tls_dir = Path(folder) / "large.state", Path(folder) / "tls"
        print(f"building the large seed (scale {args.scale:g}) …", flush=True)
        state = build_large(scale=args.scale)
        target, expected = target_of(state), expected_rows(state, target_of(state))
        state.save(state_file)
        del state
        print(f"rows: {expected}; limits standard, latency cloud; machine: {os.cpu_count()} cores", flush=True)
        runs = []
        for entity in args.sets.split(","):
            for client in args.clients.split(","):
                run = run_one(client, entity, state_file, tls_dir, target, args.limit_seconds)
                print(f"  {entity}/{client}: {run.seconds:.1f} s, {run.requests} requests"
                      f"{' (stopped)' if run.stopped else ''}{' ' + run.error if run.error else ''}", flush=True)
                runs.append(run)
        report(runs, expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
