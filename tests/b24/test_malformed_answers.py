"""Malformed portal answers end in a clear error — or are taken as the real portal means them.

The portal's side is played by an ``httpx.MockTransport`` (a fixed answer) or by the sandbox with one
answer tampered with; our side runs end to end: the client, batches, paging, the facades, the sync
engine into a real SQLite cache and the uploader. Every failure must be a typed :class:`B24Error` whose
text is one short Russian line without the webhook code — never a KeyError, a TypeError, a hang — and
a failed sync must leave the cache exactly as it was.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.auth import WebhookAuth
from dpo_desktop.b24.batch import Batch
from dpo_desktop.b24.client import MAX_ANSWER_BYTES, B24Client, RetryPolicy
from dpo_desktop.b24.crm import Crm
from dpo_desktop.b24.disk import Disk, DiskObject, UploadTarget
from dpo_desktop.b24.limiter import PLANS
from dpo_desktop.b24.lists import Lists
from dpo_desktop.b24.paging import LISTS, get_many, iter_all
from dpo_desktop.domain.models import DocumentType
from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.transport import SandboxTransport
from dpo_desktop.store import Store
from dpo_desktop.sync.engine import SyncEngine
from dpo_desktop.sync.upload_queue import UploadRequest, add_files
from dpo_desktop.sync.uploader import Uploader
from tests.b24.conftest import run
from tests.sandbox.portal_fixtures import make_sandbox
from tests.sync.cache_compare import snapshot
from tests.sync.conftest import Office, discovered
from tests.sync.scans_support import deal_with_people, make_scan

CODE = "mAlFoRmEd7secret42"
WEBHOOK = f"https://portal.example.ru/rest/7/{CODE}/"
NGINX_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
             b"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
LOGIN_PAGE = ("<!DOCTYPE html><html><head><title>Авторизация</title></head><body><form action="
              f"\"{WEBHOOK}crm.deal.list\"><input name=\"USER_LOGIN\"></form></body></html>").encode()
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def assert_clear(error: BaseException, expected: type[errors.B24Error]) -> None:
    """A typed error whose text is one short Russian line that names no secret."""
    assert isinstance(error, expected), repr(error)
    text = str(error)
    assert "\n" not in text and len(text) < 700, text
    assert CYRILLIC.search(error.description), text
    assert CODE not in text and CODE not in repr(error)


def reply(status: int = 200, body: bytes | str | Any = b"", *, content_type: str = "application/json",
          headers: dict[str, str] | None = None) -> Callable[[httpx.Request], httpx.Response]:
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body, ensure_ascii=False)
    data = body.encode() if isinstance(body, str) else body
    # A stream, not ``content``: the client, not the test, decodes it (gzip garbage included).
    return lambda request: httpx.Response(status, stream=httpx.ByteStream(data),
                                          headers={"Content-Type": content_type, **(headers or {})})


def mock_client(handler: Callable[[httpx.Request], httpx.Response], **options: Any) -> B24Client:
    async def no_wait(_seconds: float) -> None:
        await asyncio.sleep(0)

    return B24Client(WebhookAuth.from_url(WEBHOOK), transport=httpx.MockTransport(handler), plan=PLANS["off"],
                     retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.001), sleep=no_wait, seed=1,
                     **options)


def outcome(handler: Callable[[httpx.Request], httpx.Response], action: Callable[[B24Client], Any]) -> Any:
    """What ``action`` gives against a portal answering with ``handler``: its value or its error."""
    async def scenario() -> Any:
        async with mock_client(handler) as client:
            try:
                return await asyncio.wait_for(action(client), timeout=20)
            except errors.B24Error as error:
                return error
    return run(scenario())


class HugeBody(httpx.AsyncByteStream):
    """100 MB of a JSON answer that never ends, counting what the client pulled from it."""

    def __init__(self, total: int = 100 << 20) -> None:
        self.total = total
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"result": ["'
        chunk = b"x" * (1 << 20)
        while self.sent < self.total:
            self.sent += len(chunk)
            yield chunk


# -- the client: one call ------------------------------------------------------------------------------------

CALL_CASES = {
    "nginx 502 page with 200": (reply(200, NGINX_502, content_type="text/html"), errors.ProtocolError),
    "nginx 502 page with 502": (reply(502, NGINX_502, content_type="text/html"), errors.UnavailableError),
    "HTML login page with 200": (reply(200, LOGIN_PAGE, content_type="text/html"), errors.ProtocolError),
    "401 with an HTML page": (reply(401, LOGIN_PAGE, content_type="text/html"), errors.AuthError),
    "403 with an HTML page": (reply(403, NGINX_502, content_type="text/html"), errors.AccessError),
    "truncated JSON": (reply(200, b'{"result": [{"ID": "1", "TITLE": "\xd0\x9a'), errors.ProtocolError),
    "empty body": (reply(200, b""), errors.ProtocolError),
    "binary garbage": (reply(200, bytes(range(256)) * 4), errors.ProtocolError),
    "JSON that is a list": (reply(200, [{"ID": "1"}]), errors.ProtocolError),
    "JSON that is a string": (reply(200, "\"ok\""), errors.ProtocolError),
    "JSON null": (reply(200, "null"), errors.ProtocolError),
    "result missing": (reply(200, {"time": {"start": 1}, "total": 3}), errors.ProtocolError),
    "200 with an error": (reply(200, {"error": "ERROR_CORE", "error_description": "Ошибка ядра"}),
                          errors.BadParametersError),
    "unknown error code 400": (reply(400, {"error": "SOMETHING_NEW", "error_description": "Новая ошибка"}),
                               errors.BadParametersError),
    "unknown error code 500": (reply(500, {"error": "INTERNAL_ERROR", "error_description": "Сбой сервера"}),
                               errors.UnavailableError),
    "error as a REST v3 object": (reply(400, {"error": {"code": ["x"], "message": {"ru": "плохо"}}}),
                                  errors.BadParametersError),
    "huge error description": (reply(400, {"error": "E", "error_description": "Ошибка\n" * 200_000}),
                               errors.BadParametersError),
    "deeply nested JSON": (reply(200, b"[" * 100_000 + b"]" * 100_000), errors.ProtocolError),
    "gzip garbage": (reply(200, b"\x1f\x8b\x08\x00garbage, not deflate", headers={"Content-Encoding": "gzip"}),
                     errors.ProtocolError),
    "a gzip bomb": (reply(200, gzip.compress(b'{"result": "' + b"0" * (MAX_ANSWER_BYTES + 1024) + b'"}'),
                          headers={"Content-Encoding": "gzip"}), errors.ProtocolError),
    "100 MB declared in Content-Length": (reply(200, b"{}", headers={"Content-Length": str(100 << 20)}),
                                          errors.ProtocolError),
}


@pytest.mark.parametrize("handler, expected", CALL_CASES.values(), ids=CALL_CASES.keys())
def test_a_broken_answer_to_a_call_is_a_clear_typed_error(handler, expected):
    error = outcome(handler, lambda client: client.call("crm.deal.list", {"filter": {"CATEGORY_ID": 1}}))
    assert_clear(error, expected)


def test_a_100_mb_answer_is_refused_without_reading_it_all():
    body = HugeBody()
    error = outcome(lambda request: httpx.Response(200, stream=body), lambda client: client.call("crm.deal.list"))
    assert_clear(error, errors.ProtocolError)
    assert "слишком большой" in error.description
    assert body.sent <= MAX_ANSWER_BYTES + (2 << 20)  # the client stopped reading at its bound


@pytest.mark.parametrize("total, next_, expected", [
    ("12", "50", (12, 50)), (12, 50, (12, 50)), ("много", "дальше", (None, None)), (None, [], (None, None)),
    ({"a": 1}, 1.5, (None, 1)),
])
def test_total_and_next_of_any_shape_are_read_or_left_out(total, next_, expected):
    answer = outcome(reply(200, {"result": [], "total": total, "next": next_}),
                     lambda client: client.call("crm.deal.list"))
    assert (answer.total, answer.next) == expected


# -- batches ----------------------------------------------------------------------------------------------------

def batch_of_two() -> Batch:
    batch = Batch()
    batch.add("deals", "crm.deal.list", {"start": -1})
    batch.add("contacts", "crm.contact.list", {"start": -1})
    return batch


def batch_answer(inner: Any) -> Callable[[httpx.Request], httpx.Response]:
    return reply(200, {"result": inner, "time": {}})


@pytest.mark.parametrize("answer, expected", [
    (batch_answer({"result": [], "result_error": {
        "deals": {"error": "ACCESS_DENIED", "error_description": "Доступ запрещён"},
        "contacts": {"error": "ACCESS_DENIED", "error_description": "Доступ запрещён"}}}), errors.AccessError),
    (batch_answer({"result": [], "result_error": {"deals": "garbage", "contacts": None}}), errors.BadParametersError),
    (batch_answer({"result": {"contacts": []}, "result_error": []}), errors.ProtocolError),
    (batch_answer({"result": [], "result_error": []}), errors.ProtocolError),
    (batch_answer([]), errors.ProtocolError),
    (batch_answer("ok"), errors.ProtocolError),
], ids=["result_error for every command", "result_error of garbage", "a command missing", "no command at all",
        "[] for the whole result", "a string for the whole result"])
def test_a_broken_batch_answer_fails_each_command_clearly(answer, expected):
    async def first_command(client: B24Client) -> Any:
        return (await client.batch(batch_of_two())).get("deals")
    assert_clear(outcome(answer, first_command), expected)


def test_batch_totals_of_garbage_are_read_as_zero():
    answer = batch_answer({"result": {"deals": [], "contacts": []}, "result_error": [],
                           "result_total": {"deals": "много", "contacts": "7"}, "result_next": "x"})
    result = outcome(answer, lambda client: client.batch(batch_of_two()))
    assert result.totals == {"deals": 0, "contacts": 7} and result.nexts == {}


# -- paging -------------------------------------------------------------------------------------------------------

def full_page(start: int = 1) -> list[dict[str, Any]]:
    return [{"ID": str(number), "TITLE": f"Сделка {number}"} for number in range(start, start + 50)]


def paged(first: Any, chained: Any) -> Callable[[httpx.Request], httpx.Response]:
    """A first page as given, then every batch command answering ``chained``."""
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/batch"):
            labels = json.loads(request.content)["cmd"]
            return reply(200, {"result": {"result": {label: chained for label in labels}, "result_error": []}})(
                request)
        return reply(200, {"result": first})(request)
    return handle


async def every_row(client: B24Client) -> list[dict[str, Any]]:
    return [row async for row in iter_all(client, "crm.deal.list")]


async def rows_by_ids(client: B24Client) -> list[dict[str, Any]]:
    return [row async for row in get_many(client, "lists.element.get", range(1, 120), {}, LISTS)]


@pytest.mark.parametrize("handler, action, expected", [
    (paged("сделки", []), every_row, errors.ProtocolError),
    (paged([1, 2, 3], []), every_row, errors.ProtocolError),
    (paged([{"ID": "1"}, "строка"], []), every_row, errors.ProtocolError),
    (paged([*full_page()[:-1], {"ID": "пятьдесят"}], []), every_row, errors.ProtocolError),
    (paged([*full_page()[:-1], {"TITLE": "без ID"}], []), every_row, errors.ProtocolError),
    (paged(full_page(), "страница"), every_row, errors.ProtocolError),
    (paged(full_page(), [None]), every_row, errors.ProtocolError),
    (paged(None, {"x": "страница"}), rows_by_ids, errors.ProtocolError),
    (paged(None, 42), rows_by_ids, errors.ProtocolError),
], ids=["a string for the rows", "numbers for rows", "a string among rows", "a last ID that is not a number",
        "a last row without ID", "a chained page that is a string", "a chained page of null",
        "by IDs: a map of strings", "by IDs: a number"])
def test_broken_pages_end_paging_with_a_clear_error(handler, action, expected):
    assert_clear(outcome(handler, action), expected)


@pytest.mark.parametrize("first, chained, count", [
    ({}, [], 0),  # PHP's empty list
    ([], [], 0),
    (None, [], 0),
    ({"0": {"ID": "1"}, "1": {"ID": "2"}}, [], 2),  # a list sent as a map
    (full_page(), {}, 50),
    (full_page(), {str(key): row for key, row in enumerate(full_page(51)[:10])}, 60),
])
def test_the_shapes_php_gives_lists_are_read_as_rows(first, chained, count):
    assert len(outcome(paged(first, chained), every_row)) == count


# -- the facades ----------------------------------------------------------------------------------------------------

def result_of(value: Any, *, next_: Any = None) -> Callable[[httpx.Request], httpx.Response]:
    return reply(200, {"result": value, **({"next": next_} if next_ is not None else {})})


FACADE_CASES = {
    "pipelines: a string": (result_of("направления"), lambda c: Crm(c).pipelines()),
    "pipelines: categories is a string": (result_of({"categories": "нет"}), lambda c: Crm(c).pipelines()),
    "pipelines: an ID that is not a number": (result_of({"categories": [{"id": "первое"}]}),
                                              lambda c: Crm(c).pipelines()),
    "pipelines: a huge ID": (result_of({"categories": [{"id": "9" * 30}]}), lambda c: Crm(c).pipelines()),
    "stages: a string": (result_of("стадии"), lambda c: Crm(c).stages(1)),
    "stages: a stage without STATUS_ID": (result_of([{"NAME": "Новая"}]), lambda c: Crm(c).stages(1)),
    "deal: [] for {}": (result_of([]), lambda c: Crm(c).get("deal", 1)),
    "add: a new ID that is an object": (result_of({"id": 5}), lambda c: Crm(c).add("deal", {}, idempotency_key="k")),
    "user fields: a field without ID": (result_of([{"FIELD_NAME": "UF_X", "USER_TYPE_ID": "string"}]),
                                        lambda c: Crm(c).userfields("deal")),
    "deal contacts: no CONTACT_ID": (result_of([{"SORT": 10}]), lambda c: Crm(c).deal_contacts(1)),
    "deal fields: a list for {}": (result_of([1, 2]), lambda c: Crm(c).field_types("deal")),
    "lists: a string": (result_of("списки"), lambda c: Lists(c).lists()),
    "lists: an ID that is not a number": (result_of([{"ID": "x", "CODE": "dpo"}]), lambda c: Lists(c).lists()),
    "list element: an ID that is not a number": (result_of([{"ID": "abc", "NAME": "x"}]),
                                                 lambda c: Lists(c).element(1, 1)),
    "list element add: a list for an ID": (result_of([7]), lambda c: Lists(c).add_element(1, "code", {})),
    "storages: no root folder": (result_of([{"ID": "1", "ENTITY_TYPE": "common"}]), lambda c: Disk(c).storages()),
    "folder children: a string": (result_of("файлы"), lambda c: Disk(c).children(1)),
    "folder children: next that does not move": (result_of([{"ID": "5", "NAME": "a.pdf"}], next_=0),
                                                 lambda c: Disk(c).children(1)),
    "file: [] for {}": (result_of([]), lambda c: Disk(c).get_file(1)),
    "file: no ID": (result_of({"NAME": "скан.pdf"}), lambda c: Disk(c).get_file(1)),
    "upload target: no uploadUrl": (result_of({"field": "file"}), lambda c: Disk(c).upload_target(1, "скан.pdf")),
    "upload target: uploadUrl is a list": (result_of({"uploadUrl": []}),
                                           lambda c: Disk(c).upload_target(1, "скан.pdf")),
    "attachment: a string": (result_of("вложение"), lambda c: Disk(c).attached_object(1)),
}


@pytest.mark.parametrize("handler, action", FACADE_CASES.values(), ids=FACADE_CASES.keys())
def test_a_facade_refuses_a_result_of_the_wrong_shape_clearly(handler, action):
    assert_clear(outcome(handler, action), errors.ProtocolError)


@pytest.mark.parametrize("handler, action, expected", [
    (result_of([]), lambda c: Crm(c).pipelines(), []),
    (result_of({}), lambda c: Crm(c).stages(1), []),
    (result_of([]), lambda c: Lists(c).fields(1), []),
    (result_of({}), lambda c: Lists(c).lists(), []),
    (result_of({}), lambda c: Disk(c).children(1), []),
    (result_of([]), lambda c: Crm(c).contacts_by_communication("PHONE", ["+79990000000"]), []),
    (result_of({"CONTACT": ["5", "x", None, "5"]}), lambda c: Crm(c).contacts_by_communication("PHONE", ["1"]), [5]),
], ids=["pipelines []", "stages {}", "list fields []", "lists {}", "folder children {}", "duplicates []",
        "duplicates with junk"])
def test_a_facade_reads_the_empty_shapes_php_sends(handler, action, expected):
    assert outcome(handler, action) == expected


@pytest.mark.parametrize("answer", [
    reply(200, {"time": {}}), reply(200, {"result": "загружено"}), reply(200, LOGIN_PAGE, content_type="text/html"),
    reply(200, {"result": {"NAME": "скан.pdf"}}),
], ids=["no result", "a string result", "an HTML page", "a file without ID"])
def test_an_upload_answer_without_the_file_is_a_clear_error(answer, tmp_path):
    path = make_scan(tmp_path / "скан.pdf", seed=1)
    target = UploadTarget(1, "скан.pdf", "https://portal.example.ru/upload/?token=disk|one-use", "file")
    assert_clear(outcome(answer, lambda client: Disk(client).send(target, path)), errors.ProtocolError)


@pytest.mark.parametrize("answer, expected", [
    (reply(502, NGINX_502 * 1000, content_type="text/html"), errors.UnavailableError),
    (reply(200, b"\x1f\x8b\x08\x00garbage, not deflate", headers={"Content-Encoding": "gzip"}), errors.ProtocolError),
    (reply(404, b"<html>" + b"x" * (10 << 20), content_type="text/html"), errors.ProtocolError),
], ids=["a 502 page", "gzip garbage", "a 10 MB error page"])
def test_a_broken_download_is_a_clear_error_and_leaves_no_file(answer, expected, tmp_path):
    file = DiskObject(5, "скан.pdf", "file", 1, 10, "https://portal.example.ru/disk/downloadFile/5/?token=x",
                      None, None)
    assert_clear(outcome(answer, lambda client: Disk(client).download(file, tmp_path / "скан.pdf")), expected)
    assert list(tmp_path.iterdir()) == []


# -- the sync engine against the demo office with one answer tampered with -------------------------------------

Rows = list[dict[str, Any]]


@pytest.fixture
def office(tmp_path) -> Office:
    """The demo office's sandbox portal and a real cache file for it."""
    box = make_sandbox(seeds.build("demo"))
    store = Store.open(tmp_path / "cache.sqlite3")
    yield Office(box, store, discovered(box), tmp_path / "cache.sqlite3")
    store.close()
    box.client.close()


