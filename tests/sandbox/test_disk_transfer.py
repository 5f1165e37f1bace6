"""Two-step uploads to ``uploadUrl`` and downloads from ``DOWNLOAD_URL``: bytes, headers, and signed tokens."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pytest

from dpo_desktop.sandbox.transport import SandboxTransport

BROWSER = {"Accept": "*/*", "Accept-Language": "ru-RU,ru;q=0.9", "Referer": "https://sandbox.bitrix24.test/",
           "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"}
SCAN = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"


def new_folder(sandbox, name: str = "Входящие") -> int:
    root = sandbox.state.disk.root_folder(sandbox.state.disk.common_storage_id())
    return sandbox.result("disk.folder.addSubFolder", {"id": root, "data": {"NAME": name}})["ID"]


def upload_url(sandbox, folder: int, **params) -> str:
    answer = sandbox.result("disk.folder.uploadFile", {"id": folder, **params})
    assert answer["field"] == "file"
    return answer["uploadUrl"]


def post_file(client: httpx.Client, url: str, name: str, data: bytes) -> httpx.Response:
    return client.post(url, files={"file": (name, data, "application/octet-stream")})


def is_nginx_404(response: httpx.Response) -> bool:
    return response.status_code == 404 and response.headers["content-type"] == "text/html" and (
        b"<center>nginx</center>" in response.content)


def with_token(url: str, token: str) -> str:
    head, _, _ = url.partition("&token=")
    return f"{head}&token={quote(token, safe='')}"


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


@pytest.fixture
def folder(sandbox) -> int:
    return new_folder(sandbox)


def test_two_step_upload_then_download_the_same_bytes(sandbox, folder):
    url = upload_url(sandbox, folder)
    assert url.startswith("https://sandbox.bitrix24.test/rest/upload.json?auth=&token=disk%7C")
    response = post_file(sandbox.client, url, "Паспорт Иванова.jpg", SCAN)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"result", "time"} and {"start", "finish", "date_start", "date_finish"} <= set(body["time"])
    file = body["result"]
    assert isinstance(file["ID"], int) and file["NAME"] == "Паспорт Иванова.jpg"
    assert file["SIZE"] == str(len(SCAN)) and file["PARENT_ID"] == str(folder)

    download = sandbox.client.get(file["DOWNLOAD_URL"], headers=BROWSER)
    assert download.status_code == 200
    assert download.content == SCAN
    assert download.headers["content-type"] == "image/jpeg"
    assert download.headers["content-length"] == str(len(SCAN))
    disposition, _, encoded = download.headers["content-disposition"].partition("UTF-8''")
    assert disposition == "attachment; filename*=" and unquote(encoded) == "Паспорт Иванова.jpg"
    assert " " not in encoded
    listed = sandbox.result("disk.folder.getChildren", {"id": folder})
    assert [item["ID"] for item in listed] == [str(file["ID"])]


def test_upload_url_keeps_the_name_and_unique_flag_of_the_first_step(sandbox, folder):
    assert post_file(sandbox.client, upload_url(sandbox, folder), "скан.pdf", b"1").status_code == 200
    clash = post_file(sandbox.client, upload_url(sandbox, folder), "скан.pdf", b"2")
    assert clash.status_code == 400 and clash.json()["error"] == "DISK_OBJ_22000"
    unique = post_file(sandbox.client, upload_url(sandbox, folder, generateUniqueName=True), "скан.pdf", b"3")
    assert unique.json()["result"]["NAME"] == "скан (1).pdf"
    named = post_file(sandbox.client, upload_url(sandbox, folder, data={"NAME": "Договор.pdf"}), "tmp123.bin", b"4")
    assert named.json()["result"]["NAME"] == "Договор.pdf"


def test_upload_token_is_single_use(sandbox, folder):
    url = upload_url(sandbox, folder)
    assert post_file(sandbox.client, url, "a.pdf", b"first").status_code == 200
    again = post_file(sandbox.client, url, "b.pdf", b"second")
    assert is_nginx_404(again)
    assert [item["NAME"] for item in sandbox.result("disk.folder.getChildren", {"id": folder})] == ["a.pdf"]


def test_forged_upload_tokens_are_refused(sandbox, folder):
    url = upload_url(sandbox, folder)
    token = token_of(url)
    prefix, head, signed = token.split("|")
    body, signature = signed.split(".")
    other_head = base64.b64encode(base64.b64decode(head).replace(f"id={folder}".encode(), b"id=1")).decode()
    forgeries = [
        token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),  # a broken signature
        f"{prefix}|{other_head}|{body}.{signature}",  # another folder under the old signature
        "disk|aWQ9MQ==|Im5vIg==.c2lnbmF0dXJl",  # made up
        "",
    ]
    for forged in forgeries:
        assert is_nginx_404(post_file(sandbox.client, with_token(url, forged), "x.pdf", b"x")), forged
    # The genuine token still works: refusing forgeries did not consume it.
    assert post_file(sandbox.client, url, "x.pdf", b"x").status_code == 200


def test_upload_token_expires(sandbox, folder):
    clock = [sandbox.state.now()]
    sandbox.state.time_source = lambda: clock[0]
    url = upload_url(sandbox, folder)
    clock[0] += sandbox.state.disk.upload_ttl + 1
    assert is_nginx_404(post_file(sandbox.client, url, "late.pdf", b"late"))


def test_two_step_upload_over_the_quota(sandbox, folder):
    sandbox.state.disk.quota = sandbox.state.disk.used_bytes + 100
    response = post_file(sandbox.client, upload_url(sandbox, folder), "big.pdf", b"x" * 101)
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_COULD_NOT_SAVE_FILE", "error_description": "Could not save file"}
    assert sandbox.result("disk.folder.getChildren", {"id": folder}) == []


def test_upload_without_the_file_field(sandbox, folder):
    response = sandbox.client.post(upload_url(sandbox, folder), files={"document": ("a.pdf", b"a")})
    assert response.status_code == 400 and response.json()["error"] == "ERROR_COULD_NOT_SAVE_FILE"


def test_download_refusals(sandbox, folder):
    clock = [sandbox.state.now()]
    sandbox.state.time_source = lambda: clock[0]
    file = post_file(sandbox.client, upload_url(sandbox, folder), "a.pdf", b"abc").json()["result"]
    url = file["DOWNLOAD_URL"]
    assert sandbox.client.get(url, headers=BROWSER).content == b"abc"
    assert sandbox.client.get(url, headers=BROWSER).content == b"abc"  # a download link is reusable
    assert is_nginx_404(sandbox.client.get(url))  # no browser-like headers
    assert is_nginx_404(sandbox.client.get(with_token(url, token_of(url)[:-4] + "abcd"), headers=BROWSER))
    upload_token = token_of(upload_url(sandbox, folder))
    assert is_nginx_404(sandbox.client.get(with_token(url, upload_token), headers=BROWSER))
    clock[0] += sandbox.state.disk.download_ttl + 1
    assert is_nginx_404(sandbox.client.get(url, headers=BROWSER))


def test_download_of_a_trashed_file_is_gone(sandbox, folder):
    file = post_file(sandbox.client, upload_url(sandbox, folder), "a.pdf", b"abc").json()["result"]
    sandbox.result("disk.file.markDeleted", {"id": file["ID"]})
    assert is_nginx_404(sandbox.client.get(file["DOWNLOAD_URL"], headers=BROWSER))


def test_oauth_links_carry_the_access_token_and_die_with_it(sandbox, folder):
    state = sandbox.state
    clock = [state.now()]
    state.time_source = lambda: clock[0]
    app = state.add_app()
    user_id = int(sandbox.webhook.split("/")[4])
    access, _ = state.issue_tokens(user_id, app.client_id)
    client = httpx.Client(transport=SandboxTransport(sandbox.portal), base_url="https://sandbox.bitrix24.test/rest/")
    answer = client.post("disk.folder.uploadFile", json={"id": folder, "auth": access}).json()["result"]
    assert parse_qs(urlsplit(answer["uploadUrl"]).query)["auth"] == [access]
    file = post_file(client, answer["uploadUrl"], "oauth.pdf", b"oauth").json()["result"]
    assert parse_qs(urlsplit(file["DOWNLOAD_URL"]).query)["auth"] == [access]
    assert client.get(file["DOWNLOAD_URL"], headers=BROWSER).content == b"oauth"

    # The signed token is bound to the access token it was issued with.
    swapped = file["DOWNLOAD_URL"].replace(f"auth={access}", "auth=")
    assert is_nginx_404(client.get(swapped, headers=BROWSER))
    clock[0] += state.token_ttl + 1
    expired = client.get(file["DOWNLOAD_URL"], headers=BROWSER)
    assert expired.status_code == 401 and expired.json()["error"] == "expired_token"
    client.close()
