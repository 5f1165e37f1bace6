"""Which documents a participant owes: the office's rules, compiled for fast use.

The rules file (``loading.py`` reads it) names a required set per programme type and for a deal whose
type is not set yet, and three conditional rules: a name-change document when the diploma carries
another surname, a study certificate (справка об обучении) that stands for the diploma, and no СНИЛС
scan for a foreign citizen who has no СНИЛС. A participant's *situation* is what those rules look at;
there are only a few dozen situations, so each one's requirements are worked out once and reused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from ..domain.models import Contact, DocumentType, EducationLevel, ProgrammeType
from .validators import is_foreign

DOCUMENT_ORDER: tuple[DocumentType, ...] = tuple(DocumentType)
_POSITION = {doc_type: index for index, doc_type in enumerate(DOCUMENT_ORDER)}


class StudyCertificateMode(StrEnum):
    """Whom a study certificate (справка об обучении) stands for the diploma for."""

    STUDENTS = "students"  # those still studying (art. 76 part 3: "persons getting СПО/ВО")
    ALWAYS = "always"  # anyone: the office accepts a certificate while the diploma is on its way


@dataclass(frozen=True, slots=True)
class Requirement:
    """One required document, satisfied by any of ``accepted``; the first is the one asked for."""

    accepted: tuple[DocumentType, ...]

    @property
    def asked(self) -> DocumentType:
        return self.accepted[0]


class Situation(NamedTuple):
    """Everything about a participant that the rules look at."""

    programme: ProgrammeType | None
    student: bool
    surname_changed: bool
    foreign_without_snils: bool


def sort_types(types: Iterable[DocumentType]) -> tuple[DocumentType, ...]:
    """Distinct types in the order of :class:`DocumentType`, the order every report uses."""
    return tuple(sorted(set(types), key=_POSITION.__getitem__))


@dataclass(frozen=True)
class DocumentRules:
    """The compiled rules. ``required`` maps a programme type, or None for "not set", to its set."""

    required: Mapping[ProgrammeType | None, tuple[DocumentType, ...]]
    name_change_when_surname_changed: bool = True
    study_certificate_for_diploma: StudyCertificateMode = StudyCertificateMode.STUDENTS
    snils_optional_for_foreigners_without_snils: bool = True
    _cache: dict[Situation, tuple[Requirement, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        missing = [key for key in (*ProgrammeType, None) if key not in self.required]
        if missing:
            raise ValueError(f"rules lack a required set for {missing}")

    @staticmethod
    def situation(programme: ProgrammeType | None, contact: Contact | None) -> Situation:
        """What the rules need to know of a participant; an unknown contact is the plain case."""
        if contact is None:
            return Situation(programme, False, False, False)
        return Situation(programme, contact.education_level is EducationLevel.STUDENT, contact.surname_changed,
                         not contact.snils.strip() and is_foreign(contact.citizenship))

    def requirements(self, situation: Situation) -> tuple[Requirement, ...]:
        """The required documents in this situation, in :class:`DocumentType` order of what is asked."""
        cached = self._cache.get(situation)
        if cached is None:
            cached = self._cache[situation] = self._work_out(situation)
        return cached

    def requirements_for(self, programme: ProgrammeType | None, contact: Contact | None) -> tuple[Requirement, ...]:
        return self.requirements(self.situation(programme, contact))

    def _work_out(self, situation: Situation) -> tuple[Requirement, ...]:
        wanted = list(self.required[situation.programme])
        if self.name_change_when_surname_changed and situation.surname_changed:
            wanted.append(DocumentType.NAME_CHANGE)
        if self.snils_optional_for_foreigners_without_snils and situation.foreign_without_snils:
            wanted = [doc_type for doc_type in wanted if doc_type is not DocumentType.SNILS]
        requirements = [self._requirement(doc_type, situation) for doc_type in sort_types(wanted)]
        return tuple(sorted(requirements, key=lambda requirement: _POSITION[requirement.asked]))

    def _requirement(self, doc_type: DocumentType, situation: Situation) -> Requirement:
        if doc_type is not DocumentType.DIPLOMA:
            return Requirement((doc_type,))
        certificate = DocumentType.STUDY_CERTIFICATE
        if situation.student:  # a student has a certificate to show; an earlier diploma also does
            return Requirement((certificate, DocumentType.DIPLOMA))
        if self.study_certificate_for_diploma is StudyCertificateMode.ALWAYS:
            return Requirement((DocumentType.DIPLOMA, certificate))
        return Requirement((DocumentType.DIPLOMA,))
