"""``python -m bench.office_day``: a whole office day against a faulty portal, with kills, then the portal checked.

    python -m bench.office_day [--deals 4] [--files 5] [--kills 5] [--faults 0.1] [--seed 8] [--limits off]

The demo office's portal runs in a process of its own (``dpo-desktop sandbox --state``) with mixed faults at
the given rate: 5xx pages and errors, 503 ``QUERY_LIMIT_EXCEEDED``, slow answers, dropped connections
(half of them after the portal applied the call). Two managers, each with their own data folder, work
through a scripted day with ``dpo-desktop``: a full sync; on each deal an existing contact added (by both
managers, one from a stale cache), a new person added (and the same person added to the next deal by the
other manager), a participant removed; scans uploaded across deals; files of unknown type answered in the
queue; incremental syncs; folder pushes by deal and ``--auto``; more scans; a last sync and push. Commands
are SIGKILLed at ``--kills`` random moments and run again until they say they are done, as a user would.
Contact and deal fields are not edited: the command line has no command for that (the GUI's edits take the
same outbox as the roster edits do).

Before the day, on a quiet portal, manager B's scheduled ``push --auto`` has run (so the day's automatic
push has the day's work to do, not the office's backlog). After it, the portal is restarted without
faults: a sync per manager and a push of one participant per deal must find nothing left to do (the
unchanged push's requests are measured there), and the portal's final state is compared with what
the script meant: documents lost, doubled or of the wrong type, participants and contacts doubled, edits
lost, folders incomplete. Exit code 1 when any count is not zero.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.office_day_driver import Desk, Finished, Killer, Log, PortalProcess, free_port
from bench.office_day_truth import Intent, NewPerson, Verdict, compare
from dpo_desktop.domain.models import DocumentType
from dpo_desktop.sandbox import seeds
from tests.integration.portal_truth import PortalView
from tests.sync.scans_support import make_scan

TYPES = (DocumentType.PASSPORT, DocumentType.SNILS, DocumentType.DIPLOMA, DocumentType.OTHER)
ANSWERED = DocumentType.APPLICATION  # the type a manager gives files the app could not recognise
SURNAMES = (("Ветрова", "Алёна"), ("Громов", "Степан"), ("Лукина", "Варвара"), ("Соболев", "Тимофей"),
            ("Яковлева", "Милана"), ("Орлов", "Савелий"), ("Зуева", "Таисия"), ("Котов", "Арсений"))


def day_steps(deals: int) -> int:
    """How many killable steps :class:`Day` takes (syncs, edits, uploads, queue answers, pushes), to spread
    the kills over; profile commands are not among them."""
    return 2 + 10 * deals + 2 + 2 + max(1, deals // 2) + 1 + 2


def fault_spec(rate: float, seed: int) -> str:
    """Mixed faults adding up to ``rate``: what a flaky office network and a busy portal give."""
    if rate <= 0:
        return ""
    shares = {"503": 0.15, "html": 0.1, "500": 0.15, "limit": 0.2, "drop": 0.25, "slow": 0.15}
    return ",".join([*(f"{kind}={rate * share:.4f}" for kind, share in shares.items()),
                     "slow_seconds=0.3", f"seed={seed}"])


@dataclass
class DayOutcome:
    verdict: Verdict
    log: Log
    seconds: float
    unchanged_push_requests: list[int] = field(default_factory=list)  # one participant each, nothing changed
    pending_left: int = 0  # edits still in an outbox at the end
    queue_left: int = 0  # uploads not landed at the end


def run_day(workdir: Path, *, deals: int = 4, files: int = 5, kills: int = 5, faults: float = 0.1, seed: int = 8,
            limits: str = "off") -> DayOutcome:
    rng = random.Random(seed)
    state = seeds.build("demo")
    view = PortalView(state)
    rosters: dict[int, set[int]] = {}
    for row in view.elements("dpo_participants"):
        rosters.setdefault(int(row["DEAL"]), set()).add(int(row["CONTACT"]))
    chosen = sorted(rng.sample(sorted(deal for deal in view.deals() if len(rosters.get(deal, ())) >= 3), deals))
    intent = Intent(chosen, {deal: set(rosters[deal]) for deal in chosen}, len(state.crm.contacts.table))
    state_file = workdir / "portal.state"
    state.save(state_file)
    portal = PortalProcess(state_file, workdir / "portal-home", free_port(), limits)
    log = Log()
    killer = Killer(kills, day_steps(deals), rng)
    started = time.perf_counter()
    manager_a = Desk("A", workdir / "manager-a", log, killer, started)
    manager_b = Desk("B", workdir / "manager-b", log, killer, started)
    webhook = portal.start("")
    try:
        yesterday(webhook, manager_a, manager_b, "off" if limits == "off" else "standard")
    finally:
        morning = portal.stop()
    intent.first_day_object = max(morning.disk.objects) + 1
    del morning
    portal.start(fault_spec(faults, seed))
    try:
        for desk in (manager_a, manager_b):
            desk.step("sync", "--full")
        Day(intent, rng, workdir / "scans", manager_a, manager_b, rosters, files).run()
    finally:
        state = portal.stop()
    outcome = DayOutcome(compare(state, intent), log, time.perf_counter() - started)
    portal.start("")  # the morning after: a quiet portal, to see that nothing is left to do
    try:
        check_quiet(outcome, manager_a, manager_b, intent)
    finally:
        portal.stop()
    return outcome


def yesterday(webhook: str, manager_a: Desk, manager_b: Desk, rate_plan: str) -> None:
    """Before the day, on a quiet portal: the profiles, and B's scheduled automatic push has been running
    (so the day's ``push --auto`` has the day's work to do, not the whole office's backlog)."""
    for desk in (manager_a, manager_b):
        desk.add_profile(webhook, rate_plan)
    manager_b.once("push", "--configure", "--auto-on-complete")
    pushed = manager_b.once("push", "--auto")
    if pushed.code != 0:
        raise RuntimeError(f"the automatic push before the day failed: {pushed.stderr.strip()[-300:]}")


def check_quiet(outcome: DayOutcome, manager_a: Desk, manager_b: Desk, intent: Intent) -> None:
    for desk in (manager_a, manager_b):
        synced = desk.once("sync")
        outcome.pending_left += (synced.json() or {}).get("pending", 0) if synced.code == 0 else 1
        queued = desk.once("queue", "list", "--json")
        outcome.queue_left += len(queued.json() or []) if queued.code == 0 else 1
    for deal_id in intent.deals:
        staying = intent.start_roster[deal_id] - {contact for deal, contact in intent.removed if deal == deal_id}
        contact_id = min(staying)
        pushed = manager_a.once("push", "--deal", str(deal_id), "--contact", str(contact_id)).json() or {}
        totals = pushed.get("totals", {})
        outcome.unchanged_push_requests.append(totals.get("requests", -1) if not totals.get("copied") else -1)


class Day:
    """The scripted day; everything it means to happen goes into the intent as it is asked for."""

    def __init__(self, intent: Intent, rng: random.Random, scans: Path, manager_a: Desk, manager_b: Desk,
                 rosters: dict[int, set[int]], files: int) -> None:
        self.intent, self.rng, self.scans = intent, rng, scans
        self.a, self.b = manager_a, manager_b
        self.rosters = rosters
        self.files = files
        self.serial = 0
        self.kept: dict[int, list[int]] = {}  # deal -> participants that stay all day (scans go to them)

    def run(self) -> None:
        deals = self.intent.deals
        for index, deal_id in enumerate(deals):
            self.roster_edits(index, deal_id)
        for index, deal_id in enumerate(deals):
            desk = self.a if index % 2 == 0 else self.b
            for number, contact_id in enumerate(self.kept[deal_id][:3]):
                self.upload(desk, deal_id, contact_id, TYPES[(index + number) % len(TYPES)], self.files)
        self.answer_queue(self.a, deals[0], self.kept[deals[0]][0])
        for desk in (self.a, self.b):
            desk.step("sync")
        for deal_id in deals[: max(1, len(deals) // 2)]:
            self.a.step("push", "--deal", str(deal_id))
        self.b.step("push", "--auto")
        for deal_id in deals:
            self.upload(self.b, deal_id, self.kept[deal_id][0], DocumentType.OTHER, max(1, self.files // 2))
        for desk in (self.b, self.a):
            desk.step("sync")
        for deal_id in deals:
            pushed = self.a.step("push", "--deal", str(deal_id)).json()
            self.intent.conflicts |= {result["contact_id"] for result in pushed["results"] if result["problems"]}

    def roster_edits(self, index: int, deal_id: int) -> None:
        deals = self.intent.deals
        desk, colleague = (self.a, self.b) if index % 2 == 0 else (self.b, self.a)
        members = sorted(self.intent.start_roster[deal_id])
        outsiders = sorted({contact for deal, contacts in self.rosters.items() if deal not in deals
                            for contact in contacts} - members_of(self.intent))
        outsider = self.rng.choice(outsiders)
        leaving = members[-1]
        self.kept[deal_id] = [*members[:-1], outsider]
        desk.step("participants", "add", "--deal", str(deal_id), "--contact", str(outsider))
        # A colleague adds the same person from a cache that has not seen the first add.
        colleague.step("participants", "add", "--deal", str(deal_id), "--contact", str(outsider))
        self.intent.added.add((deal_id, outsider))
        person = self.newcomer(index)
        desk.step("participants", "add", "--deal", str(deal_id), *person.arguments())
        # The same new person joins the next deal too, typed in again by the other manager.
        following = deals[(index + 1) % len(deals)]
        colleague.step("participants", "add", "--deal", str(following), *person.arguments())
        self.intent.newcomers[person] = {deal_id, following}
        desk.step("participants", "remove", "--deal", str(deal_id), "--contact", str(leaving))
        self.intent.removed.add((deal_id, leaving))

    def newcomer(self, index: int) -> NewPerson:
        last_name, name = SURNAMES[index % len(SURNAMES)]
        year = 1970 + self.rng.randrange(30)
        return NewPerson(last_name, name, f"{year}-{1 + index % 12:02d}-{10 + index % 18:02d}",
                         f"+7916{self.rng.randrange(10**7):07d}")

    def new_scans(self, count: int, stem: str) -> list[Path]:
        made = []
        for _ in range(count):
            self.serial += 1
            made.append(make_scan(self.scans / f"{stem} {self.serial:04d}.pdf", seed=self.serial * 7919, size=40))
        return made

    def upload(self, desk: Desk, deal_id: int, contact_id: int, doc_type: DocumentType, count: int) -> None:
        scans = self.new_scans(count, "скан")
        for path in scans:
            self.intent.upload(path.read_bytes(), deal_id, contact_id, doc_type)
        desk.step("upload", "--deal", str(deal_id), "--contact", str(contact_id), "--type", doc_type.value,
                  *map(str, scans))

    def answer_queue(self, desk: Desk, deal_id: int, contact_id: int) -> None:
        """Files whose type the app cannot tell wait for the manager, who answers in the queue."""
        scans = self.new_scans(2, "документ")
        for path in scans:
            self.intent.upload(path.read_bytes(), deal_id, contact_id, ANSWERED)
        uploaded = desk.step("upload", "--deal", str(deal_id), "--contact", str(contact_id), "--type", "auto",
                             *map(str, scans), done=waits_for_answer)
        ids = [str(item["id"]) for item in uploaded.json()["items"]]
        desk.step("queue", "retry", *ids, "--type", ANSWERED.value)


def waits_for_answer(finished: Finished) -> bool:
    """The upload got as far as it can without the user: every file landed or waits for an answer."""
    report = finished.json()
    return bool(report) and all(item["state"] in ("attention", "done") for item in report["items"])


def members_of(intent: Intent) -> set[int]:
    return {contact for contacts in intent.start_roster.values() for contact in contacts}


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.office_day", description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=4)
    parser.add_argument("--files", type=int, default=5, help="scans per upload command")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--faults", type=float, default=0.1, help="share of requests that meet a fault")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--limits", default="off", help="the portal's rate limits: off, standard, enterprise")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dpo-office-day-") as tmp:
        outcome = run_day(Path(tmp), deals=args.deals, files=args.files, kills=args.kills, faults=args.faults,
                          seed=args.seed, limits=args.limits)
    return report(outcome, args)


def report(outcome: DayOutcome, args: argparse.Namespace) -> int:
    verdict, log = outcome.verdict, outcome.log
    print(f"office day: {args.deals} deals, {args.faults:.0%} faults, {len(log.kills)} of {args.kills} kills, "
          f"seed {args.seed}: {log.steps} steps, {log.runs} command runs ({log.reruns} reruns), "
          f"{outcome.seconds:.1f} s")
    print("kills: " + ", ".join(f"{what} at {at} s" for what, at in log.kills))
    rows = [("documents uploaded", verdict.documents), ("documents lost", verdict.documents_lost),
            ("documents doubled", verdict.documents_doubled), ("documents of a wrong type", verdict.types_wrong),
            ("roster edits", verdict.edits), ("edits lost", verdict.edits_lost),
            ("participants doubled", verdict.participants_doubled),
            ("participants not meant", verdict.participants_unexpected),
            ("contacts doubled", verdict.contacts_doubled), ("folders checked", verdict.folders),
            ("folders incomplete", verdict.folders_incomplete),
            ("files doubled in folders", verdict.folder_files_doubled),
            ("folders with a conflict shown", verdict.folders_with_conflicts),
            ("edits still waiting", outcome.pending_left), ("uploads still queued", outcome.queue_left)]
    for name, value in rows:
        print(f"  {name:<28}{value:>6}")
    print(f"  unchanged push, one participant, requests: {outcome.unchanged_push_requests} (target ≤ 2)")
    for line in verdict.details:
        print(f"  {line}")
    failures = verdict.failures()
    if outcome.pending_left or outcome.queue_left:
        failures.append("work left waiting")
    if len(log.kills) < args.kills:
        failures.append(f"only {len(log.kills)} kills landed")
    print("office day: " + ("ok" if not failures else "FAILED: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
