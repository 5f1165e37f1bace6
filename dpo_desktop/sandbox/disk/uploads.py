"""``uploadFile`` in its two forms, and the ``/rest/upload.json`` route that takes the bytes of the second.

One step: ``fileContent: ["name.ext", "<base64>"]`` with ``data.NAME`` stores the file at once. Two
steps: without ``fileContent`` the method answers ``{"field": "file", "uploadUrl": …}``; a
``multipart/form-data`` POST of the bytes in that field to the URL stores the file and answers the
new file object in the usual envelope.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from .. import errors, wire
from ..errors import ApiError
from ..http import HttpRequest, HttpResponse, UploadedFile
from ..registry import Call, raw_route
from . import params as args
from . import shapes
from .links import UPLOAD_FIELD, read_token, upload_url
from .state import could_not_save

if TYPE_CHECKING:
    from ..portal import Portal


def upload_file(call: Call, folder_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """The body of ``disk.folder.uploadFile`` and ``disk.storage.uploadFile`` once the folder is known."""
    args.live_folder(call, folder_id)
    unique = args.flag(params.get("generateUniqueName"))
    content = params.get("fileContent")
    if not content:
        data = params.get("data")
        name = data.get("NAME") if isinstance(data, dict) else None
        url = upload_url(call, folder_id, unique=unique, name=str(name).strip() if name else None)
        return {"field": UPLOAD_FIELD, "uploadUrl": url}
    name = args.required_name(params)
    return store(call, folder_id, name, decode_content(content), unique)


def decode_content(content: Any) -> bytes:
    """``["name.ext", "<base64>"]`` (or a bare base64 string) as bytes; bad base64 cannot be saved."""
    items = wire.as_list(content)
    encoded = items[1] if len(items) >= 2 else items[0] if items else ""
    if not isinstance(encoded, str):
        raise could_not_save()
    try:
        data = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        raise could_not_save() from None
    return data


def store(call: Call, folder_id: int, name: str, data: bytes, unique: bool) -> dict[str, Any]:
    if not data:
        # (unconfirmed) the portal's file saver refuses an empty file.
        raise could_not_save()
    disk = call.state.disk
    file_id = disk.add_file(folder_id, name, data, user_id=call.user.id, unique=unique)
    return shapes.disk_object(call, disk.objects[file_id], created=True)


@raw_route("upload")
def handle_upload(
    portal: Portal, request: HttpRequest, params: dict[str, Any], files: list[tuple[str, UploadedFile]]
) -> HttpResponse:
    """POST of a file to an ``uploadUrl``. Forged, expired or reused tokens get nginx's 404 page."""
    state, now = portal.state, portal.state.now()
    auth = str(params.get("auth") or "")
    refused = check_auth(portal, auth)
    if refused is not None:
        return refused
    fields = read_token(state.disk, str(params.get("token") or ""), "upload", auth, now)
    # (unconfirmed) a bad upload token is answered like a bad download token: the route "does not exist".
    grant = state.disk.pending_uploads.pop(fields["_"], None) if fields and request.method == "POST" else None
    if grant is None or grant["expires"] <= now or grant["user_id"] not in state.users:
        return HttpResponse.html(404, "404 Not Found")
    call = Call(state, state.users[grant["user_id"]], request.base_url, grant["auth_kind"], grant["credential"],
                auth or None)
    upload = next((item for field, item in files if field == UPLOAD_FIELD), None)
    try:
        args.live_folder(call, grant["folder_id"])
        if upload is None:
            raise could_not_save()
        name = grant["name"] or upload.filename.strip()
        if not name:
            args.required_name({})
        result = store(call, grant["folder_id"], name, upload.data, grant["unique"])
    except ApiError as error:
        return HttpResponse.json(error.status, wire.dumps(error.body()))
    timing = portal.time_object(now, 0.0, reset_at=int(now + portal.limits.operating_window))
    return HttpResponse.json(200, wire.dumps({"result": result, "time": timing}))


def check_auth(portal: Portal, auth: str) -> HttpResponse | None:
    """A link issued to an OAuth caller dies with its access token; a webhook's link carries none."""
    if not auth:
        return None
    grant = portal.state.access_tokens.get(auth)
    if grant is None:
        error = errors.no_auth()
    elif grant.expires_at <= portal.state.now():
        error = errors.expired_token()
    else:
        return None
    return HttpResponse.json(error.status, wire.dumps(error.body()))
