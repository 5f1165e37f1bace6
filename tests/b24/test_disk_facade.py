"""Drive through the client: folders, streamed two-step uploads, new versions, renames, copies, downloads,
and attachment IDs resolved to files."""

from __future__ import annotations

import hashlib

import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.disk import INLINE_VERSION_LIMIT, Disk, DiskObject, name_clash
from dpo_desktop.b24.lists import Lists, disk_file_value
from dpo_desktop.sandbox.faults import parse_faults
from dpo_desktop.sandbox.limits import parse_limits
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


# -- new versions, renames, folders, attachments -----------------------------------------------------


def _manifest(tmp_path, text: str, name: str = "Опись.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_version_goes_inline_where_the_portal_has_no_version_upload_url(box, tmp_path):
    first, second = _manifest(tmp_path, "паспорт.pdf 1200\n"), _manifest(tmp_path, "паспорт.pdf 1200\nснилс.jpg 800\n")
    progress: list[int] = []

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            uploaded = await disk.upload(root, first)
            before = client.stats.requests
            version = await disk.upload_version(uploaded.id, second, progress=progress.append)
            asked = client.stats.requests - before
            before = client.stats.requests
            third = await disk.upload_version(uploaded.id, first)
            return uploaded, version, asked, third, client.stats.requests - before

    uploaded, version, asked, third, asked_again = run(scenario())
    assert version.id == uploaded.id and version.name == uploaded.name == "Опись.txt"
    assert version.size == len(second.read_bytes()) and progress == [version.size]
    assert asked == 2 and asked_again == 1  # the portal is asked for an upload URL once, then content goes inline
    assert third.size == len(first.read_bytes())
    assert box.state.disk.read_bytes(uploaded.id) == first.read_bytes()
    assert box.state.disk.objects[uploaded.id]["GLOBAL_CONTENT_VERSION"] == 3


def test_a_version_too_large_to_send_inline_is_refused_and_nothing_changes(box, tmp_path):
    small = _manifest(tmp_path, "опись")
    large = tmp_path / "large.pdf"
    large.write_bytes(b"%PDF" + b"0" * INLINE_VERSION_LIMIT)

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            uploaded = await disk.upload(root, small)
            with pytest.raises(ValueError, match="at most 1048576 bytes"):
                await disk.upload_version(uploaded.id, large)
            return uploaded

    uploaded = run(scenario())
    assert box.state.disk.read_bytes(uploaded.id) == small.read_bytes()


def test_a_portal_with_a_version_upload_url_gets_the_bytes_streamed(box, tmp_path):
    box.state.disk.version_upload_url = True
    small = _manifest(tmp_path, "опись")
    large = tmp_path / "Опись полная.pdf"
    payload = b"%PDF-1.4\n" + bytes(range(256)) * 6000  # over the inline limit
    large.write_bytes(payload)
    progress: list[int] = []

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            uploaded = await disk.upload(root, small)
            before = client.stats.requests
            version = await disk.upload_version(uploaded.id, large, progress=progress.append)
            return uploaded, version, client.stats.requests - before

    uploaded, version, requests = run(scenario())
    assert version.id == uploaded.id and version.size == len(payload) and version.name == "Опись.txt"
    assert progress[-1] == len(payload) and requests == 2
    assert hashlib.sha256(box.state.disk.read_bytes(uploaded.id)).digest() == hashlib.sha256(payload).digest()


@pytest.mark.parametrize("two_step", [False, True])
def test_a_dropped_version_upload_is_settled_by_sending_the_same_bytes(tmp_path, two_step):
    box = make_sandbox(faults=parse_faults("drop=0.4,seed=5"))
    box.state.disk.version_upload_url = two_step
    disk_state = box.state.disk
    file_id = disk_state.add_file(disk_state.root_folder(disk_state.common_storage_id()), "Опись.txt", b"old",
                                  user_id=1)
    versions = [_manifest(tmp_path, f"опись, версия {index}\n" * (index + 1), f"v{index}.txt") for index in range(6)]

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            answers = []
            for path in versions:
                for _attempt in range(10):
                    try:
                        answers.append(await disk.upload_version(file_id, path))
                        break
                    except errors.AmbiguousWriteError:
                        continue
            return answers

    answers = run(scenario())
    assert [answer.size for answer in answers] == [path.stat().st_size for path in versions]
    assert disk_state.read_bytes(file_id) == versions[-1].read_bytes()
    assert [child["NAME"] for child in disk_state.live_children(disk_state.root_folder(disk_state.common_storage_id()))
            ] == ["Опись.txt"]
    assert box.portal.statuses[0] > 0  # connections were dropped along the way


def test_rename_and_its_clash(box, tmp_path):
    scan = tmp_path / "IMG_0001.jpg"
    scan.write_bytes(b"\xff\xd8\xff" + b"1" * 50)
    other = tmp_path / "Паспорт.jpg"
    other.write_bytes(b"\xff\xd8\xff" + b"2" * 50)

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            first = await disk.upload(root, scan)
            await disk.upload(root, other)
            renamed = await disk.rename(first.id, "Диплом.jpg")
            with pytest.raises(errors.BadParametersError) as caught:
                await disk.rename(first.id, "паспорт.JPG")
            return first, renamed, caught.value, await disk.children(root)

    first, renamed, error, children = run(scenario())
    assert renamed.id == first.id and renamed.name == "Диплом.jpg" and renamed.size == first.size
    assert name_clash(error) and error.code == "DISK_OBJ_22000"
    assert sorted(child.name for child in children) == ["Диплом.jpg", "Паспорт.jpg"]


def test_a_folder_in_the_trash_counts_as_gone(box):
    disk_state = box.state.disk

    async def scenario():
        async with client_for(box) as client:
            disk = Disk(client)
            root = (await disk.common_storage()).root_folder_id
            event = await disk.ensure_path(root, ["ДПО", "ПК-2026-001 Охрана труда"])
            person = await disk.ensure_folder(event.id, "Иванов Иван Иванович [5]")
            live = await disk.folder(person.id)
            disk_state.mark_tree_deleted(event.id, user_id=1)
            outcomes = {}
            for name, folder_id in (("trashed", event.id), ("inside", person.id), ("unknown", 987654)):
                with pytest.raises(errors.NotFoundError) as caught:
                    await disk.folder(folder_id)
                outcomes[name] = caught.value
            return person, live, outcomes

    person, live, outcomes = run(scenario())
    assert live.id == person.id and live.type == "folder" and not live.deleted
    assert live.detail_url == ("https://sandbox.bitrix24.test/docs/path/ДПО/ПК-2026-001 Охрана труда/"
                               "Иванов Иван Иванович [5]")
    assert outcomes["unknown"].code == "ERROR_NOT_FOUND"
    assert "в корзине" in str(outcomes["trashed"]) and "в корзине" in str(outcomes["inside"])


@pytest.mark.parametrize(("deleted_type", "deleted"), [
    ("0", False), (0, False), (None, False), ("3", True), (3, True), ("4", True), (4, True),
])
def test_disk_object_reads_the_trash_mark(deleted_type, deleted):
    item = {"ID": "7", "NAME": "a.pdf", "TYPE": "file", "DELETED_TYPE": deleted_type}
    assert DiskObject.from_wire(item).deleted is deleted


def test_attachment_ids_of_disk_file_values_resolve_to_drive_files_fifty_a_request(box):
    disk_state, lists_state = box.state.disk, box.state.lists
    iblock = lists_state.add_list("dpo_documents", "Документы участника", user_id=1)
    file_field = lists_state.add_field(iblock, {"NAME": "Файл", "TYPE": "S:DiskFile", "CODE": "FILE"})
    folder = disk_state.add_folder(disk_state.root_folder(disk_state.common_storage_id()), "Сканы", user_id=1)
    files = [disk_state.add_file(folder, f"scan-{index}.pdf", b"%PDF" + bytes([index]), user_id=1)
             for index in range(60)]

    async def scenario():
        async with client_for(box) as client:
            lists = Lists(client)
            for index, file_id in enumerate(files):
                await lists.add_element(iblock, f"doc-{index}", {"NAME": f"Скан {index}",
                                                                 file_field: disk_file_value(file_id)})
            elements = [item async for item in lists.iter_elements(iblock)]
            attached = [int(element.value(file_field)) for element in elements]
            disk_state.delete_file(files[3])  # its attachment goes with it
            disk_state.detach(attached[7])
            disk = Disk(client)
            before = client.stats.requests
            resolved = await disk.resolve_attachments([*attached, attached[0], 987654])
            requests = client.stats.requests - before
            return attached, resolved, requests, await disk.resolve_attachments([])

    attached, resolved, requests, nothing = run(scenario())
    expected = {attached_id: file_id for index, (attached_id, file_id) in enumerate(zip(attached, files, strict=True))
                if index not in (3, 7)}
    assert resolved == expected and len(resolved) == 58
    assert requests == 2  # 61 distinct IDs: a batch of 50 and one of 11
    assert nothing == {}


def test_attachment_look_ups_stopped_by_the_operating_budget_wait_and_go_on(clock):
    box = make_sandbox(limits=parse_limits("custom:burst=off,operating=1,cost=0.05,window=60,bucket=10"))
    disk_state = box.state.disk
    root = disk_state.root_folder(disk_state.common_storage_id())
    files = [disk_state.add_file(root, f"scan-{index}.pdf", b"%PDF", user_id=1) for index in range(120)]
    attached = [disk_state.attach(file_id, module_id="iblock", entity_type="Bitrix\\Disk\\Uf\\IblockElement",
                                  entity_id=index, field_name="PROPERTY_7", user_id=1)
                for index, file_id in enumerate(files)]

    async def scenario():
        async with client_for(box, clock=clock) as client:
            return await Disk(client).resolve_attachments(attached), client.stats

    resolved, stats = run(scenario())
    assert resolved == dict(zip(attached, files, strict=True))
    assert box.portal.statuses[200] > 3 and stats.waited > 0 and clock.slept  # the budget ran out and was waited for
