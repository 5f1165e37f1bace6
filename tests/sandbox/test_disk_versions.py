"""Drive changes after the upload: new versions, rename, move, a folder to the trash, field descriptions.

Also the two-step upload's refusals the folder push depends on: the quota on the second step, one file per
``uploadUrl`` even when the file was refused, and the link (DETAIL_URL) of every folder answer.
"""

from __future__ import annotations

import base64

import httpx
import pytest

from dpo_desktop.sandbox.disk.state import LIVE, TRASHED, TRASHED_WITH_PARENT

BROWSER = {"Accept": "*/*", "Accept-Language": "ru-RU,ru;q=0.9", "Referer": "https://sandbox.bitrix24.test/",
           "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"}
DOCS = "https://sandbox.bitrix24.test/docs"


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


def common_root(sandbox) -> int:
    return sandbox.state.disk.root_folder(sandbox.state.disk.common_storage_id())


def new_folder(sandbox, name: str, parent: int | None = None) -> int:
    parent = common_root(sandbox) if parent is None else parent
    return sandbox.result("disk.folder.addSubFolder", {"id": parent, "data": {"NAME": name}})["ID"]


def upload(sandbox, folder: int, name: str, data: bytes) -> dict:
    content = base64.b64encode(data).decode()
    return sandbox.result("disk.folder.uploadFile",
                          {"id": folder, "data": {"NAME": name}, "fileContent": [name, content]})


def new_version(sandbox, file_id: int, data: bytes, name: str = "manifest.txt") -> httpx.Response:
    content = base64.b64encode(data).decode()
    return sandbox.call("disk.file.uploadVersion", {"id": file_id, "fileContent": [name, content]})


def download(sandbox, url: str) -> httpx.Response:
    return sandbox.client.get(url, headers=BROWSER)


def names_in(sandbox, folder: int) -> list[str]:
    return [item["NAME"] for item in sandbox.result("disk.folder.getChildren", {"id": folder})]


@pytest.fixture
def clock(sandbox) -> list[float]:
    """The portal's time, moved by hand: UPDATE_TIME must be seen to move."""
    moment = [1_790_000_000.0]
    sandbox.state.time_source = lambda: moment[0]
    return moment


@pytest.fixture
def folder(sandbox) -> int:
    return new_folder(sandbox, "Иванов Иван Иванович [5]")


# -- disk.file.uploadVersion -------------------------------------------------------------------------


def test_a_new_version_replaces_the_bytes_and_bumps_the_version(sandbox, folder, clock):
    first = upload(sandbox, folder, "manifest.txt", b"version one")
    clock[0] += 60
    answer = new_version(sandbox, first["ID"], "вторая версия, длиннее".encode(), name="другое имя.txt")
    assert answer.status_code == 200, answer.text
    version = answer.json()["result"]

    # The read shape with the version counter as a number, as the documentation's capture shows it.
    assert version["ID"] == str(first["ID"]) and version["GLOBAL_CONTENT_VERSION"] == 2
    assert version["DELETED_TYPE"] == "0" and version["PARENT_ID"] == str(folder)
    assert version["SIZE"] == str(len("вторая версия, длиннее".encode()))
    assert version["FILE_ID"] != str(first["FILE_ID"]) and isinstance(version["FILE_ID"], str)
    assert version["NAME"] == "manifest.txt"  # a version keeps the file's name
    assert version["CREATE_TIME"] == first["CREATE_TIME"] and version["UPDATE_TIME"] > first["UPDATE_TIME"]
    assert version["DETAIL_URL"] == f"{DOCS}/file/Иванов Иван Иванович [5]/manifest.txt"
    assert download(sandbox, version["DOWNLOAD_URL"]).content == "вторая версия, длиннее".encode()

    got = sandbox.result("disk.file.get", {"id": first["ID"]})
    assert got["GLOBAL_CONTENT_VERSION"] == "2" and got["SIZE"] == version["SIZE"]
    assert names_in(sandbox, folder) == ["manifest.txt"]
    third = new_version(sandbox, first["ID"], b"3").json()["result"]
    assert third["GLOBAL_CONTENT_VERSION"] == 3


