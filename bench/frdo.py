"""The ФИС ФРДО export of one event with 5,000 participants, from the cache to the workbook: figures, not
a test.

    python -m bench.frdo [--participants 5000] [--deals 100]

A fresh cache (encrypted like the app's) is filled with one event's deals, people and issued documents
(every 20th a duplicate, every 15th a surname change with its document on file), then timed as the app
runs the export on the CPU pool: reading the rows (``prepare``: the cache's queries, the rows, the
pre-flight) and writing the workbook (``export``). Target: < 10 s in all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.figures import record

TARGET_S = 10.0
SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
            "Фёдоров")
NAMES = (("Андрей", "Андреевич"), ("Сергей", "Сергеевич"), ("Дмитрий", "Дмитриевич"), ("Алексей", "Алексеевич"))


def fill(store, participants: int, deals: int) -> None:
    from dpo_desktop.domain.frdo import FrdoIssue, FrdoProgramme, OriginalDocument
    from dpo_desktop.domain.models import (
        Contact,
        Deal,
        Document,
        DocumentType,
        EducationLevel,
        IssuedDocument,
        Participant,
        ProgrammeType,
        Sex,
    )
    from dpo_desktop.rules.snils import control_number, format_snils

    programme = FrdoProgramme(name="Охрана труда для руководителей и специалистов организаций",
                              activity_field="Обеспечение безопасности", study_form="Очная",
                              funding="Платное обучение", study_place="в образовательной организации")
    deal_rows = [Deal(id=1000 + number, title=f"Клиент {number} — ПК-2026-900", pipeline_id=3, stage_id="C3:WON",
                      event_name="Охрана труда", event_code="ПК-2026-900", programme_type=ProgrammeType.PK, hours=40,
                      start_date=date(2026, 3, 2), end_date=date(2026, 3, 13), programme=programme)
                 for number in range(deals)]
    contacts, people, documents = [], [], []
    for number in range(participants):
        contact_id, deal_id = 10_000 + number, 1000 + number % deals
        account = f"{200_000_000 + number * 7:09d}"
        surname = SURNAMES[number % len(SURNAMES)]
        name, patronymic = NAMES[number % len(NAMES)]
        renamed = number % 15 == 7
        contacts.append(Contact(
            id=contact_id, last_name=surname, name=name, second_name=patronymic, sex=Sex.MALE,
            birth_date=date(1970, 1, 1) + timedelta(days=number % 9000), citizenship="643",
            snils=format_snils(account + control_number(account)), education_level=EducationLevel.HIGHER,
            diploma_surname="Громов" if renamed else surname, diploma_series="107718",
            diploma_number=f"{number:07d}"))
        frdo = FrdoIssue()
        if number % 20 == 3:
            frdo = FrdoIssue(status="Дубликат", loss_proof="Объявление в газете", original=OriginalDocument(
                kind="Удостоверение о повышении квалификации", series="772419", number=f"{number:07d}",
                registration_number=f"ПК-2025-900/{number:05d}", issue_date=date(2025, 3, 16), last_name=surname,
                name=name, second_name=patronymic))
        people.append(Participant(id=50_000 + number, deal_id=deal_id, contact_id=contact_id,
                                  status="Обучение завершено", issued=IssuedDocument(
                                      kind="Удостоверение о повышении квалификации", series="772419",
                                      number=f"{1_000_000 + number:07d}",
                                      registration_number=f"ПК-2026-900/{number:05d}",
                                      issue_date=date(2026, 3, 16), frdo=frdo)))
        if renamed:
            documents.append(Document(id=90_000 + number, code=f"d-{deal_id}-{contact_id}-name_change-{number:016x}",
                                      deal_id=deal_id, contact_id=contact_id, type=DocumentType.NAME_CHANGE))
    with store.write() as tx:
        tx.upsert_deals(deal_rows)
        tx.upsert_contacts(contacts)
        tx.upsert_participants(people)
        tx.upsert_documents(documents)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.frdo")
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--deals", type=int, default=100)
    args = parser.parse_args()

    from dpo_desktop.store import Store
    from dpo_desktop.store.crypto import CacheCipher
    from dpo_desktop.store.frdo_export import export, prepare

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        store = Store.open(folder / "cache.sqlite3", cipher=CacheCipher(os.urandom(32)))
        try:
            fill(store, args.participants, args.deals)
            started = time.perf_counter()
            report = prepare(store, event_code="ПК-2026-900")
            prepared = time.perf_counter() - started
            export(store, report, folder / "frdo.xlsx")
            total = time.perf_counter() - started
            size_kb = (folder / "frdo.xlsx").stat().st_size / 1024
        finally:
            store.close()
    print(f"participants {args.participants} in {args.deals} deals: rows {len(report.rows)}, "
          f"problems {len(report.problems)}")
    print(f"read + pre-flight {prepared:.2f} s, workbook {total - prepared:.2f} s, total {total:.2f} s "
          f"(target < {TARGET_S:.0f} s), file {size_kb:.0f} KB")
    record("frdo.total", f"ФИС ФРДО workbook, {args.participants:,} participants: read, pre-flight and write",
           total, "s", target=TARGET_S, strict=True,
           note=f"read + pre-flight {prepared:.2f} s; problems {len(report.problems)}")
    return 0 if total < TARGET_S and not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
