"""Domain models ↔ table rows: the one place that knows how a value is written to SQLite.

Dates and times become ISO text, enumerations their values, tuples JSON arrays, the issued document
five ``issued_*`` columns. Reading goes back through pydantic validation, so a row that no longer
fits the model fails loudly instead of producing a half-filled object.

Encryption at rest wraps the columns of ``personal.PERSONAL_COLUMNS`` here and nowhere else: a
contact's personal columns travel sealed together in its ``sealed`` column (the plain columns stay
empty, the name keys and the birth date hold keyed hashes); the few personal columns of deals,
participants and documents are sealed one by one. A plain value read back (a cache not yet sealed) is taken as is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from ..domain.frdo import FrdoIssue, FrdoProgramme, from_json, to_json
from ..domain.models import Company, Contact, Deal, Document, Participant, Stage
from .crypto import CacheCipher
from .personal import PERSONAL_COLUMNS, search_key

Row = Sequence[Any]

STAGE_COLUMNS = ("status_id", "name", "sort", "color", "semantics")
COMPANY_COLUMNS = ("id", "title", "modified")
CONTACT_COLUMNS = (
    "id", "last_name", "name", "second_name", "birth_date", "phones", "emails", "company_id", "post", "snils",
    "passport_series", "passport_number", "sex", "citizenship", "education_level", "diploma_surname",
    "diploma_series", "diploma_number", "modified",
)
CONTACT_KEY_COLUMNS = ("last_name_key", "name_key", "second_name_key")
CONTACT_READ_COLUMNS = (*CONTACT_COLUMNS, "sealed")  # what reads select: the plain columns, then the blob
_CONTACT_PERSONAL = PERSONAL_COLUMNS["contacts"]
_CONTACT_PERSONAL_AT = tuple(CONTACT_COLUMNS.index(column) for column in _CONTACT_PERSONAL)
# open_contact splices the sealed values in by these positions: id, six personal, company_id, ten personal, modified.
_SPLICED = (*range(1, 7), *range(8, 18))
if _CONTACT_PERSONAL_AT != _SPLICED or len(CONTACT_COLUMNS) != 19:
    raise RuntimeError("open_contact's splice no longer matches CONTACT_COLUMNS")
# What a contact's plain personal columns hold once its values are sealed.
_CONTACT_BLANK = {"birth_date": None, "phones": "[]", "emails": "[]", "sex": None, "education_level": None}
DEAL_COLUMNS = (
    "id", "title", "pipeline_id", "stage_id", "company_id", "assigned_by_id", "partner_code", "client_contact_id",
    "event_name", "event_code", "programme_type", "hours", "start_date", "end_date", "modified", "frdo",
)
PARTICIPANT_COLUMNS = (
    "id", "code", "deal_id", "contact_id", "status", "issued_kind", "issued_series", "issued_number",
    "issued_reg_number", "issued_date", "modified", "frdo",
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


def contact_row(contact: Contact, cipher: CacheCipher) -> tuple:
    """The contact's columns, its search keys (:data:`CONTACT_KEY_COLUMNS`) as keyed hashes, then ``sealed``."""
    plain = (
        contact.id, contact.last_name, contact.name, contact.second_name, _iso(contact.birth_date),
        _json_list(contact.phones), _json_list(contact.emails), contact.company_id, contact.post, contact.snils,
        contact.passport_series, contact.passport_number, _enum(contact.sex), contact.citizenship,
        _enum(contact.education_level), contact.diploma_surname, contact.diploma_series, contact.diploma_number,
        _iso(contact.modified),
    )
    sealed = cipher.seal_fields([plain[at] for at in _CONTACT_PERSONAL_AT], "contacts")
    row = list(plain)
    for column, at in zip(_CONTACT_PERSONAL, _CONTACT_PERSONAL_AT, strict=True):
        row[at] = _CONTACT_BLANK.get(column, "")
    row[CONTACT_COLUMNS.index("birth_date")] = cipher.blind(plain[4]) if plain[4] else None
    keys = (cipher.blind(search_key(contact.last_name)), cipher.blind(search_key(contact.name)),
            cipher.blind(search_key(contact.second_name)))
    return (*row, *keys, sealed)


