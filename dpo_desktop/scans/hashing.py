"""The sha256 of a file, streamed: the key of de-duplication and of the document's ELEMENT_CODE."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path


def sha256_file(path: Path, *, chunk: int = 1 << 20, progress: Callable[[int], None] | None = None) -> str:
    """Hex sha256 of ``path``, read ``chunk`` bytes at a time into one reused buffer.

    ``progress`` is called after each chunk with the number of bytes hashed so far (a running total, so a
    progress bar needs no state of its own).
    """
    if chunk < 1:
        raise ValueError("chunk must be positive")
    digest = hashlib.sha256()
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    done = 0
    with open(path, "rb", buffering=0) as stream:
        while count := stream.readinto(buffer):
            digest.update(view[:count])
            done += count
            if progress is not None:
                progress(done)
    return digest.hexdigest()
