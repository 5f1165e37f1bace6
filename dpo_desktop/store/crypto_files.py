"""Document bytes at rest: a file sealed in chunks with AES-GCM, written atomically, readable by its owner only.

Local copies of scans reach 100 MB, so a file is sealed chunk by chunk (1 MiB each) and memory stays
bounded both ways. The layout: a header (magic, version, an 8-byte random nonce prefix), then each
chunk's ciphertext with its tag. A chunk's nonce is the prefix and its index; its associated data is
the header and whether it is the last chunk, so chunks cannot be reordered, dropped or cut off.
"""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag

from .crypto import TAG_BYTES, CacheCipher, DecryptionError

MAGIC = b"DPOF"
VERSION = 1
CHUNK = 1 << 20
_HEADER = len(MAGIC) + 1 + 8


def is_sealed_file(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(MAGIC) + 1) == MAGIC + bytes((VERSION,))
    except OSError:
        return False


def write_sealed(cipher: CacheCipher, path: Path, data: bytes | BinaryIO) -> None:
    """``data`` (bytes or a binary stream, read in chunks) sealed at ``path``; atomic, mode 0600."""
    source = _chunks_of(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for block in seal_stream(cipher, source):
                stream.write(block)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_sealed(cipher: CacheCipher, path: Path) -> bytes:
    """The plain bytes of a sealed file, in memory."""
    return b"".join(iter_sealed(cipher, path))


def iter_sealed(cipher: CacheCipher, path: Path) -> Iterator[bytes]:
    """The plain bytes of a sealed file, chunk by chunk. Raises :class:`DecryptionError` if it does not open."""
    with open(path, "rb") as stream:
        header = stream.read(_HEADER)
        if len(header) != _HEADER or header[:len(MAGIC) + 1] != MAGIC + bytes((VERSION,)):
            raise DecryptionError(f"{path.name} is not a sealed file")
        prefix = header[len(MAGIC) + 1:]
        block = stream.read(CHUNK + TAG_BYTES)
        index = 0
        while True:
            following = stream.read(CHUNK + TAG_BYTES)
            last = not following
            try:
                yield cipher.files.decrypt(prefix + struct.pack(">I", index), block, header + bytes((last,)))
            except InvalidTag:
                raise DecryptionError(f"{path.name} does not open with this key or is damaged") from None
            if last:
                return
            block, index = following, index + 1


def seal_stream(cipher: CacheCipher, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The sealed file's bytes for plain ``chunks`` (each at most :data:`CHUNK` bytes)."""
    prefix = os.urandom(8)
    header = MAGIC + bytes((VERSION,)) + prefix
    yield header
    pending: bytes | None = None
    index = 0
    for chunk in chunks:
        if pending is not None:
            yield cipher.files.encrypt(prefix + struct.pack(">I", index), pending, header + b"\x00")
            index += 1
        pending = chunk
    yield cipher.files.encrypt(prefix + struct.pack(">I", index), pending or b"", header + b"\x01")


def _chunks_of(data: bytes | BinaryIO) -> Iterator[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])
        return
    while chunk := data.read(CHUNK):
        yield chunk


def plain_view(cipher: CacheCipher, sealed: Path, folder: Path) -> Path:
    """A plain copy of a sealed file in ``folder`` (the session's private folder), for what needs a file.

    A viewer of the system, the PDF renderer and an upload read files, not bytes in memory; the copy
    lives in a folder that is the user's only and is removed at exit and at the next start. A file
    kept plain before encryption existed is sealed in place on the way.
    """
    view = folder / sealed.name
    if view.is_file():
        return view
    if not is_sealed_file(sealed):
        with open(sealed, "rb") as source:
            write_sealed(cipher, sealed, source)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=f".{view.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in iter_sealed(cipher, sealed):
                stream.write(chunk)
        os.replace(temporary, view)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return view
