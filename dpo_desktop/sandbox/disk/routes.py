"""Hooks the upload and download handlers into the portal's raw routes under ``/rest/``."""

from __future__ import annotations

from .downloads import handle_download
from .uploads import handle_upload


def install_routes() -> None:
    """Register ``upload.json`` and ``download.json`` with the portal.

    The portal module imports the state module, which imports this package, so the routes cannot be
    registered at import time; the disk state calls this when it is built or unpickled instead.
    """
    from .. import portal

    portal.RAW_ROUTES.setdefault("upload", handle_upload)
    portal.RAW_ROUTES.setdefault("download", handle_download)