class Tamper(httpx.AsyncBaseTransport):
    """The sandbox portal, except for the answers to ``method`` (direct, or its commands inside a batch):
    ``rows`` rewrites their rows, ``answer`` replaces the whole HTTP answer."""

    def __init__(self, office: Any, method: str, *, rows: Callable[[Rows], Any] | None = None,
                 answer: Callable[[dict[str, Any]], httpx.Response] | None = None) -> None:
        self.inner = SandboxTransport(office.box.portal)
        self.method, self.rows, self.answer = method.lower(), rows, answer
        self.hits = 0

    def _commands(self, name: str, body: dict[str, Any]) -> list[str]:
        if name == self.method:
            return [""]
        if name != "batch" or not isinstance(body.get("cmd"), dict):
            return []
        return [label for label, command in body["cmd"].items() if command.split("?")[0].lower() == self.method]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1].lower()
        content = await request.aread()
        body = json.loads(content) if content[:1] == b"{" else {}
        labels = self._commands(name, body) if request.headers.get("Content-Type") == "application/json" else []
        if not labels:
            return await self.inner.handle_async_request(request)
        self.hits += 1
        if self.answer is not None:
            return self.answer(body)
        response = await self.inner.handle_async_request(request)
        data = json.loads(await response.aread())
        if labels == [""]:
            data["result"] = self.rows(data["result"])
        else:
            for label in labels:
                data["result"]["result"][label] = self.rows(data["result"]["result"].get(label) or [])
        return httpx.Response(response.status_code, content=json.dumps(data, ensure_ascii=False).encode(),
                              headers={"Content-Type": "application/json"})


