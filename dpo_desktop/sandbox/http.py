"""The HTTP exchange the portal works on, independent of how it is served.

The loopback server and the in-process httpx transport both turn a request into
:class:`HttpRequest`, hand it to the portal, and play back the :class:`HttpResponse`, including the
two things that are not ordinary answers: a delay before answering and a dropped connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(slots=True)
class UploadedFile:
    """A file part of a multipart body (PHP's ``$_FILES`` entry)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class HttpRequest:
    method: str
    scheme: str
    host: str  # host[:port] as the client addressed it
    path: str  # percent-decoded
    query: str  # raw
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}"

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


@dataclass(slots=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0  # seconds to wait before answering (latency model, slow faults)
    drop: bool = False  # close the connection without answering

    @classmethod
    def json(cls, status: int, body: bytes, delay: float = 0.0) -> HttpResponse:
        return cls(status, body, [("Content-Type", JSON_TYPE)], delay)

    @classmethod
    def html(cls, status: int, title: str) -> HttpResponse:
        page = (
            f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        ).encode()
        return cls(status, page, [("Content-Type", "text/html")])

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def parse_multipart(body: bytes, content_type: str) -> tuple[list[tuple[str, str]], list[tuple[str, UploadedFile]]]:
    """Split a multipart/form-data body into text fields and file fields (name, value) in order."""
    boundary = _param(content_type, "boundary")
    if not boundary:
        return [], []
    delimiter = b"--" + boundary.encode("latin-1")
    fields: list[tuple[str, str]] = []
    files: list[tuple[str, UploadedFile]] = []
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        part = part[2:] if part.startswith(b"\r\n") else part
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        if content.endswith(b"\r\n"):
            content = content[:-2]
        headers = _part_headers(head.decode("utf-8", errors="replace"))
        disposition = headers.get("content-disposition", "")
        name = _param(disposition, "name")
        if name is None:
            continue
        filename = _param(disposition, "filename")
        if filename is None:
            fields.append((name, content.decode("utf-8", errors="replace")))
        else:
            kind = headers.get("content-type", "application/octet-stream")
            files.append((name, UploadedFile(filename, kind, content)))
    return fields, files


def _part_headers(head: str) -> dict[str, str]:
    headers = {}
    for line in head.split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    return headers


def _param(header: str, name: str) -> str | None:
    """A parameter of a header value such as ``form-data; name="file"; filename="a.pdf"``."""
    for piece in _split_params(header):
        key, sep, value = piece.partition("=")
        if sep and key.strip().lower() == name:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1].replace('\\"', '"')
            return value
    return None


def _split_params(header: str) -> list[str]:
    pieces, current, quoted = [], [], False
    for char in header:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def content_type_of(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def json_object(value: Any) -> dict[str, Any]:
    """A decoded JSON body as PHP would hold it: a list becomes index keys, a scalar nothing."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    return {}
