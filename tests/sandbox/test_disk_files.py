"""disk.file.*, disk.attachedObject.get, one-step uploads, name clashes, the quota, and DiskState for seeds."""

from __future__ import annotations

import base64

import httpx

from dpo_desktop.sandbox.disk.state import LazyContent, register_generator
from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import make_sandbox

BROWSER = {"Accept": "*/*", "Accept-Language": "ru-RU,ru;q=0.9", "Referer": "https://sandbox.bitrix24.test/",
           "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"}


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


def new_folder(sandbox, name: str = "Документы") -> int:
    root = sandbox.state.disk.root_folder(sandbox.state.disk.common_storage_id())
    return sandbox.result("disk.folder.addSubFolder", {"id": root, "data": {"NAME": name}})["ID"]


def upload(sandbox, folder: int, name: str, data: bytes, **extra) -> httpx.Response:
    content = base64.b64encode(data).decode()
    return sandbox.call("disk.folder.uploadFile",
                        {"id": folder, "data": {"NAME": name}, "fileContent": [name, content], **extra})


def download(sandbox, url: str) -> bytes:
    response = sandbox.client.get(url, headers=BROWSER)
    assert response.status_code == 200, response.text
    return response.content


def test_one_step_upload_and_file_get(sandbox):
    folder = new_folder(sandbox)
    created = upload(sandbox, folder, "Паспорт.pdf", b"%PDF passport").json()["result"]
    assert isinstance(created["ID"], int) and isinstance(created["FILE_ID"], int)
    assert created["GLOBAL_CONTENT_VERSION"] == 1 and created["DELETED_TYPE"] == 0
    assert created["SIZE"] == "13" and created["PARENT_ID"] == str(folder)

    got = sandbox.result("disk.file.get", {"id": created["ID"]})
    assert got["ID"] == str(created["ID"]) and got["FILE_ID"] == str(created["FILE_ID"])
    assert got["GLOBAL_CONTENT_VERSION"] == "1" and got["DELETED_TYPE"] == "0" and got["DELETED_BY"] == "0"
    assert got["NAME"] == "Паспорт.pdf" and got["TYPE"] == "file" and got["DELETE_TIME"] is None
    assert download(sandbox, got["DOWNLOAD_URL"]) == b"%PDF passport"


def test_one_step_upload_as_form_fields(sandbox):
    folder = new_folder(sandbox)
    form = {"id": str(folder), "data[NAME]": "Согласие.txt", "fileContent[0]": "Согласие.txt",
            "fileContent[1]": base64.b64encode("согласен".encode()).decode()}
    response = sandbox.client.post("disk.folder.uploadfile", data=form)
    assert response.status_code == 200, response.text
    assert download(sandbox, response.json()["result"]["DOWNLOAD_URL"]) == "согласен".encode()


def test_upload_errors(sandbox):
    folder = new_folder(sandbox)
    content = base64.b64encode(b"x").decode()
    no_name = sandbox.call("disk.folder.uploadFile", {"id": folder, "fileContent": ["a.txt", content]})
    assert error_of(no_name) == (
        400, "DISK_BASE_SERVICE_22001", "Error: required parameter NAME (DISK_BASE_SERVICE_22001)")
    named = {"data": {"NAME": "a.txt"}}
    bad = sandbox.call("disk.folder.uploadFile", {"id": folder, **named, "fileContent": ["a", "%%"]})
    assert error_of(bad) == (400, "ERROR_COULD_NOT_SAVE_FILE", "Could not save file")
    missing = sandbox.call("disk.folder.uploadFile", {"id": 987654, **named, "fileContent": ["a", content]})
    assert error_of(missing)[1] == "ERROR_NOT_FOUND"
    assert error_of(sandbox.call("disk.folder.uploadFile", {}))[1] == "ERROR_ARGUMENT"


