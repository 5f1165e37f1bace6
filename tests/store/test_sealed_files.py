"""Document bytes sealed in chunks: they round-trip, stay private, and a cut, reordered or foreign file fails."""

from __future__ import annotations

import io
import os
import random
import stat

import pytest

from dpo_desktop.store.crypto import TAG_BYTES, CacheCipher, DecryptionError, new_data_key
from dpo_desktop.store.crypto_files import CHUNK, is_sealed_file, iter_sealed, plain_view, read_sealed, write_sealed

HEADER = 4 + 1 + 8


@pytest.fixture
def cipher() -> CacheCipher:
    return CacheCipher(new_data_key())


def scan_bytes(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def test_a_large_file_is_sealed_chunk_by_chunk_and_opens_whole(cipher, tmp_path):
    data = scan_bytes(2 * CHUNK + 100)
    target = tmp_path / "скан.pdf"
    write_sealed(cipher, target, io.BytesIO(data))  # a stream: read a chunk at a time
    raw = target.read_bytes()
    assert len(raw) == HEADER + len(data) + 3 * TAG_BYTES and data[:4096] not in raw
    assert is_sealed_file(target) and read_sealed(cipher, target) == data
    assert [len(chunk) for chunk in iter_sealed(cipher, target)] == [CHUNK, CHUNK, 100]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["скан.pdf"]  # no partial file left


@pytest.mark.parametrize("size", [0, 10, CHUNK])
def test_small_empty_and_exact_sizes_round_trip(cipher, tmp_path, size):
    write_sealed(cipher, tmp_path / "f", scan_bytes(size))
    assert read_sealed(cipher, tmp_path / "f") == scan_bytes(size)


def damaged(raw: bytes, how: str) -> bytes:
    step = CHUNK + TAG_BYTES
    first, second, third = HEADER, HEADER + step, HEADER + 2 * step
    if how == "cut inside":
        return raw[:-7]
    if how == "last chunk dropped":
        return raw[:third]
    if how == "chunks swapped":
        return raw[:first] + raw[second:third] + raw[first:second] + raw[third:]
    return raw[:HEADER + 5] + bytes([raw[HEADER + 5] ^ 1]) + raw[HEADER + 6:]  # one bit flipped


@pytest.mark.parametrize("how", ["cut inside", "last chunk dropped", "chunks swapped", "bit flipped"])
def test_a_tampered_file_does_not_open(cipher, tmp_path, how):
    target = tmp_path / "f"
    write_sealed(cipher, target, scan_bytes(2 * CHUNK + 100))
    target.write_bytes(damaged(target.read_bytes(), how))
    with pytest.raises(DecryptionError):
        read_sealed(cipher, target)


def test_another_key_does_not_open_it_and_the_error_names_no_content(cipher, tmp_path):
    target = tmp_path / "паспорт.jpg"
    write_sealed(cipher, target, b"Ivanov passport 4510 123456")
    with pytest.raises(DecryptionError) as raised:
        read_sealed(CacheCipher(new_data_key()), target)
    assert "4510" not in str(raised.value)


def test_a_plain_view_is_made_once_and_a_plain_legacy_copy_is_sealed_on_the_way(cipher, tmp_path):
    kept, session = tmp_path / "files" / "ab.pdf", tmp_path / "session"
    kept.parent.mkdir()
    kept.write_bytes(b"%PDF-1.4 legacy plain copy")  # as kept before encryption existed
    view = plain_view(cipher, kept, session)
    assert view.parent == session and view.read_bytes() == b"%PDF-1.4 legacy plain copy"
    assert is_sealed_file(kept) and b"legacy" not in kept.read_bytes()
    assert plain_view(cipher, kept, session) == view
