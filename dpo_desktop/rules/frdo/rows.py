"""One ФИС ФРДО row per issued document, from what the cache holds about the deal, the participant and
the person.

The builder fills the template's cells and fixes only what has one right spelling (dates as
``dd.mm.yyyy``, the sex and education level as the dictionary writes them, a СНИЛС in the prompt's
form when its digits are well-formed). Everything else is taken as typed, so the pre-flight
(``checks.py``) sees and names what the ФИС would reject: stray characters, a wrong word, a missing value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ...domain.frdo import FrdoProgramme
from ...domain.models import Contact, Deal, EducationLevel, Participant, ProgrammeType, Sex
from ..snils import format_snils
from . import template as t

Cells = dict[str, str]

_KINDS = {ProgrammeType.PK: t.PK_KIND, ProgrammeType.PP: t.PP_KIND}
_LEVELS = {EducationLevel.HIGHER: t.HIGHER, EducationLevel.VOCATIONAL: t.VOCATIONAL,
           EducationLevel.STUDENT: t.CERTIFICATE_LEVEL}
_SEXES = {Sex.MALE: t.MALE, Sex.FEMALE: t.FEMALE}
_SNILS_DIGITS = re.compile(r"\d{3}-?\d{3}-?\d{3}[ -]?\d{2}")


@dataclass(frozen=True)
class FrdoRow:
    """One issued document: its cells by column letter, and whose it is (for the pre-flight's messages)."""

    deal_id: int
    contact_id: int
    person: str
    cells: Cells
    has_name_change: bool = False  # a name-change document (not rejected) is on file
    participant_id: int | None = None

    def __getitem__(self, letter: str) -> str:
        return self.cells.get(letter, "")


@dataclass(frozen=True)
class FrdoSource:
    """What one row is built from; ``has_name_change`` comes from the person's documents."""

    deal: Deal
    participant: Participant
    contact: Contact | None
    has_name_change: bool = False
    extra: dict[str, str] = field(default_factory=dict)  # cells set by hand (tests, a future editor)


def is_issued(participant: Participant) -> bool:
    """Whether the participant has a document to report: a kind or a number was entered."""
    issued = participant.issued
    return bool(issued.kind or issued.number or issued.registration_number)


def ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""


def snils_cell(value: str) -> str:
    """``XXX-XXX-XXX XX`` when the value is 11 digits in a usual grouping; otherwise as it is."""
    text = value.strip()
    if _SNILS_DIGITS.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        return format_snils(digits)
    return value


def programme_of(deal: Deal, participant: Participant) -> FrdoProgramme:
    """The deal's programme data under the participant's overrides, with the deal's own fields as defaults."""
    base = FrdoProgramme(name=deal.event_name, hours=deal.hours,
                         start_year=deal.start_date.year if deal.start_date else None,
                         end_year=deal.end_date.year if deal.end_date else None)
    return participant.issued.frdo.programme.over(deal.programme.over(base))


def build_row(source: FrdoSource) -> FrdoRow:
    deal, participant, contact = source.deal, source.participant, source.contact
    issued, frdo = participant.issued, participant.issued.frdo
    programme = programme_of(deal, participant)
    original = frdo.original
    person = contact or Contact(id=participant.contact_id)
    cells: Cells = {
        "A": issued.kind, "B": frdo.status or t.ORIGINAL, "C": frdo.loss_proof or t.NO,
        "D": frdo.exchange_proof or t.NO, "E": frdo.destroyed or t.NO, "F": issued.series or "нет",
        "G": issued.number, "H": ddmmyyyy(issued.issue_date), "I": issued.registration_number,
        "J": _KINDS.get(deal.programme_type, "") if deal.programme_type else "",
        "K": programme.name, "L": programme.activity_field, "M": programme.specialty_group,
        "N": programme.qualification,
        "O": _LEVELS.get(person.education_level, "") if person.education_level else "",
        "P": person.diploma_surname or person.last_name, "Q": person.diploma_series, "R": person.diploma_number,
        "S": _number(programme.start_year), "T": _number(programme.end_year), "U": _number(programme.hours),
        "V": person.last_name, "W": person.name, "X": person.second_name, "Y": ddmmyyyy(person.birth_date),
        "Z": _SEXES.get(person.sex, "") if person.sex else "", "AA": snils_cell(person.snils),
        "AB": programme.study_form, "AC": programme.funding, "AD": programme.study_place,
        "AE": person.citizenship,
        "AF": original.kind, "AG": original.series, "AH": original.number, "AI": original.registration_number,
        "AJ": ddmmyyyy(original.issue_date), "AK": original.last_name, "AL": original.name,
        "AM": original.second_name, "AN": frdo.change_number,
    }
    cells.update(source.extra)
    return FrdoRow(deal.id, participant.contact_id, person.full_name, cells, source.has_name_change, participant.id)


def build_rows(sources: list[FrdoSource]) -> list[FrdoRow]:
    """A row per participant with an issued document, in the sources' order."""
    return [build_row(source) for source in sources if is_issued(source.participant)]


def _number(value: int | None) -> str:
    return "" if value is None else str(value)
