"""``python -m bench.chaos``: issue 5's kill test at full size.

300 files uploaded with ``dpo-desktop upload`` while the process is SIGKILLed at 5 random moments and
run again each time, on a clean sandbox and with 10 % mixed faults. Each run must end with exactly 300
documents on the portal (none lost, none doubled), 300 Drive files, and an empty queue.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.integration.upload_kill import run_kill_scenario


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.chaos")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    failed = False
    print(f"{'scenario':<14}{'files':>6}{'kills':>6}{'runs':>5}{'landed':>7}{'distinct':>9}{'drive':>6}"
          f"{'queue':>6}{'seconds':>8}  kill moments (s)")
    for name, faults in (("clean", None), ("10% faults", f"mixed=0.1,slow_seconds=0.2,seed={args.seed}")):
        with tempfile.TemporaryDirectory(prefix="dpo-chaos-") as tmp:
            outcome = run_kill_scenario(Path(tmp), files=args.files, kills=args.kills, seed=args.seed,
                                        faults=faults)
        ok = (outcome.landed == outcome.distinct_contents == outcome.drive_files == args.files
              and outcome.active_queue == 0)
        failed |= not ok
        print(f"{name:<14}{outcome.files:>6}{len(outcome.kills):>6}{outcome.runs:>5}{outcome.landed:>7}"
              f"{outcome.distinct_contents:>9}{outcome.drive_files:>6}{outcome.active_queue:>6}"
              f"{outcome.seconds:>8.1f}  {outcome.kills}  {'ok' if ok else 'FAILED'}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
