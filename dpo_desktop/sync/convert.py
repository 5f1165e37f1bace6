"""Portal rows ↔ domain models, through the portal's mapping.

Deals and contacts arrive as ``crm.*.list`` rows (standard fields normalised by the CRM facade, user
fields as the portal wrote them); participants and documents as list elements (``{valueId: value}``
already flattened by the lists facade). What a field *means* comes from the mapping, never from a
hard-coded ``UF_CRM_…`` or ``PROPERTY_n``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from ..b24 import normalize as n
from ..b24.crm import Multifield
from ..b24.lists import ListElement
from ..b24.shapes import identifier
from ..domain.frdo import FrdoIssue, FrdoProgramme, from_json, to_json
from ..domain.models import (
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
)
from ..portal.mapping import FieldRef, ListMapping, PortalMapping

_SHA256 = re.compile(r"[0-9a-f]{64}")
DEAL_STANDARD = ["ID", "TITLE", "CATEGORY_ID", "STAGE_ID", "COMPANY_ID", "ASSIGNED_BY_ID", "DATE_MODIFY"]
CONTACT_STANDARD = ["ID", "NAME", "SECOND_NAME", "LAST_NAME", "BIRTHDATE", "PHONE", "EMAIL", "COMPANY_ID", "POST",
                    "DATE_MODIFY"]
COMPANY_STANDARD = ["ID", "TITLE", "DATE_MODIFY"]


def deal_select(mapping: PortalMapping) -> list[str]:
    return DEAL_STANDARD + [ref.code for ref in mapping.deal_fields.values()]


def element_select(list_mapping: ListMapping) -> list[str]:
    """What to ask of a list's elements: the modification time is not sent unless asked for."""
    return ["ID", "CODE", "NAME", "DATE_CREATE", "TIMESTAMP_X", *(ref.code for ref in list_mapping.fields.values())]


def contact_select(mapping: PortalMapping) -> list[str]:
    return CONTACT_STANDARD + [ref.code for ref in mapping.contact_fields.values()]


# -- reading ----------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else " ".join(str(value).split())


def _enum(ref: FieldRef | None, value: Any) -> str | None:
    """The logical value behind an enumeration item ID (or a list's L value ID)."""
    if ref is None or value in (None, "", []):
        return None
    if isinstance(value, list):
        value = value[0] if value else None
    return ref.values.get(str(value))


def _uf(row: dict[str, Any], ref: FieldRef | None) -> Any:
    return None if ref is None else row.get(ref.code)


def deal_from_row(row: dict[str, Any], mapping: PortalMapping) -> Deal:
    field = mapping.deal_field
    programme = _enum(field("programme_type"), _uf(row, field("programme_type")))
    hours = n.to_int(_uf(row, field("hours")))
    return Deal(
        id=identifier(row.get("ID"), "сделка", "crm.deal.list"),
        title=_text(row.get("TITLE")),
        pipeline_id=n.to_int(row.get("CATEGORY_ID")) or 0,
        stage_id=_text(row.get("STAGE_ID")),
        company_id=n.to_int(row.get("COMPANY_ID")),
        assigned_by_id=n.to_int(row.get("ASSIGNED_BY_ID")),
        partner_code=_text(_uf(row, field("partner_code"))),
        client_contact_id=n.crm_link(_first(_uf(row, field("client_contact")))),
        event_name=_text(_uf(row, field("event_name"))),
        event_code=_text(_uf(row, field("event_code"))),
        programme_type=ProgrammeType(programme) if programme in ProgrammeType._value2member_map_ else None,
        hours=hours,
        start_date=n.to_date(_first(_uf(row, field("start_date")))),
        end_date=n.to_date(_first(_uf(row, field("end_date")))),
        modified=_moment(row.get("DATE_MODIFY")),
        programme=from_json(FrdoProgramme, _raw(_uf(row, field("frdo")))),
    )


def contact_from_row(row: dict[str, Any], mapping: PortalMapping) -> Contact:
    field = mapping.contact_field
    sex = _enum(field("sex"), _uf(row, field("sex")))
    level = _enum(field("education_level"), _uf(row, field("education_level")))
    return Contact(
        id=identifier(row.get("ID"), "контакт", "crm.contact.list"),
        last_name=_text(row.get("LAST_NAME")),
        name=_text(row.get("NAME")),
        second_name=_text(row.get("SECOND_NAME")),
        birth_date=n.to_date(row.get("BIRTHDATE")),
        phones=_communications(row.get("PHONE")),
        emails=_communications(row.get("EMAIL")),
        company_id=n.to_int(row.get("COMPANY_ID")),
        post=_text(row.get("POST")),
        snils=_text(_uf(row, field("snils"))),
        passport_series=_text(_uf(row, field("passport_series"))),
        passport_number=_text(_uf(row, field("passport_number"))),
        sex=Sex(sex) if sex in Sex._value2member_map_ else None,
        citizenship=_text(_uf(row, field("citizenship"))),
        education_level=EducationLevel(level) if level in EducationLevel._value2member_map_ else None,
        diploma_surname=_text(_uf(row, field("diploma_surname"))),
        diploma_series=_text(_uf(row, field("diploma_series"))),
        diploma_number=_text(_uf(row, field("diploma_number"))),
        modified=_moment(row.get("DATE_MODIFY")),
    )


def company_from_row(row: dict[str, Any]) -> Company:
    return Company(id=identifier(row.get("ID"), "компания", "crm.company.list"), title=_text(row.get("TITLE")),
                   modified=_moment(row.get("DATE_MODIFY")))


