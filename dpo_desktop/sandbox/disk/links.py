"""Signed upload and download links, shaped like the portal's ``token=disk|…`` URLs.

A real token reads ``disk|<base64 "id=9043&_=nonce">|<base64 JSON "download|disk|<head>|<auth>">.<base64 HMAC>``;
the sandbox signs the same layout with the per-portal secret of the disk state, and puts the expiry
(and for uploads the user and options) into the head. Upload grants are single-use: the nonce must
still be pending in the state when the bytes arrive.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode

if TYPE_CHECKING:
    from ..registry import Call
    from .state import DiskState

UPLOAD_FIELD = "file"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def make_token(disk: DiskState, kind: str, fields: dict[str, Any], auth: str) -> str:
    """A signed token; ``fields`` go into its head (a random nonce ``_`` is added when absent)."""
    head = _b64(urlencode({**fields, "_": fields.get("_") or secrets.token_urlsafe(24)}).encode())
    body = _b64(json.dumps(f"{kind}|disk|{head}|{auth}").encode())
    signature = _b64(hmac.new(disk.secret, body.encode(), hashlib.sha256).digest())
    return f"disk|{head}|{body}.{signature}"


def read_token(disk: DiskState, token: str, kind: str, auth: str, now: float) -> dict[str, str] | None:
    """The head fields of a genuine, unexpired token of ``kind`` issued for ``auth``; None otherwise."""
    prefix, _, rest = token.partition("|")
    head, _, signed = rest.partition("|")
    body, _, signature = signed.partition(".")
    if prefix != "disk" or not head or not body or not signature:
        return None
    expected = _b64(hmac.new(disk.secret, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        claim = json.loads(base64.b64decode(body, validate=True))
        fields = dict(parse_qsl(base64.b64decode(head, validate=True).decode()))
        expires = float(fields["exp"])
    except (ValueError, KeyError, binascii.Error, UnicodeDecodeError):
        return None
    if claim != f"{kind}|disk|{head}|{auth}" or expires <= now:
        return None
    return fields


def _link(call: Call, route: str, token: str) -> str:
    # (unconfirmed) a webhook caller has no access token; its links carry an empty ``auth``.
    auth = call.access_token or ""
    return f"{call.base_url}/rest/{route}.json?auth={quote(auth, safe='')}&token={quote(token, safe='')}"


def download_url(call: Call, file_id: int) -> str:
    disk = call.state.disk
    expires = int(call.now() + disk.download_ttl)
    token = make_token(disk, "download", {"id": file_id, "exp": expires}, call.access_token or "")
    return _link(call, "download", token)


def upload_url(call: Call, folder_id: int, *, unique: bool, name: str | None) -> str:
    """A single-use URL that takes one file into ``folder_id`` as ``call.user``."""
    grant = {"folder_id": folder_id, "file_id": None, "unique": unique, "name": name}
    return _upload_link(call, {"id": folder_id, "generateUniqueName": int(unique)}, grant)


def version_upload_url(call: Call, file_id: int) -> str:
    """A single-use URL that takes the next version of ``file_id`` as ``call.user``."""
    grant = {"folder_id": None, "file_id": file_id, "unique": False, "name": None}
    return _upload_link(call, {"id": file_id, "version": 1}, grant)


def _upload_link(call: Call, fields: dict[str, Any], grant: dict[str, Any]) -> str:
    disk = call.state.disk
    now = call.now()
    expires = int(now + disk.upload_ttl)
    nonce = secrets.token_urlsafe(24)
    token = make_token(disk, "upload", {**fields, "exp": expires, "_": nonce}, call.access_token or "")
    for stale in [key for key, pending in disk.pending_uploads.items() if pending["expires"] <= now]:
        del disk.pending_uploads[stale]
    disk.pending_uploads[nonce] = {**grant, "user_id": call.user.id, "expires": expires,
                                   "auth_kind": call.auth_kind, "credential": call.credential}
    return _link(call, "upload", token)


def attached_download_url(call: Call, attached_id: int) -> str:
    """What ``disk.attachedObject.get`` points at: the browser's uf.php link, not a REST route."""
    auth = quote(call.access_token or "", safe="")
    return f"{call.base_url}/bitrix/tools/disk/uf.php?attachedId={attached_id}&auth[auth]={auth}&action=download&ncc=1"
