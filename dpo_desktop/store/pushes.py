"""What the folder push wrote where, and the Drive files behind document attachments.

A push of a participant's folder records the folder, the manifest and each file it copied (name,
document, hash, size, Drive object). The next push compares the documents with this record and the
folder's listing with it: an unchanged folder costs one listing and copies nothing. Folder paths, links
and file names spell people's names: they are sealed at rest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from .crypto import CacheCipher
from .tables import chunks, marks


@dataclass(frozen=True)
class PushedFile:
    name: str
    document_code: str
    sha256: str
    size: int
    object_id: int


@dataclass(frozen=True)
class PushFolder:
    folder_key: str
    folder_id: int
    path: str
    link: str
    manifest_sha256: str
    manifest_id: int | None
    pushed_at: datetime
    files: tuple[PushedFile, ...]


def folder_key(deal_id: int, contact_id: int) -> str:
    return f"{deal_id}-{contact_id}"


class PushWrites:
    """The push half of a write transaction (mixed into ``WriteTx``)."""

    _connection: sqlite3.Connection
    _note: Callable[[str, object], None]
    _cipher: CacheCipher

    def record_push(self, key: str, *, folder_id: int, path: str, link: str, manifest_sha256: str,
                    manifest_id: int | None, files: Iterable[PushedFile]) -> None:
        """The folder ``key`` now holds exactly ``files`` (and the manifest)."""
        self._connection.execute(
            "INSERT INTO push_folders (folder_key, folder_id, path, link, manifest_sha256, manifest_id, pushed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (folder_key) DO UPDATE SET folder_id = excluded.folder_id,"
            " path = excluded.path, link = excluded.link, manifest_sha256 = excluded.manifest_sha256,"
            " manifest_id = excluded.manifest_id, pushed_at = excluded.pushed_at",
            (key, folder_id, self._cipher.seal(path, "push_folders.path"), self._cipher.seal(link, "push_folders.link"),
             manifest_sha256, manifest_id, datetime.now(UTC).isoformat()))
        self._connection.execute("DELETE FROM pushed_files WHERE folder_key = ?", (key,))
        self._connection.executemany(
            "INSERT INTO pushed_files (folder_key, name, document_code, sha256, size, object_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            # A random nonce keeps the key (folder, name) unique: one folder never holds one name twice.
            [(key, self._cipher.seal(item.name, "pushed_files.name"), item.document_code, item.sha256, item.size,
              item.object_id) for item in files])
        self._note("push_folders", key)

    def forget_push(self, key: str) -> None:
        """The folder is gone from the portal: the next push starts afresh."""
        self._connection.execute("DELETE FROM pushed_files WHERE folder_key = ?", (key,))
        self._connection.execute("DELETE FROM push_folders WHERE folder_key = ?", (key,))
        self._note("push_folders", key)

    def remember_drive_files(self, objects: Mapping[int, int]) -> None:
        """Attachment ID → Drive object ID, as ``disk.attachedObject.get`` resolved them."""
        self._connection.executemany(
            "INSERT INTO drive_files (attachment_id, object_id) VALUES (?, ?)"
            " ON CONFLICT (attachment_id) DO UPDATE SET object_id = excluded.object_id",
            list(objects.items()))


class PushReads:
    """The push half of a reader (mixed into ``StoreReader``)."""

    _query: Callable[..., list[tuple]]
    cipher: CacheCipher

    def push_folder(self, key: str) -> PushFolder | None:
        found = self._query("SELECT folder_key, folder_id, path, link, manifest_sha256, manifest_id, pushed_at"
                            " FROM push_folders WHERE folder_key = ?", key)
        if not found:
            return None
        key, folder_id, path, link, manifest_sha256, manifest_id, pushed_at = found[0]
        files = tuple(sorted((PushedFile(self.cipher.open(name, "pushed_files.name"), *rest) for name, *rest in
                              self._query("SELECT name, document_code, sha256, size, object_id FROM pushed_files"
                                          " WHERE folder_key = ?", key)), key=lambda item: item.name))
        path, link = self.cipher.open(path, "push_folders.path"), self.cipher.open(link, "push_folders.link")
        return PushFolder(key, folder_id, path, link, manifest_sha256, manifest_id,
                          datetime.fromisoformat(pushed_at), files)

    def drive_objects(self, attachment_ids: Iterable[int]) -> dict[int, int]:
        """The known Drive objects of these attachments (unknown ones left out)."""
        found: dict[int, int] = {}
        for chunk in chunks(dict.fromkeys(attachment_ids)):
            found.update(self._query(
                f"SELECT attachment_id, object_id FROM drive_files WHERE attachment_id IN ({marks(len(chunk))})",
                *chunk))
        return found
