"""The remote half of an upload: bytes to the Drive once, then the document element, then the cache.

Every step is committed before the next, and every remote step can be repeated safely:

- the Drive file has a name made of the person, the type and the content hash, in a folder of the deal,
  so an upload whose answer was lost (or whose process was killed) is found again by name and size;
- the list element has ``ELEMENT_CODE`` ``d-{deal}-{contact}-{type}-{hash}``, so a repeated add meets
  ``ERROR_ELEMENT_ALREADY_EXISTS`` and the element is read back in the same batch.

So a queue resumed after a crash, a kill or a dropped connection neither loses nor doubles a document.
In compatibility mode (a list with a plain File property) there is no Drive step: the element carries
the file as base64, streamed into the request body, and a local copy is kept for the folder push.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..b24 import errors
from ..b24.disk import Disk, UploadTarget
from ..b24.lists import Lists
from .upload_queue import prepare
from .upload_steps import FILE_MARKER, UPLOADS_FOLDER, PortalSteps, drive_name, local_copy_path

__all__ = ["FILE_MARKER", "LINK_BATCH", "UPLOADS_FOLDER", "Stop", "UploadStats", "Uploader", "drive_name",
           "local_copy_path"]

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..portal.mapping import PortalMapping
    from ..store import Store, UploadItem

log = logging.getLogger("dpo.upload")

_OFFLINE = (errors.UnavailableError, errors.LimitError, errors.OperatingLimitError)
_QUOTA = "ERROR_COULD_NOT_SAVE_FILE"
LINK_BATCH = 25  # files whose elements are made in one batch request (two commands each, 50 at most)


@dataclass
class UploadStats:
    done: int = 0
    already: int = 0  # the same document was on the portal before
    failed: int = 0
    attention: int = 0
    duplicates: int = 0
    cancelled: int = 0
    waiting: int = 0  # stopped by the connection: these carry on next time
    uploaded_bytes: int = 0
    stopped: str | None = None  # why the run stopped early (offline, no access, the drive is full)
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "already": self.already, "failed": self.failed, "attention": self.attention,
                "duplicates": self.duplicates, "cancelled": self.cancelled, "waiting": self.waiting,
                "uploaded_bytes": self.uploaded_bytes, "stopped": self.stopped}


class Stop(Exception):
    """The run cannot go on (offline, no access, the drive is full): what is left waits."""


class Uploader(PortalSteps):
    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping, *, local_copies: Path | None = None,
                 on_change: Callable[[UploadItem], None] | None = None) -> None:
        self.client = client
        self.store = store
        self.mapping = mapping
        self.disk = Disk(client)
        self.lists = Lists(client, mapping.documents.iblock_type)
        self.local_copies = local_copies
        self.on_change = on_change
        self._folders: dict[int, int] = {}
        self._alive: dict[tuple[str, int], bool] = {}

    async def run(self, ids: Iterable[int] | None = None) -> UploadStats:
        """Carry every working row (or the given ones) as far as it goes; report what became of them.

        Three things overlap: the next file is inspected and hashed on a worker thread, its REST step
        (the upload URL) runs while this file's bytes travel, and in Drive mode the elements of up to
        :data:`LINK_BATCH` uploaded files are made in one batch request.
        """
        stats = UploadStats()
        wanted = set(ids) if ids is not None else None
        await self._forget_cancelled_bytes()
        items = [item for item in self.store.uploads(["queued", "hashed", "classified", "uploading", "linked"])
                 if wanted is None or item.id in wanted]
        ahead: asyncio.Future[UploadItem] | None = None
        transfer: tuple[UploadItem, asyncio.Future[UploadItem]] | None = None  # bytes on their way
        unlinked: list[UploadItem] = []
        try:
            for position, item in enumerate(items):
                item = await ahead if ahead is not None else await self._prepared(item)
                ahead = None
                if position + 1 < len(items) and items[position + 1].state in ("queued", "hashed"):
                    ahead = asyncio.ensure_future(self._prepared(items[position + 1]))
                try:
                    item, target = await self._step(item, stats)
                    if item.state == "queued":  # the file changed after it was checked: check it again, once
                        item, target = await self._step(await self._prepared(item), stats)
                    if transfer is not None:
                        previous, transfer = transfer, None
                        await self._place(await self._arrived(previous, stats), unlinked, stats)
                    if target is not None:
                        transfer = (item, asyncio.ensure_future(self._transferred(item, target, stats)))
                    else:
                        await self._place(item, unlinked, stats)
                except Stop as stop:
                    if transfer is not None:
                        await self._settle(transfer, stats)
                        transfer = None
                    self._count(self.store.upload(item.id) or item, stats)  # failed (drive full) or waiting
                    stats.waiting += len(items) - position - 1
                    self._stopped(stats, stop)
                    break
            if transfer is not None:
                previous, transfer = transfer, None
                await self._place(await self._arrived(previous, stats), unlinked, stats)
            await self._link_all(unlinked, stats)
        except Stop as stop:  # the last bytes or elements found the portal gone
            stats.waiting += len(unlinked)
            if stats.stopped is None:
                self._stopped(stats, stop)
        finally:
            if ahead is not None:
                await ahead  # a worker thread cannot be cancelled; its row is committed and resumes later
            if transfer is not None:
                await self._settle(transfer, stats)
        return stats

    async def _prepared(self, item: UploadItem) -> UploadItem:
        """The local steps (inspect, hash, classify) on a worker thread: they read whole files."""
        if item.state not in ("queued", "hashed"):
            return item
        return self._announce(await asyncio.to_thread(prepare, self.store, item, self.mapping.documents))

    async def _place(self, item: UploadItem, unlinked: list[UploadItem], stats: UploadStats) -> None:
        """A file whose bytes are on the Drive waits for its element (made in batches); the rest is counted."""
        if self.drive_mode and item.state in ("uploading", "linked") and item.object_id is not None:
            unlinked.append(item)
            if len(unlinked) >= LINK_BATCH:
                await self._link_all(unlinked, stats)
        else:
            self._count(item, stats)

    async def _arrived(self, transfer: tuple[UploadItem, asyncio.Future[UploadItem]],
                       stats: UploadStats) -> UploadItem:
        """The file whose bytes were on their way; when they stopped the run, that file is counted here."""
        item, future = transfer
        try:
            return await future
        except Stop:
            self._count(self.store.upload(item.id) or item, stats)
            raise

    async def _settle(self, transfer: tuple[UploadItem, asyncio.Future[UploadItem]], stats: UploadStats) -> None:
        """Wait for bytes already on their way when the run stops; they are found again next time."""
        try:
            self._count(await self._arrived(transfer, stats), stats)
        except Stop:
            pass

    @staticmethod
    def _stopped(stats: UploadStats, stop: Stop) -> None:
        stats.stopped = str(stop)
        stats.messages.append(str(stop))

    async def _step(self, item: UploadItem, stats: UploadStats) -> tuple[UploadItem, UploadTarget | None]:
        """A file's REST steps: in Drive mode up to the upload URL (the bytes go as a transfer), in
        compatibility mode the whole element."""
        try:
            if item.state == "classified" and not await self._owners_alive(item):
                return item, None
            if not self.drive_mode:
                if item.state in ("classified", "uploading", "linked"):
                    item = await self._link(item, stats)
                return item, None
            if item.state in ("classified", "uploading") and item.object_id is None:
                return await self._bytes_target(item)
            return item, None
        except Exception as error:  # sorted into Stop, the file's failure, or raised on
            return self._failed(item, error), None

    async def _transferred(self, item: UploadItem, target: UploadTarget, stats: UploadStats) -> UploadItem:
        """The file's bytes to its upload URL; the Drive object is recorded at once."""
        try:
            try:
                landed = await self.disk.send(target, Path(item.path))
            except errors.BadParametersError as error:
                if error.code != "DISK_OBJ_22000":
                    raise
                landed = await self._landed_or_again(item, target)
            stats.uploaded_bytes += item.size or 0
            return self._set(item, "uploading", object_id=landed.id)
        except Exception as error:  # as in _step
            return self._failed(item, error)

    def _failed(self, item: UploadItem, error: Exception) -> UploadItem:
        """What an error means for the run (Stop) or for this file (failed, with a reason)."""
        if isinstance(error, _OFFLINE):
            raise Stop(f"Нет связи с порталом ({error.description})") from None
        if isinstance(error, errors.AuthError):
            raise Stop(f"Портал не принял доступ ({error.description})") from None
        if isinstance(error, errors.B24Error):
            if error.code == _QUOTA:
                self._set(item, "failed", reason="На диске портала нет места: освободите место и повторите")
                raise Stop("На диске портала нет места") from None
            return self._set(item, "failed", reason=f"Портал отказал: {error.description}")
        if isinstance(error, FileNotFoundError):
            return self._set(item, "failed", reason=f"Файл «{item.name}» удалён или перемещён до загрузки")
        raise error

    async def _link_all(self, items: list[UploadItem], stats: UploadStats) -> None:
        """Make (or find) the elements of uploaded files, two commands a file in one batch request."""
        if not items:
            return
        try:
            await self._link_batch(items)
        except _OFFLINE as error:
            stats.waiting += len(items)
            items.clear()
            raise Stop(f"Нет связи с порталом ({error.description})") from None
        except errors.AuthError as error:
            stats.waiting += len(items)
            items.clear()
            raise Stop(f"Портал не принял доступ ({error.description})") from None
        except errors.B24Error as error:  # the batch as a whole refused: each file says why
            for item in items:
                self._set(item, "failed", reason=f"Портал отказал: {error.description}")
        for item in items:
            self._count(self.store.upload(item.id) or item, stats)
        items.clear()

    # -- steps ---------------------------------------------------------------------------------------

    # -- bookkeeping -----------------------------------------------------------------------------------

    def _set(self, item: UploadItem, state: str, **values: Any) -> UploadItem:
        with self.store.write() as tx:
            tx.update_upload(item.id, state, **values)  # type: ignore[arg-type]
        return self._reload(item)

    def _reload(self, item: UploadItem) -> UploadItem:
        fresh = self.store.upload(item.id)
        assert fresh is not None
        return self._announce(fresh)

    def _announce(self, item: UploadItem) -> UploadItem:
        if self.on_change is not None:
            self.on_change(item)
        return item

    @staticmethod
    def _count(item: UploadItem, stats: UploadStats) -> None:
        if item.state == "done":
            if item.reason:
                stats.already += 1
            else:
                stats.done += 1
        elif item.state == "failed":
            stats.failed += 1
        elif item.state == "attention":
            stats.attention += 1
        elif item.state == "duplicate":
            stats.duplicates += 1
        elif item.state == "cancelled":
            stats.cancelled += 1
        else:
            stats.waiting += 1
