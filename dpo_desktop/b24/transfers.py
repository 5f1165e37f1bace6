"""File transfers beside the REST calls: a scan's bytes to an ``uploadUrl``, a file from its ``DOWNLOAD_URL``.

Mixed into :class:`~dpo_desktop.b24.client.B24Client`: the same limiter and back-off, but an upload
travels on its own lane (one transfer at a time, beside the REST series) and a download is written to
a temporary file and renamed, so a broken transfer never leaves half a file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from .answers import (
    ProgressReader,
    Reply,
    decode,
    error_head,
    error_of,
    network_text,
    never_sent,
    refuse_bad_certificate,
)
from .auth import portal_base
from .errors import AmbiguousWriteError, B24Error, LimitError, ProtocolError, UnavailableError, snippet

if TYPE_CHECKING:
    from .limiter import RateLimiter


class Transfers:
    """Uploads and downloads; the request machinery comes from the client."""

    http: httpx.AsyncClient
    limiter: RateLimiter
    _transfer: Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]]
    _locked: Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]]
    _bounded: Callable[..., Awaitable[Reply]]
    _backoff_or_raise: Callable[[B24Error, int], Awaitable[int]]

    async def upload(self, url: str, field: str, path: Path, name: str,
                     progress: Callable[[int], None] | None = None) -> dict[str, Any]:
        """POST a file as multipart to a two-step ``uploadUrl``, streamed from disk.

        Not repeated after a lost answer (the URL is single-use): that is an AmbiguousWriteError for the
        caller to settle by reading the folder.
        """
        attempt = 0
        while True:
            try:
                with open(path, "rb") as stream:
                    reader = ProgressReader(stream, progress)
                    files = {field: (name, reader, "application/octet-stream")}
                    response = await self._transfer(lambda files=files: self._bounded("POST", url, "upload",
                                                                                      files=files))
            except httpx.TransportError as error:
                refuse_bad_certificate(error, "upload")
                if not never_sent(error):
                    raise AmbiguousWriteError(f"Ответ на загрузку файла потерян ({type(error).__name__})",
                                              method="upload") from None
                attempt = await self._backoff_or_raise(UnavailableError(network_text(error), method="upload"), attempt)
                continue
            body = decode(response, "upload")
            if response.status_code == 200 and isinstance(body, dict) and isinstance(body.get("result"), dict):
                return body["result"]
            error = error_of(response.status_code, body, "upload", None)
            if isinstance(error, LimitError) or response.status_code == 503:
                self.limiter.saturated()
                attempt = await self._backoff_or_raise(error, attempt)
                continue
            raise error

    async def download(self, url: str, target: Path, progress: Callable[[int], None] | None = None) -> int:
        """GET a signed ``DOWNLOAD_URL`` into ``target`` (written to a temporary file, then renamed)."""
        referer = portal_base(url) + "/"
        headers = {"Accept": "*/*", "Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8", "Referer": referer}
        partial = target.with_name(target.name + ".part")
        attempt = 0
        while True:
            try:
                size = await self._locked(lambda: self._stream_to(url, headers, partial, progress))
                partial.replace(target)
                return size
            except httpx.TransportError as error:
                partial.unlink(missing_ok=True)
                refuse_bad_certificate(error, "download")
                attempt = await self._backoff_or_raise(UnavailableError(network_text(error), method="download"),
                                                       attempt)
            except UnavailableError as error:
                partial.unlink(missing_ok=True)
                attempt = await self._backoff_or_raise(error, attempt)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise

    async def _stream_to(self, url: str, headers: dict[str, str], target: Path,
                         progress: Callable[[int], None] | None) -> int:
        size = 0
        async with self.http.stream("GET", url, headers=headers) as response:
            if response.status_code != 200:
                body = await error_head(response)  # an error page, however long, is not read whole
                error_type = UnavailableError if response.status_code >= 500 else ProtocolError
                raise error_type(f"Файл не скачан (HTTP {response.status_code}): {snippet(body)}",
                                 status=response.status_code, method="download")
            with open(target, "wb") as stream:
                try:
                    async for chunk in response.aiter_bytes(1 << 16):
                        stream.write(chunk)
                        size += len(chunk)
                        if progress is not None:
                            progress(size)
                except httpx.DecodingError:
                    raise ProtocolError("Файл не скачан: портал прислал повреждённые сжатые данные",
                                        method="download") from None
        return size
