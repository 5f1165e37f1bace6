"""``uploadFile`` and ``uploadVersion``, and the ``/rest/upload.json`` route that takes the bytes of a second step.

One step: ``fileContent: ["name.ext", "<base64>"]`` (with ``data.NAME`` for a new file) stores the
bytes at once. Two steps: without ``fileContent`` ``uploadFile`` answers ``{"field": "file",
"uploadUrl": …}``; a ``multipart/form-data`` POST of the bytes in that field to the URL stores the
file and answers the file object in the usual envelope. ``uploadVersion`` has only the one-step form
unless the disk state's ``version_upload_url`` switch gives it the second.
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
from .links import UPLOAD_FIELD, read_token, upload_url, version_upload_url
from .state import LIVE, could_not_save

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


def upload_version(call: Call, file_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """The body of ``disk.file.uploadVersion``: new bytes for a live file, which keeps its name."""
    _versioned_file(call, file_id)
    content = params.get("fileContent")
    if not content:
        if call.state.disk.version_upload_url:
            return {"field": UPLOAD_FIELD, "uploadUrl": version_upload_url(call, file_id)}
        raise args.bad_argument(1)  # fileContent is a required argument of the PHP method
    return store_version(call, file_id, decode_content(content))


def store_version(call: Call, file_id: int, data: bytes) -> dict[str, Any]:
    """Store a version. Refusals are ERROR_COULD_NOT_SAVE_FILE, the reference's code for the quota (§11);
    the method's documentation page also lists DISK_FILE_22002 and DISK_FILE_22006 (unconfirmed which wins)."""
    if not data:
        raise could_not_save()  # (unconfirmed) as for a new file, an empty version is refused
    disk = call.state.disk
    disk.add_version(file_id, data, user_id=call.user.id)
    return shapes.disk_object(call, disk.objects[file_id], native=("GLOBAL_CONTENT_VERSION",))


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
        result = _store_upload(call, grant, upload)
    except ApiError as error:
        return HttpResponse.json(error.status, wire.dumps(error.body()))
    timing = portal.time_object(now, 0.0, reset_at=int(now + portal.limits.operating_window))
    response = HttpResponse.json(200, wire.dumps({"result": result, "time": timing}))
    response.delay += portal.latency.per_request  # a transfer is a request too: it pays the round trip
    return response


def _store_upload(call: Call, grant: dict[str, Any], upload: UploadedFile | None) -> dict[str, Any]:
    """The bytes of a second step, into the folder or onto the file the grant names."""
    file_id = grant.get("file_id")
    if file_id is not None:
        _versioned_file(call, file_id)
        if upload is None:
            raise could_not_save()
        return store_version(call, file_id, upload.data)
    args.live_folder(call, grant["folder_id"])
    if upload is None:
        raise could_not_save()
    name = grant["name"] or upload.filename.strip()
    if not name:
        args.required_name({})
    return store(call, grant["folder_id"], name, upload.data, grant["unique"])


def _versioned_file(call: Call, file_id: int) -> None:
    if args.file_of(call, file_id)["DELETED_TYPE"] != LIVE:
        raise errors.disk_not_found(file_id)  # (unconfirmed) a file in the trash takes no new version


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
