"""``python -m bench.report FIGURES [NAME ...]``: the run's figures merged into ``docs/BENCHMARKS.md``.

``FIGURES`` holds the JSON lines ``bench.figures.record`` wrote during the run. Each benchmark that
recorded figures replaces its section; the others keep theirs, with the date and machine of the run that
measured them (the document carries its data in a comment at its end, so a subset can be merged). Every
target of the earlier issues is listed (:data:`bench.targets.TARGETS`): with its figure, or as not
measured. Unmet and unmeasured targets are named again in the closing note.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
from pathlib import Path
from typing import Any

from bench.targets import REMEDIES, TARGETS

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "BENCHMARKS.md"
DATA_MARK = "benchmark-data"
_DATA = re.compile(r"<!-- " + DATA_MARK + r"\n(.*?)\n-->", re.S)


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS, Python and Qt of this machine, as words."""
    cpu = platform.processor() or platform.machine()
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        cpu = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        memory = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        memory = "unknown"
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
    except ImportError:
        qt = "not installed"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory, "os": platform.platform(),
            "python": platform.python_version(), "qt": qt}


def load_document(path: Path) -> dict[str, Any]:
    """The data of the table as last written: ``{"runs": {bench: run}, "figures": [figure, ...]}``."""
    if not path.exists():
        return {"runs": {}, "figures": []}
    found = _DATA.search(path.read_text(encoding="utf-8"))
    return json.loads(found.group(1)) if found else {"runs": {}, "figures": []}


def read_figures(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def merge(old: dict[str, Any], figures: list[dict[str, Any]], ran: list[str]) -> dict[str, Any]:
    """The old data with each benchmark that recorded figures this run replaced; a named benchmark that
    recorded nothing keeps its old figures and is marked as failed in this run."""
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    here = machine()
    measured = sorted({figure["bench"] for figure in figures})
    runs = dict(old["runs"])
    for bench in measured:
        runs[bench] = {"at": now, "machine": here, "command": figures_of(figures, bench)[0]["command"],
                       "failed_at": None}
    for bench in ran:
        if bench not in measured:
            runs[bench] = {**runs.get(bench, {"at": None, "machine": here, "command": f"python -m bench.{bench}"}),
                           "failed_at": now}
    kept = [figure for figure in old["figures"] if figure["bench"] not in measured]
    return {"runs": runs, "figures": kept + figures, "written": now}


def figures_of(figures: list[dict[str, Any]], bench: str) -> list[dict[str, Any]]:
    return [figure for figure in figures if figure["bench"] == bench]


def number(value: float) -> str:
    if value == int(value) and abs(value) < 1e9:
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.2f}".replace(",", " ") if abs(value) >= 10 else f"{value:.3g}"


def target_text(figure: dict[str, Any]) -> str:
    if figure["target"] is None:
        return "—"
    sign = {("lower", True): "<", ("lower", False): "≤", ("higher", True): ">", ("higher", False): "≥"}
    return f"{sign[figure['better'], figure['strict']]} {number(figure['target'])} {figure['unit']}".strip()


def verdict_text(met: bool | None) -> str:
    return {True: "met", False: "**NOT MET**", None: "reference"}[met]


def peers_text(figure: dict[str, Any]) -> str:
    parts = []
    for name, value in figure["peers"].items():
        ratio = f" (ours/peer {figure['value'] / value:.2f})" if value else ""
        parts.append(f"{name}: {number(value)}{ratio}")
    return "; ".join(parts) or "—"


