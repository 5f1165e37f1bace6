"""``dpo-desktop sandbox``: a sandbox portal served on loopback until stopped.

The command prints exactly one line on stdout, ``{"webhook": URL, "ca_file": PATH or null}``, so a
script or test can read where to call and what to trust; everything else goes to stderr. SIGINT or
SIGTERM stops it cleanly with exit code 0. With ``--state FILE`` the portal (data and webhook) is
loaded from FILE and written back to it: every few seconds while it changes, and on exit.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..cli import Failure, UsageError
from . import seeds
from .faults import FaultPlan, parse_faults
from .latency import MODELS, LatencyModel, parse_latency
from .limits import PLANS, LimitPlan, parse_limits
from .portal import Portal
from .server import LoopbackServer
from .state import PortalState, User

log = logging.getLogger("dpo.sandbox")

SAVE_EVERY_SECONDS = 5.0
TICK_SECONDS = 0.5
TLS_FOLDER = "sandbox-tls"


@dataclass(slots=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 0
    seed: str = "empty"
    tls: bool = False
    limits: LimitPlan = PLANS["standard"]
    latency: LatencyModel = MODELS["none"]
    faults: FaultPlan = field(default_factory=FaultPlan)
    state_path: Path | None = None


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sandbox", help="serve a sandbox Bitrix24 portal on loopback",
        description='Serve a sandbox Bitrix24 portal. Prints one JSON line, {"webhook": URL, "ca_file": PATH '
                    'or null}, then runs until Ctrl+C or SIGTERM.',
    )
    # Values are checked by run() rather than by argparse, so a bad one is reported on one line.
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", default="0", help="port to listen on (default 0: any free port)")
    parser.add_argument("--seed", default="empty", help=f"starting data: {', '.join(seeds.SEEDS)} (default empty)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a generated certificate authority")
    parser.add_argument("--limits", default="standard",
                        help="standard, enterprise, off or custom:burst=N,rate=R,... (default standard)")
    parser.add_argument("--latency", default="none", help="none or cloud (default none)")
    parser.add_argument("--faults", default="", help="fault plan, e.g. 503=0.05,drop=0.02,seed=7 or move=10")
    parser.add_argument("--state", metavar="FILE", help="load the portal from FILE if it exists; save it there")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return serve(options_from_args(args))


def options_from_args(args: argparse.Namespace) -> ServeOptions:
    """The command's options, checked; UsageError names the first bad one."""
    try:
        port = int(args.port)
    except ValueError:
        raise UsageError(f"--port needs a number, not {args.port!r}") from None
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {port}")
    if args.seed not in seeds.SEEDS:
        raise UsageError(f"--seed: unknown seed {args.seed!r}; use {', '.join(seeds.SEEDS)}")
    parsers: dict[str, Callable] = {"limits": parse_limits, "latency": parse_latency, "faults": parse_faults}
    parsed = {}
    for name, parse in parsers.items():
        try:
            parsed[name] = parse(getattr(args, name))
        except ValueError as error:
            raise UsageError(f"--{name}: {error}") from None
    return ServeOptions(
        host=args.host, port=port, seed=args.seed, tls=args.tls, state_path=Path(args.state) if args.state else None,
        **parsed,
    )


def serve(
    options: ServeOptions,
    announce: Callable[[LoopbackServer], None] | None = None,
    state: PortalState | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM; print the webhook line once listening. Returns the exit code.

    ``state`` is a freshly built portal to serve; without it the portal is loaded from
    ``options.state_path`` (keeping its webhook) or built from ``options.seed``.
    """
    loaded = state is None and options.state_path is not None and options.state_path.exists()
    if state is None:
        state = _load(options.state_path) if loaded else _build(options.seed)
    user, code = _webhook(state, reuse=loaded)
    portal = Portal(state, limits=options.limits, latency=options.latency, faults=options.faults)
    if options.state_path is not None:
        _save(portal, options.state_path)  # the webhook survives even a kill -9 from now on
    tls_dir = _tls_dir(options.state_path) if options.tls else None
    try:
        server = LoopbackServer(portal, options.host, options.port, tls_dir)
    except OSError as error:
        raise Failure(f"cannot listen on {options.host}:{options.port}: {error.strerror or error}") from None
    with _stop_signals() as stopped:
        with server:
            ca_file = str(server.ca_file.resolve()) if server.ca_file else None
            print(json.dumps({"webhook": f"{server.url}/rest/{user.id}/{code}/", "ca_file": ca_file}), flush=True)
            if announce is not None:
                announce(server)
            _wait_for_stop(stopped, portal, options.state_path)
        if options.state_path is not None:
            _save(portal, options.state_path)
    return 0


def _wait_for_stop(stopped: threading.Event, portal: Portal, state_path: Path | None) -> None:
    """Idle until stopped, saving the state every few seconds while requests come in."""
    saved_requests, saved_at = portal.requests, time.monotonic()
    # Short waits: on Windows a signal is only handled once the wait returns.
    while not stopped.wait(TICK_SECONDS):
        due = time.monotonic() - saved_at >= SAVE_EVERY_SECONDS
        if state_path is None or not due or portal.requests == saved_requests:
            continue
        saved_at = time.monotonic()
        try:
            saved_requests = _save(portal, state_path)
        except Failure as error:
            log.error("%s; serving on, trying again later", error)


def _load(path: Path) -> PortalState:
    try:
        return PortalState.load(path)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as error:
        raise Failure(f"cannot read the sandbox state {path}: {error}") from None


def _build(seed: str) -> PortalState:
    try:
        return seeds.build(seed)
    except ValueError as error:
        raise Failure(f"cannot build the {seed!r} seed: {error}") from None


def _webhook(state: PortalState, *, reuse: bool) -> tuple[User, str]:
    """The administrator and the webhook to announce: a new one for a fresh portal; for a saved
    portal the one made when it was fresh (its administrator's last full-scope webhook)."""
    admin = next((user for user in state.users.values() if user.admin), None)
    if admin is None:
        raise Failure("the sandbox portal has no administrator to make a webhook for")
    if reuse:
        ours = [code for code, hook in state.webhooks.items() if hook.user_id == admin.id and hook.scopes is None]
        if ours:
            return admin, ours[-1]
    return admin, state.add_webhook(admin.id)


def _tls_dir(state_path: Path | None) -> Path:
    """Certificates beside the state file, or in the data folder without one."""
    base = state_path.resolve().parent if state_path is not None else paths.data_dir()
    return base / TLS_FOLDER


def _save(portal: Portal, path: Path) -> int:
    """Save under the portal lock (a consistent snapshot); returns the request count it covers."""
    with portal.lock:
        try:
            portal.state.save(path)
        except (OSError, pickle.PicklingError, AttributeError, TypeError) as error:
            raise Failure(f"cannot save the sandbox state to {path}: {error}") from None
        return portal.requests


@contextmanager
def _stop_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM; the previous handlers come back afterwards."""
    stopped = threading.Event()
    kinds = [signal.SIGINT, signal.SIGTERM]
    previous = {kind: signal.signal(kind, lambda _number, _frame: stopped.set()) for kind in kinds}
    try:
        yield stopped
    finally:
        for kind, handler in previous.items():
            signal.signal(kind, handler)
