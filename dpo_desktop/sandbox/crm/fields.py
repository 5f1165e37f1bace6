"""Field descriptions of the legacy CRM entities, and how values are written to and read from them.

Legacy CRM methods keep almost everything as strings on the wire (``"ID": "410"``,
``"OPPORTUNITY": "1000000.00"``), flags as ``"Y"``/``"N"``, datetimes as ISO-8601 with the server's
offset and dates as a datetime at midnight UTC in that offset. Records are stored in that wire form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..compare import DATE, DATETIME, FLOAT, INT, TEXT, to_number

if TYPE_CHECKING:
    from ..timefmt import PortalClock


@dataclass(frozen=True, slots=True)
class FieldDef:
    code: str
    type: str
    title: str
    required: bool = False
    read_only: bool = False
    immutable: bool = False
    multiple: bool = False
    status_type: str | None = None

    def describe(self) -> dict[str, Any]:
        """The entry of ``crm.*.fields`` for this field."""
        description: dict[str, Any] = {
            "type": self.type,
            "isRequired": self.required,
            "isReadOnly": self.read_only,
            "isImmutable": self.immutable,
            "isMultiple": self.multiple,
            "isDynamic": False,
        }
        if self.status_type:
            description["statusType"] = self.status_type
        description["title"] = self.title
        return description


def _f(code: str, kind: str, title: str, **flags: Any) -> FieldDef:
    return FieldDef(code, kind, title, **flags)


_UTM = tuple(_f(f"UTM_{name}", "string", f"UTM_{name}") for name in ("SOURCE", "MEDIUM", "CAMPAIGN", "CONTENT", "TERM"))

DEAL_FIELDS: tuple[FieldDef, ...] = (
    _f("ID", "integer", "ID", read_only=True),
    _f("TITLE", "string", "Название"),
    _f("TYPE_ID", "crm_status", "Тип", status_type="DEAL_TYPE"),
    _f("CATEGORY_ID", "crm_category", "Воронка", immutable=True),
    _f("STAGE_ID", "crm_status", "Стадия сделки", status_type="DEAL_STAGE"),
    _f("STAGE_SEMANTIC_ID", "string", "Группа стадии", read_only=True),
    _f("IS_NEW", "char", "Новая сделка", read_only=True),
    _f("IS_RECURRING", "char", "Регулярная сделка"),
    _f("IS_RETURN_CUSTOMER", "char", "Повторная сделка", read_only=True),
    _f("IS_REPEATED_APPROACH", "char", "Повторное обращение", read_only=True),
    _f("PROBABILITY", "integer", "Вероятность"),
    _f("CURRENCY_ID", "crm_currency", "Валюта"),
    _f("OPPORTUNITY", "double", "Сумма"),
    _f("IS_MANUAL_OPPORTUNITY", "char", "IS_MANUAL_OPPORTUNITY"),
    _f("TAX_VALUE", "double", "Ставка налога"),
    _f("COMPANY_ID", "crm_company", "Компания"),
    _f("CONTACT_ID", "crm_contact", "Контакт"),
    _f("CONTACT_IDS", "crm_contact", "Контакты", multiple=True),
    _f("QUOTE_ID", "crm_quote", "Предложение", read_only=True),
    _f("BEGINDATE", "date", "Дата начала"),
    _f("CLOSEDATE", "date", "Предполагаемая дата закрытия"),
    _f("OPENED", "char", "Доступна для всех"),
    _f("CLOSED", "char", "Сделка закрыта"),
    _f("COMMENTS", "string", "Комментарий"),
    _f("ASSIGNED_BY_ID", "user", "Ответственный"),
    _f("CREATED_BY_ID", "user", "Кем создана", read_only=True),
    _f("MODIFY_BY_ID", "user", "Кем изменена", read_only=True),
    _f("MOVED_BY_ID", "user", "Кем перемещена", read_only=True),
    _f("DATE_CREATE", "datetime", "Дата создания", read_only=True),
    _f("DATE_MODIFY", "datetime", "Дата изменения", read_only=True),
    _f("MOVED_TIME", "datetime", "Дата перемещения", read_only=True),
    _f("SOURCE_ID", "crm_status", "Источник", status_type="SOURCE"),
    _f("SOURCE_DESCRIPTION", "string", "Дополнительно об источнике"),
    _f("LEAD_ID", "crm_lead", "Лид", read_only=True),
    _f("ADDITIONAL_INFO", "string", "Дополнительная информация"),
    _f("LOCATION_ID", "location", "Местоположение"),
    _f("ORIGINATOR_ID", "string", "Внешний источник"),
    _f("ORIGIN_ID", "string", "Идентификатор элемента во внешнем источнике"),
    *_UTM,
    _f("LAST_ACTIVITY_TIME", "datetime", "Последняя активность", read_only=True),
    _f("LAST_ACTIVITY_BY", "user", "Автор последней активности", read_only=True),
)

MULTIFIELDS = ("PHONE", "EMAIL", "WEB", "IM", "LINK")
MULTIFIELD_TYPES = {
    "PHONE": ("WORK", "MOBILE", "FAX", "HOME", "PAGER", "MAILING", "OTHER"),
    "EMAIL": ("WORK", "HOME", "MAILING", "OTHER"),
    "WEB": ("WORK", "HOME", "FACEBOOK", "VK", "LIVEJOURNAL", "TWITTER", "OTHER"),
    "IM": ("TELEGRAM", "VK", "SKYPE", "VIBER", "WHATSAPP", "IMOL", "OTHER"),
    "LINK": ("USER",),
}
_MULTI = tuple(_f(code, "crm_multifield", title, multiple=True)
               for code, title in zip(MULTIFIELDS, ("Телефон", "E-mail", "Сайт", "Мессенджер", "LINK"), strict=True))

CONTACT_FIELDS: tuple[FieldDef, ...] = (
    _f("ID", "integer", "ID", read_only=True),
    _f("HONORIFIC", "crm_status", "Обращение", status_type="HONORIFIC"),
    _f("NAME", "string", "Имя"),
    _f("SECOND_NAME", "string", "Отчество"),
    _f("LAST_NAME", "string", "Фамилия"),
    _f("PHOTO", "file", "Фотография"),
    _f("BIRTHDATE", "date", "Дата рождения"),
    _f("TYPE_ID", "crm_status", "Тип контакта", status_type="CONTACT_TYPE"),
    _f("SOURCE_ID", "crm_status", "Источник", status_type="SOURCE"),
    _f("SOURCE_DESCRIPTION", "string", "Дополнительно об источнике"),
    _f("POST", "string", "Должность"),
    _f("COMMENTS", "string", "Комментарий"),
    _f("OPENED", "char", "Доступен для всех"),
    _f("EXPORT", "char", "Участвует в экспорте контактов"),
    _f("HAS_PHONE", "char", "Задан телефон", read_only=True),
    _f("HAS_EMAIL", "char", "Задан e-mail", read_only=True),
    _f("HAS_IMOL", "char", "Задана открытая линия", read_only=True),
    _f("ASSIGNED_BY_ID", "user", "Ответственный"),
    _f("CREATED_BY_ID", "user", "Кем создан", read_only=True),
    _f("MODIFY_BY_ID", "user", "Кем изменен", read_only=True),
    _f("DATE_CREATE", "datetime", "Дата создания", read_only=True),
    _f("DATE_MODIFY", "datetime", "Дата изменения", read_only=True),
    _f("COMPANY_ID", "crm_company", "Компания"),
    _f("COMPANY_IDS", "crm_company", "Компании", multiple=True),
    _f("LEAD_ID", "crm_lead", "Лид", read_only=True),
    _f("ORIGINATOR_ID", "string", "Внешний источник"),
    _f("ORIGIN_ID", "string", "Идентификатор элемента во внешнем источнике"),
    _f("ORIGIN_VERSION", "string", "Версия оригинала"),
    *_UTM,
    _f("LAST_ACTIVITY_TIME", "datetime", "Последняя активность", read_only=True),
    _f("LAST_ACTIVITY_BY", "user", "Автор последней активности", read_only=True),
    *_MULTI,
)

COMPANY_FIELDS: tuple[FieldDef, ...] = (
    _f("ID", "integer", "ID", read_only=True),
    _f("TITLE", "string", "Название компании", required=True),
    _f("COMPANY_TYPE", "crm_status", "Тип компании", status_type="COMPANY_TYPE"),
    _f("LOGO", "file", "Логотип"),
    _f("INDUSTRY", "crm_status", "Сфера деятельности", status_type="INDUSTRY"),
    _f("EMPLOYEES", "crm_status", "Кол-во сотрудников", status_type="EMPLOYEES"),
    _f("CURRENCY_ID", "crm_currency", "Валюта"),
    _f("REVENUE", "double", "Годовой оборот"),
    _f("OPENED", "char", "Доступна для всех"),
    _f("COMMENTS", "string", "Комментарий"),
    _f("HAS_PHONE", "char", "Задан телефон", read_only=True),
    _f("HAS_EMAIL", "char", "Задан e-mail", read_only=True),
    _f("HAS_IMOL", "char", "Задана открытая линия", read_only=True),
    _f("IS_MY_COMPANY", "char", "Моя компания"),
    _f("ASSIGNED_BY_ID", "user", "Ответственный"),
    _f("CREATED_BY_ID", "user", "Кем создана", read_only=True),
    _f("MODIFY_BY_ID", "user", "Кем изменена", read_only=True),
    _f("DATE_CREATE", "datetime", "Дата создания", read_only=True),
    _f("DATE_MODIFY", "datetime", "Дата изменения", read_only=True),
    _f("CONTACT_ID", "crm_contact", "Контакты", multiple=True),
    _f("LEAD_ID", "crm_lead", "Лид", read_only=True),
    _f("ORIGINATOR_ID", "string", "Внешний источник"),
    _f("ORIGIN_ID", "string", "Идентификатор элемента во внешнем источнике"),
    *_UTM,
    *_MULTI,
)

# Comparison kind of each CRM field type, for filters and ordering.
_KIND_OF_TYPE = {
    "integer": INT, "user": INT, "employee": INT, "crm_company": INT, "crm_contact": INT, "crm_lead": INT,
    "crm_quote": INT, "crm_category": INT, "double": FLOAT, "money": TEXT, "datetime": DATETIME, "date": DATE,
}


def comparison_kind(field_type: str) -> str:
    return _KIND_OF_TYPE.get(field_type, TEXT)


def yes_no(value: Any) -> str:
    """A Y/N flag as the portal reads it. (unconfirmed) Only ``Y``, ``1`` and JSON ``true`` mean yes:
    the string ``"True"`` that fast_bitrix24 puts in batch commands does not (reference §2, §16.7)."""
    if isinstance(value, str):
        return "Y" if value.strip().upper() in ("Y", "1") else "N"
    return "Y" if value is True or (type(value) is int and value == 1) else "N"


def blank(field_type: str) -> Any:
    """An empty standard field as legacy methods return it: ``""`` for dates and datetimes (a captured
    lead has ``"BIRTHDATE": ""`` and ``"DATE_CLOSED": ""``), ``null`` for everything else."""
    return "" if field_type in ("date", "datetime") else None


def to_wire(field_type: str, value: Any, clock: PortalClock) -> Any:
    """Coerce an input value to how the portal stores and returns it. None clears the field."""
    if value is None or (isinstance(value, str) and value.strip() == "" and field_type != "string"):
        return None
    if isinstance(value, (dict, list)):
        return None  # an array where a scalar belongs: the portal keeps nothing
    if field_type in ("integer", "user", "employee", "crm_company", "crm_contact", "crm_lead", "crm_quote",
                      "crm_category"):
        number = to_number(str(value).strip())
        return None if number is None else str(int(number))
    if field_type == "double":
        number = to_number(str(value).strip().replace(",", "."))
        return None if number is None else f"{number:.2f}"
    if field_type == "char":
        return yes_no(value)
    if field_type == "boolean":
        return "1" if yes_no(value) == "Y" else "0"
    if field_type == "date":
        day = clock.read_date(value)
        return clock.iso_date(day) if day else None
    if field_type == "datetime":
        moment = clock.read_moment(str(value))
        return clock.iso(moment) if moment is not None else None
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)
