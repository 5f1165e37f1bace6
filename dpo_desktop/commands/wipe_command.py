"""``wipe``: destroy this computer's copies of a deal's or an event's documents after a verified push.

The push is verified against the portal (the participant's folder is listed), so the command needs a
connection; without one nothing is removed. Prints one line of JSON (what was removed, whether the
check passed); a refusal is one line on stderr naming the documents not verified, exit code 1.
"""

from __future__ import annotations

import argparse

from ..b24.errors import B24Error
from ..cli import Failure
from ..profiles import Profile
from ..secrets import SecretStore
from ..store import Store
from ..sync.wipe import LocalWiper, WipeRefused, WipeResult, previews_dir
from .context import chosen_profile, make_client, mapping_for, open_cache, print_json, run, secret_store
from .failures import OFFLINE, explain, offline_text
from .upload_command import local_copies_dir


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "wipe", help="удалить с этого компьютера копии документов сделки или мероприятия после выкладки",
        description="Удалить локальные копии документов (просмотр, копии режима совместимости) сделки или "
                    "мероприятия. Сначала на портале проверяется, что каждый документ лежит в папке участника "
                    "(тот же файл, тот же размер); если нет — ничего не удаляется. Всё записывается в журнал "
                    "доступа к ПД.")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--deal", type=int, metavar="ID", help="документы участников этой сделки")
    target.add_argument("--event", metavar="CODE", help="документы участников всех сделок мероприятия")
    parser.add_argument("--force", action="store_true",
                        help="удалить без подтверждённой выкладки — только если файл документа есть на Диске "
                             "портала (копия не единственная); для файлов в очереди загрузки и в режиме "
                             "совместимости не действует")
    parser.set_defaults(run=run_wipe)


def run_wipe(args: argparse.Namespace) -> int:
    profile = chosen_profile(args.profile)
    secrets = secret_store()
    with open_cache(profile, must_exist=True) as store:
        if store.get_meta("last_sync") is None and not store.count("deals"):
            raise Failure(f"Кэш профиля «{profile.name}» пуст: выполните «dpo-desktop sync»")
        result = run(_wipe(profile, secrets, store, args))
    print_json(result.as_json())
    return 0


async def _wipe(profile: Profile, secrets: SecretStore, store: Store, args: argparse.Namespace) -> WipeResult:
    async with make_client(profile, secrets) as client:
        try:
            mapping = await mapping_for(client, profile)
            wiper = LocalWiper(client, store, mapping, previews=previews_dir(profile.name),
                               local_copies=local_copies_dir(profile))
            deal_ids = [args.deal] if args.deal is not None else wiper.deals_of_event(args.event)
            return await wiper.wipe(deal_ids, force=args.force)
        except WipeRefused as refused:
            raise Failure(str(refused)) from None
        except OFFLINE as error:
            raise Failure(f"{offline_text(profile, error)}: выкладку не проверить, ничего не удалено") from None
        except B24Error as error:
            raise explain(error, profile) from None
