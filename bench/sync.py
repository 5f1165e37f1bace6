"""Syncing the ``large`` portal with the command line, as an office would: figures, not a test.

    python -m bench.sync [--scale 1.0] [--changes 5]

One sandbox process (``bench.portal_process``: standard limits, cloud latency) serves a saved ``large``
state over loopback; each step runs ``dpo-desktop`` in a process of its own (``DPO_B24_WEBHOOK`` for the
secret, a fresh ``--basedir``), which reports its own time and peak RSS (VmHWM). Printed:

- the full sync: wall time, HTTP requests against the bound ``ceil(rows / 2500)`` (rows = deals +
  participants + documents + contacts + companies pulled), 503s, peak RSS (target < 400 MB);
- an incremental sync after a few changes made on the portal (deals and contacts edited, a participant
  added, a document deleted), and one with no changes: their requests;
- ``missing`` over the whole cache (target < 1 s), in the process and with the process start.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import ssl
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

import httpx

from bench.figures import record
from bench.pull import expected_rows, start_portal, stop_portal, target_of
from dpo_desktop.sandbox.seeds.large import build_large
from dpo_desktop.sandbox.state import PortalState

ROOT = Path(__file__).resolve().parent.parent
ROWS_PER_REQUEST = 2500  # 50 commands a batch, 50 rows a page
RSS_TARGET_MB, MISSING_TARGET_S = 400, 1.0


def worker(arguments: list[str]) -> int:
    """In the child process: run the command in-process and print its time, output and peak RSS as JSON."""
    import dpo_desktop.commands  # noqa: F401 - imported before the clock starts: the command's own work is timed
    from dpo_desktop.cli import main

    output = StringIO()
    started = time.perf_counter()
    with redirect_stdout(output):
        code = main(arguments)
    seconds = time.perf_counter() - started
    print(json.dumps({"code": code, "seconds": seconds, "stdout": output.getvalue(), "peak_rss_mb": peak_rss_mb()}))
    return 0


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB; 0 where /proc is not there."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def run_cli(basedir: Path, webhook: str, *arguments: str, stdin: str = "") -> dict[str, Any]:
    """One ``dpo-desktop`` command in a process of its own; its report, with the wall time around it.

    The webhook comes from ``DPO_B24_WEBHOOK`` (a benchmark machine has no keyring); the profile keeps
    the rest — the sandbox's CA and, after the first sync, the mapping — as an office's profile does.
    """
    environment = {**os.environ, "DPO_B24_WEBHOOK": webhook}
    started = time.perf_counter()
    finished = subprocess.run([sys.executable, "-m", "bench.sync", "--worker", "--basedir", str(basedir), *arguments],
                              cwd=ROOT, env=environment, input=stdin, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if finished.returncode != 0 or not finished.stdout.strip():
        raise RuntimeError(f"dpo-desktop {' '.join(arguments)} broke: {finished.stderr.strip()[-500:]}")
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    report["wall"] = wall
    report["stderr"] = finished.stderr.strip()
    if report["code"] != 0:
        raise RuntimeError(f"dpo-desktop {' '.join(arguments)} failed ({report['code']}): {report['stderr']}")
    return report


class PortalEdits:
    """A few changes an office makes on the portal between two syncs, over REST."""

    def __init__(self, webhook: str, ca_file: str, state: PortalState, target: dict) -> None:
        self.http = httpx.Client(base_url=webhook, timeout=60, verify=ssl.create_default_context(cafile=ca_file))
        self.state = state
        self.target = target

    def call(self, method: str, params: dict) -> Any:
        answer = self.http.post(method, json=params)
        answer.raise_for_status()
        return answer.json()["result"]

    def make(self, count: int) -> dict[str, int]:
        lists, pipeline = self.state.lists, str(self.target["pipeline"])
        deals = [record["ID"] for record in self.state.crm.deals.table.values() if record["CATEGORY_ID"] == pipeline]
        for deal_id in deals[-count:]:
            self.call("crm.deal.update", {"id": deal_id, "fields": {"TITLE": f"Изменено {deal_id}"}})
        participants = lists.iblocks[self.target["participants"]]
        contact_field = next(item.field_id for item in participants.fields.values() if item.code == "CONTACT")
        deal_field = next(item.field_id for item in participants.fields.values() if item.code == "DEAL")
        elements = [lists.element(self.target["participants"], element_id)
                    for element_id in participants.elements.ids()[:count]]
        contacts = [next(iter(element[contact_field].values())) for element in elements]
        for contact_id in contacts:
            self.call("crm.contact.update", {"id": contact_id, "fields": {"POST": "Слушатель (изменено)"}})
        newcomer = next(contact_id for contact_id in self.state.crm.contacts.table.ids()
                        if str(contact_id) not in contacts)
        self.call("lists.element.add", {
            "IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": self.target["participants"],
            "ELEMENT_CODE": f"p-{deals[-1]}-{newcomer}",
            "FIELDS": {"NAME": "Новый участник", deal_field: deals[-1], contact_field: newcomer}})
        document = lists.iblocks[self.target["documents"]].elements.ids()[0]
        self.call("lists.element.delete", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": self.target["documents"],
                                           "ELEMENT_ID": document})
        self.http.close()
        return {"deals edited": count, "contacts edited": count, "participants added": 1, "documents deleted": 1}


def describe_sync(name: str, report: dict[str, Any]) -> dict[str, Any]:
    summary = json.loads(report["stdout"])
    print(f"  {name}: {summary['mode']}, {summary['requests']} requests, {report['seconds']:.1f} s in the process "
          f"({report['wall']:.1f} s with its start), peak RSS {report['peak_rss_mb']:.0f} MB; "
          f"changed {summary['changed']}, deleted { {k: v for k, v in summary['deleted'].items() if v} }", flush=True)
    return summary


def main() -> int:
    if "--worker" in sys.argv:
        arguments = sys.argv[1:]
        arguments.remove("--worker")
        return worker(arguments)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--changes", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dpo-bench-sync-") as folder:
        state_file, basedir = Path(folder) / "large.state", Path(folder) / "basedir"
        print(f"building the large seed (scale {args.scale:g}) …", flush=True)
        state = build_large(scale=args.scale)
        target = target_of(state)
        expected = expected_rows(state, target)
        state.save(state_file)
        print(f"portal: {expected}; limits standard, latency cloud; machine: {os.cpu_count()} cores", flush=True)
        portal, address = start_portal(state_file, Path(folder) / "tls")
        try:
            webhook = address["webhook"]
            run_cli(basedir, webhook, "profile", "add", "bench", "--webhook-stdin", "--ca-file", address["ca_file"],
                    stdin=webhook)
            full = run_cli(basedir, webhook, "sync", "--full")
            full_summary = describe_sync("full sync", full)
            made = PortalEdits(webhook, address["ca_file"], state, target).make(args.changes)
            print(f"  changes on the portal: {made}", flush=True)
            incremental = describe_sync("incremental sync", run_cli(basedir, webhook, "sync"))
            quiet = describe_sync("incremental, nothing changed", run_cli(basedir, webhook, "sync"))
            missing = run_cli(basedir, webhook, "missing", "--format", "json", "--output", str(Path(folder) / "m.json"))
            report_rows = len(json.loads((Path(folder) / "m.json").read_text(encoding="utf-8")))
        finally:
            counters = stop_portal(portal)
    rows = sum(full_summary["changed"].values())
    bound = math.ceil(rows / ROWS_PER_REQUEST)
    # Each set is its own series of pages (and contacts are read by ID once the participants name them),
    # so a set's last, partly filled request is not shared: the floor for this engine's shape.
    per_set = sum(math.ceil(count / ROWS_PER_REQUEST) for count in full_summary["changed"].values() if count)
    wrong = {kind: (full_summary["changed"].get(kind), count) for kind, count in expected.items()
             if full_summary["changed"].get(kind) != count}
    print("\nresults")
    print(f"  full sync: {rows} rows ({full_summary['changed']}); {full_summary['requests']} requests, bound "
          f"ceil({rows} / {ROWS_PER_REQUEST}) = {bound} (ratio {full_summary['requests'] / bound:.2f}; per set "
          f"{per_set}, plus discovery 2 and stages 1); "
          f"{full['seconds']:.1f} s; peak RSS {full['peak_rss_mb']:.0f} MB "
          f"({'<' if full['peak_rss_mb'] < RSS_TARGET_MB else '≥'} {RSS_TARGET_MB} MB target)"
          + (f"; WRONG row counts (got, portal has): {wrong}" if wrong else ""))
    print(f"  incremental after {sum(made.values())} changes: {incremental['requests']} requests, "
          f"{incremental['seconds']:.2f} s; with nothing changed: {quiet['requests']} requests")
    print(f"  missing over the whole cache: {report_rows} rows in {missing['seconds']:.2f} s once imported "
          f"({'<' if missing['seconds'] < MISSING_TARGET_S else '≥'} {MISSING_TARGET_S:g} s target), "
          f"{missing['wall']:.2f} s with the process start; peak RSS {missing['peak_rss_mb']:.0f} MB")
    print(f"  portal: {counters['requests']} requests in all, {counters['limit_rejections']} answered 503, "
          f"statuses {counters['statuses']}, bugs {counters['bugs']}")
    record("sync.full_requests", f"full sync of {rows:,} rows: HTTP requests", full_summary["requests"], "",
           target=bound, note=f"per-set floor {per_set}, plus discovery 2 and stages 1")
    record("sync.full_rows_wrong", "full sync: row sets that differ from the portal's", len(wrong), "", target=0)
    record("sync.full_seconds", "full sync: time in the process", full["seconds"], "s")
    record("sync.full_rss", "full sync: peak RSS", full["peak_rss_mb"], "MB", target=RSS_TARGET_MB, strict=True)
    record("sync.incremental_requests", f"incremental sync after {sum(made.values())} changes: requests",
           incremental["requests"], "")
    record("sync.quiet_requests", "incremental sync, nothing changed: requests", quiet["requests"], "")
    record("sync.missing_seconds", f"missing report over the whole cache ({report_rows:,} rows)", missing["seconds"],
           "s", target=MISSING_TARGET_S, strict=True, note=f"{missing['wall']:.2f} s with the process start")
    return 0


if __name__ == "__main__":
    sys.exit(main())