def sync_through(office: Any, transport: httpx.AsyncBaseTransport, *, full: bool = True) -> Any:
    async def scenario() -> Any:
        client = B24Client(WebhookAuth.from_url(office.box.webhook), transport=transport, plan=PLANS["off"],
                           retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.001), seed=1)
        async with client:
            try:
                return await asyncio.wait_for(SyncEngine(client, office.store, office.mapping).sync(full=full), 60)
            except errors.B24Error as error:
                return error
    return run(scenario())


def cache_state(office: Any) -> tuple[Any, ...]:
    meta = {key: office.store.get_meta(key) for key in (
        "last_full_sync", "last_sync", "mapping.fingerprint", "watermark.deals", "watermark.contacts",
        "watermark.participants", "watermark.documents")}
    return snapshot(office.store), meta


def first_row(change: Callable[[dict[str, Any]], None]) -> Callable[[Rows], Rows]:
    def rewrite(rows: Rows) -> Rows:
        if rows:
            change(rows[0])
        return rows
    return rewrite


def batch_errors(code: str, description: str) -> Callable[[dict[str, Any]], httpx.Response]:
    def answer(body: dict[str, Any]) -> httpx.Response:
        failed = {label: {"error": code, "error_description": description} for label in body["cmd"]}
        return httpx.Response(200, json={"result": {"result": [], "result_error": failed}, "time": {}})
    return answer


