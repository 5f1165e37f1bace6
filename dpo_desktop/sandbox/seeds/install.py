"""Install the ДПО schema (``schema.py``) on a portal state, as the office's administrator did."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..crm.state import stage_entity
from . import schema
from .schema import DpoSchema

if TYPE_CHECKING:
    from ..state import PortalState
    from .clock import SeedClock

# Stages of a new pipeline that the office deleted when it set the ДПО pipeline up.
_DROPPED_STAGES = ("PREPAYMENT_INVOICE", "FINAL_INVOICE", "APOLOGY")
# Gaps in the pipeline IDs, as on a portal where pipelines were added and removed over the years.
_SALES_CATEGORY_AFTER, _DPO_CATEGORY_AFTER = 4, 6


def install(state: PortalState, *, admin_id: int, clock: SeedClock | None = None) -> DpoSchema:
    """Pipelines, stages, deal and contact fields, both lists and the archive folder on the drive.

    With a seed ``clock``, the deal fields are made on DEAL_FIELDS_CREATED and the rest on
    CONTACT_FIELDS_CREATED, as the office set its portal up in two goes.
    """
    result = DpoSchema()
    if clock is not None:
        clock.at_least(schema.DEAL_FIELDS_CREATED)
    install_pipelines(state, result)
    install_userfields(state, result, "CRM_DEAL")
    if clock is not None:
        clock.at_least(schema.CONTACT_FIELDS_CREATED)
    install_userfields(state, result, "CRM_CONTACT")
    install_lists(state, result, admin_id=admin_id)
    result.archive_folder = install_archive(state, admin_id=admin_id)
    return result


def install_pipelines(state: PortalState, result: DpoSchema) -> None:
    crm = state.crm
    state.bump_counter("crm.category", _SALES_CATEGORY_AFTER)
    result.sales_category_id = crm.add_category(schema.SALES_PIPELINE_NAME, 200)
    result.sales_stages = [stage["STATUS_ID"] for stage in crm.stages(result.sales_category_id)]
    state.bump_counter("crm.category", _DPO_CATEGORY_AFTER)
    result.category_id = crm.add_category(schema.PIPELINE_NAME, 300)
    entity = stage_entity(result.category_id)
    prefix = f"C{result.category_id}:"
    by_status = {record["STATUS_ID"]: record_id for record_id, record in crm.statuses.items()
                 if record["ENTITY_ID"] == entity}
    for suffix in _DROPPED_STAGES:
        crm.delete_status(by_status[prefix + suffix])
    for logical, (suffix, name, color, semantics) in schema.STAGES.items():
        status_id = prefix + suffix
        if status_id in by_status:
            crm.update_status(by_status[status_id], name=name, color=color)
        else:
            crm.add_status(entity, suffix, name, 50, color=color, semantics=semantics)
        result.stages[logical] = status_id


def install_userfields(state: PortalState, result: DpoSchema, entity: str) -> None:
    groups = {"CRM_DEAL": (schema.DEAL_FIELDS, schema.DEAL_FIELDS_CREATED, result.deal_fields, False),
              "CRM_CONTACT": (schema.CONTACT_FIELDS, schema.CONTACT_FIELDS_CREATED, result.contact_fields, True)}
    definitions, created, names, millis = groups[entity]
    for index, (logical, (user_type, label, xml_id, extra)) in enumerate(definitions.items()):
        name = _field_name(created, index, millis)
        raw: dict[str, Any] = {
            "FIELD_NAME": name, "USER_TYPE_ID": user_type, "XML_ID": xml_id, "SORT": 100 + index * 10,
            "MULTIPLE": "N", "MANDATORY": "N", "SHOW_FILTER": "E", "EDIT_IN_LIST": "Y",
            # A Russian administrator fills the Russian labels only.
            "EDIT_FORM_LABEL": {"ru": label}, "LIST_COLUMN_LABEL": {"ru": label},
            "LIST_FILTER_LABEL": {"ru": label},
        }
        if user_type == "enumeration":
            raw["LIST"] = [{"VALUE": value, "SORT": (position + 1) * 10, "DEF": "N",
                            "XML_ID": schema.ENUM_XML_IDS[value]} for position, value in enumerate(extra)]
            raw["SETTINGS"] = {"DISPLAY": "LIST", "LIST_HEIGHT": 1}
        elif isinstance(extra, dict):
            raw["SETTINGS"] = dict(extra)
        uf = state.crm.add_userfield(entity, raw)
        names[logical] = uf.field_name
        if uf.items:
            result.enum_items[logical] = {item["VALUE"]: item["ID"] for item in uf.items}


def _field_name(created: datetime, index: int, millis: bool) -> str:
    # Older portals name fields after the second, newer ones after the millisecond.
    if millis:
        return f"UF_CRM_{int(created.timestamp() * 1000) + index * 41_117}"
    return schema.generated_field_name(created, index)


def install_lists(state: PortalState, result: DpoSchema, *, admin_id: int) -> None:
    lists = state.lists
    crm_link = {"VISIBLE": "Y", "LEAD": "N", "COMPANY": "N"}
    participants = lists.add_list(schema.PARTICIPANTS_CODE, "Участники", user_id=admin_id, sort=100,
                                  description="Участники мероприятий ДПО по сделкам")
    participant_fields = (
        ("DEAL", "Сделка", "S:ECrm", {**crm_link, "DEAL": "Y", "CONTACT": "N"}, True),
        ("CONTACT", "Участник", "S:ECrm", {**crm_link, "DEAL": "N", "CONTACT": "Y"}, True),
        ("STATUS", "Статус участника", "L", schema.PARTICIPANT_STATUSES, False),
        ("ISSUED_KIND", "Вид выданного документа", "L", schema.ISSUED_KINDS, False),
        ("ISSUED_SERIES", "Серия документа", "S", None, False),
        ("ISSUED_NUMBER", "Номер документа", "S", None, False),
        ("ISSUED_REG_NUMBER", "Регистрационный номер", "S", None, False),
        ("ISSUED_DATE", "Дата выдачи", "S:Date", None, False),
        ("FRDO", "Данные ФИС ФРДО", "S", None, False),
    )
    result.participants_list = participants
    result.participant_fields, result.participant_enums = _add_fields(state, participants, participant_fields)

    documents = lists.add_list(schema.DOCUMENTS_CODE, "Документы участника", user_id=admin_id, sort=110,
                               description="Сканы документов участников ДПО")
    document_fields = (
        ("DEAL", "Сделка", "S:ECrm", {**crm_link, "DEAL": "Y", "CONTACT": "N"}, True),
        ("CONTACT", "Участник", "S:ECrm", {**crm_link, "DEAL": "N", "CONTACT": "Y"}, True),
        ("DOC_TYPE", "Тип документа", "L", tuple(schema.DOCUMENT_TYPES.values()), True),
        ("FILE", "Файл", "S:DiskFile", None, False),
        ("SHA256", "SHA-256", "S", None, False),
        ("ORIGINAL_NAME", "Исходное имя файла", "S", None, False),
        ("RECEIVED_DATE", "Дата получения", "S:Date", None, False),
        ("CHECK_STATUS", "Статус проверки", "L", schema.CHECK_STATUSES, False),
        ("COMMENT", "Комментарий", "S", None, False),
    )
    result.documents_list = documents
    result.document_fields, result.document_enums = _add_fields(state, documents, document_fields)


def _add_fields(state: PortalState, iblock_id: int, definitions: tuple) -> tuple[dict[str, str], dict[str, dict]]:
    """Add list fields; (field code -> PROPERTY_n, field code -> value -> enum ID for L fields)."""
    codes: dict[str, str] = {}
    enums: dict[str, dict[str, str]] = {}
    for position, (code, name, kind, extra, required) in enumerate(definitions, start=1):
        fields: dict[str, Any] = {"NAME": name, "TYPE": kind, "CODE": code, "SORT": position * 10,
                                  "IS_REQUIRED": "Y" if required else "N", "MULTIPLE": "N"}
        if kind == "L":
            fields["LIST"] = {f"n{index}": {"VALUE": value, "SORT": (index + 1) * 10, "DEF": "N"}
                              for index, value in enumerate(extra)}
        elif isinstance(extra, dict):
            fields["USER_TYPE_SETTINGS"] = dict(extra)
        field_id = state.lists.add_field(iblock_id, fields)
        codes[code] = field_id
        if kind == "L":
            enums[code] = state.lists.enum_ids(iblock_id, field_id)
    return codes, enums


def install_archive(state: PortalState, *, admin_id: int) -> int:
    disk = state.disk
    return disk.add_folder(disk.root_folder(disk.common_storage_id()), schema.ARCHIVE_FOLDER, user_id=admin_id)
