"""The ДПО schema as an office's portal has it (DESIGN §2), installed the way an administrator would.

Field names are what the portal generated (``UF_CRM_1724077760``), so nothing can rely on them: the
app finds each field by its XML_ID or its label, lists by their codes, list fields by their codes,
the pipeline by its name. :class:`DpoSchema` records what was made, for the seeds that fill it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

PIPELINE_NAME = "ДПО"
SALES_PIPELINE_NAME = "Продажи"
PARTICIPANTS_CODE = "dpo_participants"
DOCUMENTS_CODE = "dpo_documents"
ARCHIVE_FOLDER = "ДПО"

# Logical stage -> (status suffix, name, colour, semantics). Suffixes kept from the default pipeline
# were renamed in the portal's settings; the custom one looks like what the portal generates.
STAGES = {
    "application": ("NEW", "Заявка", "#39A8EF", None),
    "documents": ("PREPARATION", "Сбор документов", "#2FC6F6", None),
    "training": ("EXECUTING", "Обучение", "#47E4C2", None),
    "assessment": ("UC_7Q2M4X", "Итоговая аттестация", "#FFA900", None),
    "issued": ("WON", "Документы выданы", "#7BD500", "S"),
    "refused": ("LOSE", "Отказ", "#FF5752", "F"),
}

# Logical field -> (USER_TYPE_ID, Russian label, XML_ID, enumeration values or settings)
DEAL_FIELDS: dict[str, tuple[str, str, str, tuple[str, ...] | dict[str, str]]] = {
    "partner_code": ("string", "Код партнёра", "DPO_PARTNER_CODE", ()),
    "client_contact": ("crm", "Ответственный со стороны клиента", "DPO_CLIENT_CONTACT",
                       {"LEAD": "N", "CONTACT": "Y", "COMPANY": "N", "DEAL": "N"}),
    "event_name": ("string", "Название мероприятия", "DPO_EVENT_NAME", ()),
    "event_code": ("string", "Код мероприятия", "DPO_EVENT_CODE", ()),
    "programme_type": ("enumeration", "Тип программы", "DPO_PROGRAMME_TYPE", ("ПК", "ПП")),
    "hours": ("integer", "Количество часов", "DPO_HOURS", ()),
    "start_date": ("date", "Дата начала обучения", "DPO_START_DATE", ()),
    "end_date": ("date", "Дата окончания обучения", "DPO_END_DATE", ()),
    "frdo": ("string", "Данные ФИС ФРДО", "DPO_FRDO", ()),
}

# XML_IDs of enumeration values, so that code can find them whatever the labels say.
ENUM_XML_IDS = {"ПК": "PK", "ПП": "PP", "Муж": "M", "Жен": "F", "ВО": "VO", "СПО": "SPO", "Справка": "STUDENT"}

CONTACT_FIELDS: dict[str, tuple[str, str, str, tuple[str, ...] | dict[str, str]]] = {
    "snils": ("string", "СНИЛС", "DPO_SNILS", ()),
    "passport_series": ("string", "Серия паспорта", "DPO_PASSPORT_SERIES", ()),
    "passport_number": ("string", "Номер паспорта", "DPO_PASSPORT_NUMBER", ()),
    "sex": ("enumeration", "Пол", "DPO_SEX", ("Муж", "Жен")),
    "citizenship": ("string", "Гражданство (код ОКСМ)", "DPO_CITIZENSHIP", ()),
    "education_level": ("enumeration", "Уровень образования", "DPO_EDUCATION_LEVEL", ("ВО", "СПО", "Справка")),
    "diploma_surname": ("string", "Фамилия в дипломе", "DPO_DIPLOMA_SURNAME", ()),
    "diploma_series": ("string", "Серия диплома", "DPO_DIPLOMA_SERIES", ()),
    "diploma_number": ("string", "Номер диплома", "DPO_DIPLOMA_NUMBER", ()),
}

# The moments the office's administrator created the fields (they become the generated names).
DEAL_FIELDS_CREATED = datetime(2024, 8, 19, 14, 29, 20, tzinfo=UTC)
CONTACT_FIELDS_CREATED = datetime(2025, 2, 11, 9, 12, 5, tzinfo=UTC)

PARTICIPANT_STATUSES = ("Заявка", "Зачислен", "Обучение завершено", "Отчислен")
ISSUED_KINDS = ("Удостоверение о повышении квалификации", "Диплом о профессиональной переподготовке",
                "Справка об обучении")
# Document type code (as the CLI accepts it) -> the Russian name the list shows.
DOCUMENT_TYPES = {
    "diploma": "Диплом",
    "passport": "Паспорт",
    "snils": "СНИЛС",
    "consent": "Согласие на обработку ПД",
    "name_change": "Документ о смене фамилии",
    "application": "Заявление",
    "contract": "Договор",
    "study_certificate": "Справка об обучении",
    "other": "Другое",
}
RECEIVED, CHECKED, REJECTED = "Получен", "Проверен", "Отклонён"
CHECK_STATUSES = (RECEIVED, CHECKED, REJECTED)


@dataclass
class DpoSchema:
    """What the schema installed on one portal: IDs and generated names, by logical name."""

    category_id: int = 0
    sales_category_id: int = 0
    stages: dict[str, str] = field(default_factory=dict)  # logical stage -> STATUS_ID
    sales_stages: list[str] = field(default_factory=list)
    deal_fields: dict[str, str] = field(default_factory=dict)  # logical -> UF_CRM_…
    contact_fields: dict[str, str] = field(default_factory=dict)
    enum_items: dict[str, dict[str, str]] = field(default_factory=dict)  # logical field -> value -> item ID
    participants_list: int = 0
    documents_list: int = 0
    participant_fields: dict[str, str] = field(default_factory=dict)  # list field code -> PROPERTY_n
    document_fields: dict[str, str] = field(default_factory=dict)
    participant_enums: dict[str, dict[str, str]] = field(default_factory=dict)  # field code -> value -> enum ID
    document_enums: dict[str, dict[str, str]] = field(default_factory=dict)
    archive_folder: int = 0


def participant_code(deal_id: int, contact_id: int) -> str:
    return f"p-{deal_id}-{contact_id}"


def document_code(deal_id: int, contact_id: int, type_code: str, sha256: str) -> str:
    """Content hash + owner + type: the same scan filed twice for one participant is one element."""
    return f"d-{deal_id}-{contact_id}-{type_code}-{sha256[:16]}"


def generated_field_name(created: datetime, index: int) -> str:
    """``UF_CRM_`` and the creation time, as the portal names a field made in its settings."""
    return f"UF_CRM_{int(created.timestamp()) + index * 37}"

