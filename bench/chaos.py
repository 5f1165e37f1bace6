"""``python -m bench.chaos``: issue 5's kill test at full size, then issue 8's office day.

300 files uploaded with ``dpo-desktop upload`` while the process is SIGKILLed at 5 random moments and
run again each time, on a clean sandbox and with 10 % mixed faults. Each run must end with exactly 300
documents on the portal (none lost, none doubled), 300 Drive files, and an empty queue.

Then the office day (``bench.office_day``): two managers' scripted day of syncs, roster edits, uploads,
queue answers and folder pushes on a portal with 10 % faults, with 5 kills; the portal's final state must
be the one the script meant. ``--day-only`` / ``--uploads-only`` run one half.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.figures import record
from bench.office_day import report as day_report
from bench.office_day import run_day
from tests.integration.upload_kill import run_kill_scenario


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.chaos")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--deals", type=int, default=4, help="deals the office day works on")
    parser.add_argument("--day-files", type=int, default=5, help="scans per upload command of the office day")
    parser.add_argument("--faults", type=float, default=0.1, help="the office day's share of faulty requests")
    half = parser.add_mutually_exclusive_group()
    half.add_argument("--day-only", action="store_true")
    half.add_argument("--uploads-only", action="store_true")
    args = parser.parse_args()
    failed = False
    if not args.day_only:
        failed |= uploads(args)
    if not args.uploads_only:
        failed |= office_day(args)
    return 1 if failed else 0


def uploads(args: argparse.Namespace) -> bool:
    """The upload kill scenarios; True when one failed."""
    failed = False
    print(f"{'scenario':<14}{'files':>6}{'kills':>6}{'runs':>5}{'landed':>7}{'distinct':>9}{'drive':>6}"
          f"{'queue':>6}{'seconds':>8}  kill moments (s)")
    for name, key, faults in (("clean", "clean", None),
                              ("10% faults", "faults", f"mixed=0.1,slow_seconds=0.2,seed={args.seed}")):
        with tempfile.TemporaryDirectory(prefix="dpo-chaos-") as tmp:
            outcome = run_kill_scenario(Path(tmp), files=args.files, kills=args.kills, seed=args.seed,
                                        faults=faults)
        ok = (outcome.landed == outcome.distinct_contents == outcome.drive_files == args.files
              and outcome.active_queue == 0)
        failed |= not ok
        print(f"{name:<14}{outcome.files:>6}{len(outcome.kills):>6}{outcome.runs:>5}{outcome.landed:>7}"
              f"{outcome.distinct_contents:>9}{outcome.drive_files:>6}{outcome.active_queue:>6}"
              f"{outcome.seconds:>8.1f}  {outcome.kills}  {'ok' if ok else 'FAILED'}", flush=True)
        title = f"{outcome.files} uploads, {len(outcome.kills)} kills, {name}"
        record(f"chaos.{key}_lost", f"{title}: documents lost", max(0, args.files - outcome.distinct_contents),
               "", target=0)
        record(f"chaos.{key}_doubled", f"{title}: documents doubled",
               outcome.landed - outcome.distinct_contents + max(0, outcome.drive_files - args.files), "", target=0)
        record(f"chaos.{key}_seconds", f"{title}: time", outcome.seconds, "s", note=f"{outcome.runs} command runs")
    return failed


def office_day(args: argparse.Namespace) -> bool:
    """The office day; True when a check failed."""
    print(f"\noffice day: {args.deals} deals, {args.faults:.0%} faults, {args.kills} kills …", flush=True)
    with tempfile.TemporaryDirectory(prefix="dpo-office-day-") as tmp:
        try:
            outcome = run_day(Path(tmp), deals=args.deals, files=args.day_files, kills=args.kills,
                              faults=args.faults, seed=args.seed)
        except RuntimeError as error:  # a command that never got done: the day failed, the other benchmarks run
            print(f"office day: FAILED: {error}", flush=True)
            return True
    failed = bool(day_report(outcome, args))
    verdict, log = outcome.verdict, outcome.log
    title = f"office day ({verdict.documents} scans, {verdict.edits} roster edits, {args.faults:.0%} faults, " \
            f"{len(log.kills)} kills)"
    for key, label in (("documents_lost", "documents lost"), ("documents_doubled", "documents doubled"),
                       ("participants_doubled", "participants doubled"), ("contacts_doubled", "contacts doubled"),
                       ("edits_lost", "edits lost"), ("folders_incomplete", "folders incomplete")):
        record(f"chaos.day_{key}", f"{title}: {label}", getattr(verdict, key), "", target=0)
    record("chaos.day_seconds", f"{title}: time", outcome.seconds, "s",
           note=f"{log.runs} command runs, {log.reruns} of them reruns")
    if outcome.unchanged_push_requests:
        record("chaos.push_unchanged_requests", "folder push of an unchanged participant: requests (worst)",
               max(outcome.unchanged_push_requests), "", target=2)
    return failed


if __name__ == "__main__":
    sys.exit(main())