def deal_row(deal: Deal, cipher: CacheCipher) -> tuple:
    return (
        deal.id, cipher.seal(deal.title, "deals.title"), deal.pipeline_id, deal.stage_id, deal.company_id,
        deal.assigned_by_id, deal.partner_code, deal.client_contact_id, deal.event_name, deal.event_code,
        _enum(deal.programme_type),
        deal.hours, _iso(deal.start_date), _iso(deal.end_date), _iso(deal.modified), to_json(deal.programme),
    )


def participant_row(participant: Participant, cipher: CacheCipher) -> tuple:
    issued = participant.issued
    return (
        participant.id, participant.code, participant.deal_id, participant.contact_id, participant.status,
        issued.kind, cipher.seal(issued.series, "participants.issued_series"),
        cipher.seal(issued.number, "participants.issued_number"),
        cipher.seal(issued.registration_number, "participants.issued_reg_number"), _iso(issued.issue_date),
        _iso(participant.modified), cipher.seal(to_json(issued.frdo), "participants.frdo"),
    )


def document_row(document: Document, cipher: CacheCipher) -> tuple:
    return (
        document.id, document.code, document.deal_id, document.contact_id, document.type.value, document.sha256,
        cipher.seal(document.original_name, "documents.original_name"), document.file_id, _iso(document.received),
        document.status.value, cipher.seal(document.comment, "documents.comment"), _iso(document.modified),
    )


# -- reading ------------------------------------------------------------------------------------------

def stage_from(row: Row) -> Stage:
    return Stage.model_validate(dict(zip(STAGE_COLUMNS, row, strict=True)))


def company_from(row: Row) -> Company:
    return Company.model_validate(dict(zip(COMPANY_COLUMNS, row, strict=True)))


def open_contact(row: Row, cipher: CacheCipher) -> Row:
    """A row of :data:`CONTACT_READ_COLUMNS` as the plain :data:`CONTACT_COLUMNS` (one decryption)."""
    sealed = row[19]
    if sealed is None:
        return list(row[:19])
    values = cipher.open_fields(sealed, "contacts")
    if len(values) != 16:
        raise ValueError(f"contact {row[0]}: {len(values)} sealed values, 16 expected")
    return [row[0], *values[:6], row[7], *values[6:], row[18]]


def contact_from(row: Row, cipher: CacheCipher) -> Contact:
    """A contact from a row of :data:`CONTACT_READ_COLUMNS`."""
    return contact_from_plain(open_contact(row, cipher))


def contact_from_plain(row: Row) -> Contact:
    """A contact from plain :data:`CONTACT_COLUMNS` (as :func:`open_contact` gives them)."""
    values = dict(zip(CONTACT_COLUMNS, row, strict=True))
    values["phones"] = _list_from_json(values["phones"])
    values["emails"] = _list_from_json(values["emails"])
    return Contact.model_validate(values)


def deal_from(row: Row, cipher: CacheCipher) -> Deal:
    values = dict(zip(DEAL_COLUMNS, row, strict=True))
    values["title"] = cipher.open(values["title"], "deals.title")
    values["programme"] = from_json(FrdoProgramme, values.pop("frdo"))
    return Deal.model_validate(values)


def participant_from(row: Row, cipher: CacheCipher) -> Participant:
    (element_id, _code, deal_id, contact_id, status, kind, series, number, reg_number, issue_date,
     modified, frdo) = row
    series = cipher.open(series, "participants.issued_series")
    number = cipher.open(number, "participants.issued_number")
    reg_number = cipher.open(reg_number, "participants.issued_reg_number")
    frdo = cipher.open(frdo, "participants.frdo")
    return Participant.model_validate({
        "id": element_id, "deal_id": deal_id, "contact_id": contact_id, "status": status, "modified": modified,
        "issued": {"kind": kind, "series": series, "number": number, "registration_number": reg_number,
                   "issue_date": issue_date, "frdo": from_json(FrdoIssue, frdo)},
    })


def document_from(row: Row, cipher: CacheCipher) -> Document:
    values = dict(zip(DOCUMENT_COLUMNS, row, strict=True))
    values["original_name"] = cipher.open(values["original_name"], "documents.original_name")
    values["comment"] = cipher.open(values["comment"], "documents.comment")
    return Document.model_validate(values)


def select_list(columns: Sequence[str], alias: str = "") -> str:
    """``a, b, c`` (or ``t.a, t.b, t.c``) for a SELECT."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + column for column in columns)
