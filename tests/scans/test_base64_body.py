"""The streamed JSON body of the compatibility mode: byte-identical to json.dumps, bounded in memory,
and accepted by the sandbox portal's lists.element.add as a File property value."""

from __future__ import annotations

import asyncio
import base64
import json
import random
import tracemalloc
from pathlib import Path

import httpx
import pytest

from dpo_desktop.sandbox.transport import SandboxTransport
from dpo_desktop.scans import FileChangedError, aiter_chunks, json_body_with_file
from tests.sandbox.portal_fixtures import make_sandbox

MARKER = "@@file@@"


def params_with(value: str) -> dict:
    return {
        "IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": 17, "ELEMENT_CODE": "d-4f1c-77-passport",
        "FIELDS": {"NAME": "Паспорт — Иванов Иван Иванович «главная»", "PROPERTY_101": ["паспорт.pdf", value],
                   "PROPERTY_102": "Получен", "PROPERTY_103": ["a\"b\\c\n", 1.5, None, True]},
    }


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("size", [*range(11), 1024 * 1024 + 1])
@pytest.mark.parametrize("chunk", [3, 9, 3 * 256 * 1024])
def test_the_body_is_byte_identical_to_json_dumps(tmp_path, size, chunk):
    data = random.Random(size).randbytes(size)
    path = write(tmp_path / "скан.pdf", data)
    length, body = json_body_with_file(params_with(MARKER), MARKER, path, chunk=chunk)
    produced = b"".join(body())
    reference = json.dumps(params_with(base64.b64encode(data).decode("ascii")), ensure_ascii=False,
                           separators=(",", ":")).encode()
    assert produced == reference and length == len(reference)
    assert b"".join(body()) == produced  # the factory starts again for a retry


def test_only_the_last_base64_piece_is_padded(tmp_path):
    path = write(tmp_path / "a.pdf", bytes(range(256)) * 3 + b"xy")
    _, body = json_body_with_file({"f": MARKER}, MARKER, path, chunk=30)
    pieces = list(body())
    encoded = pieces[1:-1]
    assert all(b"=" not in piece and len(piece) == 40 for piece in encoded[:-1])
    assert base64.b64decode(b"".join(encoded)) == path.read_bytes()


def test_the_marker_may_appear_inside_other_strings(tmp_path):
    params = {"NAME": f"про {MARKER} и «кавычки»", MARKER: "ключ", "FILE": ["x.pdf", MARKER]}
    path = write(tmp_path / "x.pdf", b"%PDF-1.4 tiny")
    length, body = json_body_with_file(params, MARKER, path)
    produced = b"".join(body())
    assert json.loads(produced) == {**params, "FILE": ["x.pdf", base64.b64encode(b"%PDF-1.4 tiny").decode()]}
    assert len(produced) == length


@pytest.mark.parametrize("params", [
    {"FILE": ["x.pdf", "другое"]},
    {MARKER: "only a key"},
    {"A": MARKER, "B": [MARKER]},
    {"A": {"deep": [MARKER, MARKER]}},
])
def test_exactly_one_marker_value_is_required(tmp_path, params):
    path = write(tmp_path / "x.pdf", b"data")
    with pytest.raises(ValueError):
        json_body_with_file(params, MARKER, path)


@pytest.mark.parametrize("chunk", [0, 1, 4, 1000])
def test_the_chunk_must_be_a_positive_multiple_of_three(tmp_path, chunk):
    with pytest.raises(ValueError):
        json_body_with_file({"f": MARKER}, MARKER, write(tmp_path / "x.pdf", b"data"), chunk=chunk)


@pytest.mark.parametrize("change", ["grow", "shrink"])
def test_a_file_that_changes_after_measuring_is_refused(tmp_path, change):
    path = write(tmp_path / "скан.pdf", bytes(1000))
    _, body = json_body_with_file({"f": MARKER}, MARKER, path, chunk=300)
    path.write_bytes(bytes(1001 if change == "grow" else 999))
    with pytest.raises(FileChangedError) as caught:
        b"".join(body())
    assert "«скан.pdf» изменился" in str(caught.value)


def test_encoding_20_mb_peaks_under_4_mb_of_python_allocations(tmp_path):
    path = tmp_path / "большой скан.tif"
    with open(path, "wb") as stream:
        generator = random.Random(20)
        for _ in range(20):
            stream.write(generator.randbytes(1024 * 1024))
    length, body = json_body_with_file(params_with(MARKER), MARKER, path)
    tracemalloc.start()
    try:
        produced = sum(len(piece) for piece in body())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert produced == length
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


def test_aiter_chunks_gives_the_same_bytes(tmp_path):
    path = write(tmp_path / "скан.pdf", random.Random(1).randbytes(5000))
    _, body = json_body_with_file({"f": MARKER}, MARKER, path, chunk=999)

    async def collect() -> bytes:
        return b"".join([piece async for piece in aiter_chunks(body)])

    assert asyncio.run(collect()) == b"".join(body())


def test_the_sandbox_portal_stores_the_file_sent_as_a_streamed_body(tmp_path):
    """lists.element.add over httpx.AsyncClient with the body streamed and a Content-Length (no chunked
    encoding): the portal decodes the File property into exactly the bytes on disk."""
    box = make_sandbox()
    iblock_id = box.result("lists.add", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": "dpo_documents",
                                         "FIELDS": {"NAME": "Документы участника"}})
    scan_field = box.result("lists.field.add", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock_id,
                                                "FIELDS": {"NAME": "Скан", "TYPE": "F", "CODE": "SCAN"}})
    data = random.Random(3).randbytes(300_001)
    path = write(tmp_path / "паспорт.pdf", data)
    params = {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock_id, "ELEMENT_CODE": "doc-passport-1",
              "FIELDS": {"NAME": "Паспорт — Иванов", scan_field: ["паспорт.pdf", MARKER]}}
    length, body = json_body_with_file(params, MARKER, path, chunk=3 * 1024)
    sent_headers: list[httpx.Headers] = []

    async def send() -> httpx.Response:
        async def remember(request: httpx.Request) -> None:
            sent_headers.append(request.headers)

        async with httpx.AsyncClient(transport=SandboxTransport(box.portal), base_url=box.webhook,
                                     event_hooks={"request": [remember]}) as client:
            return await client.post("lists.element.add", content=aiter_chunks(body), headers={
                "Content-Type": "application/json", "Content-Length": str(length)})

    response = asyncio.run(send())
    assert response.status_code == 200, response.text
    assert sent_headers[0]["content-length"] == str(length) and "transfer-encoding" not in sent_headers[0]
    element_id = response.json()["result"]
    (row,) = box.result("lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": iblock_id,
                                              "ELEMENT_ID": element_id})
    box.client.close()
    (file_id,) = row[scan_field].values()
    stored = box.state.lists.files.get(int(file_id))
    assert (stored.name, stored.data) == ("паспорт.pdf", data)
