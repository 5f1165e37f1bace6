"""Drive uploads and downloads as the SDKs do them.

b24pysdk uploads in one step (``fileContent: [name, base64]``) with ``disk.folder.uploadFile`` and
``disk.storage.uploadFile``; its ``disk.folder.upload_file`` without content asks for an ``uploadUrl``,
but the SDK has nothing to post the bytes there, so the second step is a plain multipart POST here.
Downloads go through b24pysdk's file requester, which sends the browser-like headers the portal's
front end wants (reference §1.4) and reads the name from ``Content-Disposition``. fast_bitrix24
uploads through ``call(..., raw=True)``: its ordinary ``call()`` wraps every call into a ``batch``,
and uploads are not allowed there.
"""

from __future__ import annotations

import base64
import hashlib
import ssl

import httpx
import pytest
from b24pysdk.errors import BitrixFileDownloadError
from b24pysdk.schemas.file import URLFile
from fast_bitrix24.server_response import ErrorInServerResponseException

pytestmark = pytest.mark.conformance

SCAN = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"  # binary, not text: every byte value
NAME = "Паспорт Майорова А. Н.pdf"


def common_root(client) -> int:
    [storage] = client.disk.storage.get_list(filter={"ENTITY_TYPE": "common"}).result
    return int(storage["ROOT_OBJECT_ID"])


def check_new_file(record: dict, name: str, data: bytes) -> None:
    """The creating methods' shape: integer ID, string SIZE, a signed DOWNLOAD_URL."""
    assert isinstance(record["ID"], int)
    assert (record["NAME"], record["TYPE"], record["SIZE"]) == (name, "file", str(len(data)))
    assert "/rest/download.json?" in record["DOWNLOAD_URL"] and "token=disk%7C" in record["DOWNLOAD_URL"]


def test_b24pysdk_uploads_in_one_step_and_downloads_with_its_file_requester(serve, demo_state):
    served = serve(demo_state, tls=True)
    client = served.b24()
    root = common_root(client)
    content = [NAME, base64.b64encode(SCAN).decode()]

    into_folder = client.disk.folder.upload_file(root, data={"NAME": NAME}, file_content=content).result
    storage_id = int(into_folder["STORAGE_ID"])
    into_storage = client.disk.storage.upload_file(storage_id, content, {"NAME": NAME},
                                                   generate_unique_name=True).result
    read_back = client.disk.file.get(bitrix_id=into_folder["ID"]).result
    download = URLFile.from_bitrix(read_back["DOWNLOAD_URL"])

    check_new_file(into_folder, NAME, SCAN)
    assert into_storage["NAME"] == "Паспорт Майорова А. Н (1).pdf"  # the same folder: a unique name
    assert read_back["ID"] == str(into_folder["ID"])  # reading methods answer strings
    assert download.read() == SCAN
    assert download.name == NAME  # from Content-Disposition's filename*=UTF-8''...
    assert demo_state.disk.read_bytes(into_folder["ID"]) == SCAN


def test_b24pysdk_asks_for_an_upload_url_and_the_bytes_follow_in_a_multipart_post(serve, demo_state):
    served = serve(demo_state, tls=True)
    client = served.b24()
    root = common_root(client)

    grant = client.disk.folder.upload_file(root, data={"NAME": NAME}).result
    with httpx.Client(verify=ssl.create_default_context(cafile=served.server.ca_file)) as http:
        posted = http.post(grant["uploadUrl"], files={grant["field"]: (NAME, SCAN, "application/pdf")})
        reused = http.post(grant["uploadUrl"], files={grant["field"]: (NAME, SCAN, "application/pdf")})
    record = posted.json()["result"]
    download = URLFile.from_bitrix(record["DOWNLOAD_URL"])

    assert grant["field"] == "file"
    assert grant["uploadUrl"].startswith(f"{served.server.url}/rest/upload.json?")
    assert posted.status_code == 200 and set(posted.json()) == {"result", "time"}
    check_new_file(record, NAME, SCAN)
    assert reused.status_code == 404  # an upload URL takes one file
    assert hashlib.sha256(download.read()).hexdigest() == hashlib.sha256(SCAN).hexdigest()


def test_a_download_without_browser_headers_gets_the_front_ends_404(serve, demo_state):
    served = serve(demo_state, tls=True)
    client = served.b24()
    record = client.disk.folder.upload_file(common_root(client), data={"NAME": NAME},
                                            file_content=[NAME, base64.b64encode(SCAN).decode()]).result

    with httpx.Client(verify=ssl.create_default_context(cafile=served.server.ca_file)) as http:
        bare = http.get(record["DOWNLOAD_URL"])
    with pytest.raises(BitrixFileDownloadError):
        URLFile.from_bitrix(record["DOWNLOAD_URL"].replace("token=disk", "token=forged")).read()
    by_sdk = URLFile.from_bitrix(record["DOWNLOAD_URL"]).read()

    assert bare.status_code == 404 and bare.headers["content-type"].startswith("text/html")
    assert by_sdk == SCAN


def test_fast_bitrix24_uploads_in_one_step_through_a_raw_call(serve, demo_state):
    served = serve(demo_state)
    bx = served.fast()
    [storage] = bx.get_all("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})
    upload = {"id": int(storage["ROOT_OBJECT_ID"]), "data": {"NAME": NAME},
              "fileContent": [NAME, base64.b64encode(SCAN).decode()]}

    with pytest.raises(ErrorInServerResponseException) as batched:
        bx.call("disk.folder.uploadfile", upload)
    answer = bx.call("disk.folder.uploadfile", upload, raw=True)

    assert batched.value.args[0] == {"order0000000000": {
        "error": "ERROR_BATCH_METHOD_NOT_ALLOWED", "error_description": "Method is not allowed for batch usage."}}
    check_new_file(answer["result"], NAME, SCAN)
    # The link points back at the plain-http portal; b24pysdk's file requester fetches it all the same.
    assert URLFile.from_bitrix(answer["result"]["DOWNLOAD_URL"]).read() == SCAN