def fixed(response: Callable[[httpx.Request], httpx.Response]) -> Callable[[dict[str, Any]], httpx.Response]:
    return lambda body: response(httpx.Request("POST", "https://x/"))


def endless(body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, stream=HugeBody())


SYNC_FAILURES = {
    "stages: an HTML page with 200": ("crm.status.list", None, fixed(reply(200, LOGIN_PAGE, content_type="text/html")),
                                      errors.ProtocolError),
    "deals: a string for the rows": ("crm.deal.list", lambda rows: "сделки", None, errors.ProtocolError),
    "deals: an ID that is not a number": ("crm.deal.list", first_row(lambda row: row.update(ID="сорок два")), None,
                                          errors.ProtocolError),
    "deals: an ID too big for any column": ("crm.deal.list", first_row(lambda row: row.update(ID="9" * 40)), None,
                                            errors.ProtocolError),
    "deals: truncated JSON": ("crm.deal.list", None, fixed(reply(200, b'{"result": [{"ID": "1"')),
                              errors.ProtocolError),
    "participants: an element ID that is not a number": (
        "lists.element.get", first_row(lambda row: row.update(ID="abc")), None, errors.ProtocolError),
    "participants: 100 MB": ("lists.element.get", None, endless, errors.ProtocolError),
    "contacts: result_error for every command": ("crm.contact.list", None,
                                                 batch_errors("ACCESS_DENIED", "Доступ запрещён"), errors.AccessError),
    "contacts: a batch that lacks the commands": (
        "crm.contact.list", None, lambda body: httpx.Response(200, json={"result": {"result": {}, "result_error": []}}),
        errors.ProtocolError),
    "contacts: {} for the whole batch": ("crm.contact.list", None, lambda body: httpx.Response(200, json={}),
                                         errors.ProtocolError),
}


