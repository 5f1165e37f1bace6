"""Drive through the client: folders, streamed two-step uploads, copies and downloads."""

from __future__ import annotations

import hashlib

import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.disk import Disk
from dpo_desktop.sandbox.faults import parse_faults
from tests.sandbox.portal_fixtures import make_sandbox

from .conftest import client_for, run


def test_upload_copy_and_download_round_trip(box, tmp_path):
    source = tmp_path / "Паспорт Иванова.pdf"
    payload = b"%PDF-1.4\n" + bytes(range(256)) * 4000
    source.write_bytes(payload)
    progress: list[int] = []

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            storage = await disk.common_storage()
            path = ["ДПО", "ПК-2026-001 Охрана труда", "Иванов И. И. [5]"]
            folder = await disk.ensure_path(storage.root_folder_id, path)
            again = await disk.ensure_path(storage.root_folder_id, path)
            uploaded = await disk.upload(folder.id, source, progress=progress.append)
            archive = await disk.ensure_folder(folder.id, "Архив")
            copy = await disk.copy_to(uploaded.id, archive.id)
            target = tmp_path / "copy.pdf"
            size = await disk.download(copy, target)
            children = await disk.children(folder.id)
            return folder, again, uploaded, copy, size, target.read_bytes(), children

    folder, again, uploaded, copy, size, downloaded, children = run(scenario())
    assert folder.id == again.id and folder.type == "folder"
    assert uploaded.size == len(payload) and copy.id != uploaded.id and copy.name == uploaded.name
    assert size == len(payload) and hashlib.sha256(downloaded).digest() == hashlib.sha256(payload).digest()
    assert progress and progress[-1] == len(payload)
    assert {child.name for child in children} == {"Паспорт Иванова.pdf", "Архив"}


def test_a_name_clash_is_an_error_unless_asked_for_a_unique_name(box, tmp_path):
    source = tmp_path / "scan.jpg"
    source.write_bytes(b"\xff\xd8\xff" + b"x" * 100)

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            await disk.upload(root, source)
            second = await disk.upload(root, source, unique_name=True)
            with pytest.raises(errors.BadParametersError) as caught:
                await disk.upload(root, source)
            return second, caught.value

    second, error = run(scenario())
    assert second.name == "scan (1).jpg"
    assert error.code == "DISK_OBJ_22000"


def test_a_lost_upload_answer_is_settled_by_reading_the_folder(tmp_path):
    box = make_sandbox(faults=parse_faults("drop=0.5,seed=11"))
    files = []
    for index in range(12):
        path = tmp_path / f"doc{index}.pdf"
        path.write_bytes(b"%PDF" + bytes([index]) * (1000 + index))
        files.append(path)

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            landed = []
            for path in files:
                for _attempt in range(10):
                    try:
                        landed.append(await disk.upload(root, path))
                        break
                    except errors.AmbiguousWriteError:
                        continue
            return landed, await disk.children(root)

    landed, children = run(scenario())
    assert sorted(item.name for item in landed) == sorted(path.name for path in files)
    assert sorted(child.name for child in children) == sorted(path.name for path in files)


def test_the_drive_out_of_space_is_a_clear_error(box, tmp_path):
    box.state.disk.quota = 10
    source = tmp_path / "big.pdf"
    source.write_bytes(b"%PDF" + b"0" * 100)

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            await disk.upload(root, source)

    with pytest.raises(errors.B24Error) as caught:
        run(scenario())
    assert caught.value.code == "ERROR_COULD_NOT_SAVE_FILE"
