"""sha256_file against hashlib on whole bytes, at every chunk boundary, with its progress reports."""

from __future__ import annotations

import hashlib
import random

import pytest

from dpo_desktop.scans import sha256_file

CHUNK = 64


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5, 10_000])
def test_the_digest_and_the_progress_match_the_bytes(tmp_path, size):
    data = random.Random(size).randbytes(size)
    path = tmp_path / "скан паспорта.pdf"
    path.write_bytes(data)
    reports: list[int] = []
    assert sha256_file(path, chunk=CHUNK, progress=reports.append) == hashlib.sha256(data).hexdigest()
    expected = list(range(CHUNK, size, CHUNK)) + ([size] if size else [])
    assert reports == expected


def test_the_default_chunk_hashes_a_file_larger_than_it(tmp_path):
    data = random.Random(7).randbytes((1 << 20) * 3 + 17)
    path = tmp_path / "большой.tif"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_a_chunk_must_be_positive(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-")
    with pytest.raises(ValueError):
        sha256_file(path, chunk=0)


def test_a_missing_file_raises_the_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        sha256_file(tmp_path / "нет.pdf")
