"""``python -m bench.ui_stall``: does the GUI thread stay responsive while the lane works?

The demo portal is served by a separate process (loopback, limits and latency off: the lane works as
fast as it can, the hardest case for the GUI thread). In a fresh offscreen process the app opens on
it with the real deal view and document panel; a :class:`~dpo_desktop.ui.stall.StallProbe` (a 20 ms
timer) records the event loop's longest stall during (1) a full sync and (2) 200 scans dropped onto a
participant and uploaded. Target: never longer than 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figures import record
from bench.pull import ROOT, stop_portal

STALL_TARGET_MS = 100.0


def worker(webhook: str, work: Path, files: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from bench.upload import make_files
    from dpo_desktop import paths
    from dpo_desktop.app import build_context
    from dpo_desktop.domain.models import DocumentType
    from dpo_desktop.profiles import Profile
    from dpo_desktop.secrets import MemorySecretStore, webhook_key
    from dpo_desktop.sync.engine import SyncEngine
    from dpo_desktop.ui.stall import StallProbe
    from dpo_desktop.ui.views.deal_view import DealView
    from dpo_desktop.ui.views.documents_panel import DocumentPanel

    paths.set_basedir(work / "basedir")
    app = QApplication.instance() or QApplication([])
    secrets = MemorySecretStore()
    profile = Profile(name="stall", portal=webhook, rate_plan="off")
    secrets.set(webhook_key(profile.name), webhook)
    context = build_context(profile, secrets)
    figures: dict[str, Any] = {}

    def measured(name: str, start, finished) -> None:
        probe = StallProbe(threshold_ms=30.0)
        probe.start()
        started = time.perf_counter()
        start()
        while not finished():
            app.processEvents()
            time.sleep(0.002)
        figures[name] = {"seconds": time.perf_counter() - started, "longest_ms": probe.stop(),
                         "stalls_over_30ms": len(probe.gaps)}

    done: dict[str, bool] = {}

    async def full_sync(ctx):
        return await SyncEngine(ctx.client, ctx.store, ctx.mapping).sync(full=True)

    measured("full sync", lambda: context.run(full_sync, lambda _summary: done.setdefault("sync", True)),
             lambda: "sync" in done)

    deal = max(context.reader.deals(context.mapping.pipeline_id),
               key=lambda item: len(context.reader.participants(deal_id=item.id)))
    contact_id = context.reader.participants(deal_id=deal.id)[0].contact_id
    view = DealView(context, documents_panel_factory=lambda ctx, owner: DocumentPanel(ctx, parent=owner))
    view.resize(1400, 900)
    view.show()
    view.show_deal(deal.id)
    app.processEvents()
    folder = work / "scans"
    make_files(folder, files, 100 * 1024)
    scans = sorted(folder.iterdir())
    panel = view.documents_panel
    panel.set_participant(deal.id, contact_id)
    panel.uploads_finished.connect(lambda _ids: done.setdefault("upload", True))
    measured(f"upload of {files} scans", lambda: panel.upload(scans, doc_type=DocumentType.OTHER,
                                                             contact_id=contact_id),
             lambda: "upload" in done)
    figures["uploaded"] = sum(1 for item in context.reader.uploads(["done"]))
    view.detach()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.ui_stall")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--worker", nargs=2, metavar=("WEBHOOK", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), args.files)), flush=True)
        os._exit(0)  # Qt objects dying in arbitrary order at interpreter exit only risk a crash
    from dpo_desktop.sandbox import seeds

    with tempfile.TemporaryDirectory(prefix="dpo-bench-stall-") as tmp:
        state_file = Path(tmp) / "demo.state"
        seeds.build("demo").save(state_file)
        process = subprocess.Popen([sys.executable, "-m", "bench.portal_process", str(state_file), "--limits", "off",
                                    "--latency", "none"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            webhook = json.loads(process.stdout.readline())["webhook"]
            done = subprocess.run([sys.executable, "-m", "bench.ui_stall", "--files", str(args.files), "--worker",
                                   webhook, tmp], cwd=ROOT, capture_output=True, text=True, timeout=1800,
                                  env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        finally:
            stop_portal(process)
    if done.returncode != 0 or not done.stdout.strip():
        print(f"bench.ui_stall: the measuring process broke: {done.stderr.strip()[-1500:]}", file=sys.stderr)
        return 1
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{'work on the lane':<26} {'seconds':>8} {'longest GUI stall':>18} {'stalls > 30 ms':>15}  target")
    for name in [key for key in figures if isinstance(figures[key], dict)]:
        row = figures[name]
        met = "met" if row["longest_ms"] < STALL_TARGET_MS else "NOT met"
        print(f"{name:<26} {row['seconds']:>8.1f} {row['longest_ms']:>15.0f} ms {row['stalls_over_30ms']:>15}  "
              f"< {STALL_TARGET_MS:g} ms: {met}")
        record(f"ui_stall.{'sync' if 'sync' in name else 'upload'}",
               f"longest GUI stall during the {name}", row["longest_ms"], "ms", target=STALL_TARGET_MS, strict=True,
               note=f"{row['stalls_over_30ms']} stalls > 30 ms in {row['seconds']:.1f} s")
    print(f"files uploaded: {figures['uploaded']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
