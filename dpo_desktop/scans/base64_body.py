"""A JSON request body that carries a whole file as base64, produced in bounded memory.

The compatibility mode writes a list's plain File property as ``["name.pdf", "<base64>"]`` inside the
JSON body of ``lists.element.add``. Building that string for a 100 MB scan would hold the file, its
base64 and the JSON text in memory at once. Here the body is the JSON text of ``params`` split at one
placeholder value (the marker), and the base64 is encoded from disk chunk by chunk between the halves;
the length is known in advance, so the request goes out with a Content-Length rather than chunked::

    length, body = json_body_with_file(params, MARKER, path)
    await client.post(url, content=aiter_chunks(body),
                      headers={"Content-Type": "application/json", "Content-Length": str(length)})
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from .text import shown_name

BodyFactory = Callable[[], Iterator[bytes]]


class FileChangedError(OSError):
    """The file changed size while its body was being sent: the announced Content-Length no longer holds."""


def json_body_with_file(params: dict, marker: str, path: Path, *,
                        chunk: int = 3 * 256 * 1024) -> tuple[int, BodyFactory]:
    """The exact byte length of the body and a factory of its chunks (callable again for a retry).

    ``params`` holds exactly one string value equal to ``marker`` (ValueError otherwise); in the body it
    is replaced by the base64 of the file at ``path``. The bytes are those of
    ``json.dumps(params_with_the_base64, ensure_ascii=False, separators=(",", ":")).encode()``.
    ``chunk`` (a multiple of 3, so only the last piece is padded) bounds the memory: O(chunk), not O(file).
    """
    if chunk < 3 or chunk % 3:
        raise ValueError("chunk must be a positive multiple of 3")
    found = _count_marker(params, marker)
    if found != 1:
        raise ValueError(f"the marker must be exactly one string value of params, found {found}")
    head, tail = _split_json(params, marker)
    path = Path(path)
    size = os.stat(path).st_size
    length = len(head) + 2 + _base64_length(size) + len(tail)

    def body() -> Iterator[bytes]:
        yield head + b'"'
        yield from _base64_chunks(path, size, chunk)
        yield b'"' + tail

    return length, body


async def aiter_chunks(factory: BodyFactory) -> AsyncIterator[bytes]:
    """The body as an async iterator, as httpx.AsyncClient takes it (reads stay on the loop: they are
    short for our sizes)."""
    for piece in factory():
        yield piece


def _count_marker(value: Any, marker: str) -> int:
    if isinstance(value, str):
        return int(value == marker)
    if isinstance(value, dict):
        return sum(_count_marker(item, marker) for item in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_count_marker(item, marker) for item in value)
    return 0


def _split_json(params: dict, marker: str) -> tuple[bytes, bytes]:
    """The encoded JSON before and after the marker's value (its quotes excluded).

    The marker may also occur inside other strings, so it is first swapped for a placeholder that cannot:
    a random token behind a NUL character, which JSON always writes escaped and no real value contains.
    """
    while True:
        placeholder = "\x00" + secrets.token_hex(16)
        text = json.dumps(_replaced(params, marker, placeholder), ensure_ascii=False, separators=(",", ":"))
        quoted = json.dumps(placeholder)
        if text.count(quoted) == 1:
            before, after = text.split(quoted)
            return before.encode("utf-8"), after.encode("utf-8")


def _replaced(value: Any, marker: str, placeholder: str) -> Any:
    if isinstance(value, str):
        return placeholder if value == marker else value
    if isinstance(value, dict):
        return {key: _replaced(item, marker, placeholder) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_replaced(item, marker, placeholder) for item in value]
    return value


def _base64_length(size: int) -> int:
    return 4 * ((size + 2) // 3)


def _base64_chunks(path: Path, size: int, chunk: int) -> Iterator[bytes]:
    """The base64 of the file's ``size`` bytes, ``chunk`` bytes of input at a time.

    A buffered read returns all it was asked for unless the file ends, so every piece but the last is a
    multiple of 3 and carries no padding. A file that shrank or grew since it was measured is refused: the
    announced length, and the hash the document was filed under, no longer describe it.
    """
    done = 0
    with open(path, "rb") as stream:
        while done < size and (piece := stream.read(min(chunk, size - done))):
            done += len(piece)
            yield base64.b64encode(piece)
        grew = bool(stream.read(1))
    if done != size or grew:
        raise FileChangedError(f"Файл «{shown_name(path.name)}» изменился во время отправки: отправьте его заново")