@pytest.mark.parametrize("method, rows, answer, expected", SYNC_FAILURES.values(), ids=SYNC_FAILURES.keys())
def test_a_sync_that_meets_a_broken_answer_fails_clearly_and_leaves_the_cache_as_it_was(office, method, rows, answer,
                                                                                       expected):
    office.sync(full=True)
    before = cache_state(office)
    tamper = Tamper(office, method, rows=rows, answer=answer)
    error = sync_through(office, tamper)
    assert tamper.hits
    assert_clear(error, expected)
    assert cache_state(office) == before
    assert office.sync().messages == []  # and the next sync, on a sound portal, goes through


def test_a_first_sync_cut_short_by_a_broken_answer_is_redone_in_full(office):
    error = sync_through(office, Tamper(office, "crm.contact.list", answer=batch_errors("ACCESS_DENIED", "Нет прав")))
    assert_clear(error, errors.AccessError)
    assert office.store.get_meta("last_full_sync") is None and office.store.get_meta("mapping.fingerprint") is None
    assert office.sync().mode == "full"


def test_incremental_sync_refuses_rows_of_the_wrong_shape(office):
    office.sync(full=True)
    before = cache_state(office)
    error = sync_through(office, Tamper(office, "crm.deal.list", rows=lambda rows: "сделки"), full=False)
    assert_clear(error, errors.ProtocolError)
    assert cache_state(office) == before


