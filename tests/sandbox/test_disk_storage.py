"""disk.storage.*: the drives a caller sees, their roots, and folders and files added at a root."""

from __future__ import annotations

import base64

from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import make_sandbox


def error_of(response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


def common_storage(sandbox) -> dict:
    storages = sandbox.result("disk.storage.getList", {"filter": {"ENTITY_TYPE": "common"}})
    assert len(storages) == 1
    return storages[0]


def test_storage_list_has_the_common_drive_and_one_drive_per_user(sandbox):
    other = sandbox.state.add_user("Пётр", "Иванов", "petr@example.ru")
    body = sandbox.call("disk.storage.getList").json()
    storages = body["result"]
    assert body["total"] == len(storages) == 3
    common = next(item for item in storages if item["ENTITY_TYPE"] == "common")
    assert common["ENTITY_ID"] == "shared_files_s1"
    assert common["NAME"] == "Общий диск"
    assert common["MODULE_ID"] == "disk" and common["CODE"] is None
    for item in storages:
        assert all(value is None or isinstance(value, str) for value in item.values()), item
    owners = {item["ENTITY_ID"] for item in storages if item["ENTITY_TYPE"] == "user"}
    assert owners == {str(user_id) for user_id in sandbox.state.users}
    assert str(other.id) in owners


def test_storage_list_of_an_employee_shows_only_the_common_and_own_drive():
    state = PortalState()
    state.add_user("Администратор", "Портала", "admin@example.ru", admin=True)
    box = make_sandbox(state, admin=False)
    storages = box.result("disk.storage.getList")
    me = next(user for user in state.users.values() if not user.admin)
    assert sorted((item["ENTITY_TYPE"], item["ENTITY_ID"]) for item in storages) == [
        ("common", "shared_files_s1"), ("user", str(me.id))]


def test_storage_list_filters_and_orders(sandbox):
    sandbox.state.add_user("Пётр", "Иванов", "petr@example.ru")
    by_name = sandbox.result("disk.storage.getList", {"filter": {"%NAME": "иванов"}})
    assert [item["NAME"] for item in by_name] == ["Пётр Иванов"]
    ordered = sandbox.result("disk.storage.getList", {"order": {"ID": "DESC"}})
    assert [int(item["ID"]) for item in ordered] == sorted((int(item["ID"]) for item in ordered), reverse=True)


def test_storage_types(sandbox):
    assert sandbox.result("disk.storage.getTypes") == ["user", "common", "group"]


def test_add_folder_at_the_root_answers_integer_ids_and_get_children_strings(sandbox):
    storage = common_storage(sandbox)
    folder = sandbox.result("disk.storage.addFolder", {"id": storage["ID"], "data": {"NAME": "ДПО"}})
    assert isinstance(folder["ID"], int) and isinstance(folder["REAL_OBJECT_ID"], int)
    assert folder["DELETED_TYPE"] == 0 and folder["DELETED_BY"] is None
    assert folder["PARENT_ID"] == storage["ROOT_OBJECT_ID"]
    assert folder["STORAGE_ID"] == storage["ID"] and folder["TYPE"] == "folder"
    assert folder["DETAIL_URL"] == "https://sandbox.bitrix24.test/docs/path/ДПО"

    children = sandbox.result("disk.storage.getChildren", {"id": storage["ID"]})
    assert [item["ID"] for item in children] == [str(folder["ID"])]
    assert children[0]["DELETED_TYPE"] == "0" and children[0]["DELETED_BY"] == "0"
    assert children[0]["CREATE_TIME"].endswith("+03:00")


def test_add_folder_errors(sandbox):
    storage = common_storage(sandbox)
    sandbox.result("disk.storage.addFolder", {"id": storage["ID"], "data": {"NAME": "Архив"}})
    clash = sandbox.call("disk.storage.addFolder", {"id": storage["ID"], "data": {"NAME": "архив"}})
    assert error_of(clash)[:2] == (400, "DISK_OBJ_22000")
    no_data = sandbox.call("disk.storage.addFolder", {"id": storage["ID"]})
    assert error_of(no_data) == (400, "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #1}")
    no_name = sandbox.call("disk.storage.addFolder", {"id": storage["ID"], "data": {"CODE": "x"}})
    assert error_of(no_name)[:2] == (400, "DISK_BASE_SERVICE_22001")


def test_unknown_and_missing_storage(sandbox):
    assert error_of(sandbox.call("disk.storage.getChildren", {"id": 999})) == (
        400, "ERROR_NOT_FOUND", "Could not find entity with id '999'")
    assert error_of(sandbox.call("disk.storage.getChildren", {})) == (
        400, "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #0}")


def test_another_users_drive_is_closed_to_an_employee():
    state = PortalState()
    admin = state.add_user("Администратор", "Портала", "admin@example.ru", admin=True)
    foreign = state.disk.user_storage_id(admin.id)
    box = make_sandbox(state, admin=False)
    assert error_of(box.call("disk.storage.getChildren", {"id": foreign})) == (403, "ACCESS_DENIED", "Access denied")
    root = state.disk.root_folder(foreign)
    assert error_of(box.call("disk.folder.getChildren", {"id": root}))[1] == "ACCESS_DENIED"


def test_upload_file_into_the_storage_root(sandbox):
    storage = common_storage(sandbox)
    content = base64.b64encode(b"%PDF-1.4 test").decode()
    uploaded = sandbox.result("disk.storage.uploadFile", {
        "id": storage["ID"], "data": {"NAME": "Приказ.pdf"}, "fileContent": ["Приказ.pdf", content]})
    assert isinstance(uploaded["ID"], int) and uploaded["SIZE"] == "13"
    assert uploaded["PARENT_ID"] == storage["ROOT_OBJECT_ID"]
    assert uploaded["DETAIL_URL"].endswith("/docs/file/Приказ.pdf")


def test_storage_get(sandbox):
    storage = common_storage(sandbox)
    assert sandbox.result("disk.storage.get", {"id": storage["ID"]}) == storage
    assert error_of(sandbox.call("disk.storage.get", {"id": 4040}))[1] == "ERROR_NOT_FOUND"