NOT_SAVED = (400, "ERROR_COULD_NOT_SAVE_FILE", "Could not save file")
ONE_BYTE = ["a.txt", "AA=="]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, (400, "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #0}")),
    ({"id": "FILE"}, (400, "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #1}")),
    ({"id": "FILE", "fileContent": ["a.txt", "%%not base64%%"]}, NOT_SAVED),
    ({"id": "FILE", "fileContent": ["a.txt", ""]}, NOT_SAVED),  # an empty version
    ({"id": 987654, "fileContent": ONE_BYTE}, (400, "ERROR_NOT_FOUND", "Could not find entity with id '987654'")),
    ({"id": "FOLDER", "fileContent": ONE_BYTE}, (400, "ERROR_NOT_FOUND", "Could not find entity with id 'FOLDER'")),
])
def test_upload_version_refusals(sandbox, folder, params, expected):
    file = upload(sandbox, folder, "a.txt", b"original")
    real = {"FILE": file["ID"], "FOLDER": folder}
    params = {key: real.get(value, value) if isinstance(value, str) else value for key, value in params.items()}
    response = sandbox.call("disk.file.uploadVersion", params)
    status, code, text = expected
    assert error_of(response) == (status, code, text.replace("FOLDER", str(folder)))
    assert sandbox.state.disk.read_bytes(file["ID"]) == b"original"
    assert sandbox.result("disk.file.get", {"id": file["ID"]})["GLOBAL_CONTENT_VERSION"] == "1"


def test_a_file_in_the_trash_takes_no_new_version(sandbox, folder):
    file = upload(sandbox, folder, "a.txt", b"original")
    sandbox.result("disk.file.markDeleted", {"id": file["ID"]})
    assert error_of(new_version(sandbox, file["ID"], b"late"))[1] == "ERROR_NOT_FOUND"
    assert sandbox.state.disk.read_bytes(file["ID"]) == b"original"


def test_versions_count_against_the_quota_until_the_file_is_deleted(sandbox, folder):
    disk = sandbox.state.disk
    before = disk.used_bytes
    file = upload(sandbox, folder, "a.txt", b"x" * 40)
    disk.quota = before + 100
    assert new_version(sandbox, file["ID"], b"y" * 50).status_code == 200
    assert disk.used_bytes == before + 90  # the earlier version stays in the history
    assert error_of(new_version(sandbox, file["ID"], b"z" * 11)) == (
        400, "ERROR_COULD_NOT_SAVE_FILE", "Could not save file")
    assert disk.read_bytes(file["ID"]) == b"y" * 50
    assert sandbox.result("disk.file.get", {"id": file["ID"]})["GLOBAL_CONTENT_VERSION"] == "2"
    assert sandbox.result("disk.file.delete", {"id": file["ID"]}) is True
    assert disk.used_bytes == before


def test_upload_version_is_refused_inside_batch(sandbox, folder):
    file = upload(sandbox, folder, "a.txt", b"original")
    content = base64.b64encode(b"new").decode()
    body = sandbox.result("batch", {"halt": 0, "cmd": {
        "version": f"disk.file.uploadversion?id={file['ID']}&fileContent[0]=a.txt&fileContent[1]={content}"}})
    assert body["result_error"]["version"]["error"] == "ERROR_BATCH_METHOD_NOT_ALLOWED"
    assert sandbox.state.disk.read_bytes(file["ID"]) == b"original"


def test_a_portal_that_offers_a_version_upload_url_takes_the_bytes_once(sandbox, folder):
    sandbox.state.disk.version_upload_url = True
    file = upload(sandbox, folder, "manifest.txt", b"one")
    grant = sandbox.result("disk.file.uploadVersion", {"id": file["ID"]})
    assert grant["field"] == "file" and "/rest/upload.json?" in grant["uploadUrl"]

    posted = sandbox.client.post(grant["uploadUrl"], files={"file": ("ignored.txt", b"two, streamed")})
    again = sandbox.client.post(grant["uploadUrl"], files={"file": ("ignored.txt", b"three")})

    assert posted.status_code == 200, posted.text
    version = posted.json()["result"]
    assert version["GLOBAL_CONTENT_VERSION"] == 2 and version["NAME"] == "manifest.txt" and version["SIZE"] == "13"
    assert again.status_code == 404 and again.headers["content-type"] == "text/html"
    assert sandbox.state.disk.read_bytes(file["ID"]) == b"two, streamed"

    sandbox.state.disk.quota = sandbox.state.disk.used_bytes + 5
    over = sandbox.client.post(sandbox.result("disk.file.uploadVersion", {"id": file["ID"]})["uploadUrl"],
                               files={"file": ("m.txt", b"123456")})
    assert error_of(over) == (400, "ERROR_COULD_NOT_SAVE_FILE", "Could not save file")
    sandbox.result("disk.file.markDeleted", {"id": file["ID"]})
    assert error_of(sandbox.call("disk.file.uploadVersion", {"id": file["ID"]}))[1] == "ERROR_NOT_FOUND"


