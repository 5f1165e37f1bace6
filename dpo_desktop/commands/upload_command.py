"""``upload --deal ID [--contact ID] [--type T|auto] FILE...``: scans to the portal through the queue.

Each file becomes a row of the persistent upload queue, is inspected, hashed and classified, then
uploaded and linked to the deal as a document. The same command run again (after a crash, a kill or a
lost connection) finds its rows and carries on: it uploads only what has not landed. A file the person
already has (same content, any deal) is skipped unless ``--keep-duplicates``. One line of JSON says what
became of each file; anything not uploaded is also said on stderr, with exit code 1.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path
from typing import Any

from .. import paths
from ..b24.errors import B24Error
from ..cli import Failure, UsageError
from ..domain.models import DocumentType
from ..profiles import Profile
from ..rules.classify import parse_type_argument
from ..scans.inspect import ScanRejected
from ..scans.merge import merge_images_to_pdf
from ..secrets import SecretStore
from ..store import Store, UploadItem
from ..sync.upload_queue import UploadRequest, add_files
from ..sync.uploader import Uploader, UploadStats
from .context import chosen_profile, make_client, mapping_for, open_cache, print_json, run, secret_store, warn
from .failures import OFFLINE, explain, offline_text

STATE_TITLES = {"queued": "в очереди", "hashed": "проверен", "classified": "распознан", "uploading": "загружается",
                "linked": "привязан", "done": "загружен", "failed": "ошибка", "duplicate": "дубликат",
                "attention": "требует внимания", "cancelled": "отменён"}


def add_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "upload", help="загрузить сканы документов",
        description="Загрузить файлы документов участников в сделку через очередь загрузки. Тип и участник "
                    "определяются по имени файла, если не заданы. Повторный запуск той же команды догружает "
                    "только то, что не загрузилось.")
    parser.add_argument("--deal", type=int, required=True, metavar="ID", help="сделка")
    parser.add_argument("--contact", type=int, metavar="ID", help="участник (контакт); иначе по имени файла")
    parser.add_argument("--type", default="auto", metavar="T",
                        help="тип документа: название как на портале («Паспорт»), код (passport) или auto")
    parser.add_argument("--keep-duplicates", action="store_true",
                        help="загружать и файлы, которые у человека уже есть (иначе они пропускаются)")
    parser.add_argument("--merge", action="store_true",
                        help="склеить изображения в один PDF (например, две страницы паспорта с телефона)")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="файлы (PDF, JPEG, PNG, TIFF)")
    parser.set_defaults(run=run_upload)


def run_upload(args: argparse.Namespace) -> int:
    try:
        doc_type = parse_type_argument(args.type)
    except ValueError as error:
        raise UsageError(str(error)) from None
    profile = chosen_profile(args.profile)
    secrets = secret_store()
    with open_cache(profile, must_exist=True) as store:
        if store.deal(args.deal) is None:
            raise Failure(f"Сделки {args.deal} нет в кэше: выполните «dpo-desktop sync» или проверьте номер")
        files = [_merged(profile, args.files)] if args.merge else list(args.files)
        request = UploadRequest(paths=files, deal_id=args.deal, contact_id=args.contact, doc_type=doc_type,
                                duplicates="keep" if args.keep_duplicates else "skip", batch=f"cli:{args.deal}")
        ids = add_files(store, request).ids
        return report(profile, *run(upload(profile, secrets, store, ids)), store, ids)


def _merged(profile: Profile, files: list[Path]) -> Path:
    """The images glued into one PDF, kept in the profile's folder until it has landed."""
    digest = hashlib.sha256("\n".join(str(path.resolve()) for path in files).encode()).hexdigest()[:16]
    # The digest names the folder, not the file: the file's name is what classification reads.
    target = paths.data_dir() / profile.name / "merged" / digest / f"{files[0].stem} (склеено).pdf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            merge_images_to_pdf(files, target)
        except ScanRejected as rejected:
            raise Failure(f"Склеить в PDF не удалось: {rejected.reason}") from None
    return target


async def upload(profile: Profile, secrets: SecretStore, store: Store,
                 ids: list[int]) -> tuple[UploadStats, float, int, B24Error | None]:
    started = time.perf_counter()
    async with make_client(profile, secrets) as client:
        try:
            mapping = await mapping_for(client, profile)
            uploader = Uploader(client, store, mapping, local_copies=local_copies_dir(profile))
            stats = await uploader.run(ids)
            return stats, time.perf_counter() - started, client.stats.requests, None
        except OFFLINE as error:
            return UploadStats(waiting=len(ids)), time.perf_counter() - started, client.stats.requests, error
        except B24Error as error:
            raise explain(error, profile) from None


def local_copies_dir(profile: Profile) -> Path:
    return paths.data_dir() / profile.name / "files"


def report(profile: Profile, stats: UploadStats, seconds: float, requests: int, offline: B24Error | None,
           store: Store, ids: list[int]) -> int:
    """Print the JSON line; on stderr what did not land; the exit code."""
    items = [item for item in (store.upload(item_id) for item_id in ids) if item is not None]
    print_json({**stats.as_dict(), "files": len(items), "requests": requests, "seconds": round(seconds, 3),
                "items": [item_json(item) for item in items], "messages": stats.messages})
    left = [item for item in items if item.state != "done" and not _skipped_duplicate(item)]
    stopped = offline_text(profile, offline) if offline is not None else stats.stopped
    if stopped is not None:
        warn(f"{stopped}: файлы ждут в очереди ({len(left)}); повторите команду позже")
        return 1
    if left:
        warn(f"Не загружено файлов: {len(left)} из {len(items)} — {summary(left)}. "
             "Подробности: dpo-desktop queue list")
        return 1
    return 0


def _skipped_duplicate(item: UploadItem) -> bool:
    return item.state == "cancelled" and item.duplicate_of is not None


def summary(items: list[UploadItem]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.state] = counts.get(item.state, 0) + 1
    first = next((item for item in items if item.reason), None)
    said = ", ".join(f"{STATE_TITLES[state]}: {count}" for state, count in counts.items())
    return f"{said}; {first.name}: {first.reason}" if first is not None else said


def item_json(item: UploadItem) -> dict[str, Any]:
    return {"id": item.id, "name": item.name, "state": item.state, "deal_id": item.deal_id,
            "contact_id": item.contact_id, "type": DocumentType(item.doc_type).title if item.doc_type else None,
            "reason": item.reason, "duplicate_of": item.duplicate_of, "element_id": item.element_id}

