"""Encryption at rest of the cache's personal values (152-ФЗ): AES-GCM and keyed hashes.

One random 256-bit data key per data folder (``secrets.data_key``) gives three sub-keys: one seals
values in the cache, one makes blind indexes (keyed hashes of search keys, so lookups by equality
work without the plain name on disk), one seals files (``crypto_files``).

A sealed value is a BLOB: a version byte, a 96-bit random nonce, the AES-GCM ciphertext and tag.
Plain legacy values are TEXT, so a reader tells them apart by type alone. The associated data names
where the value belongs (table and column), so a value copied into another column does not open.
A contact's sixteen personal columns are sealed together (:meth:`CacheCipher.seal_fields`): one
AES call a row instead of sixteen keeps the large cache's start and report fast.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_TEXT = 1  # one value, UTF-8
_FIELDS = 2  # several values joined by _SEPARATOR, None as _NONE
_FIELDS_JSON = 3  # several values as a JSON array (a value holds a separator character)
_SEPARATOR = "\x1f"
_NONE = "\x1e"

Fields = Sequence[str | None]


class DecryptionError(Exception):
    """A sealed value or file does not open with this key (another key, or damaged). Names no value."""


class CacheCipher:
    """Seals and opens the cache's personal values and files with sub-keys of one data key."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("the data key must be 32 bytes")
        self._values = AESGCM(_subkey(data_key, b"values"))
        self._index_key = _subkey(data_key, b"blind-index")
        self.files = AESGCM(_subkey(data_key, b"files"))
        self._contexts: dict[str, bytes] = {}  # associated data by context, encoded once

    def __repr__(self) -> str:
        return "CacheCipher(<key hidden>)"

    # -- single values ----------------------------------------------------------------------------------

    def seal(self, text: str, context: str) -> bytes | str:
        """``text`` sealed for ``context`` (``"table.column"``); the empty string stays empty (nothing to hide)."""
        if not text:
            return text
        return self._seal(_TEXT, text.encode("utf-8"), context)

    def open(self, value: bytes | str | None, context: str) -> str | None:
        """The text of a sealed value; a plain (legacy) value or None as it is."""
        if not isinstance(value, bytes):
            return value
        version, plain = self._open(value, context)
        if version != _TEXT:
            raise DecryptionError(f"unexpected sealed value version {version} in {context}")
        return plain.decode("utf-8")

    # -- several values in one blob ---------------------------------------------------------------------

    def seal_fields(self, values: Fields, context: str) -> bytes:
        """Several values (None allowed) in one blob for ``context`` (``"table"``)."""
        if any(value is not None and (_SEPARATOR in value or _NONE in value) for value in values):
            return self._seal(_FIELDS_JSON, json.dumps(list(values), ensure_ascii=False).encode("utf-8"), context)
        text = _SEPARATOR.join(_NONE if value is None else value for value in values)
        return self._seal(_FIELDS, text.encode("utf-8"), context)

    def open_fields(self, blob: bytes, context: str) -> list[str | None]:
        version, plain = self._open(blob, context)
        if version == _FIELDS:
            text = plain.decode("utf-8")
            if _NONE not in text:  # the common case: the split is the answer (this runs 40,000 times a report)
                return text.split(_SEPARATOR)  # type: ignore[return-value]
            return [None if value == _NONE else value for value in text.split(_SEPARATOR)]
        if version == _FIELDS_JSON:
            return json.loads(plain)
        raise DecryptionError(f"unexpected sealed value version {version} in {context}")

    # -- blind indexes ----------------------------------------------------------------------------------

    def blind(self, key: str) -> str:
        """A keyed hash of a search key, for lookups by equality; the empty key stays empty."""
        if not key:
            return key
        return hmac.digest(self._index_key, key.encode("utf-8"), "sha256")[:16].hex()

    # -- the format -------------------------------------------------------------------------------------

    def _seal(self, version: int, plain: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return bytes((version,)) + nonce + self._values.encrypt(nonce, plain, self._associated(context))

    def _open(self, blob: bytes, context: str) -> tuple[int, bytes]:
        if len(blob) < 1 + NONCE_BYTES + TAG_BYTES:
            raise DecryptionError(f"a sealed value in {context} is too short")
        try:
            plain = self._values.decrypt(blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:], self._associated(context))
        except InvalidTag:
            raise DecryptionError(f"a sealed value in {context} does not open with this key") from None
        return blob[0], plain

    def _associated(self, context: str) -> bytes:
        found = self._contexts.get(context)
        if found is None:
            found = self._contexts[context] = context.encode("ascii")
        return found


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def _subkey(data_key: bytes, purpose: bytes) -> bytes:
    return hmac.digest(data_key, b"dpo-desk/" + purpose, hashlib.sha256)
