"""Destroying the local copies of a deal's (or an event's) documents once the portal verifiably has them.

What this computer keeps of a document: its preview file (``<previews>/<sha256>.<ext>``, Drive mode),
in compatibility mode the copy kept at upload (``<files>/<sha256[:2]>/<sha256>.<ext>``), both sealed at
rest, and the plain copies a running app made to show or open it (its session folder). Thumbnails live
only in memory. Before anything is removed every document of every participant of
the deals is checked against the portal, not only against our record: the participant's pushed folder
is listed and must hold the document's file (the one the push recorded, same sha256 as the document)
with the recorded size, not in the trash. Anything not verified stops the whole wipe with the reason.

``force`` wipes without that check only where it cannot destroy the only copy: the document is on the
portal as an element with its file on the Drive (Drive mode). It is refused for files still in the
upload queue and, in compatibility mode, for documents not yet pushed: there the local copy is the only
one the app can push from (the portal keeps the file in the element but does not hand it out).

A file whose content another document (outside the wipe) also uses is kept and counted. Every document
checked gets a "wipe" row in the access log, and each deal a summary: the proof of what was destroyed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import paths
from ..b24.disk import Disk, DiskObject
from ..b24.errors import NotFoundError
from ..store import folder_key
from .previews import preview_path
from .upload_steps import local_copy_path

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..domain.models import Deal, Document
    from ..portal.mapping import PortalMapping
    from ..store import Store

PREVIEWS_FOLDER = "previews"
SESSIONS_FOLDER = "session"  # under paths.cache_dir(): one folder per running app (paths.session_dir)
_WAITING = ("queued", "hashed", "classified", "uploading", "linked", "failed", "attention", "duplicate")


def previews_dir(profile_name: str) -> Path:
    """Where the previews of a profile's documents are kept (see ``ui/views/documents_panel.py``)."""
    return paths.data_dir() / profile_name / PREVIEWS_FOLDER


class WipeRefused(Exception):
    """Nothing was removed; the text says why in one Russian sentence, ``unverified`` lists each document."""

    def __init__(self, text: str, unverified: Iterable[Unverified] = ()) -> None:
        super().__init__(text)
        self.unverified = list(unverified)


@dataclass(frozen=True)
class Unverified:
    deal_id: int
    contact_id: int | None
    document_id: int | None
    what: str  # the document type, or the queued file's type
    reason: str
    only_copy: bool = False  # removing our copy could destroy the only one the app can use

    def text(self) -> str:
        document = f" (документ {self.document_id})" if self.document_id is not None else ""
        return f"сделка {self.deal_id}, участник {self.contact_id}: {self.what}{document} — {self.reason}"


