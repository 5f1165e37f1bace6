"""``portal check`` and ``portal provision``: where the ДПО schema lives on the profile's portal.

A complete check is kept in the profile (the mapping), so that ``sync`` and the GUI start without
asking the portal again. ``check`` fails (exit 1) while something blocking is missing; ``provision``
creates what is missing and nothing twice, and fails when the schema is still incomplete after it.
"""

from __future__ import annotations

import argparse

from ..b24.errors import B24Error
from ..cli import Failure
from ..portal.check import CheckReport, check
from ..portal.provision import ProvisionError, ProvisionReport, provision
from ..profiles import Profile
from ..secrets import SecretStore
from .context import chosen_profile, make_client, print_json, remember_mapping, run, secret_store
from .failures import explain, incomplete


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("portal", help="схема ДПО на портале",
                                 description="Схема ДПО на портале профиля: воронка, поля, списки, папка архива.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    checking = actions.add_parser("check", help="что найдено на портале и чего не хватает",
                                  description="Найти схему ДПО на портале и показать, чего не хватает. "
                                              "Полная схема запоминается в профиле. Код выхода 1, если не хватает "
                                              "того, без чего программа не может работать.")
    checking.add_argument("--json", action="store_true", help="отчёт одной строкой JSON")
    checking.set_defaults(run=run_check)
    provisioning = actions.add_parser("provision", help="создать на портале недостающее (нужен администратор)",
                                      description="Создать на портале воронку, поля, списки и папку архива, "
                                                  "которых не хватает. Повторный запуск ничего не создаёт дважды.")
    provisioning.add_argument("--json", action="store_true", help="итог одной строкой JSON")
    provisioning.set_defaults(run=run_provision)


def run_check(args: argparse.Namespace) -> int:
    profile = chosen_profile(args.profile)
    report = run(_check(profile, secret_store()))
    if args.json:
        print_json(report.as_dict())
    else:
        print(report.text())
    mapping = report.discovery.mapping
    if mapping is None:
        raise Failure(incomplete(report.discovery))
    remember_mapping(profile, mapping)
    return 0


async def _check(profile: Profile, secrets: SecretStore) -> CheckReport:
    async with make_client(profile, secrets) as client:
        try:
            return await check(client, profile.portal_settings())
        except B24Error as error:
            raise explain(error, profile) from None


def run_provision(args: argparse.Namespace) -> int:
    profile = chosen_profile(args.profile)
    report = run(_provision(profile, secret_store(), args.json))
    if args.json:
        print_json(report.as_dict())
    else:
        print(report.text())
    mapping = report.after.mapping
    if mapping is None:
        raise Failure(incomplete(report.after))
    remember_mapping(profile, mapping)
    return 0


async def _provision(profile: Profile, secrets: SecretStore, as_json: bool) -> ProvisionReport:
    async with make_client(profile, secrets) as client:
        try:
            return await provision(client, profile.portal_settings())
        except ProvisionError as error:
            _show_done(error, as_json)
            raise Failure(str(error)) from None
        except B24Error as error:
            raise explain(error, profile) from None


def _show_done(error: ProvisionError, as_json: bool) -> None:
    """What was made before provisioning stopped: the next run will not make it again, but the user
    should know it is there."""
    if not error.actions:
        return
    if as_json:
        print_json({"actions": [action.as_dict() for action in error.actions], "complete": False})
    else:
        print("Сделано на портале до остановки:")
        print("\n".join(f"  {'✗' if action.kind == 'failed' else '✓'} {action.what}" for action in error.actions))
