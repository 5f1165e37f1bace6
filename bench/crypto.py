"""Encryption at rest, measured: what sealing the cache's personal values and files costs.

    python -m bench.crypto [--contacts 40000] [--megabytes 64]

Printed, for ``--contacts`` people like the ``large`` cache's (a real ``CacheCipher``, real SQLite):

- a contact row sealed for writing (all sixteen personal columns in one AES-GCM blob, plus three keyed
  hashes) and opened for reading, in rows per second, and the reading of whole ``Contact`` models;
- the search: the first keystroke (the index in memory is built: every contact opened once) and the
  median of the following ones (target < 50 ms);
- a document file sealed and opened in 1 MiB chunks, in MB/s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from dpo_desktop.domain.models import Contact, EducationLevel, Sex
from dpo_desktop.store import Store, rows
from dpo_desktop.store.crypto import CacheCipher, new_data_key
from dpo_desktop.store.crypto_files import iter_sealed, write_sealed

SEARCH_TARGET_MS = 50.0
_LAST = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
         "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев")
_FIRST = ("Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван", "Михаил", "Артём")
_SECOND = ("Александрович", "Сергеевич", "Дмитриевич", "Андреевич", "Алексеевич", "Иванович", "Петрович")


def people(count: int, seed: int = 8) -> list[Contact]:
    rng = random.Random(seed)
    made = []
    for contact_id in range(1, count + 1):
        last = rng.choice(_LAST) + ("а" if rng.random() < 0.5 else "")
        made.append(Contact(
            id=contact_id, last_name=last, name=rng.choice(_FIRST), second_name=rng.choice(_SECOND),
            birth_date=date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            phones=(f"+7 9{rng.randrange(10**9):09d}",), emails=(f"user{contact_id}@example.ru",),
            company_id=rng.randrange(1, 500), post="инженер по охране труда",
            snils=f"{rng.randrange(10**9):09d}{rng.randrange(100):02d}", passport_series=f"{rng.randrange(10**4):04d}",
            passport_number=f"{rng.randrange(10**6):06d}", sex=rng.choice(list(Sex)), citizenship="РФ",
            education_level=rng.choice(list(EducationLevel)), diploma_surname=last,
            diploma_series=f"{rng.randrange(10**6):06d}", diploma_number=f"{rng.randrange(10**7):07d}"))
    return made


def rate(count: int, work: Callable[[], object]) -> tuple[float, float]:
    """(seconds, items per second) of one run of ``work`` over ``count`` items."""
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    return elapsed, count / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=40_000)
    parser.add_argument("--megabytes", type=int, default=64)
    args = parser.parse_args(argv)
    cipher = CacheCipher(new_data_key())
    contacts = people(args.contacts)
    count = len(contacts)

    sealed: list[tuple] = []
    seconds, per_second = rate(count, lambda: sealed.extend(rows.contact_row(c, cipher) for c in contacts))
    print(f"seal contact rows:   {count} rows in {seconds * 1000:.0f} ms  ({per_second:,.0f} rows/s)")
    read_rows = [(*row[:len(rows.CONTACT_COLUMNS)], row[-1]) for row in sealed]
    seconds, per_second = rate(count, lambda: [rows.open_contact(row, cipher) for row in read_rows])
    print(f"open contact rows:   {count} rows in {seconds * 1000:.0f} ms  ({per_second:,.0f} rows/s)")
    seconds, per_second = rate(count, lambda: [rows.contact_from(row, cipher) for row in read_rows])
    print(f"read Contact models: {count} rows in {seconds * 1000:.0f} ms  ({per_second:,.0f} rows/s)")
    seconds, per_second = rate(count, lambda: [cipher.blind(c.last_name.casefold()) for c in contacts])
    print(f"blind index:         {count} keys in {seconds * 1000:.0f} ms  ({per_second:,.0f} keys/s)")

    with tempfile.TemporaryDirectory(prefix="dpo-bench-crypto-") as folder:
        measure_search(Path(folder), cipher, contacts)
        measure_files(Path(folder), cipher, args.megabytes)
    return 0


def measure_search(folder: Path, cipher: CacheCipher, contacts: list[Contact]) -> None:
    with Store.open(folder / "cache.sqlite3", cipher=cipher) as store:
        with store.write() as tx:
            tx.upsert_contacts(contacts)
        started = time.perf_counter()
        store.search_contacts("ив")
        first = (time.perf_counter() - started) * 1000
        timings = []
        for text in ("ив", "иван", "иванова", "петр", "сер", "9123", "user12", "кузнецова алекс", "мор", "фёд") * 3:
            started = time.perf_counter()
            store.search_contacts(text)
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        verdict = "met" if median < SEARCH_TARGET_MS else "NOT met"
        print(f"search, first keystroke (index built): {first:.0f} ms")
        print(f"search keystroke median: {median:.1f} ms  (target < {SEARCH_TARGET_MS:.0f} ms: {verdict})")


def measure_files(folder: Path, cipher: CacheCipher, megabytes: int) -> None:
    data = random.Random(1).randbytes(megabytes << 20)
    target = folder / "scan.pdf"
    seconds, _ = rate(1, lambda: write_sealed(cipher, target, data))
    print(f"seal a file:  {megabytes} MB in {seconds * 1000:.0f} ms  ({megabytes / seconds:,.0f} MB/s)")
    seconds, _ = rate(1, lambda: sum(len(chunk) for chunk in iter_sealed(cipher, target)))
    print(f"open a file:  {megabytes} MB in {seconds * 1000:.0f} ms  ({megabytes / seconds:,.0f} MB/s)")


if __name__ == "__main__":
    raise SystemExit(main())
