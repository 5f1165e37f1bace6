"""Discovery: where the ДПО schema lives on one portal, and what is missing.

:func:`discover` reads the portal (two batches, ``snapshot.py``) and :func:`analyse` matches what it
read against the schema (``schema.py``): the pipeline by ID or name, fields by code, XML_ID or label,
enumeration items by XML_ID or text, lists by code or name, list fields by CODE or name. The result
holds the :class:`PortalMapping` when nothing blocking is missing, every :class:`Problem`, and what
was found where (for ``portal check``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import matching, problems, schema
from .mapping import FieldRef, ListMapping, PortalMapping
from .problems import Problem
from .settings import PortalSettings
from .snapshot import PortalSnapshot, RemoteListField, read_snapshot

if TYPE_CHECKING:
    from ..b24.client import B24Client

log = logging.getLogger(__name__)

_READS = {"pipelines": "воронки сделок", "deal_fields": "поля сделок", "contact_fields": "поля контактов",
          "lists": "универсальные списки", "storages": "список дисков", "stages": "стадии воронки",
          "fields_participants": "поля списка «Участники»", "fields_documents": "поля списка «Документы участника»",
          "archive": "папки общего диска"}
_OWNER = {"deal": "сделки", "contact": "контакта"}
_ENTITY_TITLE = {"deal": "Поле сделки", "contact": "Поле контакта"}


@dataclass(frozen=True)
class Finding:
    """One object of the schema and where it is on the portal."""

    key: str
    title: str  # «Поле сделки «Код мероприятия»»
    location: str  # "UF_CRM_1724077760", "ID 7", "PROPERTY_31"
    matched_by: str  # code, xml_id, name, link, id

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "title": self.title, "location": self.location, "matched_by": self.matched_by}


@dataclass
class Discovery:
    mapping: PortalMapping | None
    problems: list[Problem]
    found: list[Finding]
    snapshot: PortalSnapshot = field(repr=False)
    # list key -> logical field -> the property it was matched to (provisioning completes its values)
    list_fields: dict[str, dict[str, RemoteListField]] = field(default_factory=dict, repr=False)

    @property
    def complete(self) -> bool:
        return self.mapping is not None

    @property
    def fixable(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.fixable]

    def problem(self, key: str) -> Problem | None:
        return next((problem for problem in self.problems if problem.key == key), None)


async def discover(client: B24Client, settings: PortalSettings | None = None) -> Discovery:
    settings = settings or PortalSettings()
    snapshot = await read_snapshot(client, settings)
    discovery = analyse(snapshot, settings)
    log.info("portal discovery: %s, %d problems, %d requests",
             "complete" if discovery.complete else "incomplete", len(discovery.problems), snapshot.requests)
    return discovery


def analyse(snapshot: PortalSnapshot, settings: PortalSettings) -> Discovery:
    """Match a snapshot against the schema. Pure: the same snapshot gives the same discovery."""
    work = _Analysis(snapshot, settings)
    return work.run()


class _Analysis:
    def __init__(self, snapshot: PortalSnapshot, settings: PortalSettings) -> None:
        self.snapshot = snapshot
        self.settings = settings
        self.problems: list[Problem] = []
        self.found: list[Finding] = []
        self.list_fields: dict[str, dict[str, RemoteListField]] = {}

    def run(self) -> Discovery:
        for label, error in self.snapshot.errors.items():
            self.problems.append(problems.unreadable(label, _READS.get(label, label), error))
        self._pipeline()
        deal_fields = self._crm_fields("deal", schema.DEAL_FIELDS, self.settings.deal_field_codes)
        contact_fields = self._crm_fields("contact", schema.CONTACT_FIELDS, self.settings.contact_field_codes)
        lists = {spec.key: self._list(spec) for spec in schema.LISTS}
        self._drive()
        mapping = None
        pipeline = self.snapshot.pipeline
        participants, documents = lists["participants"], lists["documents"]
        blocked = any(item.blocking for item in self.problems)
        if pipeline is not None and self.snapshot.stages and participants and documents and not blocked:
            common = self.snapshot.common
            mapping = PortalMapping(
                pipeline_id=pipeline.id, pipeline_name=pipeline.name, stages=tuple(self.snapshot.stages),
                deal_fields=deal_fields, contact_fields=contact_fields,
                participants=participants, documents=documents,
                file_mode="file" if documents.fields["file"].type == "F" else "drive",
                common_storage_id=common.id if common else None,
                common_root_folder_id=common.root_folder_id if common else None,
                archive_folder_id=self.snapshot.archive.id if self.snapshot.archive else None,
            )
        return Discovery(mapping, self.problems, self.found, self.snapshot, self.list_fields)

    # -- pipeline and stages ------------------------------------------------------------------------

    def _pipeline(self) -> None:
        if "pipelines" in self.snapshot.errors:
            return
        pipeline = self.snapshot.pipeline
        if pipeline is None:
            self.problems.append(problems.no_pipeline(self.settings.pipeline_name, self.settings.pipeline_id))
            return
        how = "id" if self.settings.pipeline_id is not None else matching.BY_NAME
        self.found.append(Finding("pipeline", f"Воронка «{pipeline.name}»", f"ID {pipeline.id}", how))
        if "stages" in self.snapshot.errors:
            return
        stages = self.snapshot.stages
        if not stages:
            self.problems.append(problems.no_stages(pipeline.name))
            return
        self.found.append(Finding("stages", f"Стадии воронки «{pipeline.name}»",
                                  " → ".join(stage.name for stage in stages), "pipeline"))
        names = {matching.norm(stage.name) for stage in stages}
        absent = [spec.title for spec in schema.STAGES if matching.norm(spec.title) not in names]
        if absent:
            self.problems.append(problems.missing_stages(pipeline.name, absent))

    # -- deal and contact fields --------------------------------------------------------------------

    def _crm_fields(self, entity: str, specs: tuple[schema.CrmFieldSpec, ...],
                    codes: dict[str, str]) -> dict[str, FieldRef]:
        if f"{entity}_fields" in self.snapshot.errors:
            return {}
        fields = self.snapshot.deal_fields if entity == "deal" else self.snapshot.contact_fields
        taken: set[str] = set()
        refs: dict[str, FieldRef] = {}
        for spec in specs:
            given = (codes[spec.logical],) if spec.logical in codes else ()
            picked = matching.pick_userfield(fields, spec, given, taken)
            key = f"{entity}_field:{spec.logical}"
            if picked is None:
                self.problems.append(problems.missing_field(entity, spec.logical, spec.title, spec.xml_id))
                continue
            found, how = picked
            taken.add(found.field_name)
            self.found.append(Finding(key, f"{_ENTITY_TITLE[entity]} «{spec.title}»", found.field_name, how))
            owner = _OWNER[entity]
            if found.user_type not in spec.accepts:
                self.problems.append(problems.wrong_field_type(key, owner, found.label or spec.title,
                                                               found.field_name, found.user_type, spec.accepts))
                continue
            if spec.create_type == "crm" and "CONTACT" not in matching.linked_types(found.settings):
                self.problems.append(problems.wrong_link(key, owner, found.label or spec.title, found.field_name,
                                                         "CONTACT"))
                continue
            values: dict[str, str] = {}
            if spec.values:
                values, missing = matching.map_values(found.items, spec.values)
                if missing:
                    self.problems.append(problems.missing_enum_values(entity, spec.logical, spec.title, missing))
            refs[spec.logical] = FieldRef(code=found.field_name, type=found.user_type, multiple=found.multiple,
                                          values=values)
        return refs

    # -- lists --------------------------------------------------------------------------------------

    def _list(self, spec: schema.ListSpec) -> ListMapping | None:
        if "lists" in self.snapshot.errors:
            return None
        chosen = self.snapshot.chosen_lists.get(spec.key)
        if chosen is None:
            self.problems.append(problems.no_list(spec.key, spec.title, spec.code))
            return None
        found, how = chosen
        self.found.append(Finding(f"list:{spec.key}", f"Список «{spec.title}»", f"ID {found.id} ({found.code})", how))
        if f"fields_{spec.key}" in self.snapshot.errors:
            return None
        fields = self.snapshot.list_fields.get(spec.key, [])
        taken: set[str] = set()
        refs: dict[str, FieldRef] = {}
        for field_spec in spec.fields:
            picked = matching.pick_list_field(fields, field_spec, taken)
            if picked is None:
                self.problems.append(problems.missing_list_field(spec.key, field_spec.logical, spec.title,
                                                                 field_spec.title, field_spec.code))
                continue
            item, item_how = picked
            taken.add(item.field_id)
            self.list_fields.setdefault(spec.key, {})[field_spec.logical] = item
            ref = self._list_field(spec, field_spec, item, item_how)
            if ref is not None:
                refs[field_spec.logical] = ref
        return ListMapping(iblock_id=found.id, code=found.code or spec.code, fields=refs,
                           iblock_type=self.settings.iblock_type)

    def _list_field(self, spec: schema.ListSpec, field_spec: schema.ListFieldSpec, item: RemoteListField,
                    how: str) -> FieldRef | None:
        key = f"list_field:{spec.key}.{field_spec.logical}"
        owner = f"списка «{spec.title}»"
        self.found.append(Finding(key, f"Поле «{field_spec.title}» списка «{spec.title}»",
                                  f"{item.field_id} ({item.code or item.name})", how))
        if item.type not in field_spec.accepts:
            self.problems.append(problems.wrong_field_type(key, owner, item.name, item.field_id, item.type,
                                                           field_spec.accepts))
            return None
        if field_spec.link is not None and field_spec.link not in matching.linked_types(item.settings):
            self.problems.append(problems.wrong_link(key, owner, item.name, item.field_id, field_spec.link))
            return None
        values: dict[str, str] = {}
        if field_spec.closed:
            values, missing = matching.map_values(item.values, field_spec.values)
            if missing:
                self.problems.append(problems.missing_list_values(spec.key, field_spec.logical, spec.title,
                                                                  field_spec.title, missing))
        elif item.type == "L":
            values = {value.id: value.value for value in item.values}
        return FieldRef(code=item.field_id, type=item.type, multiple=item.multiple, values=values)

    # -- the drive ----------------------------------------------------------------------------------

    def _drive(self) -> None:
        if "storages" in self.snapshot.errors:
            return
        common = self.snapshot.common
        if common is None:
            self.problems.append(problems.no_common_drive())
            return
        self.found.append(Finding("drive", "Общий диск", f"ID {common.id}", "entity_type"))
        if "archive" in self.snapshot.errors:
            return
        if self.snapshot.archive is None:
            self.problems.append(problems.no_archive(self.settings.archive_folder))
        else:
            self.found.append(Finding("archive", f"Папка «{self.settings.archive_folder}» на общем диске",
                                      f"ID {self.snapshot.archive.id}", matching.BY_NAME))


def summary(discovery: Discovery) -> dict[str, Any]:
    """Counts for logs and the check report."""
    return {"complete": discovery.complete, "found": len(discovery.found), "problems": len(discovery.problems),
            "blocking": sum(1 for item in discovery.problems if item.blocking),
            "fixable": len(discovery.fixable), "requests": discovery.snapshot.requests}