def test_name_clash_and_unique_names(sandbox):
    folder = new_folder(sandbox)
    assert upload(sandbox, folder, "скан.jpg", b"1").status_code == 200
    assert error_of(upload(sandbox, folder, "Скан.jpg", b"2")) == (
        400, "DISK_OBJ_22000", "Файл с таким именем уже есть")
    first = upload(sandbox, folder, "скан.jpg", b"2", generateUniqueName=True).json()["result"]
    second = upload(sandbox, folder, "скан.jpg", b"3", generateUniqueName="Y").json()["result"]
    assert (first["NAME"], second["NAME"]) == ("скан (1).jpg", "скан (2).jpg")


def test_quota_refuses_what_does_not_fit(sandbox):
    folder = new_folder(sandbox)
    sandbox.state.disk.quota = sandbox.state.disk.used_bytes + 10
    assert upload(sandbox, folder, "small.bin", b"12345").status_code == 200
    assert error_of(upload(sandbox, folder, "big.bin", b"123456")) == (
        400, "ERROR_COULD_NOT_SAVE_FILE", "Could not save file")
    names = [item["NAME"] for item in sandbox.result("disk.folder.getChildren", {"id": folder})]
    assert names == ["small.bin"]


def test_copy_to_makes_a_real_copy(sandbox):
    source_folder, target_folder = new_folder(sandbox, "Откуда"), new_folder(sandbox, "Куда")
    original = upload(sandbox, source_folder, "диплом.pdf", b"diploma bytes").json()["result"]
    copy = sandbox.result("disk.file.copyTo", {"id": original["ID"], "targetFolderId": target_folder})
    assert isinstance(copy["ID"], int) and copy["ID"] != original["ID"] and copy["FILE_ID"] != original["FILE_ID"]
    assert copy["PARENT_ID"] == str(target_folder) and copy["NAME"] == "диплом.pdf"
    assert download(sandbox, copy["DOWNLOAD_URL"]) == b"diploma bytes"

    clash = sandbox.call("disk.file.copyTo", {"id": original["ID"], "targetFolderId": target_folder})
    assert error_of(clash)[:2] == (400, "DISK_OBJ_22000")
    renamed = sandbox.result("disk.file.copyTo",
                             {"id": original["ID"], "targetFolderId": target_folder, "generateUniqueName": True})
    assert renamed["NAME"] == "диплом (1).pdf"
    assert error_of(sandbox.call("disk.file.copyTo", {"id": original["ID"]})) == (
        400, "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #1}")
    assert error_of(sandbox.call("disk.file.copyTo", {"id": original["ID"], "targetFolderId": 999999}))[1] == (
        "ERROR_NOT_FOUND")


def test_mark_deleted_restore_and_delete(sandbox):
    folder = new_folder(sandbox)
    file = upload(sandbox, folder, "заявление.pdf", b"app").json()["result"]
    trashed = sandbox.result("disk.file.markDeleted", {"id": file["ID"]})
    assert trashed["DELETED_TYPE"] == "3" and trashed["DELETE_TIME"] is not None
    assert trashed["DELETED_BY"] == trashed["CREATED_BY"] == sandbox.webhook.split("/")[4]
    assert sandbox.result("disk.folder.getChildren", {"id": folder}) == []
    assert not sandbox.state.disk.file_exists(file["ID"])
    assert sandbox.result("disk.file.get", {"id": file["ID"]})["DELETED_TYPE"] == "3"

    # The trashed name is free again; restoring then renames the returning file.
    assert upload(sandbox, folder, "заявление.pdf", b"new").status_code == 200
    restored = sandbox.result("disk.file.restore", {"id": file["ID"]})
    assert restored["DELETED_TYPE"] == "0" and restored["NAME"] == "заявление (1).pdf"

    assert sandbox.result("disk.file.delete", {"id": file["ID"]}) is True
    assert error_of(sandbox.call("disk.file.get", {"id": file["ID"]})) == (
        400, "ERROR_NOT_FOUND", f"Could not find entity with id '{file['ID']}'")
    assert error_of(sandbox.call("disk.file.delete", {"id": file["ID"]}))[1] == "ERROR_NOT_FOUND"
    assert error_of(sandbox.call("disk.file.markDeleted", {}))[1] == "ERROR_ARGUMENT"


