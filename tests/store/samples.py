"""Small builders of domain models with every field filled, for the store's tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dpo_desktop.domain.models import (
    CheckStatus,
    Company,
    Contact,
    Deal,
    Document,
    DocumentType,
    EducationLevel,
    IssuedDocument,
    Participant,
    ProgrammeType,
    Sex,
    document_code,
)

MOSCOW = timezone(timedelta(hours=3))


def make_deal(deal_id: int, **fields) -> Deal:
    values = dict(id=deal_id, title=f"Группа {deal_id}", pipeline_id=7, stage_id="C7:NEW", company_id=10,
                  assigned_by_id=1, partner_code="ПАРТ-01", client_contact_id=500, event_name="Охрана труда",
                  event_code="OT-2025-03", programme_type=ProgrammeType.PK, hours=40, start_date=date(2025, 3, 3),
                  end_date=date(2025, 3, 14), modified=datetime(2025, 2, 20, 9, 30, tzinfo=MOSCOW))
    values.update(fields)
    return Deal(**values)


def make_contact(contact_id: int, **fields) -> Contact:
    values = dict(id=contact_id, last_name="Сидорова", name="Алёна", second_name="Петровна",
                  birth_date=date(1988, 5, 17), phones=("+7 912 000-00-01", "+7 343 222-33-44"),
                  emails=("alena@example.ru",), company_id=10, post="Инженер", snils="112-233-445 95",
                  passport_series="6512", passport_number="123456", sex=Sex.FEMALE, citizenship="643",
                  education_level=EducationLevel.HIGHER, diploma_surname="Иванова", diploma_series="1066",
                  diploma_number="0451234", modified=datetime(2025, 2, 1, 12, 0, tzinfo=MOSCOW))
    values.update(fields)
    return Contact(**values)


def make_participant(element_id: int | None, deal_id: int, contact_id: int, **fields) -> Participant:
    values = dict(id=element_id, deal_id=deal_id, contact_id=contact_id, status="Обучается",
                  issued=IssuedDocument(kind="Удостоверение о повышении квалификации", series="66", number="000123",
                                        registration_number="ПК-2025/17", issue_date=date(2025, 3, 14)),
                  modified=datetime(2025, 3, 1, 8, 0, tzinfo=MOSCOW))
    values.update(fields)
    return Participant(**values)


def make_document(element_id: int | None, deal_id: int, contact_id: int, doc_type: DocumentType = DocumentType.PASSPORT,
                  sha256: str | None = None, **fields) -> Document:
    digest = sha256 or f"{element_id or 0:04d}{deal_id:04d}{contact_id:04d}".ljust(64, "a")
    values = dict(id=element_id, code=document_code(deal_id, contact_id, doc_type, digest), deal_id=deal_id,
                  contact_id=contact_id, type=doc_type, sha256=digest, original_name="Паспорт Сидоровой.pdf",
                  file_id=900 + (element_id or 0), received=date(2025, 2, 25), status=CheckStatus.RECEIVED,
                  comment="", modified=datetime(2025, 2, 25, 15, 45, tzinfo=MOSCOW))
    values.update(fields)
    return Document(**values)


def make_company(company_id: int, **fields) -> Company:
    values = dict(id=company_id, title="ООО «Уралстрой»", modified=datetime(2024, 12, 1, 10, 0))
    values.update(fields)
    return Company(**values)
