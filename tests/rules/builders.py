"""Small builders for domain objects, so each test states only what matters to it."""

from __future__ import annotations

from dpo_desktop.domain.models import (
    CheckStatus,
    Contact,
    Deal,
    Document,
    DocumentType,
    ProgrammeType,
    document_code,
)


def deal(deal_id: int, *, event: str = "ПК-2026-01", programme: ProgrammeType | None = ProgrammeType.PK,
         stage: str = "C1:NEW", title: str | None = None) -> Deal:
    return Deal(id=deal_id, title=title or f"Группа {deal_id}", pipeline_id=1, stage_id=stage, event_code=event,
                programme_type=programme)


def contact(contact_id: int, last_name: str = "Иванова", name: str = "Мария", **fields) -> Contact:
    return Contact(id=contact_id, last_name=last_name, name=name, snils=fields.pop("snils", "112-233-445 95"),
                   **fields)


def document(deal_id: int, contact_id: int, doc_type: DocumentType,
             status: CheckStatus = CheckStatus.RECEIVED, number: int = 0) -> Document:
    sha = f"{deal_id:08x}{contact_id:08x}{number:048x}"
    return Document(id=None, code=document_code(deal_id, contact_id, doc_type, sha), deal_id=deal_id,
                    contact_id=contact_id, type=doc_type, sha256=sha, status=status)
