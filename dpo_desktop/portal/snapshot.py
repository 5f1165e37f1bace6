"""Read what a portal has of the ДПО schema, in two batches.

The first batch asks for the pipelines, the deal and contact user fields, the universal lists and
the drives; the second, once the pipeline, the lists and the common drive are chosen, for the
stages, the lists' fields and the archive folder. A command the portal refuses (no scope, no
module) is kept in ``errors`` for discovery to explain; the request as a whole failing (no
connection, a revoked webhook) is raised as the client's typed error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..b24 import normalize as n
from ..b24.batch import Batch, BatchResult
from ..b24.crm import Pipeline
from ..b24.disk import DiskObject, Storage
from ..b24.errors import B24Error
from ..domain.models import Stage
from . import matching, schema
from .stages import stages_from_rows

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from .settings import PortalSettings

DEAL_TYPE_ID = 2


@dataclass(frozen=True)
class Item:
    """An enumeration item of a user field, or a value of a list property."""

    id: str
    value: str
    xml_id: str = ""
    sort: int = 0


@dataclass(frozen=True)
class RemoteUserField:
    id: int
    field_name: str
    user_type: str
    xml_id: str
    multiple: bool
    label: str
    settings: dict[str, Any]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class RemoteList:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class RemoteListField:
    field_id: str
    code: str
    name: str
    type: str
    multiple: bool
    required: bool
    sort: int
    settings: dict[str, Any]
    values: tuple[Item, ...]


@dataclass
class PortalSnapshot:
    """Everything discovery looked at. ``errors`` maps what could not be read to the portal's refusal."""

    pipelines: list[Pipeline] = field(default_factory=list)
    pipeline: Pipeline | None = None
    stages: list[Stage] = field(default_factory=list)
    deal_fields: list[RemoteUserField] = field(default_factory=list)
    contact_fields: list[RemoteUserField] = field(default_factory=list)
    lists: list[RemoteList] = field(default_factory=list)
    chosen_lists: dict[str, tuple[RemoteList, str]] = field(default_factory=dict)  # spec key -> (list, how)
    list_fields: dict[str, list[RemoteListField]] = field(default_factory=dict)
    common: Storage | None = None
    archive: DiskObject | None = None
    errors: dict[str, B24Error] = field(default_factory=dict)
    requests: int = 0


async def read_snapshot(client: B24Client, settings: PortalSettings) -> PortalSnapshot:
    snapshot = PortalSnapshot()
    before = client.stats.requests
    commands: dict[str, tuple[str, dict[str, Any]]] = {
        "pipelines": ("crm.category.list", {"entityTypeId": DEAL_TYPE_ID}),
        "deal_fields": ("crm.deal.userfield.list", {"filter": {"LANG": "ru"}}),
        "contact_fields": ("crm.contact.userfield.list", {"filter": {"LANG": "ru"}}),
        "lists": ("lists.get", {"IBLOCK_TYPE_ID": settings.iblock_type}),
        "storages": ("disk.storage.getlist", {}),
    }
    if settings.pipeline_id is not None:
        commands["stages"] = ("crm.status.list", stage_query(settings.pipeline_id))
    first = Batch()
    for label, (method, params) in commands.items():
        first.add(label, method, params)
    answer = await client.batch(first)

    pipelines = _result(snapshot, answer, "pipelines")
    categories = pipelines.get("categories", []) if isinstance(pipelines, dict) else []
    snapshot.pipelines = [pipeline_from_wire(item) for item in categories if isinstance(item, dict)]
    snapshot.pipeline = choose_pipeline(snapshot.pipelines, settings)
    deal_rows = await _all_rows(client, snapshot, answer, "deal_fields", commands["deal_fields"])
    snapshot.deal_fields = [userfield_from_wire(row) for row in deal_rows]
    contact_rows = await _all_rows(client, snapshot, answer, "contact_fields", commands["contact_fields"])
    snapshot.contact_fields = [userfield_from_wire(row) for row in contact_rows]
    snapshot.lists = [RemoteList(int(row["ID"]), str(row.get("CODE") or ""), str(row.get("NAME") or ""))
                      for row in await _all_rows(client, snapshot, answer, "lists", commands["lists"])]
    storages = [Storage(int(row["ID"]), str(row.get("NAME") or ""), str(row.get("ENTITY_TYPE") or ""),
                        int(row["ROOT_OBJECT_ID"]))
                for row in await _all_rows(client, snapshot, answer, "storages", commands["storages"])]
    snapshot.common = next((storage for storage in storages if storage.entity_type == "common"), None)
    for spec in schema.LISTS:
        chosen = matching.pick_list(snapshot.lists, spec)
        if chosen is not None:
            snapshot.chosen_lists[spec.key] = chosen

    second = Batch()
    if snapshot.pipeline is not None:
        if "stages" in commands and snapshot.pipeline.id == settings.pipeline_id:
            snapshot.stages = stages_from_wire(_result(snapshot, answer, "stages"))
        else:
            second.add("stages", "crm.status.list", stage_query(snapshot.pipeline.id))
    for key, (found, _how) in snapshot.chosen_lists.items():
        second.add(f"fields_{key}", "lists.field.get", {"IBLOCK_TYPE_ID": settings.iblock_type, "IBLOCK_ID": found.id})
    if snapshot.common is not None:
        second.add("archive", "disk.folder.getchildren",
                   {"id": snapshot.common.root_folder_id, "filter": {"NAME": settings.archive_folder}})
    if len(second):
        answer = await client.batch(second)
        if "stages" in second.labels():
            snapshot.stages = stages_from_wire(_result(snapshot, answer, "stages"))
        for key in snapshot.chosen_lists:
            raw = _result(snapshot, answer, f"fields_{key}")
            rows = raw.values() if isinstance(raw, dict) else []
            snapshot.list_fields[key] = [list_field_from_wire(row) for row in rows if isinstance(row, dict)]
        if "archive" in second.labels():
            folders = [DiskObject.from_wire(row) for row in _result(snapshot, answer, "archive") or []
                       if isinstance(row, dict)]
            snapshot.archive = next((item for item in folders if item.type == "folder"
                                     and matching.same(item.name, settings.archive_folder)), None)
    snapshot.requests = client.stats.requests - before
    return snapshot