@dataclass
class WipeResult:
    deal_ids: list[int]
    documents: int = 0
    files_removed: int = 0
    kept_shared: int = 0  # files another document outside the wipe also uses
    verified: bool = True  # False when forced past documents the check did not confirm
    unverified: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class LocalWiper:
    """Lane only: it lists folders on the portal and reads the store."""

    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping, *, previews: Path,
                 local_copies: Path | None) -> None:
        self.store = store
        self.mapping = mapping
        self.previews = previews
        self.local_copies = local_copies
        self.disk = Disk(client)
        self._listings: dict[int, dict[int, DiskObject] | None] = {}

    def deals_of_event(self, event_code: str) -> list[int]:
        wanted = event_code.strip().casefold()
        deals = [deal.id for deal in self.store.deals(pipeline_id=self.mapping.pipeline_id)
                 if wanted and deal.event_code.strip().casefold() == wanted]
        if not deals:
            raise WipeRefused(f"Мероприятия с кодом «{event_code}» нет в кэше: выполните «dpo-desktop sync»")
        return deals

    async def wipe(self, deal_ids: Iterable[int], *, force: bool = False) -> WipeResult:
        deals = [self._deal(deal_id) for deal_id in dict.fromkeys(deal_ids)]
        result = WipeResult([deal.id for deal in deals])
        documents = [doc for deal in deals for doc in self.store.documents(deal_id=deal.id)]
        unverified = self._waiting(result.deal_ids) + [problem for doc in documents
                                                       if (problem := await self.check(doc)) is not None]
        if unverified and not force:
            raise WipeRefused(_refusal("выкладка на портал не подтверждена", unverified), unverified)
        unsafe = [problem for problem in unverified if problem.only_copy]
        if unsafe:
            raise WipeRefused(_refusal("даже с --force: локальная копия может быть единственной", unsafe), unsafe)
        result.verified = not unverified
        result.unverified = [problem.text() for problem in unverified]
        wiped = {doc.code for doc in documents}
        check = "сверено с папкой на портале (файл, размер, sha256)" if result.verified else \
            "без проверки выкладки (--force); файл документа есть на Диске портала"
        for document in documents:  # each logged as soon as it is done: a wipe cut short is still proven
            removed, kept = self._remove(document, wiped)
            result.documents += 1
            result.files_removed += removed
            result.kept_shared += kept
            shared = f", оставлено общих с другими документами {kept}" if kept else ""
            self.store.log_access("wipe", deal_id=document.deal_id, contact_id=document.contact_id,
                                  document_id=document.id,
                                  detail=f"{document.type.title}: удалено файлов {removed}{shared}; {check}")
        for deal in deals:
            count = sum(1 for doc in documents if doc.deal_id == deal.id)
            self.store.log_access("wipe", deal_id=deal.id, detail=(
                f"локальные копии сделки уничтожены: документов {count}; проверка выкладки: "
                + ("пройдена" if result.verified else f"не пройдена для {len(unverified)}, принудительно")))
        return result

    async def check(self, document: Document) -> Unverified | None:
        """Why ``document`` is not verifiably in its participant's pushed folder on the portal; None when it is."""
        def problem(reason: str) -> Unverified:
            drive_mode = self.mapping.file_mode != "file"
            bytes_on_portal = drive_mode and document.id is not None and document.file_id is not None
            return Unverified(document.deal_id, document.contact_id, document.id, document.type.title, reason,
                              only_copy=not bytes_on_portal)

        if document.id is None:
            return problem("ещё не загружен на портал")
        record = self.store.push_folder(folder_key(document.deal_id, document.contact_id))
        if record is None:
            return problem("папка участника на портал не выкладывалась")
        pushed = next((item for item in record.files if item.document_code == document.code), None)
        if pushed is None:
            return problem("нет в папке участника на портале: выложите папку снова")
        if document.sha256 and pushed.sha256 != document.sha256:
            return problem("в папке на портале другая версия файла: выложите папку снова")
        listing = await self._listing(record.folder_id)
        if listing is None:
            return problem("папки участника на портале больше нет")
        item = listing.get(pushed.object_id) or next(
            (item for item in listing.values() if item.name.casefold() == pushed.name.casefold()), None)
        if item is None or item.deleted or item.type != "file":
            return problem("файла нет в папке участника на портале (удалён или в корзине)")
        if item.size != pushed.size:
            return problem(f"размер файла в папке на портале ({item.size}) не равен выложенному ({pushed.size})")
        return None

    async def _listing(self, folder_id: int) -> dict[int, DiskObject] | None:
        if folder_id not in self._listings:
            try:
                children = await self.disk.children(folder_id)
            except NotFoundError:
                self._listings[folder_id] = None
            else:
                live = [item for item in children if not item.deleted]
                self._listings[folder_id] = {item.id: item for item in live} if live or not children else None
        return self._listings[folder_id]

    def _waiting(self, deal_ids: list[int]) -> list[Unverified]:
        chosen = set(deal_ids)
        return [Unverified(item.deal_id, item.contact_id, None, "файл в очереди загрузки",
                           "ещё не загружен на портал", only_copy=True)
                for item in self.store.uploads(_WAITING) if item.deal_id in chosen]

    def _remove(self, document: Document, wiped: set[str]) -> tuple[int, int]:
        """Remove the document's files here; (removed, kept because another document uses them)."""
        files = self._files_of(document)
        if document.sha256 and any(other.code not in wiped
                                   for other in self.store.documents_by_sha256(document.contact_id, document.sha256)):
            return 0, sum(1 for path in files if path.is_file())
        removed = 0
        for path in files:
            if path.is_file():
                path.unlink()
                removed += 1
        return removed, 0

    def _files_of(self, document: Document) -> set[Path]:
        found = {preview_path(self.previews, document)}
        if document.sha256:
            found |= set(self.previews.glob(f"{document.sha256}.*"))
            if self.local_copies is not None:
                copy = local_copy_path(self.local_copies, document.sha256, None)
                found |= set(copy.parent.glob(f"{document.sha256}*"))
            # Plain copies a running app made to show or open the file (its session folder), any run's.
            found |= set((paths.cache_dir() / SESSIONS_FOLDER).glob(f"*/{document.sha256}.*"))
        return found

    def _deal(self, deal_id: int) -> Deal:
        deal = self.store.deal(deal_id)
        if deal is None:
            raise WipeRefused(f"Сделки {deal_id} нет в кэше: выполните «dpo-desktop sync» или проверьте номер")
        return deal


def _refusal(why: str, problems: list[Unverified]) -> str:
    shown = "; ".join(problem.text() for problem in problems[:3])
    more = f" и ещё {len(problems) - 3}" if len(problems) > 3 else ""
    return f"Локальные копии не удалены — {why}: {shown}{more}"
