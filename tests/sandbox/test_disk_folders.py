"""disk.folder.*: reading a folder, subfolders, and listing contents with filters, order and pages."""

from __future__ import annotations

import base64

import httpx


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


def common_root(sandbox) -> int:
    storage = sandbox.result("disk.storage.getList", {"filter": {"ENTITY_TYPE": "common"}})[0]
    return int(storage["ROOT_OBJECT_ID"])


def subfolder(sandbox, parent: int, name: str) -> dict:
    return sandbox.result("disk.folder.addSubFolder", {"id": parent, "data": {"NAME": name}})


def upload(sandbox, folder: int, name: str, data: bytes) -> dict:
    content = base64.b64encode(data).decode()
    return sandbox.result("disk.folder.uploadFile",
                          {"id": folder, "data": {"NAME": name}, "fileContent": [name, content]})


def test_add_subfolder_shape_and_folder_get(sandbox):
    root = common_root(sandbox)
    dpo = subfolder(sandbox, root, "ДПО")
    event = subfolder(sandbox, dpo["ID"], "ПК-2026-01 Охрана труда")
    assert isinstance(event["ID"], int) and event["REAL_OBJECT_ID"] == event["ID"]
    assert event["PARENT_ID"] == str(dpo["ID"]) and event["DELETED_TYPE"] == 0
    assert event["DETAIL_URL"] == "https://sandbox.bitrix24.test/docs/path/ДПО/ПК-2026-01 Охрана труда"

    got = sandbox.result("disk.folder.get", {"id": event["ID"]})
    assert got["ID"] == str(event["ID"]) and got["REAL_OBJECT_ID"] == str(event["ID"])
    assert got["DELETED_TYPE"] == "0" and got["DELETED_BY"] == "0"
    assert got["NAME"] == "ПК-2026-01 Охрана труда" and got["CREATE_TIME"] == event["CREATE_TIME"]
    assert "DOWNLOAD_URL" not in got


def test_subfolder_name_clash_and_missing_name(sandbox):
    root = common_root(sandbox)
    subfolder(sandbox, root, "Договоры")
    assert error_of(sandbox.call("disk.folder.addSubFolder", {"id": root, "data": {"NAME": "ДОГОВОРЫ"}})) == (
        400, "DISK_OBJ_22000", "Папка с таким именем уже есть")
    assert error_of(sandbox.call("disk.folder.addSubFolder", {"id": root}))[1] == "ERROR_ARGUMENT"
    assert error_of(sandbox.call("disk.folder.addSubFolder", {"id": root, "data": {"NAME": " "}}))[1] == (
        "DISK_BASE_SERVICE_22001")


def test_folder_get_errors(sandbox):
    root = common_root(sandbox)
    file = upload(sandbox, root, "a.txt", b"abc")
    assert error_of(sandbox.call("disk.folder.get", {"id": file["ID"]})) == (
        400, "ERROR_NOT_FOUND", f"Could not find entity with id '{file['ID']}'")
    assert error_of(sandbox.call("disk.folder.get", {"id": 424242}))[1] == "ERROR_NOT_FOUND"
    assert error_of(sandbox.call("disk.folder.get", {"id": "abc"}))[1] == "ERROR_ARGUMENT"


def test_get_children_values_are_strings(sandbox):
    root = common_root(sandbox)
    folder = subfolder(sandbox, root, "Сканы")
    upload(sandbox, folder["ID"], "паспорт.jpg", b"\xff\xd8\xff")
    subfolder(sandbox, folder["ID"], "Вложенная")
    children = sandbox.result("disk.folder.getChildren", {"id": folder["ID"]})
    assert [item["TYPE"] for item in children] == ["file", "folder"]
    for item in children:
        for key, value in item.items():
            assert value is None or isinstance(value, str), (key, value)
    file = children[0]
    assert file["SIZE"] == "3" and file["GLOBAL_CONTENT_VERSION"] == "1"
    assert file["DOWNLOAD_URL"].startswith("https://sandbox.bitrix24.test/rest/download.json?auth=&token=disk%7C")
    assert "REAL_OBJECT_ID" not in file and children[1]["REAL_OBJECT_ID"] == children[1]["ID"]


def test_get_children_pages_of_fifty(sandbox):
    folder = subfolder(sandbox, common_root(sandbox), "Много")
    for number in range(120):
        subfolder(sandbox, folder["ID"], f"Папка {number:03}")
    first = sandbox.call("disk.folder.getChildren", {"id": folder["ID"]}).json()
    assert len(first["result"]) == 50 and first["total"] == 120 and first["next"] == 50
    last = sandbox.call("disk.folder.getChildren", {"id": folder["ID"], "start": 100}).json()
    assert len(last["result"]) == 20 and "next" not in last
    assert last["result"][-1]["NAME"] == "Папка 119"
    uncounted = sandbox.call("disk.folder.getChildren", {"id": folder["ID"], "start": -1}).json()
    assert len(uncounted["result"]) == 50 and uncounted["total"] == 0 and "next" not in uncounted


def test_get_children_filter_and_order(sandbox):
    folder = subfolder(sandbox, common_root(sandbox), "Участник")
    upload(sandbox, folder["ID"], "Диплом.pdf", b"12345")
    upload(sandbox, folder["ID"], "СНИЛС.pdf", b"1")
    subfolder(sandbox, folder["ID"], "Архив")

    def names(params: dict) -> list[str]:
        rows = sandbox.result("disk.folder.getChildren", {"id": folder["ID"], **params})
        return [row["NAME"] for row in rows]

    assert names({"filter": {"TYPE": "file"}}) == ["Диплом.pdf", "СНИЛС.pdf"]
    assert names({"filter": {"TYPE": 2}}) == ["Архив"]
    assert names({"filter": {"%NAME": "снилс"}}) == ["СНИЛС.pdf"]
    assert names({"filter": {">SIZE": 2}}) == ["Диплом.pdf"]
    assert names({"order": {"NAME": "DESC"}}) == ["СНИЛС.pdf", "Диплом.pdf", "Архив"]
    assert names({"filter": {">=CREATE_TIME": "2000-01-01"}}) == ["Диплом.pdf", "СНИЛС.pdf", "Архив"]
    assert names({"filter": {">CREATE_TIME": "2999-01-01T00:00:00+03:00"}}) == []


def test_form_encoded_parameters(sandbox):
    root = common_root(sandbox)
    response = sandbox.client.post("disk.folder.addsubfolder", data={"id": str(root), "data[NAME]": "Из формы"})
    assert response.status_code == 200
    assert response.json()["result"]["NAME"] == "Из формы"
