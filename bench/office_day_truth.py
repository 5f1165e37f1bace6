"""The portal the office day meant to leave behind, and how the real one compares.

:class:`Intent` is written down by the day's script as it goes (who was added to which deal, who was
removed, each file uploaded and the type it should end with); :func:`compare` reads the portal's final
state straight from the sandbox (not through the app) and counts what went wrong.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.sandbox.state import PortalState
from tests.integration.portal_truth import PortalView


@dataclass(frozen=True)
class NewPerson:
    last_name: str
    name: str
    birth_date: str  # ISO
    phone: str

    def arguments(self) -> list[str]:
        return ["--last-name", self.last_name, "--name", self.name, "--birth-date", self.birth_date,
                "--phone", self.phone]


@dataclass
class Intent:
    deals: list[int]
    start_roster: dict[int, set[int]]  # deal -> contacts, as the portal had them in the morning
    start_contacts: int
    added: set[tuple[int, int]] = field(default_factory=set)  # (deal, contact) by an existing contact
    newcomers: dict[NewPerson, set[int]] = field(default_factory=dict)  # a new person -> the deals they joined
    removed: set[tuple[int, int]] = field(default_factory=set)
    documents: dict[str, tuple[int, int, DocumentType]] = field(default_factory=dict)  # sha256 -> where, what
    first_day_object: int = 0  # Drive objects with this ID or higher were made during the day
    conflicts: set[int] = field(default_factory=set)  # contacts whose folder push reported a problem to the user

    def upload(self, content: bytes, deal_id: int, contact_id: int, doc_type: DocumentType) -> None:
        self.documents[hashlib.sha256(content).hexdigest()] = (deal_id, contact_id, doc_type)


@dataclass
class Verdict:
    documents: int = 0  # uploaded during the day
    documents_lost: int = 0
    documents_doubled: int = 0
    types_wrong: int = 0  # a document whose type is not the one given (or answered in the queue)
    participants_doubled: int = 0
    contacts_doubled: int = 0
    edits: int = 0
    edits_lost: int = 0  # an add that is not there, a removal that did not happen
    participants_unexpected: int = 0
    folders: int = 0
    folders_incomplete: int = 0
    folder_files_doubled: int = 0
    folders_with_conflicts: int = 0  # a file not put there by the app in the way: shown to the user, not a loss
    details: list[str] = field(default_factory=list)

    def failures(self) -> list[str]:
        """The checks that failed, by name; empty when the day ended as meant."""
        names = ("documents_lost", "documents_doubled", "types_wrong", "participants_doubled", "contacts_doubled",
                 "edits_lost", "participants_unexpected", "folders_incomplete", "folder_files_doubled")
        return [name for name in names if getattr(self, name)]


def compare(state: PortalState, intent: Intent) -> Verdict:
    view = PortalView(state)
    verdict = Verdict(documents=len(intent.documents))
    _documents(view, intent, verdict)
    contact_of = _newcomer_contacts(state, intent, verdict)
    roster = Counter((int(row["DEAL"]), int(row["CONTACT"])) for row in view.elements("dpo_participants")
                     if row["DEAL"].isdigit() and row["CONTACT"].isdigit() and int(row["DEAL"]) in intent.deals)
    verdict.participants_doubled = sum(count - 1 for count in roster.values())
    meant = {(deal, contact) for deal, contacts in intent.start_roster.items() for contact in contacts}
    meant |= intent.added
    meant |= {(deal, contact_of[person]) for person, deals in intent.newcomers.items() if person in contact_of
              for deal in deals}
    meant -= intent.removed
    new_pairs = sum(len(deals) for deals in intent.newcomers.values())
    verdict.edits = len(intent.added) + new_pairs + len(intent.removed)
    verdict.edits_lost = (len(intent.added - set(roster)) + len(intent.removed & set(roster))
                          + new_pairs - sum(1 for person, deals in intent.newcomers.items() for deal in deals
                                            if (deal, contact_of.get(person)) in roster))
    verdict.participants_unexpected = len(set(roster) - meant)
    _folders(state, view, meant, intent, verdict)
    return verdict


def _documents(view: PortalView, intent: Intent, verdict: Verdict) -> None:
    found = Counter()
    types: dict[str, set[str]] = {}
    for row in view.elements("dpo_documents"):
        if row["SHA256"] in intent.documents:
            deal_id, contact_id, _type = intent.documents[row["SHA256"]]
            if row["DEAL"] == str(deal_id) and row["CONTACT"] == str(contact_id):
                found[row["SHA256"]] += 1
                types.setdefault(row["SHA256"], set()).add(row["DOC_TYPE"])
    verdict.documents_lost = sum(1 for sha in intent.documents if not found[sha])
    verdict.documents_doubled = sum(count - 1 for count in found.values())
    verdict.types_wrong = sum(1 for sha, (_d, _c, doc_type) in intent.documents.items()
                              if sha in types and types[sha] != {doc_type.title})


def _newcomer_contacts(state: PortalState, intent: Intent, verdict: Verdict) -> dict[NewPerson, int]:
    """Each new person's contact; a person found more than once counts as doubled."""
    found: dict[NewPerson, int] = {}
    for person in intent.newcomers:
        matches = [int(record["ID"]) for record in state.crm.contacts.table.values()
                   if record.get("LAST_NAME") == person.last_name and record.get("NAME") == person.name
                   and str(record.get("BIRTHDATE") or "").startswith(person.birth_date)]
        verdict.contacts_doubled += max(0, len(matches) - 1)
        if matches:
            found[person] = min(matches)
    # Any other contact made during the day is a double too (of someone the portal already knew).
    extra = len(state.crm.contacts.table) - intent.start_contacts - len(intent.newcomers)
    verdict.contacts_doubled = max(verdict.contacts_doubled, extra)
    return found


def _folders(state: PortalState, view: PortalView, roster: set[tuple[int, int]], intent: Intent,
             verdict: Verdict) -> None:
    """Every participant of the day's deals has a folder holding each of their documents, none twice over."""
    disk = state.disk
    wanted: dict[int, set[str]] = {}
    for row in view.elements("dpo_documents"):
        pair = (int(row["DEAL"] or 0), int(row["CONTACT"] or 0))
        if pair in roster:
            wanted.setdefault(pair[1], set()).add(row["SHA256"])
    live = [record for record in disk.objects.values() if record["DELETED_TYPE"] == 0]
    for contact_id in sorted({contact for _deal, contact in roster}):
        folders = {record["ID"] for record in live
                   if record["TYPE"] == "folder" and record["NAME"].endswith(f"[{contact_id}]")}
        files = [record for record in live if record["TYPE"] == "file" and record["PARENT_ID"] in folders]
        held = {_sha(disk, record) for record in files}
        # Copies the day made of one content in one folder (a foreign file of that content is not ours to count).
        made = Counter((record["PARENT_ID"], _sha(disk, record)) for record in files
                       if record["ID"] >= intent.first_day_object)
        verdict.folders += 1
        verdict.folder_files_doubled += sum(count - 1 for count in made.values())
        missing = wanted.get(contact_id, set()) - held
        if folders and missing and contact_id in intent.conflicts:
            verdict.folders_with_conflicts += 1
        elif not folders or missing:
            verdict.folders_incomplete += 1
            verdict.details.append(f"contact {contact_id}: {len(folders)} folders, {len(missing)} documents missing")


def _sha(disk, record) -> str:
    return hashlib.sha256(disk.read_bytes(record["ID"])).hexdigest()
