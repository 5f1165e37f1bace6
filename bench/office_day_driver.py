"""Running ``dpo-desktop`` commands the way an office runs them on a bad day, for ``bench.office_day``.

:class:`Desk` is one manager's computer: a data folder with a profile whose secret is kept in a file
(an automated desk without a keyring). :class:`Killer` decides when a command is SIGKILLed: a kill is
planned for a number of steps and lands at a random moment while the command is at work; a command that
finishes before its kill came passes the kill on to the next step. After a kill, or when a fault made
the command give up, the command is run again — as a user would — until it says it is done.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpo_desktop.sandbox.state import PortalState

ROOT = Path(__file__).resolve().parent.parent
RUN_TIMEOUT_S = 600
MAX_RUNS = 300
MAX_DEFERRALS = 3  # steps a due kill may wait for a kind of command that has not been killed yet
MAX_STALLED = 12  # runs in a row that got no further (the same output): the command is stuck
VERBOSE = os.environ.get("DPO_OFFICE_DAY_VERBOSE") == "1"  # each run on stderr
# What a command says when the work a killed run left behind is already done: the rerun is a success.
ALREADY_DONE = ("уже участник", "не участник", "уже выполнялось")


@dataclass
class Finished:
    """One run of a command that was not killed."""

    code: int
    stdout: str
    stderr: str
    seconds: float

    def json(self) -> Any:
        lines = [line for line in self.stdout.strip().splitlines() if line.startswith(("{", "["))]
        return json.loads(lines[-1]) if lines else None


@dataclass
class Log:
    """What the day cost: runs, kills (with the step and the second they came), and reruns."""

    runs: int = 0
    reruns: int = 0
    kills: list[tuple[str, float]] = field(default_factory=list)
    steps: int = 0


class Killer:
    """Kills at ``count`` random moments of the day, spread over the killable steps and, where the next few
    steps allow, over the kinds of command (sync, roster edits, uploads, queue answers, pushes)."""

    def __init__(self, count: int, steps: int, rng: random.Random) -> None:
        self.rng = rng
        self.left = count
        # One kill in each of ``count`` equal stretches of the day: early syncs and edits, uploads, pushes.
        bounds = [part * steps // count for part in range(count + 1)] if steps and count else [0]
        self.planned = {rng.randrange(low, max(low + 1, high)) for low, high in itertools.pairwise(bounds)}
        self.step = -1
        # Kills waiting for the next step: planned for a step that finished before the kill came (or more
        # kills than steps).
        self.carried = count - len(self.planned)
        self.durations: dict[str, list[float]] = {}
        self.kinds_killed: set[str] = set()
        self.deferrals = 0

    def next_step(self) -> None:
        self.step += 1

    def delay_for(self, kind: str) -> float | None:
        """Seconds after the start to kill this run, or None: no kill is due."""
        due = self.left > 0 and (self.step in self.planned or self.carried > 0)
        if not due:
            return None
        if kind in self.kinds_killed and self.deferrals < MAX_DEFERRALS:
            self.deferrals += 1  # let a kind of command not killed yet have it, if one comes soon
            self.missed()
            return None
        known = self.durations.get(kind)
        # Inside the work: past the interpreter's start (about 0.5 s), before the usual end.
        longest = statistics.median(known) if known else 3.0
        return self.rng.uniform(0.45, max(0.6, 0.9 * longest))

    def killed(self, kind: str) -> None:
        self.left -= 1
        self.kinds_killed.add(kind)
        self.deferrals = 0
        if self.step in self.planned:
            self.planned.discard(self.step)
        else:
            self.carried -= 1

    def missed(self) -> None:
        """The run ended before its kill: the kill goes on to the next step."""
        if self.step in self.planned:
            self.planned.discard(self.step)
            self.carried += 1

    def took(self, kind: str, seconds: float) -> None:
        self.durations.setdefault(kind, []).append(seconds)


class Desk:
    """One manager's ``dpo-desktop`` with its own data folder."""

    def __init__(self, name: str, basedir: Path, log: Log, killer: Killer, started: float) -> None:
        self.name = name
        self.basedir = basedir
        self.log = log
        self.killer = killer
        self.started = started
        self.env = {key: value for key, value in os.environ.items() if key != "DPO_B24_WEBHOOK"}
        self.env["QT_QPA_PLATFORM"] = "offscreen"
        self.app = [sys.executable, "-m", "dpo_desktop", "--basedir", str(basedir)]

    def add_profile(self, webhook: str, rate_plan: str) -> None:
        subprocess.run([*self.app, "profile", "add", "office", "--webhook-stdin", "--rate-plan", rate_plan,
                        "--secret-in-file"], input=webhook + "\n", env=self.env, check=True, capture_output=True,
                       text=True, cwd=ROOT)

    def once(self, *arguments: str) -> Finished:
        """Run a command once, never killed (settings, read-only questions)."""
        started = time.perf_counter()
        done = subprocess.run([*self.app, *arguments], env=self.env, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_S, cwd=ROOT)
        self.log.runs += 1
        return Finished(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)

    def step(self, *arguments: str, done: Callable[[Finished], bool] | None = None) -> Finished:
        """A step of the day: killed if a kill is due, then run again until ``done`` (default: exit 0)."""
        done = done or (lambda finished: finished.code == 0)
        kind = arguments[0]
        self.killer.next_step()
        self.log.steps += 1
        after_kill = False
        stalled, last_output = 0, None
        for attempt in range(MAX_RUNS):
            finished = self._run(arguments, kind, self.killer.delay_for(kind))
            if attempt:
                self.log.reruns += 1
            if finished is None:
                after_kill = True
                continue
            if done(finished) or (after_kill and finished.code == 1
                                  and any(text in finished.stderr for text in ALREADY_DONE)):
                return finished
            # A run stopped by a fault may still have got further (a push's folders, an upload's files).
            stalled = stalled + 1 if finished.stdout == last_output else 0
            last_output = finished.stdout
            if stalled >= MAX_STALLED:
                break
        raise RuntimeError(f"{self.name}: dpo-desktop {' '.join(arguments)} still not done after {attempt + 1} runs: "
                           f"{finished.stderr.strip()[-300:]}")

    def _run(self, arguments: tuple[str, ...], kind: str, kill_after: float | None) -> Finished | None:
        """One run; None when it was killed."""
        started = time.perf_counter()
        process = subprocess.Popen([*self.app, *arguments], env=self.env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, cwd=ROOT)
        self.log.runs += 1
        if kill_after is not None:
            try:
                process.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.communicate()
                self.killer.killed(kind)
                self.log.kills.append((f"{self.name}: {' '.join(arguments[:2])}",
                                       round(time.perf_counter() - self.started, 1)))
                return None
            self.killer.missed()
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
        seconds = time.perf_counter() - started
        if VERBOSE:
            said = (stderr.strip().splitlines() or [""])[-1][:160]
            print(f"[{self.name}] {' '.join(arguments[:4])}: {process.returncode} in {seconds:.1f} s {said}",
                  file=sys.stderr, flush=True)
        if process.returncode == 0:
            self.killer.took(kind, seconds)
        return Finished(process.returncode, stdout, stderr, seconds)


class PortalProcess:
    """``dpo-desktop sandbox --state FILE`` on a fixed port (so the desks' webhook stays valid across restarts)."""

    def __init__(self, state_file: Path, basedir: Path, port: int, limits: str) -> None:
        self.state_file, self.basedir, self.port, self.limits = state_file, basedir, port, limits
        self.process: subprocess.Popen | None = None

    def start(self, faults: str) -> str:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dpo_desktop", "--basedir", str(self.basedir), "sandbox", "--state",
             str(self.state_file), "--port", str(self.port), "--limits", self.limits, "--faults", faults],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox portal did not start")
        return json.loads(line)["webhook"]

    def stop(self) -> PortalState:
        """Stop it (it saves its state on the way out) and read what it saved."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            self.process.communicate(timeout=120)  # waits, and closes its pipe
        return PortalState.load(self.state_file)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
