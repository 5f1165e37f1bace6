"""The kill scenario of issue 5: ``dpo-desktop upload`` SIGKILLed at random moments, then simply run again.

The sandbox portal runs on loopback in this process (it outlives the killed command); the command runs
in a child process with a profile of its own (its secret in a file, as automation without a keyring
keeps it). Shared by ``tests/integration`` (a small run) and ``bench/chaos.py`` (300 files, five kills).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sandbox.limits import PLANS
from dpo_desktop.sandbox.portal import Portal
from dpo_desktop.sandbox.server import LoopbackServer
from dpo_desktop.store import Store
from tests.sync.scans_support import deal_with_people, make_scan

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class KillOutcome:
    files: int
    kills: list[float] = field(default_factory=list)  # seconds after start each kill came
    landed_at_kills: list[int] = field(default_factory=list)  # documents on the portal when each kill came
    runs: int = 0  # command runs in all, killed ones included
    landed: int = 0  # document elements of the target on the portal
    distinct_contents: int = 0
    drive_files: int = 0  # live Drive files the uploads made
    active_queue: int = 0
    seconds: float = 0.0


def run_kill_scenario(workdir: Path, *, files: int, kills: int, seed: int, faults: str | None = None,
                      rate_plan: str = "off", image_size: int = 48) -> KillOutcome:
    """``rate_plan``: the client's own pace (the sandbox enforces none, so the run is as fast as the client)."""
    rng = random.Random(seed)
    state = seeds.build("demo")
    admin = next(user for user in state.users.values() if user.admin)
    webhook_code = state.add_webhook(admin.id)
    portal = Portal(state, limits=PLANS["off"])
    server = LoopbackServer(portal).start()
    try:
        webhook = f"http://127.0.0.1:{server.port}/rest/{admin.id}/{webhook_code}/"
        basedir = workdir / "basedir"
        env = {key: value for key, value in os.environ.items() if key != "DPO_B24_WEBHOOK"}
        env["QT_QPA_PLATFORM"] = "offscreen"
        app = [sys.executable, "-m", "dpo_desktop", "--basedir", str(basedir)]
        subprocess.run([*app, "profile", "add", "kill", "--webhook-stdin", "--rate-plan", rate_plan,
                        "--secret-in-file"], input=webhook + "\n", env=env, check=True, capture_output=True,
                       text=True)
        _until_done([*app, "sync"], env)
        cache = _cache(basedir)
        with Store.open(cache) as store:
            deal = deal_with_people(store, at_least=1, distinct_surnames=False)
        contact = deal.people[0].id
        scans = [make_scan(workdir / "scans" / f"скан {n:03d}.pdf", seed=seed * 100_000 + n, size=image_size)
                 for n in range(files)]
        if faults:
            portal.faults = parse_faults(faults)
        command = [*app, "upload", "--deal", str(deal.deal_id), "--contact", str(contact), "--type", "other",
                   *map(str, scans)]
        outcome = KillOutcome(files)
        started = time.perf_counter()
        # Random moments in the middle of the work: after a random number of files has landed, plus a jitter
        # that puts some kills inside a request, some between the steps of one file.
        targets = sorted(rng.sample(range(1, max(2, files * 3 // 4)), kills))  # room left to be killed in
        for target in targets:
            killed = False
            while not killed and _landed(state, deal.deal_id, contact) < files:
                process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                outcome.runs += 1
                while process.poll() is None and _landed(state, deal.deal_id, contact) < target:
                    time.sleep(0.02)
                time.sleep(rng.uniform(0, 0.02))
                if process.poll() is None:  # else it stopped by itself (faults): run it again, as a user would
                    process.send_signal(signal.SIGKILL)
                    killed = True
                    outcome.kills.append(round(time.perf_counter() - started, 2))
                    outcome.landed_at_kills.append(_landed(state, deal.deal_id, contact))
                process.wait()
        outcome.runs += _until_done(command, env)
        outcome.seconds = time.perf_counter() - started
        portal.faults = None
        _count(outcome, state, deal.deal_id, contact, basedir)
        return outcome
    finally:
        server.stop()


def _until_done(command: list[str], env: dict[str, str], rounds: int = 12) -> int:
    """Run the command again, as a user would, until it says everything is done."""
    for attempt in range(1, rounds + 1):
        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        if finished.returncode == 0:
            return attempt
    raise AssertionError(f"still failing after {rounds} runs: {finished.stderr.strip()}")


def _cache(basedir: Path) -> Path:
    found = sorted((basedir / "data").rglob("cache.sqlite3"))
    assert len(found) == 1, found
    return found[0]


def _codes(state, deal_id: int, contact_id: int) -> list[str]:
    iblock = next(iblock for iblock in state.lists.iblocks.values() if iblock.code == "dpo_documents")
    prefix = f"d-{deal_id}-{contact_id}-other-"
    return [code for record in list(iblock.elements.values()) if (code := record.get("CODE") or "").startswith(prefix)]


def _landed(state, deal_id: int, contact_id: int) -> int:
    return len(_codes(state, deal_id, contact_id))


def _count(outcome: KillOutcome, state, deal_id: int, contact_id: int, basedir: Path) -> None:
    codes = _codes(state, deal_id, contact_id)
    outcome.landed = len(codes)
    outcome.distinct_contents = len(set(codes))
    outcome.drive_files = sum(1 for record in state.disk.objects.values()
                              if record["TYPE"] == "file" and record["DELETED_TYPE"] == 0
                              and record["NAME"].startswith(f"{contact_id} "))
    with Store.open(_cache(basedir)) as store:
        outcome.active_queue = len(store.active_uploads())