def test_a_deal_with_a_5_mb_title_and_dates_that_are_not_dates_is_taken_as_far_as_it_reads(office):
    date_code = office.mapping.deal_field("start_date").code
    huge = "Ж" * (5 << 20)

    def rewrite(row: dict[str, Any]) -> None:
        row.update(TITLE=huge, DATE_MODIFY="вчера", **{date_code: "31.02.2024"})
    summary = sync_through(office, Tamper(office, "crm.deal.list", rows=first_row(rewrite)))
    assert not isinstance(summary, errors.B24Error), summary
    deal = max(office.store.deals(), key=lambda item: len(item.title))
    assert deal.title == huge and deal.start_date is None


LINK_SHAPES = {  # how a list element's S:ECrm value may arrive, and whether it still names the deal
    "a map {valueId: value}": (lambda value: {"901": value}, True),
    "a list": (lambda value: [value], True),
    "a bare string": (lambda value: value, True),
    "a number": (lambda value: int(value), True),
    "a prefixed link": (lambda value: {"901": f"D_{value}"}, True),
    "a map with an empty value first": (lambda value: {"900": "", "901": value}, True),
    "null": (lambda value: None, False),
    "false": (lambda value: False, False),
    "an empty map as []": (lambda value: [], False),
    "an HTML-text object": (lambda value: {"901": {"TEXT": value, "TYPE": "html"}}, False),
    "a nested list": (lambda value: [[value]], False),
    "a word": (lambda value: "сделка", False),
    "a number too big for any column": (lambda value: "9" * 40, False),
}


