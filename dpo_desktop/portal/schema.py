"""The ДПО schema the app expects on a portal (DESIGN §2): what discovery looks for, what provisioning makes.

Every object is described once, with the Russian title provisioning gives it, the XML_ID or CODE it
is made with, and the other names an administrator may have used for it by hand. Logical names are
the ones of ``mapping.py``; enumeration values map onto the domain's values (``ProgrammeType``,
``Sex``, ``EducationLevel``, ``DocumentType``, ``CheckStatus``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.models import CheckStatus, DocumentType, EducationLevel, ProgrammeType, Sex
from .mapping import DOCUMENTS_CODE, PARTICIPANTS_CODE


@dataclass(frozen=True)
class EnumValue:
    """One value of an enumeration or list field: the logical value and how the portal may spell it."""

    logical: str
    title: str  # what provisioning writes
    xml_id: str = ""  # CRM enumeration items are made with it
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CrmFieldSpec:
    """A deal or contact user field."""

    logical: str
    title: str
    xml_id: str
    create_type: str  # USER_TYPE_ID provisioning uses
    accepts: tuple[str, ...]  # USER_TYPE_IDs the app can work with
    labels: tuple[str, ...] = ()
    values: tuple[EnumValue, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def field_name(self) -> str:
        """The code provisioning creates (the portal prefixes ``UF_CRM_`` to ``FIELD_NAME``)."""
        return f"UF_CRM_{self.xml_id}"


@dataclass(frozen=True)
class ListFieldSpec:
    """A property of a universal list."""

    logical: str
    title: str
    code: str
    create_type: str
    accepts: tuple[str, ...]
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # other CODEs seen on portals set up by hand
    values: tuple[EnumValue, ...] = ()
    closed: bool = False  # the values stand for a domain enum: each one must be on the portal
    link: str | None = None  # S:ECrm: "DEAL" or "CONTACT"
    required: bool = False


@dataclass(frozen=True)
class ListSpec:
    key: str  # "participants" or "documents": the PortalMapping attribute
    code: str
    title: str
    names: tuple[str, ...]
    description: str
    fields: tuple[ListFieldSpec, ...]


@dataclass(frozen=True)
class StageSpec:
    logical: str
    title: str
    color: str
    semantics: str  # process, success, failure
    suffix: str  # STATUS_ID suffix for a stage provisioning has to add


TEXT, DATE = ("string",), ("date", "datetime")

PROGRAMME_TYPES = (
    EnumValue(ProgrammeType.PK.value, "ПК", "PK", ("Повышение квалификации",)),
    EnumValue(ProgrammeType.PP.value, "ПП", "PP", ("Профессиональная переподготовка", "Переподготовка")),
)
SEXES = (
    EnumValue(Sex.MALE.value, "Муж", "M", ("Мужской", "М", "Male")),
    EnumValue(Sex.FEMALE.value, "Жен", "F", ("Женский", "Ж", "Female")),
)
EDUCATION_LEVELS = (
    EnumValue(EducationLevel.HIGHER.value, "ВО", "VO", ("Высшее образование", "Высшее")),
    EnumValue(EducationLevel.VOCATIONAL.value, "СПО", "SPO",
              ("Среднее профессиональное образование", "Среднее профессиональное")),
    EnumValue(EducationLevel.STUDENT.value, "Справка", "STUDENT", ("Обучающийся", "Студент", "Справка об обучении")),
)

DEAL_FIELDS = (
    CrmFieldSpec("partner_code", "Код партнёра", "DPO_PARTNER_CODE", "string", TEXT, ("Партнёрский код",)),
    CrmFieldSpec("client_contact", "Ответственный со стороны клиента", "DPO_CLIENT_CONTACT", "crm", ("crm",),
                 ("Ответственный от клиента", "Контактное лицо клиента", "Ответственное лицо клиента"),
                 settings={"LEAD": "N", "CONTACT": "Y", "COMPANY": "N", "DEAL": "N"}),
    CrmFieldSpec("event_name", "Название мероприятия", "DPO_EVENT_NAME", "string", TEXT,
                 ("Наименование мероприятия", "Мероприятие")),
    CrmFieldSpec("event_code", "Код мероприятия", "DPO_EVENT_CODE", "string", TEXT),
    CrmFieldSpec("programme_type", "Тип программы", "DPO_PROGRAMME_TYPE", "enumeration", ("enumeration",),
                 ("Вид программы", "Тип программы ДПО"), PROGRAMME_TYPES),
    CrmFieldSpec("hours", "Количество часов", "DPO_HOURS", "integer", ("integer", "double"),
                 ("Кол-во часов", "Объём часов", "Объём программы часов", "Часы", "Срок обучения часов")),
    CrmFieldSpec("start_date", "Дата начала обучения", "DPO_START_DATE", "date", DATE,
                 ("Дата начала", "Начало обучения")),
    CrmFieldSpec("end_date", "Дата окончания обучения", "DPO_END_DATE", "date", DATE,
                 ("Дата окончания", "Окончание обучения")),
    # The programme's data for ФИС ФРДО as one JSON text (``domain.frdo``), edited by the app.
    CrmFieldSpec("frdo", "Данные ФИС ФРДО", "DPO_FRDO", "string", TEXT, ("Данные для ФИС ФРДО", "ФИС ФРДО")),
)

CONTACT_FIELDS = (
    CrmFieldSpec("snils", "СНИЛС", "DPO_SNILS", "string", TEXT, ("Номер СНИЛС",)),
    CrmFieldSpec("passport_series", "Серия паспорта", "DPO_PASSPORT_SERIES", "string", TEXT),
    CrmFieldSpec("passport_number", "Номер паспорта", "DPO_PASSPORT_NUMBER", "string", TEXT),
    CrmFieldSpec("sex", "Пол", "DPO_SEX", "enumeration", ("enumeration",), (), SEXES),
    CrmFieldSpec("citizenship", "Гражданство (код ОКСМ)", "DPO_CITIZENSHIP", "string", TEXT,
                 ("Гражданство", "Код ОКСМ", "Гражданство ОКСМ")),
    CrmFieldSpec("education_level", "Уровень образования", "DPO_EDUCATION_LEVEL", "enumeration", ("enumeration",),
                 ("Образование",), EDUCATION_LEVELS),
    CrmFieldSpec("diploma_surname", "Фамилия в дипломе", "DPO_DIPLOMA_SURNAME", "string", TEXT,
                 ("Фамилия, указанная в дипломе", "Фамилия по диплому")),
    CrmFieldSpec("diploma_series", "Серия диплома", "DPO_DIPLOMA_SERIES", "string", TEXT),
    CrmFieldSpec("diploma_number", "Номер диплома", "DPO_DIPLOMA_NUMBER", "string", TEXT),
)


def _free(*titles: str) -> tuple[EnumValue, ...]:
    """Values that are their own meaning (participant statuses, kinds of issued documents)."""
    return tuple(EnumValue(title, title) for title in titles)


_DOCUMENT_TYPE_SYNONYMS = {
    DocumentType.DIPLOMA: ("Диплом об образовании", "Документ об образовании"),
    DocumentType.CONSENT: ("Согласие на обработку персональных данных", "Согласие на обработку ПДн", "Согласие"),
    DocumentType.NAME_CHANGE: ("Документ о смене ФИО", "Свидетельство о браке"),
    DocumentType.STUDY_CERTIFICATE: ("Справка с места учёбы",),
    DocumentType.OTHER: ("Прочее",),
}
DOCUMENT_TYPE_VALUES = tuple(
    EnumValue(doc_type.value, doc_type.title, synonyms=_DOCUMENT_TYPE_SYNONYMS.get(doc_type, ()))
    for doc_type in DocumentType
)
CHECK_STATUS_VALUES = tuple(EnumValue(status.value, status.title) for status in CheckStatus)

S, DATES, ECRM = ("S",), ("S:Date", "S:DateTime"), ("S:ECrm",)
DEAL_LINK = ListFieldSpec("deal", "Сделка", "DEAL", "S:ECrm", ECRM, ("Сделка ДПО",), ("DEAL_LINK", "DEAL_ID"),
                          link="DEAL", required=True)
CONTACT_LINK = ListFieldSpec("contact", "Участник", "CONTACT", "S:ECrm", ECRM, ("Контакт", "Слушатель"),
                             ("CONTACT_LINK", "CONTACT_ID"), link="CONTACT", required=True)

PARTICIPANTS = ListSpec("participants", PARTICIPANTS_CODE, "Участники", ("Участники ДПО", "Участники мероприятий"),
                        "Участники мероприятий ДПО по сделкам", (
    DEAL_LINK,
    CONTACT_LINK,
    ListFieldSpec("status", "Статус участника", "STATUS", "L", ("L",), ("Статус",),
                  values=_free("Заявка", "Зачислен", "Обучение завершено", "Отчислен")),
    ListFieldSpec("issued_kind", "Вид выданного документа", "ISSUED_KIND", "L", ("L",), ("Выданный документ",),
                  values=_free("Удостоверение о повышении квалификации", "Диплом о профессиональной переподготовке",
                               "Справка об обучении")),
    ListFieldSpec("issued_series", "Серия документа", "ISSUED_SERIES", "S", S, ("Серия выданного документа",)),
    ListFieldSpec("issued_number", "Номер документа", "ISSUED_NUMBER", "S", S, ("Номер выданного документа",)),
    ListFieldSpec("issued_reg_number", "Регистрационный номер", "ISSUED_REG_NUMBER", "S", S,
                  ("Рег. номер", "Регистрационный номер документа")),
    ListFieldSpec("issued_date", "Дата выдачи", "ISSUED_DATE", "S:Date", DATES, ("Дата выдачи документа",)),
    ListFieldSpec("frdo", "Данные ФИС ФРДО", "FRDO", "S", S, ("Данные для ФИС ФРДО", "ФИС ФРДО")),
))

DOCUMENTS = ListSpec("documents", DOCUMENTS_CODE, "Документы участника", ("Документы участников", "Документы ДПО"),
                     "Сканы документов участников ДПО", (
    DEAL_LINK,
    CONTACT_LINK,
    ListFieldSpec("type", "Тип документа", "DOC_TYPE", "L", ("L",), ("Вид документа",), ("TYPE", "DOCUMENT_TYPE"),
                  DOCUMENT_TYPE_VALUES, closed=True, required=True),
    ListFieldSpec("file", "Файл", "FILE", "S:DiskFile", ("S:DiskFile", "F"), ("Скан", "Скан документа")),
    ListFieldSpec("sha256", "SHA-256", "SHA256", "S", S, ("Контрольная сумма",)),
    ListFieldSpec("original_name", "Исходное имя файла", "ORIGINAL_NAME", "S", S, ("Имя файла",)),
    ListFieldSpec("received", "Дата получения", "RECEIVED_DATE", "S:Date", DATES, (), ("RECEIVED",)),
    ListFieldSpec("check_status", "Статус проверки", "CHECK_STATUS", "L", ("L",), ("Статус",),
                  values=CHECK_STATUS_VALUES, closed=True),
    ListFieldSpec("comment", "Комментарий", "COMMENT", "S", ("S", "S:HTML"), ("Примечание",)),
))

LISTS = (PARTICIPANTS, DOCUMENTS)

STAGES = (
    StageSpec("application", "Заявка", "#39A8EF", "process", "DPO_APPLICATION"),
    StageSpec("documents", "Сбор документов", "#2FC6F6", "process", "DPO_DOCUMENTS"),
    StageSpec("training", "Обучение", "#47E4C2", "process", "DPO_TRAINING"),
    StageSpec("assessment", "Итоговая аттестация", "#FFA900", "process", "DPO_ASSESSMENT"),
    StageSpec("issued", "Документы выданы", "#7BD500", "success", "WON"),
    StageSpec("refused", "Отказ", "#FF5752", "failure", "DPO_REFUSED"),
)

# How this module's types read in a user-facing sentence.
TYPE_TITLES = {
    "string": "строка", "integer": "целое число", "double": "число", "date": "дата", "datetime": "дата и время",
    "enumeration": "список", "crm": "привязка к CRM", "S": "строка", "L": "список", "S:Date": "дата",
    "S:DateTime": "дата и время", "S:ECrm": "привязка к CRM", "S:DiskFile": "файл (Диск)", "F": "файл",
    "S:HTML": "HTML/текст", "N": "число",
}


def type_title(kind: str) -> str:
    return TYPE_TITLES.get(kind, kind)
