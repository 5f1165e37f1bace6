"""Required-document rules, validators (СНИЛС, passport, dates, contacts), completeness and the
missing-documents report. Pure: no I/O beyond reading the rules file, no Qt, no network, no SQLite."""

from .completeness import (
    CompletenessSummary,
    DocumentIndex,
    ParticipantCompleteness,
    evaluate,
    participant_completeness,
    summarize,
    summarize_by_deal,
    summarize_by_event,
)
from .loading import LoadedRules, RulesFileError, load_rules
from .missing import MissingFilter, MissingRow, missing_report, row_order
from .required import DocumentRules, StudyCertificateMode
from .validators import ValidationProblem

__all__ = [
    "CompletenessSummary",
    "DocumentIndex",
    "DocumentRules",
    "LoadedRules",
    "MissingFilter",
    "MissingRow",
    "ParticipantCompleteness",
    "RulesFileError",
    "StudyCertificateMode",
    "ValidationProblem",
    "evaluate",
    "load_rules",
    "missing_report",
    "participant_completeness",
    "row_order",
    "summarize",
    "summarize_by_deal",
    "summarize_by_event",
]
