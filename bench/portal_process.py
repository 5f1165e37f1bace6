"""A sandbox portal from a saved state, served read-only for a benchmark run.

    python -m bench.portal_process STATE --limits standard --latency cloud --tls-dir DIR

Prints one JSON line ``{"webhook", "ca_file"}`` when ready; on SIGTERM prints the portal's counters
(``requests``, ``limit_rejections``, ``statuses``) as one more JSON line and exits. Unlike
``dpo-desktop sandbox --state`` it never writes the state back: a benchmark must not pay for saving.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from dpo_desktop.sandbox import seeds  # noqa: F401 - registers the generators of lazily made files
from dpo_desktop.sandbox.latency import parse_latency
from dpo_desktop.sandbox.limits import parse_limits
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.server import LoopbackServer
from dpo_desktop.sandbox.state import PortalState


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("state", type=Path)
    parser.add_argument("--limits", default="standard")
    parser.add_argument("--latency", default="cloud")
    parser.add_argument("--tls-dir", type=Path)
    args = parser.parse_args()
    state = PortalState.load(args.state)
    admin = next(user for user in state.users.values() if user.admin)
    code = state.add_webhook(admin.id)
    portal = Portal(state, limits=parse_limits(args.limits), latency=parse_latency(args.latency))
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    with LoopbackServer(portal, tls_dir=args.tls_dir) as server:
        ca_file = str(server.ca_file) if server.ca_file else None
        print(json.dumps({"webhook": f"{server.url}/rest/{admin.id}/{code}/", "ca_file": ca_file}), flush=True)
        stopped.wait()
    print(json.dumps({"requests": portal.requests, "limit_rejections": portal.limit_rejections,
                      "statuses": {str(key): value for key, value in portal.statuses.items()},
                      "bugs": len(portal.bugs)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
