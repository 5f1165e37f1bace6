"""The ``/rest/download.json`` route behind every ``DOWNLOAD_URL``: the bytes of one file.

The answer carries ``Content-Type``, ``Content-Length`` and ``Content-Disposition: attachment;
filename*=UTF-8''…``. A forged or expired token, a file that is gone, or a request without the
browser-like headers the reference asks for (§1.4) gets nginx's 404 page, as the portal's front does.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..http import HttpRequest, HttpResponse, UploadedFile
from ..registry import raw_route
from .links import read_token
from .state import LIVE
from .uploads import check_auth

if TYPE_CHECKING:
    from ..portal import Portal

BROWSER_HEADERS = ("user-agent", "accept", "accept-language", "referer")


@raw_route("download")
def handle_download(
    portal: Portal, request: HttpRequest, params: dict[str, Any], files: list[tuple[str, UploadedFile]]
) -> HttpResponse:
    state = portal.state
    disk = state.disk
    missing = HttpResponse.html(404, "404 Not Found")
    if request.method != "GET":
        return missing
    if disk.require_browser_headers and not all(request.header(name).strip() for name in BROWSER_HEADERS):
        return missing
    auth = str(params.get("auth") or "")
    refused = check_auth(portal, auth)
    if refused is not None:
        return refused
    fields = read_token(disk, str(params.get("token") or ""), "download", auth, state.now())
    record = disk.get_object(int(fields["id"])) if fields and fields.get("id", "").isdigit() else None
    # (unconfirmed) a file in the trash no longer downloads through its old link.
    if record is None or record["TYPE"] != "file" or record["DELETED_TYPE"] != LIVE:
        return missing
    data = disk.read_bytes(record["ID"])
    kind = mimetypes.guess_type(record["NAME"])[0] or "application/octet-stream"
    headers = [
        ("Content-Type", kind),
        ("Content-Length", str(len(data))),
        ("Content-Disposition", f"attachment; filename*=UTF-8''{quote(record['NAME'], safe='')}"),
    ]
    return HttpResponse(200, data, headers)
