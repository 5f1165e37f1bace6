"""The data folder is the user's only, and no plain scan bytes stay in it: local copies (compatibility
mode) and previews are sealed at rest; what a viewer needs lives in the session's folder, removed at exit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dpo_desktop import paths
from dpo_desktop.domain.models import DocumentType
from dpo_desktop.store import Store
from dpo_desktop.store.crypto_files import is_sealed_file, read_sealed
from dpo_desktop.sync.previews import PreviewFetcher
from dpo_desktop.sync.upload_queue import UploadRequest, add_files
from dpo_desktop.sync.uploader import Uploader
from tests.sync.conftest import run
from tests.sync.scans_support import deal_with_people, make_scan
from tests.sync.test_upload_compat import compat_office  # noqa: F401  (the fixture)

posix_only = pytest.mark.skipif(os.name != "posix", reason="on Windows the profile folder is per-user already")


def modes(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode) for path in [folder, *folder.rglob("*")]}


@posix_only
def test_the_app_folders_and_everything_in_them_are_the_user_s_only(tmp_path):
    base = tmp_path / "base"
    earlier = base / "data" / "office"  # left by a version that did not care
    earlier.mkdir(parents=True)
    (earlier / "notes.txt").write_text("Ёлкина", encoding="utf-8")
    os.chmod(earlier, 0o755)
    os.chmod(earlier / "notes.txt", 0o644)
    paths.set_basedir(base)  # the autouse fixture restores its own afterwards

    data = paths.data_dir()
    store = Store.open(data / "office" / "cache.sqlite3")
    try:
        with store.write() as tx:
            tx.set_meta("probe", 1)
        found = modes(data)  # the cache, its write-ahead log and index, the access log: all while open
    finally:
        store.close()
    assert any(name.endswith("-wal") for name in found) and "office/notes.txt" in found
    for name, mode in found.items():
        expected = 0o700 if (data / name).is_dir() else 0o600
        assert mode == expected, (name, oct(mode))
    for folder in (paths.config_dir(), paths.log_dir(), paths.cache_dir(), paths.session_dir()):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_no_plain_scan_bytes_stay_under_the_data_folder_after_uploads_and_previews(compat_office,  # noqa: F811
                                                                                    tmp_path_factory):
    office = compat_office
    data = office.path.parent  # the profile's folder: the cache, local copies and previews
    local_copies, previews = data / "files", data / "previews"
    incoming = tmp_path_factory.mktemp("incoming")
    deal = deal_with_people(office.store)
    scans = [make_scan(incoming / "паспорт.jpg", seed=11, kind="jpeg"),
             make_scan(incoming / "диплом.png", seed=12, kind="png", size=400, noise=True),
             make_scan(incoming / "снилс.pdf", seed=13, kind="pdf")]
    add_files(office.store, UploadRequest(scans, deal.deal_id, deal.people[0].id, DocumentType.OTHER))

    async def work() -> dict[str, Path]:
        async with office.client() as client:
            stats = await Uploader(client, office.store, office.mapping, local_copies=local_copies).run()
            assert stats.done == 3
            mine = [doc for doc in office.store.documents(deal_id=deal.deal_id)
                    if doc.sha256 and doc.contact_id == deal.people[0].id and doc.type is DocumentType.OTHER]
            fetched = await PreviewFetcher(client, office.store, office.mapping, previews,
                                           local_copies=local_copies).fetch_all(mine)
            assert not fetched.problems
            return fetched.files
    views = run(work())

    contents = [scan.read_bytes() for scan in scans]
    pieces = [content[start:start + 64] for content in contents for start in (0, len(content) // 2, len(content) - 64)]
    copies = [path for path in local_copies.rglob("*") if path.is_file()]
    assert len(copies) == 3 and all(is_sealed_file(path) for path in copies)
    assert sorted(read_sealed(office.store.cipher, path) for path in copies) == sorted(contents)
    dropped_from = str(incoming).encode("utf-8")  # the queue's file paths are sealed too
    for path in data.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert not any(piece in raw for piece in pieces) and dropped_from not in raw, path

    # The viewer's copies: plain, but in the session's private folder, and gone with the session.
    session = paths.session_dir()
    assert sorted(view.read_bytes() for view in views.values()) == sorted(contents)
    assert all(view.parent == session for view in views.values())
    paths.clear_sessions(own=True)
    assert not any(view.exists() for view in views.values())
