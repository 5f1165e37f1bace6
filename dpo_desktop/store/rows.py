"""Domain models ↔ table rows: the one place that knows how a value is written to SQLite.

Dates and times become ISO text, enumerations their values, tuples JSON arrays, the issued document
five ``issued_*`` columns. Reading goes back through pydantic validation, so a row that no longer
fits the model fails loudly instead of producing a half-filled object. Encryption at rest will wrap
the columns of ``personal.PERSONAL_COLUMNS`` here and nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from ..domain.models import Company, Contact, Deal, Document, Participant, Stage
from .personal import search_key

Row = Sequence[Any]

STAGE_COLUMNS = ("status_id", "name", "sort", "color", "semantics")
COMPANY_COLUMNS = ("id", "title", "modified")
CONTACT_COLUMNS = (
    "id", "last_name", "name", "second_name", "birth_date", "phones", "emails", "company_id", "post", "snils",
    "passport_series", "passport_number", "sex", "citizenship", "education_level", "diploma_surname",
    "diploma_series", "diploma_number", "modified",
)
CONTACT_KEY_COLUMNS = ("last_name_key", "name_key", "second_name_key")
DEAL_COLUMNS = (
    "id", "title", "pipeline_id", "stage_id", "company_id", "assigned_by_id", "partner_code", "client_contact_id",
    "event_name", "event_code", "programme_type", "hours", "start_date", "end_date", "modified",
)
PARTICIPANT_COLUMNS = (
    "id", "code", "deal_id", "contact_id", "status", "issued_kind", "issued_series", "issued_number",
    "issued_reg_number", "issued_date", "modified",
)
DOCUMENT_COLUMNS = (
    "id", "code", "deal_id", "contact_id", "type", "sha256", "original_name", "file_id", "received", "status",
    "comment", "modified",
)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _enum(value: Enum | None) -> str | None:
    return None if value is None else value.value


def _json_list(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _list_from_json(text: str) -> list[str]:
    return [] if text == "[]" else json.loads(text)  # most people have no second phone or no e-mail


# -- writing ------------------------------------------------------------------------------------------

def stage_row(stage: Stage) -> tuple:
    return (stage.status_id, stage.name, stage.sort, stage.color, stage.semantics)


def company_row(company: Company) -> tuple:
    return (company.id, company.title, _iso(company.modified))


def contact_row(contact: Contact) -> tuple:
    """The contact's columns, then its search keys (:data:`CONTACT_KEY_COLUMNS`)."""
    return (
        contact.id, contact.last_name, contact.name, contact.second_name, _iso(contact.birth_date),
        _json_list(contact.phones), _json_list(contact.emails), contact.company_id, contact.post, contact.snils,
        contact.passport_series, contact.passport_number, _enum(contact.sex), contact.citizenship,
        _enum(contact.education_level), contact.diploma_surname, contact.diploma_series, contact.diploma_number,
        _iso(contact.modified),
        search_key(contact.last_name), search_key(contact.name), search_key(contact.second_name),
    )


def deal_row(deal: Deal) -> tuple:
    return (
        deal.id, deal.title, deal.pipeline_id, deal.stage_id, deal.company_id, deal.assigned_by_id,
        deal.partner_code, deal.client_contact_id, deal.event_name, deal.event_code, _enum(deal.programme_type),
        deal.hours, _iso(deal.start_date), _iso(deal.end_date), _iso(deal.modified),
    )


def participant_row(participant: Participant) -> tuple:
    issued = participant.issued
    return (
        participant.id, participant.code, participant.deal_id, participant.contact_id, participant.status,
        issued.kind, issued.series, issued.number, issued.registration_number, _iso(issued.issue_date),
        _iso(participant.modified),
    )


def document_row(document: Document) -> tuple:
    return (
        document.id, document.code, document.deal_id, document.contact_id, document.type.value, document.sha256,
        document.original_name, document.file_id, _iso(document.received), document.status.value,
        document.comment, _iso(document.modified),
    )


# -- reading ------------------------------------------------------------------------------------------

def stage_from(row: Row) -> Stage:
    return Stage.model_validate(dict(zip(STAGE_COLUMNS, row, strict=True)))


def company_from(row: Row) -> Company:
    return Company.model_validate(dict(zip(COMPANY_COLUMNS, row, strict=True)))


def contact_from(row: Row) -> Contact:
    values = dict(zip(CONTACT_COLUMNS, row, strict=True))
    values["phones"] = _list_from_json(values["phones"])
    values["emails"] = _list_from_json(values["emails"])
    return Contact.model_validate(values)


def deal_from(row: Row) -> Deal:
    return Deal.model_validate(dict(zip(DEAL_COLUMNS, row, strict=True)))


def participant_from(row: Row) -> Participant:
    (element_id, _code, deal_id, contact_id, status, kind, series, number, reg_number, issue_date,
     modified) = row
    return Participant.model_validate({
        "id": element_id, "deal_id": deal_id, "contact_id": contact_id, "status": status, "modified": modified,
        "issued": {"kind": kind, "series": series, "number": number, "registration_number": reg_number,
                   "issue_date": issue_date},
    })


def document_from(row: Row) -> Document:
    return Document.model_validate(dict(zip(DOCUMENT_COLUMNS, row, strict=True)))


def select_list(columns: Sequence[str], alias: str = "") -> str:
    """``a, b, c`` (or ``t.a, t.b, t.c``) for a SELECT."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + column for column in columns)
