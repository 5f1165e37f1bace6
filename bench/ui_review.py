"""The missing-documents review on the ``large`` cache, offscreen: figures, not a test.

    python -m bench.ui_review [--scale 1.0] [--rebuild] [--changes 30]

Reuses ``bench.ui``'s synced cache of the large seed (built once under ``bench/out/ui/``). Offline (the
client's transport refuses every request) it measures:

- building the review for the whole cache: the report's read, the judgement, the rows, the combos, the
  model and the overview (target < 500 ms), all on one thread, and split as the screen runs it (the read
  and the judging on the CPU pool, the rest on the GUI thread);
- a filter change: the model reset, the overview and a repaint, median over a cycle of filters
  (target < 100 ms);
- the XLSX export of 10,000 rows, as the CPU pool runs it (target < 5 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figures import record
from bench.ui import OUT, offline_context, peak_rss_mb, prepare

BUILD_TARGET_MS, FILTER_TARGET_MS, EXPORT_TARGET_S, EXPORT_ROWS = 500.0, 100.0, 5.0, 10_000


def measure(folder: Path, changes: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from dpo_desktop.app import close_context
    from dpo_desktop.domain.models import Completeness, DocumentType
    from dpo_desktop.ui.models.review import COLUMNS, ReviewFilters, judge_reports, review_rows
    from dpo_desktop.ui.review_export import write_review_xlsx
    from dpo_desktop.ui.views.review import ReviewScreen

    app = QApplication.instance() or QApplication([])
    context = offline_context(folder)
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "ui.ini"), QSettings.Format.IniFormat)
        screen = ReviewScreen(context, settings=settings)
        screen.resize(1400, 900)
        started = time.perf_counter()
        screen.reload()
        build_ms = (time.perf_counter() - started) * 1000
        # As the screen does it: the judging on the CPU pool, the rest on the GUI thread.
        started = time.perf_counter()
        judged = judge_reports(context.reader.iter_report_source(), context.rules)
        pool_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        screen._show_rows(review_rows(context.reader, *judged))
        gui_ms = (time.perf_counter() - started) * 1000
        screen.show()
        app.processEvents()
        rows = len(screen.model.all_rows)

        event_combo = screen.combos["event_code"]
        events = [event_combo.itemData(index) for index in range(1, event_combo.count())]
        cycle = [ReviewFilters(status=Completeness.PARTIAL), ReviewFilters(document_type=DocumentType.SNILS),
                 ReviewFilters(status=Completeness.NONE, document_type=DocumentType.PASSPORT), ReviewFilters(),
                 ReviewFilters(search="петров")]
        cycle += [ReviewFilters(event_code=code) for code in events[:5]]
        times = []
        for step in range(changes):
            started = time.perf_counter()
            screen.set_filters(cycle[step % len(cycle)])
            app.processEvents()
            screen.table.viewport().repaint()
            times.append((time.perf_counter() - started) * 1000)

        screen.set_filters(ReviewFilters())
        cells = [row.cells for row in screen.model.rows[:EXPORT_ROWS]]
        target = Path(scratch) / "review.xlsx"
        started = time.perf_counter()
        write_review_xlsx(target, "Недостающие документы", COLUMNS, cells)
        export_s = time.perf_counter() - started
        size_mb = target.stat().st_size / 1e6
        screen.detach()
        screen.close()
    close_context(context)
    return {"rows": rows, "build_ms": build_ms, "pool_ms": pool_ms, "gui_ms": gui_ms,
            "filter_ms": times, "export_rows": len(cells), "export_s": export_s,
            "export_mb": size_mb, "peak_rss_mb": peak_rss_mb()}


def report(figures: dict[str, Any]) -> None:
    filters = figures["filter_ms"]
    median = statistics.median(filters)
    lines = [
        ("participants in the review", str(figures["rows"]), "", None),
        ("build the review (whole cache)", f"{figures['build_ms']:.0f} ms", f"< {BUILD_TARGET_MS:g} ms",
         figures["build_ms"] < BUILD_TARGET_MS),
        ("  of which the read and judging (CPU pool)", f"{figures['pool_ms']:.0f} ms", "", None),
        ("  of which rows, combos, model (GUI thread)", f"{figures['gui_ms']:.0f} ms", f"< {BUILD_TARGET_MS:g} ms",
         figures["gui_ms"] < BUILD_TARGET_MS),
        (f"filter change, median of {len(filters)}", f"{median:.1f} ms (max {max(filters):.1f})",
         f"< {FILTER_TARGET_MS:g} ms", median < FILTER_TARGET_MS),
        (f"XLSX export, {figures['export_rows']} rows", f"{figures['export_s']:.2f} s ({figures['export_mb']:.1f} MB)",
         f"< {EXPORT_TARGET_S:g} s", figures["export_s"] < EXPORT_TARGET_S),
        ("peak RSS", f"{figures['peak_rss_mb']:.0f} MB", "", None),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (figures from a busy machine run slower)")
    print(f"\n{'measure':<44} {'value':<32} {'target':<10} ok")
    for name, value, target, met in lines:
        print(f"{name:<44} {value:<32} {target:<10} {'' if met is None else ('yes' if met else 'NO')}")
    record("ui_review.build", f"build the review of {figures['rows']} participants", figures["build_ms"], "ms",
           target=BUILD_TARGET_MS, strict=True, note=f"GUI thread {figures['gui_ms']:.0f} ms")
    record("ui_review.filter_median", f"filter change, median of {len(filters)}", median, "ms",
           target=FILTER_TARGET_MS, strict=True)
    record("ui_review.xlsx", f"XLSX export, {figures['export_rows']} rows", figures["export_s"], "s",
           target=EXPORT_TARGET_S, strict=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rebuild", action="store_true", help="build the cache again")
    parser.add_argument("--changes", type=int, default=30, help="filter changes to time")
    args = parser.parse_args()
    folder = OUT if args.scale == 1.0 else OUT.with_name(f"ui-{args.scale:g}")
    prepare(folder, args.scale, args.rebuild)
    figures = measure(folder, args.changes)
    report(figures)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: Qt objects dying in arbitrary order only risk a crash here


if __name__ == "__main__":
    sys.exit(main())