def render(data: dict[str, Any]) -> str:
    figures = data["figures"]
    by_key = {figure["key"]: figure for figure in figures}
    lines = ["# Benchmarks", "",
             "Written by `python3 dev.py bench` (all benchmarks) or `python3 dev.py bench NAME ...` (a subset, "
             "merged into this table; the other sections keep the date of their own run). Do not edit by hand: "
             "the figures come from `bench/`, the targets from `bench/targets.py`.", ""]
    met = sum(1 for key in TARGETS if by_key.get(key, {}).get("met") is True)
    unmet = [key for key in TARGETS if by_key.get(key, {}).get("met") is False]
    missing = [key for key in TARGETS if key not in by_key]
    lines += [f"**Targets: {met} met, {len(unmet)} not met, {len(missing)} not measured** "
              f"(of {len(TARGETS)}; last written {data['written']}).", ""]
    machines = {json.dumps(run["machine"], sort_keys=True) for run in data["runs"].values() if run.get("machine")}
    for index, described in enumerate(sorted(machines)):
        spec = json.loads(described)
        title = "Machine" if len(machines) == 1 else f"Machine {index + 1}"
        lines += [f"{title}: {spec['cpu']}, {spec['cores']} cores, {spec['memory']} RAM; {spec['os']}; "
                  f"Python {spec['python']}; {spec['qt']}.", ""]
    benches = set(data["runs"]) | {key.split(".", 1)[0] for key in TARGETS}
    for bench in sorted(benches, key=_bench_order):
        lines += _section(bench, data["runs"].get(bench), figures_of(figures, bench), len(machines) > 1)
    lines += _closing(by_key, unmet, missing, data["runs"])
    lines += ["", f"<!-- {DATA_MARK}", json.dumps(data, ensure_ascii=False, indent=None), "-->", ""]
    return "\n".join(lines)


def _bench_order(bench: str) -> tuple[int, str]:
    order = ["sandbox", "pull", "sync", "upload", "chaos", "ui", "ui_stall", "ui_review", "frdo"]
    return (order.index(bench) if bench in order else len(order), bench)


def _section(bench: str, run: dict[str, Any] | None, figures: list[dict[str, Any]],
             many_machines: bool) -> list[str]:
    if run is None:
        lines = [f"## {bench}", "", f"`python -m bench.{bench}` — not run yet."]
    else:
        loads = [figure["load"] for figure in figures if figure.get("load") is not None]
        lines = [f"## {bench}", "", f"`{run['command']}` — run {run.get('at') or 'never'}"
                 + (f" on {run['machine']['cpu']}, {run['machine']['cores']} cores" if many_machines else "")
                 + (f", load average {max(loads):.1f} when its figures were taken" if loads else "") + "."]
        if run.get("failed_at"):
            lines.append(f"\nThe run of {run['failed_at']} recorded no figures (it failed); the figures below, if "
                         "any, are from the run before.")
    recorded = {figure["key"] for figure in figures}
    unmeasured = [key for key in TARGETS if key.split(".", 1)[0] == bench and key not in recorded]
    lines += ["", "| figure | value | target | verdict | peers, same run | note |", "|---|---|---|---|---|---|"]
    for figure in figures:
        value = f"{number(figure['value'])} {figure['unit']}".strip()
        lines.append(f"| {figure['label']} | {value} | {target_text(figure)} | {verdict_text(figure['met'])} "
                     f"| {peers_text(figure)} | {figure['note'] or ''} |")
    lines += [f"| {TARGETS[key]} | — | as named | not measured | — | |" for key in unmeasured]
    return [*lines, ""]


def _closing(by_key: dict[str, Any], unmet: list[str], missing: list[str], runs: dict[str, Any]) -> list[str]:
    lines = ["## Closing note", ""]
    if not unmet and not missing:
        return [*lines, "Every target is measured and met."]
    for key in unmet:
        figure = by_key[key]
        remedy = REMEDIES.get(key, "not analysed yet")
        lines.append(f"- **Not met:** {figure['label']} ({figure['bench']}): {number(figure['value'])} "
                     f"{figure['unit']}, target {target_text(figure)}. What would meet it: {remedy}")
    for key in missing:
        bench = key.split(".", 1)[0]
        why = "its benchmark has not run" if bench not in runs else "its benchmark did not record it"
        lines.append(f"- **Not measured:** {TARGETS[key]} (`{key}`): {why}; run `python3 dev.py bench {bench}`.")
    return lines


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m bench.report FIGURES.jsonl [BENCHMARK ...]", file=sys.stderr)
        return 2
    from bench.__main__ import BENCHMARKS

    ran = argv[1:] or list(BENCHMARKS)
    data = merge(load_document(DOCUMENT), read_figures(Path(argv[0])), ran)
    DOCUMENT.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT.write_text(render(data), encoding="utf-8")
    figures = data["figures"]
    unmet = sum(1 for figure in figures if figure["met"] is False)
    print(f"bench.report: {len(figures)} figures ({unmet} not meeting their target) written to "
          f"{DOCUMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