# -- disk.file.rename and disk.file.moveTo ------------------------------------------------------------


def test_rename_answers_the_read_shape_and_frees_the_old_name(sandbox, folder, clock):
    file = upload(sandbox, folder, "scan_0001.jpg", b"jpeg")
    clock[0] += 5
    renamed = sandbox.result("disk.file.rename", {"id": file["ID"], "newName": "Паспорт.jpg"})
    assert renamed["ID"] == str(file["ID"]) and renamed["NAME"] == "Паспорт.jpg"
    assert renamed["GLOBAL_CONTENT_VERSION"] == "1" and renamed["DELETED_TYPE"] == "0"
    assert renamed["UPDATE_TIME"] > file["UPDATE_TIME"]
    assert renamed["DETAIL_URL"] == f"{DOCS}/file/Иванов Иван Иванович [5]/Паспорт.jpg"
    assert names_in(sandbox, folder) == ["Паспорт.jpg"]
    assert upload(sandbox, folder, "scan_0001.jpg", b"another")["NAME"] == "scan_0001.jpg"
    # A change of case only is no clash with itself.
    assert sandbox.result("disk.file.rename", {"id": file["ID"], "newName": "ПАСПОРТ.jpg"})["NAME"] == "ПАСПОРТ.jpg"


@pytest.mark.parametrize(("new_name", "expected"), [
    ("scan_0002.jpg", (400, "DISK_OBJ_22000", "Файл с таким именем уже есть")),
    ("SCAN_0002.JPG", (400, "DISK_OBJ_22000", "Файл с таким именем уже есть")),  # names clash case-insensitively
    ("   ", (400, "0", "Empty name")),
    (None, (400, "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #1}")),
])
def test_rename_refusals(sandbox, folder, new_name, expected):
    file = upload(sandbox, folder, "scan_0001.jpg", b"1")
    upload(sandbox, folder, "scan_0002.jpg", b"2")
    params = {"id": file["ID"]} if new_name is None else {"id": file["ID"], "newName": new_name}
    assert error_of(sandbox.call("disk.file.rename", params)) == expected
    assert names_in(sandbox, folder) == ["scan_0001.jpg", "scan_0002.jpg"]


def test_rename_of_a_file_in_the_trash_is_not_found(sandbox, folder):
    file = upload(sandbox, folder, "a.jpg", b"1")
    sandbox.result("disk.file.markDeleted", {"id": file["ID"]})
    assert error_of(sandbox.call("disk.file.rename", {"id": file["ID"], "newName": "b.jpg"}))[1] == "ERROR_NOT_FOUND"


def test_move_to_another_folder(sandbox, folder):
    target = new_folder(sandbox, "Архив")
    file = upload(sandbox, folder, "Диплом.pdf", b"%PDF diploma")
    moved = sandbox.result("disk.file.moveTo", {"id": file["ID"], "targetFolderId": target})
    assert moved["ID"] == str(file["ID"]) and moved["PARENT_ID"] == target  # a number, as in the docs' capture
    assert moved["DELETED_TYPE"] == "0" and moved["DETAIL_URL"] == f"{DOCS}/file/Архив/Диплом.pdf"
    assert names_in(sandbox, folder) == [] and names_in(sandbox, target) == ["Диплом.pdf"]
    assert download(sandbox, moved["DOWNLOAD_URL"]).content == b"%PDF diploma"
    # The name is free where the file was, and taken where it went.
    assert upload(sandbox, folder, "Диплом.pdf", b"other")["NAME"] == "Диплом.pdf"
    assert error_of(sandbox.call("disk.file.moveTo", {"id": file["ID"], "targetFolderId": folder}))[:2] == (
        400, "DISK_OBJ_22000")
    same = sandbox.result("disk.file.moveTo", {"id": file["ID"], "targetFolderId": target})
    assert same["PARENT_ID"] == target and names_in(sandbox, target) == ["Диплом.pdf"]


def test_move_to_another_storage_answers_false_and_moves_nothing(sandbox, folder):
    disk = sandbox.state.disk
    user_id = int(sandbox.webhook.split("/")[4])
    personal_root = disk.root_folder(disk.user_storage_id(user_id))
    file = upload(sandbox, folder, "a.pdf", b"a")
    assert sandbox.result("disk.file.moveTo", {"id": file["ID"], "targetFolderId": personal_root}) is False
    assert names_in(sandbox, folder) == ["a.pdf"]


