"""A document's bytes on this computer, for its preview and for opening it: fetched once, kept by content.

In Drive mode the list element holds an attachment ID (``Document.file_id``); it is resolved to the Drive
object (remembered in the cache, so the next preview costs one request less), whose bytes are downloaded
into ``<folder>/<sha256>.<ext>``. A file already there is not fetched again: the name is the content.
In compatibility mode the portal does not hand files out, so the local copy kept at upload is used.

Both are kept sealed with the data key (``store.crypto_files``): what a fetch hands out is a plain
copy in the session's private folder (``paths.session_dir``), removed at exit and at the next start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..b24 import errors
from ..b24.disk import Disk
from ..store.crypto import DecryptionError
from ..store.crypto_files import plain_view, write_sealed
from .folder_files import extension_of
from .uploader import local_copy_path

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..domain.models import Document
    from ..portal.mapping import PortalMapping
    from ..store import Store

_KINDS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff", ".tiff": "tiff"}


class PreviewUnavailable(Exception):
    """The document's bytes cannot be had here; the text says why, in the user's words."""


@dataclass
class PreviewFiles:
    """What a fetch of several documents gave: a file per element code, or the reason there is none."""

    files: dict[str, Path] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def preview_path(folder: Path, document: Document) -> Path:
    """Where the document's bytes are kept: named by content, with the original name's extension."""
    digest = document.sha256 or hashlib.sha256(document.code.encode("utf-8")).hexdigest()
    return folder / f"{digest}{extension_of(document.original_name)}"


class PreviewFetcher:
    """Lane only: it uses the client and the store's writer."""

    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping, folder: Path, *,
                 local_copies: Path | None = None) -> None:
        self.client = client
        self.store = store
        self.mapping = mapping
        self.folder = folder
        self.local_copies = local_copies
        self.disk = Disk(client)

    async def fetch_all(self, documents: Iterable[Document]) -> PreviewFiles:
        """Every document's file, resolving unknown attachments in one batch; one failure does not stop the rest."""
        chosen = list(documents)
        result = PreviewFiles()
        if self.mapping.file_mode != "file":
            try:
                await self._resolve([doc.file_id for doc in chosen if doc.file_id is not None
                                     and not preview_path(self.folder, doc).is_file()])
            except PreviewUnavailable:
                pass  # each document says so for itself below
        for document in chosen:
            try:
                result.files[document.code] = await self.fetch(document)
            except PreviewUnavailable as problem:
                result.problems[document.code] = str(problem)
        return result

    async def fetch(self, document: Document) -> Path:
        """A plain copy of the document's file for this session; at rest it stays sealed."""
        target = preview_path(self.folder, document)
        if target.is_file():
            return self._view(target, document)
        if self.mapping.file_mode == "file":
            return self._view(self._local_copy(document), document)
        if document.file_id is None:
            raise PreviewUnavailable(f"У документа «{document.original_name or document.code}» нет файла на портале")
        object_id = (await self._resolve([document.file_id])).get(document.file_id)
        if object_id is None:
            raise PreviewUnavailable(f"Файл документа «{document.original_name or document.code}» удалён с портала")
        view = paths.session_dir() / target.name
        try:
            await self.disk.download(await self.disk.get_file(object_id), view)
        except errors.NotFoundError:
            raise PreviewUnavailable(
                f"Файл документа «{document.original_name or document.code}» удалён с портала") from None
        except errors.B24Error as error:
            raise PreviewUnavailable(f"Файл «{document.original_name or document.code}» не получен: "
                                     f"{error.description}") from None
        with open(view, "rb") as source:
            write_sealed(self.store.cipher, target, source)
        return view

    def _view(self, sealed: Path, document: Document) -> Path:
        try:
            return plain_view(self.store.cipher, sealed, paths.session_dir())
        except DecryptionError:
            sealed.unlink(missing_ok=True)  # sealed with a key that is gone: fetched again next time
            raise PreviewUnavailable(f"Копия файла «{document.original_name or document.code}» на этом компьютере "
                                     "не расшифровывается (ключ шифрования сменился)") from None

    async def _resolve(self, attachments: list[int]) -> dict[int, int]:
        known = self.store.drive_objects(attachments)
        unknown = sorted({attachment for attachment in attachments if attachment not in known})
        if unknown:
            try:
                resolved = await self.disk.resolve_attachments(unknown)
            except errors.B24Error as error:
                raise PreviewUnavailable(f"Файлы документов не найдены на Диске: {error.description}") from None
            if resolved:
                with self.store.write() as tx:
                    tx.remember_drive_files(resolved)
            known.update(resolved)
        return known

    def _local_copy(self, document: Document) -> Path:
        kind = _KINDS.get(extension_of(document.original_name))
        local = (local_copy_path(self.local_copies, document.sha256, kind)
                 if self.local_copies is not None and document.sha256 else None)
        if local is None or not local.is_file():
            raise PreviewUnavailable(f"«{document.original_name or document.code}»: на этом компьютере нет копии "
                                     "файла (портал в режиме совместимости не отдаёт файлы)")
        return local