@pytest.mark.parametrize("shape, kept", LINK_SHAPES.values(), ids=LINK_SHAPES.keys())
def test_list_element_values_of_every_shape_are_read_or_the_element_left_out(office, shape, kept):
    office.sync(full=True)
    deal_code = office.mapping.participants.fields["deal"].code
    changed: dict[int, int] = {}  # element ID -> the deal it names

    def rewrite(rows: Rows) -> Rows:
        for row in rows:
            if deal_code in row and len(changed) < 3:
                value = str(next(iter(row[deal_code].values())))
                changed[int(row["ID"])] = int(value)
                row[deal_code] = shape(value)
        return rows
    tamper = Tamper(office, "lists.element.get", rows=rewrite)
    summary = sync_through(office, tamper)
    assert not isinstance(summary, errors.B24Error), summary
    stored = {item.id: item for item in office.store.participants()}
    for element_id, deal_id in changed.items():
        if kept:
            assert stored[element_id].deal_id == deal_id
        else:
            assert element_id not in stored


# -- the uploader ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UploadFault:
    method: str  # "upload" for the bytes' own POST
    answer: Callable[[dict[str, Any]], httpx.Response]


class UploadTamper(Tamper):
    """Also tampers with the POST of the bytes to the single-use upload URL (the one multipart request)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.method == "upload" and request.headers.get("Content-Type", "").startswith("multipart/form-data"):
            self.hits += 1
            await request.aread()
            return self.answer({})
        return await super().handle_async_request(request)


@pytest.mark.parametrize("fault", [
    UploadFault("disk.folder.uploadfile", fixed(reply(200, {"result": {"field": "file"}}))),
    UploadFault("upload", fixed(reply(200, {"time": {}}))),
    UploadFault("upload", fixed(reply(200, NGINX_502, content_type="text/html"))),
], ids=["uploadfile without uploadUrl", "an upload answer without result", "an nginx page for the bytes"])
def test_the_uploader_fails_the_file_with_a_clear_reason(office, fault, tmp_path):
    office.sync(full=True)
    deal = deal_with_people(office.store)
    path = make_scan(tmp_path / "скан.pdf", seed=77)
    added = add_files(office.store, UploadRequest([path], deal.deal_id, deal.people[0].id, DocumentType.PASSPORT))
    tamper = UploadTamper(office, fault.method, answer=fault.answer)

    async def scenario() -> Any:
        client = B24Client(WebhookAuth.from_url(office.box.webhook), transport=tamper, plan=PLANS["off"],
                           retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.001), seed=1)
        async with client:
            return await Uploader(client, office.store, office.mapping, local_copies=tmp_path / "files").run()
    stats = run(scenario())
    item = office.store.upload(added.added[0])
    assert tamper.hits and stats.failed == 1 and item.state == "failed", (stats, item)
    assert CYRILLIC.search(item.reason) and "\n" not in item.reason and CODE not in item.reason
