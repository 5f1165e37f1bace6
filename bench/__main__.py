"""``python -m bench [NAME ...]``: run the named benchmarks (all when none is named), one after another."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("sandbox", "pull", "sync", "upload", "chaos", "ui", "ui_stall", "ui_review", "frdo")


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"bench: unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    status = 0
    for name in names or BENCHMARKS:
        print(f"\n=== bench.{name} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        saved, sys.argv = sys.argv, [f"bench.{name}"]
        try:
            status = max(status, int(module.main() or 0))
        finally:
            sys.argv = saved
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
