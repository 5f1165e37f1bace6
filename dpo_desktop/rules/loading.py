"""Reading the rules file: the shipped one and an office's override.

The shipped file is ``resources/rules/required_documents.json``. An office may put ``rules.json`` in
the config folder (or name a file explicitly). Its ``mode`` says what it does:

- ``"replace"`` (the default): it is a complete rules file and is used instead of the shipped one;
- ``"extend"``: the document types it lists are *added* to the shipped sets, and the conditions it
  names replace the shipped switches.

A broken override never leaves the office without rules: the shipped rules are used and the reason —
a Russian sentence naming the file and the problem — is returned and logged, for the UI or the CLI to
show. A broken shipped file is an installation fault and raises :class:`RulesFileError`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from .. import paths
from ..domain.models import DocumentType, ProgrammeType
from .required import DocumentRules, StudyCertificateMode, sort_types
from .schema_messages import describe_validation_error

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

SCHEMA_VERSION = 1
OVERRIDE_NAME = "rules.json"
MODES = ("replace", "extend")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequiredSets(_Strict):
    pk: list[DocumentType] = Field(alias="ПК")
    pp: list[DocumentType] = Field(alias="ПП")


class Conditions(_Strict):
    name_change_when_surname_changed: StrictBool = True
    study_certificate_for_diploma: StudyCertificateMode = StudyCertificateMode.STUDENTS
    snils_optional_for_foreigners_without_snils: StrictBool = True


class RulesFile(_Strict):
    """A complete rules file: the shipped one, or an office's replacement."""

    schema_version: Literal[1]
    mode: Literal["replace"] = "replace"
    comment: str = ""
    required: RequiredSets
    without_programme: list[DocumentType]
    conditions: Conditions = Conditions()


class RequiredAdditions(_Strict):
    pk: list[DocumentType] = Field(default_factory=list, alias="ПК")
    pp: list[DocumentType] = Field(default_factory=list, alias="ПП")


class ConditionChanges(_Strict):
    name_change_when_surname_changed: StrictBool | None = None
    study_certificate_for_diploma: StudyCertificateMode | None = None
    snils_optional_for_foreigners_without_snils: StrictBool | None = None


class RulesExtension(_Strict):
    """An office's additions to the shipped rules."""

    schema_version: Literal[1]
    mode: Literal["extend"]
    comment: str = ""
    required: RequiredAdditions = RequiredAdditions()
    without_programme: list[DocumentType] = Field(default_factory=list)
    conditions: ConditionChanges = ConditionChanges()


class RulesFileError(Exception):
    """A rules file cannot be used; the text is Russian and names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"Файл правил {path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class LoadedRules:
    """The rules in force, the files they came from, and why an override was not used (Russian), if so."""

    rules: DocumentRules
    sources: tuple[Path, ...]
    error: str | None = None


def shipped_rules_path() -> Path:
    return paths.resources_dir() / "rules" / "required_documents.json"


def load_rules(path: str | Path | None = None, *, shipped: Path | None = None) -> LoadedRules:
    """The rules in force: the shipped file, replaced or extended by ``path`` or the config folder's
    ``rules.json`` when there is one."""
    shipped = shipped or shipped_rules_path()
    base = _parse(shipped, _read(shipped), RulesFile)
    override = Path(path) if path is not None else paths.config_dir() / OVERRIDE_NAME
    if path is None and not override.exists():
        return LoadedRules(compile_rules(base), (shipped,))
    try:
        merged = _apply(base, override)
    except RulesFileError as error:
        message = f"{error}. Используются стандартные правила."
        log.warning("%s", message)
        return LoadedRules(compile_rules(base), (shipped,), message)
    return LoadedRules(compile_rules(merged), (shipped, override))


def compile_rules(file: RulesFile) -> DocumentRules:
    conditions = file.conditions
    return DocumentRules(
        required={ProgrammeType.PK: sort_types(file.required.pk), ProgrammeType.PP: sort_types(file.required.pp),
                  None: sort_types(file.without_programme)},
        name_change_when_surname_changed=conditions.name_change_when_surname_changed,
        study_certificate_for_diploma=conditions.study_certificate_for_diploma,
        snils_optional_for_foreigners_without_snils=conditions.snils_optional_for_foreigners_without_snils,
    )


def extend(base: RulesFile, extension: RulesExtension) -> RulesFile:
    """``base`` with the extension's document types added and its named conditions replaced."""
    changes = extension.conditions.model_dump(exclude_none=True)
    return base.model_copy(update={
        "required": RequiredSets.model_validate({
            "ПК": [*base.required.pk, *extension.required.pk],
            "ПП": [*base.required.pp, *extension.required.pp],
        }),
        "without_programme": [*base.without_programme, *extension.without_programme],
        "conditions": base.conditions.model_copy(update=changes),
    })


def _apply(base: RulesFile, override: Path) -> RulesFile:
    raw = _read(override)
    mode = raw.get("mode", "replace") if isinstance(raw, dict) else "replace"
    if mode not in MODES:
        raise RulesFileError(override, f"поле mode: допустимо «replace» или «extend», а не {json.dumps(mode)}")
    if mode == "extend":
        return extend(base, _parse(override, raw, RulesExtension))
    return _parse(override, raw, RulesFile)


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RulesFileError(path, "файл не найден")
    except UnicodeDecodeError:
        raise RulesFileError(path, "файл не в кодировке UTF-8")
    except OSError as error:
        raise RulesFileError(path, f"файл не читается ({error.strerror or error})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RulesFileError(path, f"ошибка JSON в строке {error.lineno}, столбце {error.colno}")


def _parse(path: Path, raw: Any, model: type[T]) -> T:
    if isinstance(raw, dict) and "schema_version" in raw:
        # The version is checked first: a file of another version fails for reasons not worth listing.
        version = raw["schema_version"]
        if type(version) is not int:
            raise RulesFileError(path, f"schema_version: нужно целое число, а не {json.dumps(version)}")
        if version != SCHEMA_VERSION:
            raise RulesFileError(path, f"версия схемы {version} не поддерживается (нужна {SCHEMA_VERSION})")
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise RulesFileError(path, describe_validation_error(error))
