"""Why a dropped file is refused: a stable English code for the program, one Russian sentence for the user."""

from __future__ import annotations

# The stable codes; the queue and the UI may branch on them, so they never change meaning.
REJECTION_CODES = frozenset({
    "missing", "directory", "unreadable", "empty", "too_large", "unsupported", "not_pdf", "corrupt_pdf",
    "corrupt_image",
})


class ScanRejected(Exception):
    """A file that cannot become a document: ``code`` is one of REJECTION_CODES, ``reason`` names the file."""

    def __init__(self, code: str, reason: str) -> None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(reason)
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