@pytest.mark.parametrize(("target", "expected"), [
    (None, (400, "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #1}")),
    (987654, (400, "ERROR_NOT_FOUND", "Could not find entity with id '987654'")),
    ("TRASHED", (400, "ERROR_NOT_FOUND", "Could not find entity with id 'TRASHED'")),
    ("FILE", (400, "ERROR_NOT_FOUND", "Could not find entity with id 'FILE'")),
])
def test_move_refusals(sandbox, folder, target, expected):
    file = upload(sandbox, folder, "a.pdf", b"a")
    trashed = new_folder(sandbox, "Корзина")
    sandbox.result("disk.folder.markDeleted", {"id": trashed})
    real = {"TRASHED": trashed, "FILE": file["ID"]}
    params = {"id": file["ID"]} if target is None else {"id": file["ID"], "targetFolderId": real.get(target, target)}
    status, code, text = expected
    for placeholder, value in real.items():
        text = text.replace(placeholder, str(value))
    assert error_of(sandbox.call("disk.file.moveTo", params)) == (status, code, text)
    assert names_in(sandbox, folder) == ["a.pdf"]


# -- disk.folder.markDeleted -------------------------------------------------------------------------


def test_a_folder_goes_to_the_trash_with_everything_in_it(sandbox, folder):
    disk = sandbox.state.disk
    inner = new_folder(sandbox, "Сканы", parent=folder)
    passport = upload(sandbox, folder, "Паспорт.pdf", b"passport")
    deep = upload(sandbox, inner, "Страница 2.jpg", b"page")
    early = upload(sandbox, folder, "Черновик.txt", b"draft")
    sandbox.result("disk.file.markDeleted", {"id": early["ID"]})

    trashed = sandbox.result("disk.folder.markDeleted", {"id": folder})

    assert trashed["ID"] == str(folder) and trashed["DELETED_TYPE"] == TRASHED  # a number, as in the docs' capture
    assert trashed["DELETE_TIME"] is not None and trashed["DELETED_BY"] == sandbox.webhook.split("/")[4]
    assert trashed["DETAIL_URL"] == f"{DOCS}/path/Иванов Иван Иванович [5]"
    marks = {object_id: disk.objects[object_id]["DELETED_TYPE"]
             for object_id in (folder, inner, passport["ID"], deep["ID"], early["ID"])}
    assert marks == {folder: TRASHED, inner: TRASHED_WITH_PARENT, passport["ID"]: TRASHED_WITH_PARENT,
                     deep["ID"]: TRASHED_WITH_PARENT, early["ID"]: TRASHED}
    assert sandbox.result("disk.file.get", {"id": deep["ID"]})["DELETED_TYPE"] == "4"
    assert sandbox.result("disk.folder.get", {"id": inner})["DELETED_TYPE"] == "4"
    assert sandbox.result("disk.folder.get", {"id": folder})["DELETED_TYPE"] == "3"
    assert "Иванов Иван Иванович [5]" not in names_in(sandbox, common_root(sandbox))


def test_what_is_in_a_trashed_folder_is_out_of_reach(sandbox, folder):
    passport = upload(sandbox, folder, "Паспорт.pdf", b"passport")
    sandbox.result("disk.folder.markDeleted", {"id": folder})
    content = base64.b64encode(b"x").decode()

    assert error_of(sandbox.call("disk.folder.getChildren", {"id": folder}))[1] == "ERROR_NOT_FOUND"
    assert error_of(sandbox.call("disk.folder.addSubFolder", {"id": folder, "data": {"NAME": "x"}}))[1] == (
        "ERROR_NOT_FOUND")
    assert error_of(sandbox.call("disk.folder.uploadFile", {"id": folder, "data": {"NAME": "x.txt"},
                                                            "fileContent": ["x.txt", content]}))[1] == "ERROR_NOT_FOUND"
    assert error_of(sandbox.call("disk.file.restore", {"id": passport["ID"]}))[1] == "ERROR_NOT_FOUND"
    assert download(sandbox, passport["DOWNLOAD_URL"]).status_code == 404
    assert not sandbox.state.disk.file_exists(passport["ID"])
    # The folder's name is free again in its parent.
    assert new_folder(sandbox, "Иванов Иван Иванович [5]") != folder


