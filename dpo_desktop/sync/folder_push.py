"""The folder push (DESIGN §3): a participant's documents as one folder on the common drive, with a manifest.

For one participant:

(a) with ``refresh``, the participant's documents are read again from the portal in one request and
    the cache is brought in line (new and changed ones written, the ones the portal no longer has removed);
(b) the files the folder should hold: each document as «<type>.<ext>», a second one of a type as
    «<type> (2).<ext>» (by element ID), and the manifest;
(c) the folder: the last push's record, checked by one listing; a folder gone or in the trash is
    forgotten and the path built again from the template;
(d) each file is skipped when the record has it (same document, same content) and the listing shows it
    with the recorded size; otherwise it is copied on the portal (Drive mode: ``disk.file.copyto``, then
    renamed) or uploaded from the local copy (compatibility mode). Files the push put there before that
    are no longer documents go to the trash; a file someone else put there is never touched;
(e) the manifest, written only when its content changed;
(f) the record of what the folder now holds.

An unchanged folder therefore costs the refresh and the listing — two requests — and copies nothing.
Progress is recorded after each copy, and a copy whose answer was lost is found again by name and size,
so a push stopped half-way (offline, killed) is simply run again and copies nothing twice. With
``bizproc_template_id`` set, the portal's business process is started on the deal instead of copying.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..b24.batch import MAX_COMMANDS, Batch
from ..b24.bizproc import Bizproc, deal_document
from ..b24.disk import Disk, DiskObject
from ..b24.errors import (
    AccessError,
    B24Error,
    BadParametersError,
    LimitError,
    MethodNotFoundError,
    NotFoundError,
    OperatingLimitError,
    UnavailableError,
)
from ..b24.lists import element_from_wire
from ..b24.paging import LISTS, iter_pages
from ..domain.models import Completeness, Contact, Deal, Document, full_name_of
from ..rules import DocumentIndex, DocumentRules, evaluate
from ..store import folder_key
from . import convert
from .folder_files import FolderWork, OutOfSpace, wanted_files
from .manifest import ManifestEntry, manifest_bytes, sha256_of

if TYPE_CHECKING:
    from pathlib import Path

    from ..b24.client import B24Client
    from ..portal.mapping import PortalMapping
    from ..store import Store
    from .push_settings import PushSettings

log = logging.getLogger("dpo.push")

OFFLINE = (UnavailableError, LimitError, OperatingLimitError)
WORKFLOW_META = "push.workflow."  # + deal ID: the documents a business process was last started for


class PushError(Exception):
    """The push cannot be done as asked; the text is one Russian sentence."""


class PushStopped(PushError):
    """The portal cannot be reached (or takes no more files): what is left waits for the next run.

    ``results``: the participants finished before the stop.
    """

    def __init__(self, text: str, results: Sequence[PushResult] = ()) -> None:
        super().__init__(text)
        self.results = list(results)


@dataclass
class PushResult:
    deal_id: int
    contact_id: int | None  # None for a business process started on the whole deal
    path: str = ""
    folder_id: int | None = None
    link: str = ""  # the folder's DETAIL_URL
    copied: list[str] = field(default_factory=list)  # file names copied or uploaded this time
    skipped: list[str] = field(default_factory=list)  # already there, unchanged
    removed: list[str] = field(default_factory=list)  # pushed before, no longer documents: to the trash
    manifest_written: bool = False
    workflow_id: str | None = None
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class FolderPusher:
    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping, settings: PushSettings, *,
                 local_copies: Path | None = None) -> None:
        self.client = client
        self.store = store
        self.mapping = mapping
        self.settings = settings
        self.local_copies = local_copies
        self.disk = Disk(client)
        self._folders: dict[tuple[str, ...], int] = {}  # path prefix -> folder ID, for this pusher's run
        self._root: int | None = None

    @property
    def drive_mode(self) -> bool:
        return self.mapping.file_mode != "file"

    # -- what to push ----------------------------------------------------------------------------------

    async def push_participant(self, deal_id: int, contact_id: int, *, refresh: bool = True) -> PushResult:
        deal = self._deal(deal_id)
        if not self.store.participants(deal_id=deal_id, contact_id=contact_id):
            raise PushError(f"Контакт {contact_id} не участник сделки {deal_id} (по кэшу): выполните "
                            "«dpo-desktop sync» или проверьте номера")
        results = await self._guarded(self._participants(deal, [contact_id], refresh=refresh))
        return results[0]

    async def push_deal(self, deal_id: int) -> list[PushResult]:
        deal = self._deal(deal_id)
        return await self._guarded(self._deal_work(deal))

    async def push_event(self, event_code: str) -> list[PushResult]:
        wanted = event_code.strip().casefold()
        deals = [deal for deal in self.store.deals(pipeline_id=self.mapping.pipeline_id)
                 if deal.event_code.strip().casefold() == wanted]
        if not wanted or not deals:
            raise PushError(f"Мероприятия с кодом «{event_code}» нет в кэше: выполните «dpo-desktop sync» "
                            "или проверьте код")

        async def every_deal(done: list[PushResult]) -> None:
            for deal in deals:
                await self._deal_work(deal)(done)
        return await self._guarded(every_deal)

    async def push_auto(self, rules: DocumentRules) -> list[PushResult]:
        """Push everyone who qualifies (a complete set with ``auto_on_complete``, or a deal in one of
        ``auto_stages``) from the cache as it is; those whose record already matches their documents and
        manifest are passed over without a single request and are not in the result."""
        chosen = self.auto_candidates(rules)
        if self.settings.bizproc_template_id is not None:
            deals = {deal.id: deal for deal, _contact_id in chosen}
            due = [deal for deal in deals.values()
                   if self.store.get_meta(WORKFLOW_META + str(deal.id)) != self._deal_fingerprint(deal.id)]

            async def workflows(done: list[PushResult]) -> None:
                for deal in due:
                    done.append(await self._workflow(deal))
            return await self._guarded(workflows)
        due_people = [(deal, contact_id) for deal, contact_id in chosen if not self.up_to_date(deal, contact_id)]

        async def folders(done: list[PushResult]) -> None:
            for deal, contact_id in due_people:
                await self._participants(deal, [contact_id], refresh=False)(done)
        return await self._guarded(folders)

    def auto_candidates(self, rules: DocumentRules) -> list[tuple[Deal, int]]:
        """(deal, contact) of every participant the automatic push is for, judged on the cache."""
        settings = self.settings
        if not settings.auto_on_complete and not settings.auto_stages:
            return []
        chosen = []
        for batch in self.store.iter_report_source(pipeline_id=self.mapping.pipeline_id):
            index = DocumentIndex.from_bits(batch.document_bits)
            people = [item for item in batch.participants if item.id is not None and item.contact_id > 0]
            for found in evaluate(batch.deals, batch.contacts, people, index, rules):
                complete = settings.auto_on_complete and found.result.status is Completeness.COMPLETE
                if complete or found.deal.stage_id in settings.auto_stages:
                    chosen.append((found.deal, found.result.contact_id))
        return chosen

    def up_to_date(self, deal: Deal, contact_id: int) -> bool:
        """The last push's record matches the cached documents and their manifest (no request asked)."""
        record = self.store.push_folder(folder_key(deal.id, contact_id))
        if record is None:
            return False
        contact = self.store.contact(contact_id)
        if record.path != "/".join(self.settings.folder_path(path_values(deal, contact_id, contact))):
            return False
        wanted = wanted_files(self.store.documents(deal_id=deal.id, contact_id=contact_id))
        pushed = {item.name: item for item in record.files}
        if set(pushed) != {item.name for item in wanted}:
            return False
        if any((pushed[item.name].document_code, pushed[item.name].sha256) != (item.document.code,
                                                                               item.document.sha256)
               for item in wanted):
            return False
        entries = [ManifestEntry(item.name, item.document, pushed[item.name].size) for item in wanted]
        return sha256_of(manifest_bytes(deal, contact_id, contact, entries)) == record.manifest_sha256

    # -- the work ----------------------------------------------------------------------------------------

    async def _guarded(self, work) -> list[PushResult]:
        """Run ``work(done)``; a lost connection stops it with what was finished so far."""
        done: list[PushResult] = []
        try:
            await work(done)
        except OFFLINE as error:
            raise PushStopped(f"Нет связи с порталом ({error.description}): выкладка остановлена; запустите её "
                              "снова — уже выложенное повторно не копируется", done) from None
        except OutOfSpace as full:
            raise PushStopped(f"На Диске портала не хватает места ({full}): выкладка остановлена", done) from None
        return done

    def _deal_work(self, deal: Deal):
        async def work(done: list[PushResult]) -> None:
            if self.settings.bizproc_template_id is not None:
                done.append(await self._workflow(deal))
                return
            await self._refresh(deal.id)
            people = [item.contact_id for item in self.store.participants(deal_id=deal.id)
                      if item.id is not None and item.contact_id > 0]
            await self._participants(deal, people, refresh=False)(done)
        return work

    def _participants(self, deal: Deal, contact_ids: Iterable[int], *, refresh: bool):
        async def work(done: list[PushResult]) -> None:
            for contact_id in contact_ids:
                if self.settings.bizproc_template_id is not None:
                    if not any(result.deal_id == deal.id for result in done):
                        done.append(await self._workflow(deal))
                    continue
                result = PushResult(deal.id, contact_id)
                before = self.client.stats.requests
                if refresh:
                    await self._refresh(deal.id, contact_id)
                await self._folder(deal, contact_id, result)
                result.requests = self.client.stats.requests - before
                done.append(result)
        return work

    async def _folder(self, deal: Deal, contact_id: int, result: PushResult) -> None:
        contact = self.store.contact(contact_id)
        parts = self.settings.folder_path(path_values(deal, contact_id, contact))
        if not parts:
            raise PushError(f"Шаблон пути «{self.settings.path_template}» дал пустой путь для сделки {deal.id} "
                            f"и контакта {contact_id}")
        work = await self._open(folder_key(deal.id, contact_id), parts)
        result.path, result.folder_id, result.link = work.path, work.folder_id, work.link
        wanted = wanted_files(self.store.documents(deal_id=deal.id, contact_id=contact_id))
        todo = [item for item in wanted if not work.in_place(item, result)]
        if todo:
            await work.bring(todo, result)
        await work.clear_unwanted({item.name for item in wanted}, result)
        entries = [ManifestEntry(item.name, item.document, work.size_of(item.name))
                   for item in wanted if work.size_of(item.name) is not None]
        await work.write_manifest(manifest_bytes(deal, contact_id, contact, entries), self.settings.manifest_name,
                                  result)
        copied = {item.name: item.document for item in wanted}
        for name in result.copied:
            if name in copied:  # the folder's names are type names («Паспорт (2).pdf»), not personal data
                self.store.log_access("push", deal_id=deal.id, contact_id=contact_id, document_id=copied[name].id,
                                      detail=f"«{name}» в папке участника на Диске портала")

    async def _open(self, key: str, parts: list[str]) -> FolderWork:
        """The participant's folder with its listing: the recorded one if it is still there, else the path."""
        record = self.store.push_folder(key)
        path = "/".join(parts)
        if record is not None and record.path == path:
            try:
                listing = await self.disk.children(record.folder_id)
            except NotFoundError:
                listing = None
            # A folder in the trash may still be listed: then everything in it is in the trash too.
            if listing is not None and not (listing and all(item.deleted for item in listing)):
                return FolderWork(self, key, record.folder_id, path, record.link, listing, record)
            log.info("the folder of %s is gone from the portal: built again", key)
            with self.store.write() as tx:
                tx.forget_push(key)
            record = None
        folder = await self._ensure(parts)
        listing = await self.disk.children(folder.id)
        same = record if record is not None and record.folder_id == folder.id else None
        return FolderWork(self, key, folder.id, path, folder.detail_url or "", listing, same)

    async def _ensure(self, parts: list[str]) -> DiskObject:
        if self._root is None:
            self._root = self.mapping.common_root_folder_id or (await self.disk.common_storage()).root_folder_id
        parent, folder = self._root, None
        for depth in range(1, len(parts) + 1):
            prefix = tuple(parts[:depth])
            if prefix in self._folders and depth < len(parts):
                parent = self._folders[prefix]
                continue
            folder = await self.disk.ensure_folder(parent, parts[depth - 1])
            parent = self._folders[prefix] = folder.id
        assert folder is not None
        return folder

    async def _refresh(self, deal_id: int, contact_id: int | None = None) -> None:
        """The documents of a deal (or of one participant) as the portal has them now, into the cache."""
        documents = self.mapping.documents
        # An S:ECrm value is a bare ID when the field links one CRM type, «D_12»/«C_7» when it links several.
        wanted: dict[str, Any] = {documents.field("deal").code: [str(deal_id), f"D_{deal_id}"]}
        if contact_id is not None:
            wanted[documents.field("contact").code] = [str(contact_id), f"C_{contact_id}"]
        params = {"IBLOCK_TYPE_ID": documents.iblock_type, "IBLOCK_ID": documents.iblock_id, "FILTER": wanted,
                  "SELECT": convert.element_select(documents)}
        found: list[Document] = []
        async for page in iter_pages(self.client, "lists.element.get", params, LISTS):
            for row in page:
                document = convert.document_from_element(element_from_wire(row), documents)
                if document is not None and document.deal_id == deal_id and contact_id in (None, document.contact_id):
                    found.append(document)
        present = {document.id for document in found}
        gone = [document.id for document in self.store.documents(deal_id=deal_id, contact_id=contact_id)
                if document.id is not None and document.id not in present]
        with self.store.write() as tx:
            tx.upsert_documents(found)
            if gone:
                tx.delete_documents(gone)

    # -- business process ----------------------------------------------------------------------------------

    async def _workflow(self, deal: Deal) -> PushResult:
        template_id = self.settings.bizproc_template_id
        assert template_id is not None
        result = PushResult(deal.id, None)
        before = self.client.stats.requests
        try:
            result.workflow_id = await Bizproc(self.client).start(template_id, deal_document(deal.id))
        except OFFLINE:
            raise
        except (AccessError, MethodNotFoundError):
            result.problems.append(f"Сделка {deal.id}: запускать бизнес-процессы через REST может только "
                                   "администратор портала (и на портале должен быть модуль бизнес-процессов)")
        except B24Error as error:
            if isinstance(error, (BadParametersError, NotFoundError)) and "template" in error.description.lower():
                text = f"шаблон бизнес-процесса {template_id} не найден на портале"
            else:
                text = f"бизнес-процесс {template_id} не запущен ({error.description})"
            result.problems.append(f"Сделка {deal.id}: {text}")
        else:
            with self.store.write() as tx:
                tx.set_meta(WORKFLOW_META + str(deal.id), self._deal_fingerprint(deal.id))
            self.store.log_access("push", deal_id=deal.id,
                                  detail=f"документы сделки копирует бизнес-процесс {template_id} портала")
        result.requests = self.client.stats.requests - before
        return result

    def _deal_fingerprint(self, deal_id: int) -> str:
        """Which documents the deal has (and their content and status): a business process is started again
        by the automatic push only when this changes."""
        digest = hashlib.sha256()
        for document in sorted(self.store.documents(deal_id=deal_id), key=lambda item: item.code):
            digest.update(f"{document.code}\t{document.sha256}\t{document.status.value}\n".encode())
        return digest.hexdigest()

    def _deal(self, deal_id: int) -> Deal:
        deal = self.store.deal(deal_id)
        if deal is None:
            raise PushError(f"Сделки {deal_id} нет в кэше: выполните «dpo-desktop sync» или проверьте номер")
        return deal

    async def source_objects(self, object_ids: Iterable[int]) -> dict[int, DiskObject]:
        """The live Drive files among ``object_ids``, 50 ``disk.file.get`` a batch (gone or trashed: left out)."""
        ids = list(dict.fromkeys(object_ids))
        found: dict[int, DiskObject] = {}
        for first in range(0, len(ids), MAX_COMMANDS):
            chunk = ids[first:first + MAX_COMMANDS]
            batch = Batch()
            for object_id in chunk:
                batch.add(f"f{object_id}", "disk.file.get", {"id": object_id})
            answer = await self.client.batch(batch)
            for object_id in chunk:
                if isinstance(answer.errors.get(f"f{object_id}"), NotFoundError):
                    continue
                item = DiskObject.from_wire(answer.get(f"f{object_id}"))
                if not item.deleted:
                    found[object_id] = item
        return found


def path_values(deal: Deal, contact_id: int, contact: Contact | None) -> dict[str, object]:
    """What the path template's placeholders stand for."""
    last, name, second = (contact.last_name, contact.name, contact.second_name) if contact else ("", "", "")
    return {"event_code": deal.event_code, "event_name": deal.event_name, "deal_id": deal.id,
            "deal_title": deal.title, "partner_code": deal.partner_code,
            "full_name": full_name_of(contact_id, last, name, second), "last_name": last, "name": name,
            "second_name": second, "contact_id": contact_id}