def choose_pipeline(pipelines: list[Pipeline], settings: PortalSettings) -> Pipeline | None:
    if settings.pipeline_id is not None:
        return next((item for item in pipelines if item.id == settings.pipeline_id), None)
    return matching.pick_by_name(((item.name, item) for item in pipelines), (settings.pipeline_name,))


def stage_query(pipeline_id: int) -> dict[str, Any]:
    entity = "DEAL_STAGE" if pipeline_id == 0 else f"DEAL_STAGE_{pipeline_id}"
    return {"filter": {"ENTITY_ID": entity}, "order": {"SORT": "ASC"}}


def _result(snapshot: PortalSnapshot, answer: BatchResult, label: str) -> Any:
    if label in answer.errors:
        snapshot.errors[label] = answer.errors[label]
        return None
    return answer.results.get(label)


async def _all_rows(client: B24Client, snapshot: PortalSnapshot, answer: BatchResult, label: str,
                    command: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a list command, with the pages after the first (lists and drives come 50 a page)."""
    rows = _rows(_result(snapshot, answer, label))
    method, params = command
    following = answer.nexts.get(label)
    while following:
        page = await client.call(method, {**params, "start": following})
        rows.extend(_rows(page.result))
        following = page.next
    return rows


def _rows(result: Any) -> list[dict[str, Any]]:
    if isinstance(result, dict):  # PHP sends maps where lists are meant
        result = list(result.values())
    return [row for row in result or [] if isinstance(row, dict)]


def pipeline_from_wire(item: dict[str, Any]) -> Pipeline:
    return Pipeline(int(item["id"]), str(item.get("name") or ""), n.to_int(item.get("sort")) or 0,
                    n.to_bool(item.get("isDefault")))


def stages_from_wire(rows: Any) -> list[Stage]:
    return [stage.to_domain() for stage in stages_from_rows(_rows(rows))]


def userfield_from_wire(item: dict[str, Any]) -> RemoteUserField:
    items = tuple(Item(str(option.get("ID")), str(option.get("VALUE") or ""), str(option.get("XML_ID") or ""),
                       n.to_int(option.get("SORT")) or 0)
                  for option in _rows(item.get("LIST")))
    label = next((item[key] for key in ("EDIT_FORM_LABEL", "LIST_COLUMN_LABEL", "LIST_FILTER_LABEL")
                  if isinstance(item.get(key), str) and item[key]), "")
    return RemoteUserField(int(item["ID"]), str(item.get("FIELD_NAME") or ""), str(item.get("USER_TYPE_ID") or ""),
                           str(item.get("XML_ID") or ""), n.to_bool(item.get("MULTIPLE")), label,
                           item["SETTINGS"] if isinstance(item.get("SETTINGS"), dict) else {}, items)


def list_field_from_wire(item: dict[str, Any]) -> RemoteListField:
    display = item.get("DISPLAY_VALUES_FORM")
    values = tuple(Item(str(key), str(value)) for key, value in display.items()) if isinstance(display, dict) else ()
    settings = item.get("USER_TYPE_SETTINGS")
    return RemoteListField(str(item.get("FIELD_ID") or ""), str(item.get("CODE") or ""), str(item.get("NAME") or ""),
                           str(item.get("TYPE") or ""), n.to_bool(item.get("MULTIPLE")),
                           n.to_bool(item.get("IS_REQUIRED")), n.to_int(item.get("SORT")) or 0,
                           settings if isinstance(settings, dict) else {}, values)
