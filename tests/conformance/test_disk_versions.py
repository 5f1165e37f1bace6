"""New versions, renames, moves, a folder to the trash and the field descriptions, as the SDKs call them.

b24pysdk (over TLS) has a method for each: ``disk.file.upload_version`` (one step, ``fileContent``
only), ``rename``, ``move_to``, ``get_fields``, ``disk.folder.mark_deleted`` and ``get_fields``.
fast_bitrix24 sends the small changes through its ordinary ``call()`` (a ``batch``; a single command
whose result is a map comes back as ``{label: result}``), and through ``call(..., raw=True)`` the
version (uploads are not allowed in a batch) and ``getFields`` (``call()`` refuses empty parameters).
"""

from __future__ import annotations

import base64

import pytest
from b24pysdk.errors import BitrixAPIBadRequest
from b24pysdk.schemas.file import URLFile
from fast_bitrix24.server_response import ErrorInServerResponseException

pytestmark = pytest.mark.conformance

FIRST = "Опись документов\n1. Паспорт.pdf\n".encode()
SECOND = "Опись документов\n1. Паспорт.pdf\n2. СНИЛС.jpg\n".encode()


def content(name: str, data: bytes) -> list[str]:
    return [name, base64.b64encode(data).decode()]


def only(batched: dict) -> dict:
    """The one command's result out of fast_bitrix24's ``{label: result}``."""
    [(label, result)] = batched.items()
    assert label.startswith("order")
    return result


def common_root(client) -> int:
    [storage] = client.disk.storage.get_list(filter={"ENTITY_TYPE": "common"}).result
    return int(storage["ROOT_OBJECT_ID"])


def test_b24pysdk_uploads_a_version_renames_moves_and_trashes(serve, demo_state):
    client = serve(demo_state, tls=True).b24()
    root = common_root(client)
    person = client.disk.folder.add_sub_folder(root, {"NAME": "Майоров Андрей Николаевич [12]"}).result
    archive = client.disk.folder.add_sub_folder(root, {"NAME": "Архив"}).result
    manifest = client.disk.folder.upload_file(person["ID"], data={"NAME": "Опись.txt"},
                                              file_content=content("Опись.txt", FIRST)).result

    version = client.disk.file.upload_version(manifest["ID"], content("Опись.txt", SECOND)).result
    renamed = client.disk.file.rename(manifest["ID"], "Опись (версия 2).txt").result
    moved = client.disk.file.move_to(manifest["ID"], archive["ID"]).result
    trashed = client.disk.folder.mark_deleted(person["ID"]).result
    read_back = client.disk.folder.get(person["ID"]).result

    assert version["ID"] == str(manifest["ID"]) and version["GLOBAL_CONTENT_VERSION"] == 2
    assert version["SIZE"] == str(len(SECOND)) and version["NAME"] == "Опись.txt"
    assert URLFile.from_bitrix(version["DOWNLOAD_URL"]).read() == SECOND
    assert renamed["NAME"] == "Опись (версия 2).txt" and renamed["GLOBAL_CONTENT_VERSION"] == "2"
    assert moved["PARENT_ID"] == archive["ID"] and moved["DETAIL_URL"].endswith("/docs/file/Архив/Опись (версия 2).txt")
    assert trashed["DELETED_TYPE"] == 3 and trashed["DETAIL_URL"].endswith("/docs/path/Майоров Андрей Николаевич [12]")
    assert read_back["DELETED_TYPE"] == "3"
    # The file left the folder before it went to the trash, so it is still live.
    assert client.disk.file.get(manifest["ID"]).result["DELETED_TYPE"] == "0"


def test_b24pysdk_reads_the_refusals_as_its_bad_request(serve, demo_state):
    client = serve(demo_state, tls=True).b24()
    root = common_root(client)
    first = client.disk.folder.upload_file(root, data={"NAME": "a.txt"}, file_content=content("a.txt", b"a")).result
    client.disk.folder.upload_file(root, data={"NAME": "b.txt"}, file_content=content("b.txt", b"b")).call()

    with pytest.raises(BitrixAPIBadRequest) as clash:
        client.disk.file.rename(first["ID"], "B.TXT").call()
    with pytest.raises(BitrixAPIBadRequest) as empty:
        client.disk.file.rename(first["ID"], " ").call()
    with pytest.raises(BitrixAPIBadRequest) as root_folder:
        client.disk.folder.mark_deleted(root).call()
    with pytest.raises(BitrixAPIBadRequest) as bad_content:
        client.disk.file.upload_version(first["ID"], ["a.txt", "%%%"]).call()

    assert (clash.value.error, clash.value.status_code) == ("DISK_OBJ_22000", 400)
    assert (empty.value.error, empty.value.error_description) == ("0", "Empty name")
    assert (root_folder.value.error, root_folder.value.error_description) == (
        "DISK_OBJ_22000", "Could not delete root folder")
    assert bad_content.value.error == "ERROR_COULD_NOT_SAVE_FILE"


def test_b24pysdk_reads_the_field_descriptions(serve, demo_state):
    client = serve(demo_state, tls=True).b24()
    folder_fields = client.disk.folder.get_fields().result
    file_fields = client.disk.file.get_fields().result

    assert folder_fields["REAL_OBJECT_ID"] == {"TYPE": "integer", "USE_IN_FILTER": False, "USE_IN_SHOW": True}
    assert "REAL_OBJECT_ID" not in file_fields and "SIZE" not in folder_fields
    assert file_fields["GLOBAL_CONTENT_VERSION"]["TYPE"] == "integer"
    assert file_fields["DELETED_TYPE"] == {"TYPE": "enum", "USE_IN_FILTER": True, "USE_IN_SHOW": True}


def test_fast_bitrix24_sends_versions_raw_and_the_rest_in_its_batches(serve, demo_state):
    served = serve(demo_state)
    bx = served.fast()
    [storage] = bx.get_all("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})
    root = int(storage["ROOT_OBJECT_ID"])
    folder = only(bx.call("disk.folder.addsubfolder", {"id": root, "data": {"NAME": "Сканы"}}))
    upload = {"id": int(folder["ID"]), "data": {"NAME": "Опись.txt"}, "fileContent": content("Опись.txt", FIRST)}
    manifest = bx.call("disk.folder.uploadfile", upload, raw=True)["result"]
    version = {"id": manifest["ID"], "fileContent": content("Опись.txt", SECOND)}

    with pytest.raises(ErrorInServerResponseException) as batched:
        bx.call("disk.file.uploadversion", version)
    answer = bx.call("disk.file.uploadversion", version, raw=True)
    renamed = only(bx.call("disk.file.rename", {"id": manifest["ID"], "newName": "Опись 2.txt"}))
    fields = bx.call("disk.file.getfields", {}, raw=True)["result"]  # call() refuses empty parameters
    trashed = only(bx.call("disk.folder.markdeleted", {"id": int(folder["ID"])}))

    assert "ERROR_BATCH_METHOD_NOT_ALLOWED" in str(batched.value.args[0])
    assert answer["result"]["GLOBAL_CONTENT_VERSION"] == 2 and answer["result"]["SIZE"] == str(len(SECOND))
    assert renamed["NAME"] == "Опись 2.txt"
    assert list(fields)[-1] == "DELETED_TYPE" and fields["SIZE"]["USE_IN_FILTER"] is False
    assert trashed["DELETED_TYPE"] == 3
    assert demo_state.disk.read_bytes(int(manifest["ID"])) == SECOND
    assert demo_state.disk.objects[int(manifest["ID"])]["DELETED_TYPE"] == 4  # trashed with its folder
