"""Logging set-up and redaction: no secret reaches a log line, an exception text or a crash report.

Secrets are removed two ways: every string registered with :func:`register_secret` (a webhook code,
an access or refresh token, a client secret) is replaced wherever it appears, and patterns catch the
shapes secrets travel in even when nobody registered them (webhook paths, ``auth=`` parameters, JSON
token fields, signed disk tokens).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from collections import deque
from pathlib import Path

MASK = "***"
LEVEL_VARIABLE = "DPO_DESKTOP_LOG_LEVEL"

_PATTERNS = (
    # /rest/{user}/{code}/ — an incoming webhook's secret is its code.
    (re.compile(r"(/rest/\d+/)([^/\s\"'?#]+)"), rf"\1{MASK}"),
    # auth=..., access_token=..., refresh_token=..., client_secret=..., token=... in URLs and forms.
    (re.compile(r"(?i)\b(auth|access_token|refresh_token|client_secret|token|code)=([^&\s\"'#]+)"), rf"\1={MASK}"),
    # "access_token": "...", "refresh_token": "...", "client_secret": "...", "auth": "..." in JSON or reprs.
    (re.compile(r"(?i)([\"'](?:auth|access_token|refresh_token|client_secret|webhook)[\"']\s*:\s*[\"'])([^\"']+)"),
     rf"\1{MASK}"),
)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_MIN_SECRET = 6  # shorter strings would mask ordinary words


def register_secret(secret: str | None) -> None:
    """Mask ``secret`` in every log line and redacted text from now on."""
    if secret and len(secret) >= _MIN_SECRET:
        with _secrets_lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    """``text`` with every known secret and every secret-shaped fragment masked."""
    if not text:
        return text
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats, then redacts the whole line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingFilter(logging.Filter):
    """Redacts a record where it is made, so that every handler sees it clean (third-party loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


_REDACTING_FILTER = RedactingFilter()


def protect_loggers(*names: str) -> None:
    """Redact at the source what these loggers log (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if _REDACTING_FILTER not in logger.filters:
            logger.addFilter(_REDACTING_FILTER)


class RecentLines(logging.Handler):
    """The last lines logged, redacted, for the crash report."""

    def __init__(self, capacity: int = 200) -> None:
        super().__init__()
        self.lines: deque[str] = deque(maxlen=capacity)
        self.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a broken record must not break the app
            self.handleError(record)


def configure(log_dir: Path | None = None, level: str | None = None) -> RecentLines:
    """Root logging: a rotating file under ``log_dir`` and a memory tail, both redacted."""
    level_name = (level or os.environ.get(LEVEL_VARIABLE) or "INFO").upper()
    root = logging.getLogger()
    root.setLevel(getattr(logging, level_name, logging.INFO))
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_dir / "dpo-desktop.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        file_handler.setFormatter(formatter)
        root.addHandler(file_handler)
    tail = RecentLines()
    root.addHandler(tail)
    return tail


def set_level(name: str) -> bool:
    """The log level for the rest of the run, on the root logger and its handlers (a file handler set up
    at INFO would otherwise drop the DEBUG lines asked for). False for a name logging does not know."""
    level = logging.getLevelName(name.upper())
    if not isinstance(level, int):
        return False
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        handler.setLevel(level)
    return True
