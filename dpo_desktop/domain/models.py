"""What the document office works with: deals of the ДПО pipeline, people, participants, documents.

Plain pydantic models with no knowledge of Bitrix24, SQLite or Qt. Portal field names live in the
mapping (``portal/``); these models hold the meaning.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .frdo import FrdoIssue, FrdoProgramme


class ProgrammeType(StrEnum):
    """повышение квалификации / профессиональная переподготовка."""

    PK = "ПК"
    PP = "ПП"


class DocumentType(StrEnum):
    """A participant's document, by the code the CLI and rules use; ``title`` is the portal's name."""

    DIPLOMA = "diploma"
    PASSPORT = "passport"
    SNILS = "snils"
    CONSENT = "consent"
    NAME_CHANGE = "name_change"
    APPLICATION = "application"
    CONTRACT = "contract"
    STUDY_CERTIFICATE = "study_certificate"
    OTHER = "other"

    @property
    def title(self) -> str:
        return DOCUMENT_TITLES[self]

    @property
    def bit(self) -> int:
        """A bit of its own, in declaration order: sets of types as integers (the cache and the rules agree)."""
        return _DOCUMENT_BITS[self]


DOCUMENT_TITLES: dict[DocumentType, str] = {
    DocumentType.DIPLOMA: "Диплом",
    DocumentType.PASSPORT: "Паспорт",
    DocumentType.SNILS: "СНИЛС",
    DocumentType.CONSENT: "Согласие на обработку ПД",
    DocumentType.NAME_CHANGE: "Документ о смене фамилии",
    DocumentType.APPLICATION: "Заявление",
    DocumentType.CONTRACT: "Договор",
    DocumentType.STUDY_CERTIFICATE: "Справка об обучении",
    DocumentType.OTHER: "Другое",
}


_DOCUMENT_BITS: dict[DocumentType, int] = {doc_type: 1 << index for index, doc_type in enumerate(DocumentType)}


class CheckStatus(StrEnum):
    RECEIVED = "received"  # получен
    CHECKED = "checked"  # проверен
    REJECTED = "rejected"  # отклонён

    @property
    def title(self) -> str:
        return {"received": "Получен", "checked": "Проверен", "rejected": "Отклонён"}[self.value]


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class EducationLevel(StrEnum):
    HIGHER = "higher"  # ВО
    VOCATIONAL = "vocational"  # СПО
    STUDENT = "student"  # still studying: a certificate (справка) stands for the diploma


class Completeness(StrEnum):
    COMPLETE = "complete"
    PARTIAL = "partial"
    NONE = "none"


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Stage(Model):
    status_id: str
    name: str
    sort: int = 0
    color: str | None = None
    semantics: str = "process"  # process, success or failure


class Company(Model):
    id: int
    title: str
    modified: datetime | None = None


class Contact(Model):
    """A person in the CRM, with the fields their documents fill in."""

    id: int
    last_name: str = ""
    name: str = ""
    second_name: str = ""
    birth_date: date | None = None
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    company_id: int | None = None
    post: str = ""
    snils: str = ""
    passport_series: str = ""
    passport_number: str = ""
    sex: Sex | None = None
    citizenship: str = ""  # ОКСМ code, 643 for Russia
    education_level: EducationLevel | None = None
    diploma_surname: str = ""
    diploma_series: str = ""
    diploma_number: str = ""
    modified: datetime | None = None

    @property
    def full_name(self) -> str:
        """``Фамилия Имя Отчество``, as folders and reports write it."""
        return full_name_of(self.id, self.last_name, self.name, self.second_name)

    @property
    def surname_changed(self) -> bool:
        """The diploma was issued under another surname: a name-change document is owed."""
        return surname_differs(self.diploma_surname, self.last_name)


class Deal(Model):
    """A deal of the ДПО pipeline: one client's group on one event (programme run)."""

    id: int
    title: str
    pipeline_id: int
    stage_id: str
    company_id: int | None = None
    assigned_by_id: int | None = None
    partner_code: str = ""
    client_contact_id: int | None = None  # the client's responsible person
    event_name: str = ""
    event_code: str = ""
    programme_type: ProgrammeType | None = None
    hours: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    modified: datetime | None = None
    programme: FrdoProgramme = Field(default_factory=FrdoProgramme)  # for ФИС ФРДО


class Event(Model):
    """A programme run, as the deals name it (code and name), with what the deals say of it."""

    code: str
    name: str = ""
    programme_type: ProgrammeType | None = None
    hours: int | None = None
    start_date: date | None = None
    end_date: date | None = None


class IssuedDocument(Model):
    """The ДПО document issued at the end (удостоверение, диплом, справка), for ФИС ФРДО."""

    kind: str = ""
    series: str = ""
    number: str = ""
    registration_number: str = ""
    issue_date: date | None = None
    frdo: FrdoIssue = Field(default_factory=FrdoIssue)  # status, original, the programme's overrides


class Participant(Model):
    """A person taking part in a deal: an element of the «Участники» list."""

    id: int | None  # None until the portal has it
    deal_id: int
    contact_id: int
    status: str = ""
    issued: IssuedDocument = Field(default_factory=IssuedDocument)
    modified: datetime | None = None

    @property
    def code(self) -> str:
        return participant_code(self.deal_id, self.contact_id)


class Document(Model):
    """A participant's document: an element of the «Документы участника» list."""

    id: int | None
    code: str
    deal_id: int
    contact_id: int
    type: DocumentType
    sha256: str = ""
    original_name: str = ""
    file_id: int | None = None  # the Drive file (or the list's File value in compatibility mode)
    received: date | None = None
    status: CheckStatus = CheckStatus.RECEIVED
    comment: str = ""
    modified: datetime | None = None


def participant_code(deal_id: int, contact_id: int) -> str:
    """The participant element's ELEMENT_CODE: one element per person and deal, whoever creates it."""
    return f"p-{deal_id}-{contact_id}"


def document_code(deal_id: int, contact_id: int, doc_type: DocumentType, sha256: str) -> str:
    """The document element's ELEMENT_CODE, from owner, type and content: the same scan is one element."""
    return f"d-{deal_id}-{contact_id}-{doc_type.value}-{sha256[:16]}"


def full_name_of(contact_id: int, last_name: str, name: str, second_name: str) -> str:
    return " ".join(part for part in (last_name, name, second_name) if part) or f"#{contact_id}"


def surname_differs(diploma_surname: str, last_name: str) -> bool:
    return bool(diploma_surname) and _norm(diploma_surname) != _norm(last_name)


def _norm(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()
