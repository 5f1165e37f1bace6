"""Real scan files for upload tests: small images and PDFs with unique content, and the people of a deal."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from dpo_desktop.domain.models import Contact
from dpo_desktop.store import Store


def make_scan(path: Path, *, seed: int, kind: str = "pdf", size: int = 48, noise: bool = False) -> Path:
    """A real JPEG, PNG, TIFF or PDF whose pixels (hence bytes and hash) depend on ``seed``.

    ``noise``: every pixel random, so a lossless file is about 3 bytes a pixel (for large files).
    """
    rng = random.Random(seed)
    if noise:
        image = Image.frombytes("RGB", (size, size), rng.randbytes(size * size * 3))
    else:
        image = Image.new("RGB", (size, size), tuple(rng.randrange(256) for _ in range(3)))
        pixels = image.load()
        for _ in range(size * 4):
            pixels[rng.randrange(size), rng.randrange(size)] = tuple(rng.randrange(256) for _ in range(3))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format={"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}[kind])
    return path


@dataclass(frozen=True)
class DealPeople:
    deal_id: int
    people: list[Contact]  # the deal's participants, as the cache knows them


def deal_with_people(store: Store, *, at_least: int = 2, distinct_surnames: bool = True) -> DealPeople:
    """A cached deal with several participants whose surnames differ (so names in files are unambiguous)."""
    for deal in store.deals():
        contacts = store.contacts(p.contact_id for p in store.participants(deal_id=deal.id))
        surnames = [contact.last_name for contact in contacts]
        if len(contacts) >= at_least and (not distinct_surnames or len(set(surnames)) == len(surnames)):
            return DealPeople(deal.id, sorted(contacts, key=lambda contact: contact.id))
    raise AssertionError("the demo seed has no deal with enough participants")