def test_file_methods_refuse_folders(sandbox):
    folder = new_folder(sandbox)
    assert error_of(sandbox.call("disk.file.get", {"id": folder}))[1] == "ERROR_NOT_FOUND"


def test_attached_object_get(sandbox):
    folder = new_folder(sandbox)
    file = upload(sandbox, folder, "снилс.png", b"png!").json()["result"]
    disk = sandbox.state.disk
    attached_id = disk.attach(file["ID"], module_id="iblock", entity_type="Bitrix\\Disk\\Uf\\IblockElement",
                              entity_id=77, field_name="PROPERTY_12", user_id=1)
    attached = sandbox.result("disk.attachedObject.get", {"id": attached_id})
    assert attached["ID"] == str(attached_id) and attached["OBJECT_ID"] == str(file["ID"])
    assert attached["MODULE_ID"] == "iblock" and attached["ENTITY_ID"] == "77"
    assert attached["NAME"] == "снилс.png" and attached["SIZE"] == "4"
    assert f"attachedId={attached_id}" in attached["DOWNLOAD_URL"]
    assert disk.attached(attached_id)["OBJECT_ID"] == file["ID"]
    disk.detach(attached_id)
    assert error_of(sandbox.call("disk.attachedObject.get", {"id": attached_id}))[1] == "ERROR_NOT_FOUND"


def test_upload_is_refused_inside_batch_but_reads_are_not(sandbox):
    folder = new_folder(sandbox)
    file = upload(sandbox, folder, "a.txt", b"a").json()["result"]
    content = base64.b64encode(b"b").decode()
    body = sandbox.result("batch", {"halt": 0, "cmd": {
        "up": f"disk.folder.uploadfile?id={folder}&data[NAME]=b.txt&fileContent[0]=b.txt&fileContent[1]={content}",
        "two": f"disk.folder.uploadFile?id={folder}",
        "get": f"disk.file.get?id={file['ID']}",
    }})
    assert body["result_error"]["up"]["error"] == "ERROR_BATCH_METHOD_NOT_ALLOWED"
    assert body["result_error"]["two"]["error"] == "ERROR_BATCH_METHOD_NOT_ALLOWED"
    assert body["result"]["get"]["NAME"] == "a.txt"
    assert [item["NAME"] for item in sandbox.result("disk.folder.getChildren", {"id": folder})] == ["a.txt"]


def test_seeds_store_lazy_content_that_is_made_only_when_read():
    made: list[tuple] = []

    def pattern(seed: int, size: int) -> bytes:
        made.append((seed, size))
        return bytes((seed + index) % 256 for index in range(size))

    register_generator("test-pattern", pattern)
    state = PortalState()
    admin = state.add_user("Администратор", "Портала", "admin@example.ru", admin=True)
    disk = state.disk
    root = disk.root_folder(disk.common_storage_id())
    folder = disk.add_folder(root, "Сиды", user_id=admin.id)
    file_id = disk.add_file(folder, "lazy.bin", LazyContent("test-pattern", (7, 300), 300), user_id=admin.id,
                            created=1_700_000_000.0)
    box = make_sandbox(state)
    listed = box.result("disk.folder.getChildren", {"id": folder})
    assert listed[0]["SIZE"] == "300" and listed[0]["CREATE_TIME"] == "2023-11-15T01:13:20+03:00"
    assert made == []
    assert download(box, listed[0]["DOWNLOAD_URL"]) == pattern(7, 300)
    assert disk.read_bytes(file_id) == pattern(7, 300)
    assert disk.file_exists(file_id) and not disk.file_exists(folder)
    assert disk.get_object(file_id)["NAME"] == "lazy.bin"