def test_mark_deleted_refusals_and_a_second_call(sandbox, folder):
    file = upload(sandbox, folder, "a.pdf", b"a")
    assert error_of(sandbox.call("disk.folder.markDeleted", {"id": common_root(sandbox)})) == (
        400, "DISK_OBJ_22000", "Could not delete root folder")
    assert error_of(sandbox.call("disk.folder.markDeleted", {}))[1] == "ERROR_ARGUMENT"
    assert error_of(sandbox.call("disk.folder.markDeleted", {"id": file["ID"]}))[1] == "ERROR_NOT_FOUND"
    assert error_of(sandbox.call("disk.folder.markDeleted", {"id": 987654}))[1] == "ERROR_NOT_FOUND"
    first = sandbox.result("disk.folder.markDeleted", {"id": folder})
    second = sandbox.result("disk.folder.markDeleted", {"id": folder})
    assert second == first  # already in the trash: nothing changes
    assert sandbox.state.disk.objects[common_root(sandbox)]["DELETED_TYPE"] == LIVE


# -- getFields ---------------------------------------------------------------------------------------

FOLDER_FIELDS = ["ID", "NAME", "TYPE", "CODE", "STORAGE_ID", "REAL_OBJECT_ID", "PARENT_ID", "CREATE_TIME",
                 "UPDATE_TIME", "DELETE_TIME", "CREATED_BY", "UPDATED_BY", "DELETED_BY", "DELETED_TYPE"]
FILE_FIELDS = ["ID", "NAME", "TYPE", "CODE", "STORAGE_ID", "PARENT_ID", "CREATE_TIME", "UPDATE_TIME", "DELETE_TIME",
               "CREATED_BY", "UPDATED_BY", "DELETED_BY", "GLOBAL_CONTENT_VERSION", "FILE_ID", "SIZE", "DELETED_TYPE"]


@pytest.mark.parametrize(("method", "names", "not_in_filter"), [
    ("disk.folder.getFields", FOLDER_FIELDS, {"REAL_OBJECT_ID", "CREATED_BY", "UPDATED_BY", "DELETED_BY"}),
    ("disk.file.getfields", FILE_FIELDS,
     {"CREATED_BY", "UPDATED_BY", "DELETED_BY", "GLOBAL_CONTENT_VERSION", "FILE_ID", "SIZE"}),
])
def test_field_descriptions(sandbox, method, names, not_in_filter):
    fields = sandbox.result(method)
    assert list(fields) == names
    assert all(set(value) == {"TYPE", "USE_IN_FILTER", "USE_IN_SHOW"} and value["USE_IN_SHOW"] is True
               for value in fields.values())
    assert {name for name, value in fields.items() if not value["USE_IN_FILTER"]} == not_in_filter
    assert fields["ID"]["TYPE"] == "integer" and fields["NAME"]["TYPE"] == "string"
    assert fields["DELETED_TYPE"]["TYPE"] == "enum" and fields["CREATE_TIME"]["TYPE"] == "datetime"


# -- what the folder push relies on from the two-step upload -----------------------------------------


def test_an_upload_url_refused_for_the_quota_is_spent_all_the_same(sandbox, folder):
    disk = sandbox.state.disk
    disk.quota = disk.used_bytes + 10
    url = sandbox.result("disk.folder.uploadFile", {"id": folder, "data": {"NAME": "big.pdf"}})["uploadUrl"]
    refused = sandbox.client.post(url, files={"file": ("big.pdf", b"x" * 11)})
    disk.quota = None
    reused = sandbox.client.post(url, files={"file": ("big.pdf", b"x" * 11)})
    assert error_of(refused) == (400, "ERROR_COULD_NOT_SAVE_FILE", "Could not save file")
    assert reused.status_code == 404  # (unconfirmed in the reference) single use: the stricter reading
    assert names_in(sandbox, folder) == []


def test_every_folder_answer_carries_its_link(sandbox, folder):
    inner = sandbox.result("disk.folder.addSubFolder", {"id": folder, "data": {"NAME": "ПК-2026-001 Охрана труда"}})
    link = f"{DOCS}/path/Иванов Иван Иванович [5]/ПК-2026-001 Охрана труда"
    assert inner["DETAIL_URL"] == link
    assert sandbox.result("disk.folder.get", {"id": inner["ID"]})["DETAIL_URL"] == link
    [listed] = sandbox.result("disk.folder.getChildren", {"id": folder})
    assert listed["DETAIL_URL"] == link
