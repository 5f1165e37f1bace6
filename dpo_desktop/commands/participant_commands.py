"""``participants add`` and ``participants remove``: roster edits, offline first.

Input is checked before anything is touched (a bad СНИЛС, date, e-mail or phone is a usage error and
nothing is queued). The edit then goes to the outbox and the cache (``sync.roster``), and, unless
``--offline``, the outbox is pushed right away. One line of JSON says what became of the edit:
``queued`` (``--offline``), ``pushed``, ``waiting`` (no connection: the next ``sync`` sends it),
``conflict`` or ``failed`` (with the reason; exit code 1).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..b24.client import B24Client
from ..b24.errors import B24Error
from ..cli import Failure, UsageError
from ..domain.models import participant_code
from ..profiles import Profile, ProfileError
from ..rules import ValidationProblem
from ..rules.validators import (
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_snils,
    validate_birth_date,
)
from ..secrets import SecretStore, SecretStoreError
from ..store import Store
from ..sync.people import Person
from ..sync.push import Pusher
from ..sync.roster import RosterEdit, RosterError, add_participant, remove_participant
from .context import (
    chosen_profile,
    confirm_access,
    make_client,
    mapping_for,
    open_cache,
    print_json,
    run,
    secret_store,
    warn,
)
from .failures import OFFLINE, explain

PERSON_OPTIONS = ("last_name", "name", "second_name", "birth_date", "phone", "email", "snils")
STATES = {"done": "pushed", "pending": "waiting", "conflict": "conflict", "failed": "failed"}


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("participants", help="участники сделки",
                                 description="Добавить участника в сделку или убрать его. Изменение сразу "
                                             "попадает в кэш и очередь отправки и отправляется на портал.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    adding = actions.add_parser("add", help="добавить участника",
                                description="Добавить в сделку существующий контакт (--contact) или человека по "
                                            "данным; похожий контакт на портале будет найден, а не создан заново.")
    adding.add_argument("--deal", type=int, required=True, metavar="ID", help="сделка")
    adding.add_argument("--contact", type=int, metavar="ID", help="существующий контакт")
    adding.add_argument("--last-name", metavar="L", help="фамилия")
    adding.add_argument("--name", metavar="N", help="имя")
    adding.add_argument("--second-name", metavar="S", help="отчество")
    adding.add_argument("--birth-date", metavar="D", help="дата рождения, ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
    adding.add_argument("--phone", action="append", metavar="P", help="телефон (можно несколько)")
    adding.add_argument("--email", action="append", metavar="E", help="электронная почта (можно несколько)")
    adding.add_argument("--snils", metavar="X", help="СНИЛС, XXX-XXX-XXX XX")
    adding.add_argument("--offline", action="store_true", help="только поставить в очередь, не отправлять")
    adding.set_defaults(run=run_add)
    removing = actions.add_parser("remove", help="убрать участника", description="Убрать контакт из участников сделки.")
    removing.add_argument("--deal", type=int, required=True, metavar="ID", help="сделка")
    removing.add_argument("--contact", type=int, required=True, metavar="ID", help="контакт")
    removing.add_argument("--offline", action="store_true", help="только поставить в очередь, не отправлять")
    removing.set_defaults(run=run_remove)


def person_from_args(args: argparse.Namespace) -> Person | None:
    """The person typed on the command line, checked and normalised; None with ``--contact``."""
    given = [option for option in PERSON_OPTIONS if getattr(args, option) not in (None, [])]
    if args.contact is not None:
        if given:
            raise UsageError("укажите либо --contact, либо данные человека (--last-name, --name …), но не то и другое")
        return None
    if args.last_name is None or args.name is None:
        raise UsageError("укажите --contact ID или хотя бы --last-name и --name нового участника")
    try:
        return Person(
            last_name=normalize_name(args.last_name, field="last_name"),
            name=normalize_name(args.name, field="name"),
            second_name=normalize_name(args.second_name, field="second_name") if args.second_name else "",
            birth_date=validate_birth_date(args.birth_date) if args.birth_date else None,
            phones=tuple(dict.fromkeys(normalize_phone(phone) for phone in args.phone or ())),
            emails=tuple(dict.fromkeys(normalize_email(email) for email in args.email or ())),
            extra=(("snils", normalize_snils(args.snils)),) if args.snils else (),
        )
    except ValidationProblem as problem:
        raise UsageError(problem.message) from None


def run_add(args: argparse.Namespace) -> int:
    person = person_from_args(args)
    return _edit(args, lambda store: add_participant(store, args.deal, contact_id=args.contact, person=person),
                 "add", person is not None)


def run_remove(args: argparse.Namespace) -> int:
    return _edit(args, lambda store: remove_participant(store, args.deal, args.contact), "remove", False)


@dataclass
class PushAttempt:
    """What came of pushing the outbox right after the edit."""

    offline: str | None = None  # why the edit waits (no connection)
    refused: Failure | None = None  # the portal refused the push as a whole (revoked webhook, no schema)
    contact: str | None = None  # a new person's contact: "created" by this edit or "existing" on the portal


def _edit(args: argparse.Namespace, make: Callable[[Store], RosterEdit], action: str, new_person: bool) -> int:
    profile = chosen_profile(args.profile)
    with open_cache(profile, must_exist=True) as store:
        try:
            edit = make(store)
        except RosterError as error:
            raise Failure(_sentence(str(error))) from None
        _check_fresh(store, edit)
        attempt = PushAttempt() if args.offline else _push_now(profile, store, edit, new_person)
        line = _outcome(store, edit, action, args.offline, attempt)
    print_json(line)
    if attempt.refused is not None:
        raise Failure(f"{attempt.refused}. Изменение сохранено и будет отправлено при следующей синхронизации")
    if line["state"] in ("conflict", "failed"):
        raise Failure(f"Портал не принял изменение: {line['reason']}")
    if line["state"] == "waiting":
        why = attempt.offline or "Изменение не отправлено"
        warn(f"{why}: изменение сохранено и будет отправлено при следующей синхронизации (dpo-desktop sync)")
    return 0


def _check_fresh(store: Store, edit: RosterEdit) -> None:
    """An edit whose idempotency key names one made earlier (the same person added again after being
    removed) comes back already done: it would not reach the portal, so say so instead of «pushed»."""
    item = store.outbox_item(edit.outbox_id)
    if item is not None and item.state != "pending":
        raise Failure(f"Такое же изменение уже выполнялось раньше (№ {item.id} в очереди отправки) и повторно "
                      "не отправляется; выполните «dpo-desktop sync --full», чтобы кэш совпал с порталом")


async def _push(profile: Profile, secrets: SecretStore, store: Store, edit: RosterEdit,
                new_person: bool) -> PushAttempt:
    async with make_client(profile, secrets) as client:
        try:
            await confirm_access(client)
            mapping = await mapping_for(client, profile)
            await Pusher(client, store, mapping).push()
            item = store.outbox_item(edit.outbox_id)
            if new_person and item is not None and item.state == "done" and item.result:
                return PushAttempt(contact=await _contact_origin(client, edit.key, int(item.result["contact_id"])))
        except OFFLINE as error:
            return PushAttempt(offline=f"Нет связи с порталом {profile.portal} ({error.description})")
        except B24Error as error:
            return PushAttempt(refused=explain(error, profile))
        except Failure as failure:  # the portal's schema is incomplete: the edit waits in the outbox
            return PushAttempt(refused=failure)
    return PushAttempt()


def _push_now(profile: Profile, store: Store, edit: RosterEdit, new_person: bool) -> PushAttempt:
    """Push unless the secret cannot be had (no keyring entry): then the edit simply waits for ``sync``."""
    try:
        secrets = secret_store()
        return run(_push(profile, secrets, store, edit, new_person))
    except (ProfileError, SecretStoreError) as error:
        return PushAttempt(refused=Failure(str(error)))


async def _contact_origin(client: B24Client, key: str, contact_id: int) -> str:
    """``created`` when the contact carries this edit's idempotency key (the pusher made it), else ``existing``."""
    answer = await client.call("crm.contact.list", {"filter": {"ORIGINATOR_ID": "dpo-desk", "ORIGIN_ID": f"dpo-{key}"},
                                                    "select": ["ID"], "start": -1})
    made = {int(row["ID"]) for row in answer.result or []}
    return "created" if contact_id in made else "existing"


def _outcome(store: Store, edit: RosterEdit, action: str, offline: bool, attempt: PushAttempt) -> dict[str, Any]:
    item = store.outbox_item(edit.outbox_id)
    state = STATES.get(item.state, item.state) if item is not None else "pushed"
    if state == "waiting" and offline:
        state = "queued"
    result = (item.result if item is not None else None) or {}
    participant = edit.participant
    line: dict[str, Any] = {"action": action, "state": state, "queued": edit.created, "outbox_id": edit.outbox_id,
                            "deal_id": participant.deal_id}
    if action == "add":
        known = participant.contact_id if participant.contact_id > 0 else None  # < 0: a new person, not sent yet
        line["contact_id"] = result.get("contact_id", known)
        line["contact"] = None if line["contact_id"] is None else (attempt.contact or "existing")
        line["element_id"] = result.get("element_id")
    else:
        line["contact_id"] = participant.contact_id
        line["element_id"] = result.get("removed")
    line["code"] = (participant_code(participant.deal_id, line["contact_id"])
                    if line["contact_id"] is not None else None)
    line["waiting"] = store.pending_count()
    if state in ("conflict", "failed") and item is not None:
        line["reason"] = item.reason
    return line


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