def participant_from_element(element: ListElement, mapping: ListMapping) -> Participant | None:
    """None for an element that does not name both a deal and a contact (not ours to show)."""
    value = _element_reader(element, mapping)
    deal, contact = n.crm_link(value("deal")), n.crm_link(value("contact"))
    if not deal or not contact:
        return None
    return Participant(
        id=element.id,
        deal_id=deal,
        contact_id=contact,
        status=_enum(mapping.fields.get("status"), value("status")) or "",
        issued=IssuedDocument(
            kind=_enum(mapping.fields.get("issued_kind"), value("issued_kind")) or "",
            series=_text(value("issued_series")),
            number=_text(value("issued_number")),
            registration_number=_text(value("issued_reg_number")),
            issue_date=n.to_date(value("issued_date")),
            frdo=from_json(FrdoIssue, _raw(value("frdo"))),
        ),
        modified=element.modified,  # list times: the portal's local time, naive, compared only with each other
    )


def document_from_element(element: ListElement, mapping: ListMapping) -> Document | None:
    value = _element_reader(element, mapping)
    deal, contact = n.crm_link(value("deal")), n.crm_link(value("contact"))
    kind = _enum(mapping.fields.get("type"), value("type"))
    if not deal or not contact or kind not in DocumentType._value2member_map_:
        return None
    status = _enum(mapping.fields.get("check_status"), value("check_status"))
    return Document(
        id=element.id,
        code=element.code,
        deal_id=deal,
        contact_id=contact,
        type=DocumentType(kind),
        sha256=_sha256(value("sha256")),
        original_name=_text(value("original_name")),
        file_id=n.to_int(value("file")),
        received=n.to_date(value("received")),
        status=CheckStatus(status) if status in CheckStatus._value2member_map_ else CheckStatus.RECEIVED,
        comment=_text(value("comment")),
        modified=element.modified,
    )


def _element_reader(element: ListElement, mapping: ListMapping) -> Callable[[str], str | None]:
    def value(logical: str) -> str | None:
        ref = mapping.fields.get(logical)
        return element.value(ref.code) if ref is not None else None
    return value


# -- writing ----------------------------------------------------------------------------------------

def participant_fields(participant: Participant, person: str, mapping: ListMapping) -> dict[str, Any]:
    """FIELDS for ``lists.element.add/update`` of a participant element."""
    fields: dict[str, Any] = {"NAME": person or participant.code}
    _put(fields, mapping, "deal", str(participant.deal_id))
    _put(fields, mapping, "contact", str(participant.contact_id))
    if participant.status:
        _put_enum(fields, mapping, "status", participant.status)
    issued = participant.issued
    if issued.kind:
        _put_enum(fields, mapping, "issued_kind", issued.kind)
    _put(fields, mapping, "issued_series", issued.series)
    _put(fields, mapping, "issued_number", issued.number)
    _put(fields, mapping, "issued_reg_number", issued.registration_number)
    _put(fields, mapping, "issued_date", issued.issue_date.isoformat() if issued.issue_date else "")
    _put(fields, mapping, "frdo", to_json(issued.frdo))
    return fields


def contact_fields(values: dict[str, Any], mapping: PortalMapping) -> dict[str, Any]:
    """``crm.contact.add/update`` fields from logical values (``last_name``, ``snils``, ``sex`` …)."""
    standard = {"last_name": "LAST_NAME", "name": "NAME", "second_name": "SECOND_NAME", "post": "POST",
                "company_id": "COMPANY_ID"}
    fields: dict[str, Any] = {}
    for key, value in values.items():
        if key in standard:
            fields[standard[key]] = value
        elif key == "birth_date":
            fields["BIRTHDATE"] = value.isoformat() if isinstance(value, date) else (value or "")
        elif key in ("phones", "emails"):
            fields["PHONE" if key == "phones" else "EMAIL"] = [
                {"VALUE": item, "VALUE_TYPE": "MOBILE" if key == "phones" else "WORK"} for item in value]
        else:
            ref = mapping.contact_field(key)
            if ref is None:
                continue
            if ref.type == "enumeration":
                fields[ref.code] = ref.value_id(str(value)) or "" if value else ""
            else:
                fields[ref.code] = "" if value is None else str(value)
    return fields


def _put(fields: dict[str, Any], mapping: ListMapping, logical: str, value: str) -> None:
    ref = mapping.fields.get(logical)
    if ref is not None and value != "":
        fields[ref.code] = value


def _put_enum(fields: dict[str, Any], mapping: ListMapping, logical: str, logical_value: str) -> None:
    ref = mapping.fields.get(logical)
    item = ref.value_id(logical_value) if ref is not None else None
    if ref is not None and item is not None:
        fields[ref.code] = item


# -- helpers ------------------------------------------------------------------------------------------

def _sha256(value: Any) -> str:
    """A content hash as the app wrote it, or "" — the hash names local files, so nothing else may pass."""
    text = _text(value).lower()
    return text if _SHA256.fullmatch(text) else ""


def _raw(value: Any) -> str:
    """A text as stored (JSON keeps its inner spaces), unlike :func:`_text`."""
    value = _first(value)
    return "" if value is None else str(value)


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _communications(value: Any) -> tuple[str, ...]:
    items: Iterable[Any] = value if isinstance(value, list) else []
    found = []
    for item in items:
        text = item.value if isinstance(item, Multifield) else (item.get("VALUE") if isinstance(item, dict) else "")
        if text:
            found.append(str(text).strip())
    return tuple(found)


def _moment(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else n.to_datetime(value)

