"""What ФИС ФРДО asks beyond the issued document's number: the programme's data and the document's status.

The programme's data (name, field, qualification, years, hours, forms, funding) belong to the deal; a
participant may override any of them (a learner who joined a later run, a different qualification).
The status block (original or duplicate, proofs of loss, exchange, destruction) and the original's data
belong to the issued document. Both travel to the portal and the cache as one JSON text each (see
``to_json``/``from_json``): empty values are left out, so a document with nothing special is ``""``.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")  # a newer app's key is kept out, not fatal


class FrdoProgramme(_Frozen):
    """Columns K–N, S–U, AB–AD; an empty value means «not given here» (the deal's, or nothing)."""

    name: str = ""  # K
    activity_field: str = ""  # L: область профессиональной деятельности
    specialty_group: str = ""  # M: укрупнённая группа специальностей
    qualification: str = ""  # N
    start_year: int | None = None  # S
    end_year: int | None = None  # T
    hours: int | None = None  # U
    study_form: str = ""  # AB
    funding: str = ""  # AC
    study_place: str = ""  # AD

    def over(self, base: FrdoProgramme) -> FrdoProgramme:
        """These values where given, ``base``'s elsewhere (a participant's overrides over the deal's)."""
        given = {key: value for key, value in self.model_dump().items() if value not in ("", None)}
        return base.model_copy(update=given)


class OriginalDocument(_Frozen):
    """The document a duplicate or an exchanged document replaces (columns AF–AM)."""

    kind: str = ""
    series: str = ""
    number: str = ""
    registration_number: str = ""
    issue_date: date | None = None
    last_name: str = ""
    name: str = ""
    second_name: str = ""


class FrdoIssue(_Frozen):
    """The issued document's status block (B–E, AN), its original, and the participant's overrides."""

    status: str = ""  # B: Оригинал / Дубликат; empty reads as Оригинал
    loss_proof: str = ""  # C
    exchange_proof: str = ""  # D
    destroyed: str = ""  # E
    change_number: str = ""  # AN
    original: OriginalDocument = Field(default_factory=OriginalDocument)
    programme: FrdoProgramme = Field(default_factory=FrdoProgramme)


Frdo = TypeVar("Frdo", FrdoProgramme, FrdoIssue)


def to_json(value: FrdoProgramme | FrdoIssue) -> str:
    """The compact text kept on the portal and in the cache; ``""`` when nothing is set."""
    text = value.model_dump_json(exclude_defaults=True)
    return "" if text == "{}" else text


def from_json(kind: type[Frdo], text: str | None) -> Frdo:
    """The model from :func:`to_json`'s text; an empty or damaged text reads as nothing set."""
    if not text or not text.strip():
        return kind()
    try:
        return kind.model_validate_json(text)
    except ValidationError:
        return kind()  # typed by hand on the portal and broken: the pre-flight then says what is missing
