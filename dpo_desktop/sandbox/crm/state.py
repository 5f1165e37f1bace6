"""State of the CRM family: deals, contacts, companies, pipelines and stages, user fields, bindings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .. import errors
from ..wire import as_list
from .entity import CrmEntity
from .fields import COMPANY_FIELDS, CONTACT_FIELDS, DEAL_FIELDS
from .userfields import UserField, UserFieldStore

if TYPE_CHECKING:
    from ..state import PortalState

# (status suffix, Russian name, colour, semantics: None in progress, "S" success, "F" failure)
DEFAULT_STAGES = (
    ("NEW", "Новая", "#39A8EF", None),
    ("PREPARATION", "Подготовка документов", "#2FC6F6", None),
    ("PREPAYMENT_INVOICE", "Счёт на предоплату", "#55D0E0", None),
    ("EXECUTING", "В работе", "#47E4C2", None),
    ("FINAL_INVOICE", "Финальный счёт", "#FFA900", None),
    ("WON", "Сделка успешна", "#7BD500", "S"),
    ("LOSE", "Сделка провалена", "#FF5752", "F"),
    ("APOLOGY", "Анализ причины провала", "#FF5752", "F"),
)

OTHER_STATUSES = {
    "DEAL_TYPE": (("SALE", "Продажа"), ("COMPLEX", "Комплексная продажа"), ("GOODS", "Продажа товара"),
                  ("SERVICES", "Продажа услуги"), ("SERVICE", "Сервисное обслуживание")),
    "SOURCE": (("CALL", "Звонок"), ("EMAIL", "Электронная почта"), ("WEB", "Веб-сайт"),
               ("ADVERTISING", "Реклама"), ("PARTNER", "Существующий клиент"), ("RECOMMENDATION", "По рекомендации"),
               ("TRADE_SHOW", "Выставка"), ("WEBFORM", "CRM-форма"), ("CALLBACK", "Обратный звонок"),
               ("OTHER", "Другое")),
    "CONTACT_TYPE": (("CLIENT", "Клиенты"), ("SUPPLIER", "Поставщики"), ("PARTNER", "Партнёры"), ("OTHER", "Другое")),
    "COMPANY_TYPE": (("CUSTOMER", "Клиент"), ("SUPPLIER", "Поставщик"), ("COMPETITOR", "Конкурент"),
                     ("PARTNER", "Партнёр"), ("OTHER", "Другое")),
    "HONORIFIC": (("HNR_RU_1", "г-н"), ("HNR_RU_2", "г-жа")),
}


def stage_entity(category_id: int) -> str:
    return "DEAL_STAGE" if category_id == 0 else f"DEAL_STAGE_{category_id}"


def stage_prefix(category_id: int) -> str:
    return "" if category_id == 0 else f"C{category_id}:"


def positive_ids(value: Any) -> list[int]:
    """The distinct positive integer IDs in a parameter (a list, a PHP array or one value), in order."""
    found: dict[int, None] = {}
    for item in as_list(value):
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            text = str(item).strip()
            if text.isascii() and text.isdigit() and int(text) > 0:
                found[int(text)] = None
    return list(found)


class Deals(CrmEntity):
    def defaults(self, record_id: int, user_id: int) -> dict[str, Any]:
        today = datetime.fromtimestamp(self.root.now(), self.root.clock.zone).date()
        clock = self.root.clock
        return {
            "TYPE_ID": "SALE", "CATEGORY_ID": "0", "STAGE_SEMANTIC_ID": "P", "IS_NEW": "Y", "IS_RECURRING": "N",
            "IS_RETURN_CUSTOMER": "N", "IS_REPEATED_APPROACH": "N", "CURRENCY_ID": "RUB", "OPPORTUNITY": "0.00",
            "IS_MANUAL_OPPORTUNITY": "N", "TAX_VALUE": "0.00", "COMPANY_ID": "0", "BEGINDATE": clock.iso_date(today),
            "CLOSEDATE": clock.iso_date(today + timedelta(days=7)), "OPENED": "Y", "CLOSED": "N",
            "ASSIGNED_BY_ID": str(user_id), "MOVED_BY_ID": str(user_id),
            "MOVED_TIME": clock.iso(self.root.now()),
        }

    def after_write(self, record: dict[str, Any], fields: dict[str, Any], previous: dict[str, Any] | None) -> None:
        crm = self.root.crm
        category = int(record.get("CATEGORY_ID") or 0)
        if category not in crm.categories:
            raise errors.crm_error("Category not found.")  # (unconfirmed) the wording
        record["CATEGORY_ID"] = str(category)
        stages = crm.stages(category)
        stage_ids = [stage["STATUS_ID"] for stage in stages]
        previous_stage = previous.get("STAGE_ID") if previous else None
        if record.get("STAGE_ID") not in stage_ids:
            # A stage of another pipeline is ignored without an error, as crm.deal.update does.
            record["STAGE_ID"] = previous_stage if previous_stage in stage_ids else stage_ids[0]
        stage = next(item for item in stages if item["STATUS_ID"] == record["STAGE_ID"])
        semantics = stage["SEMANTICS"] or "P"
        record["STAGE_SEMANTIC_ID"] = semantics
        record["CLOSED"] = "Y" if semantics in ("S", "F") else "N"
        record["IS_NEW"] = "Y" if record["STAGE_ID"] == stage_ids[0] else "N"
        if previous is not None and record["STAGE_ID"] != previous_stage:
            record["MOVED_TIME"] = self.root.clock.iso(self.root.now())
        if not (record.get("TITLE") or "").strip():
            record["TITLE"] = f"Сделка #{record['ID']}"
        self._bind_written_contacts(record, fields)

    def _bind_written_contacts(self, record: dict[str, Any], fields: dict[str, Any]) -> None:
        """``CONTACT_IDS`` (or the deprecated ``CONTACT_ID``) in deal fields replaces the deal's contact
        bindings; the first becomes primary. (unconfirmed) IDs of missing contacts are dropped."""
        upper = {str(key).upper(): value for key, value in fields.items()}
        if "CONTACT_IDS" in upper:
            wanted = positive_ids(upper["CONTACT_IDS"])
        elif "CONTACT_ID" in upper:
            wanted = positive_ids(upper["CONTACT_ID"])[:1]
        else:
            return
        crm = self.root.crm
        existing = [contact_id for contact_id in wanted if contact_id in crm.contacts.table]
        items = [{"CONTACT_ID": contact_id, "SORT": (position + 1) * 10, "ROLE_ID": 0, "IS_PRIMARY": "N"}
                 for position, contact_id in enumerate(existing)]
        crm.set_bindings(int(record["ID"]), items, deal=record)

    def delete(self, record_id: Any) -> None:
        record = self.get(record_id)
        super().delete(record_id)
        self.root.crm.deal_contacts.pop(int(record["ID"]), None)


    def move(self, deal_id: int, category_id: int, stage_id: str | None, user_id: int) -> None:
        """Put a deal into another pipeline (crm.item.update; legacy updates keep CATEGORY_ID), at
        ``stage_id`` or the pipeline's first stage, deriving the stage-dependent fields as any write does."""
        previous = self.get(deal_id)
        moved = {**previous, "CATEGORY_ID": str(category_id), "STAGE_ID": stage_id, "MOVED_BY_ID": str(user_id)}
        self.after_write(moved, {}, previous)
        self.table.insert(deal_id, moved)


class Contacts(CrmEntity):
    def defaults(self, record_id: int, user_id: int) -> dict[str, Any]:
        return {"TYPE_ID": "CLIENT", "OPENED": "Y", "EXPORT": "Y", "HAS_PHONE": "N", "HAS_EMAIL": "N",
                "HAS_IMOL": "N", "ASSIGNED_BY_ID": str(user_id), "COMPANY_IDS": []}

    def after_write(self, record: dict[str, Any], fields: dict[str, Any], previous: dict[str, Any] | None) -> None:
        record["HAS_PHONE"] = "Y" if record.get("PHONE") else "N"
        record["HAS_EMAIL"] = "Y" if record.get("EMAIL") else "N"
        upper = {str(key).upper(): value for key, value in fields.items()}
        if "COMPANY_IDS" in upper:
            companies = [str(company_id) for company_id in positive_ids(upper["COMPANY_IDS"])]
            record["COMPANY_IDS"] = companies
            record["COMPANY_ID"] = companies[0] if companies else None
        if previous is not None:
            return
        if not any((record.get(code) or "").strip() for code in ("NAME", "LAST_NAME", "SECOND_NAME")):
            record["NAME"] = "Без имени"  # (unconfirmed) what a Russian portal calls a nameless contact

    def delete(self, record_id: Any) -> None:
        record = self.get(record_id)
        super().delete(record_id)
        contact_id = int(record["ID"])
        crm = self.root.crm
        for deal_id, items in list(crm.deal_contacts.items()):
            if any(item["CONTACT_ID"] == contact_id for item in items):
                # The deal loses the link; a removed primary contact hands over to the next one.
                remaining = [dict(item) for item in items if item["CONTACT_ID"] != contact_id]
                crm.set_bindings(deal_id, sorted(remaining, key=lambda item: item["SORT"]))


class Companies(CrmEntity):
    def defaults(self, record_id: int, user_id: int) -> dict[str, Any]:
        return {"COMPANY_TYPE": "CUSTOMER", "CURRENCY_ID": "RUB", "REVENUE": "0.00", "OPENED": "Y",
                "IS_MY_COMPANY": "N", "HAS_PHONE": "N", "HAS_EMAIL": "N", "HAS_IMOL": "N",
                "ASSIGNED_BY_ID": str(user_id)}

    def after_write(self, record: dict[str, Any], fields: dict[str, Any], previous: dict[str, Any] | None) -> None:
        record["HAS_PHONE"] = "Y" if record.get("PHONE") else "N"
        record["HAS_EMAIL"] = "Y" if record.get("EMAIL") else "N"
        if not (record.get("TITLE") or "").strip():
            raise errors.crm_error("Не заполнено обязательное поле \"Название компании\".")


class CrmState:
    def __init__(self, root: PortalState) -> None:
        self.root = root
        self.userfields = UserFieldStore()
        self.categories: dict[int, dict[str, Any]] = {}
        self.statuses: dict[int, dict[str, Any]] = {}
        self.deal_contacts: dict[int, list[dict[str, Any]]] = {}
        self.deals = Deals(root, "deal", "CRM_DEAL", DEAL_FIELDS)
        self.contacts = Contacts(root, "contact", "CRM_CONTACT", CONTACT_FIELDS)
        self.companies = Companies(root, "company", "CRM_COMPANY", COMPANY_FIELDS)
        self._add_category_record(0, "Общая", 100)
        for entity_id, items in OTHER_STATUSES.items():
            for position, (status_id, name) in enumerate(items, start=1):
                self.add_status(entity_id, status_id, name, position * 10, system=True)

    def add_userfield(self, uf_entity: str, raw: dict[str, Any]) -> UserField:
        """Create a user field (the fields of ``crm.*.userfield.add``) and make it filterable."""
        uf = self.userfields.add(uf_entity, raw)
        self.entity_by_uf(uf_entity).register_userfield(uf)
        return uf

    def entity_by_uf(self, uf_entity: str) -> CrmEntity:
        return {"CRM_DEAL": self.deals, "CRM_CONTACT": self.contacts, "CRM_COMPANY": self.companies}[uf_entity]

    # -- pipelines and stages ---------------------------------------------------------------------

    def add_category(self, name: str, sort: int = 500) -> int:
        category_id = self.root.next_id("crm.category")
        self._add_category_record(category_id, name, sort)
        return category_id

    def _add_category_record(self, category_id: int, name: str, sort: int) -> None:
        self.categories[category_id] = {"id": category_id, "name": name, "sort": sort,
                                        "created": self.root.now()}
        for position, (suffix, title, color, semantics) in enumerate(DEFAULT_STAGES, start=1):
            self.add_status(stage_entity(category_id), suffix, title, position * 10, color=color,
                            semantics=semantics, system=suffix in ("NEW", "WON", "LOSE"), category_id=category_id)

    def add_status(
        self,
        entity_id: str,
        status_id: str,
        name: str,
        sort: int,
        *,
        color: str | None = None,
        semantics: str | None = None,
        system: bool = False,
        category_id: int | None = None,
    ) -> dict[str, Any]:
        if entity_id.startswith("DEAL_STAGE"):
            category_id = int(entity_id.rpartition("_")[2]) if entity_id != "DEAL_STAGE" else 0
            prefix = stage_prefix(category_id)
            if prefix and not status_id.startswith(prefix):
                status_id = prefix + status_id
        if any(item["ENTITY_ID"] == entity_id and item["STATUS_ID"] == status_id for item in self.statuses.values()):
            raise errors.crm_error("The status ID is already used.")
        record_id = self.root.next_id("crm.status", start=101)
        extra_semantics = {None: "process", "S": "success", "F": "failure"}[semantics]
        record = {
            "ID": str(record_id), "ENTITY_ID": entity_id, "STATUS_ID": status_id, "NAME": name,
            "NAME_INIT": name if system else "",
            "SORT": str(sort), "SYSTEM": "Y" if system else "N",
            "CATEGORY_ID": str(category_id) if category_id else None, "COLOR": color, "SEMANTICS": semantics,
        }
        if entity_id.startswith("DEAL_STAGE"):
            record["EXTRA"] = {"SEMANTICS": extra_semantics, "COLOR": color}
        self.statuses[record_id] = record
        return record

    def update_status(self, record_id: int, *, name: str | None = None, sort: int | None = None,
                      color: str | None = None) -> dict[str, Any]:
        """Rename, re-sort or re-colour a status (crm.status.update); its STATUS_ID never changes."""
        record = self.statuses.get(record_id)
        if record is None:
            raise errors.crm_not_found()
        if name is not None:
            record["NAME"] = name
        if sort is not None:
            record["SORT"] = str(sort)
        if color is not None:
            record["COLOR"] = color
            if "EXTRA" in record:
                record["EXTRA"] = {**record["EXTRA"], "COLOR": color}
        return record

    def delete_status(self, record_id: int) -> None:
        """Remove a status (crm.status.delete); system ones (NEW, WON, LOSE) stay, as on the portal."""
        record = self.statuses.get(record_id)
        if record is None:
            raise errors.crm_not_found()
        if record["SYSTEM"] == "Y":
            raise errors.crm_error("Can't delete system status")
        in_use = record["ENTITY_ID"].startswith("DEAL_STAGE") and any(
            deal.get("STAGE_ID") == record["STATUS_ID"] for deal in self.deals.table.values())
        if in_use:
            # (unconfirmed) the portal refuses to drop a stage that deals are in; the stricter guess.
            raise errors.crm_error("There are deals in this stage.")
        del self.statuses[record_id]

    def stages(self, category_id: int) -> list[dict[str, Any]]:
        entity_id = stage_entity(category_id)
        found = [item for item in self.statuses.values() if item["ENTITY_ID"] == entity_id]
        return sorted(found, key=lambda item: (int(item["SORT"]), int(item["ID"])))

    # -- deal ↔ contact bindings -------------------------------------------------------------------

    def bindings(self, deal_id: int) -> list[dict[str, Any]]:
        return self.deal_contacts.setdefault(deal_id, [])

    def set_bindings(self, deal_id: int, items: list[dict[str, Any]], *, deal: dict[str, Any] | None = None) -> None:
        """Replace a deal's bindings: one primary (the first unless one is marked), the deal's
        ``CONTACT_ID`` mirroring it. ``deal`` is the record being written, when it is not stored yet."""
        if items and not any(item["IS_PRIMARY"] == "Y" for item in items):
            items[0]["IS_PRIMARY"] = "Y"
        primary = next((item for item in items if item["IS_PRIMARY"] == "Y"), None)
        for item in items:
            if item is not primary:
                item["IS_PRIMARY"] = "N"
        self.deal_contacts[deal_id] = items
        deal = deal if deal is not None else self.deals.table.get(deal_id)
        if deal is not None:
            # (unconfirmed) binding changes do not move DATE_MODIFY; the primary contact is mirrored.
            deal["CONTACT_ID"] = str(primary["CONTACT_ID"]) if primary else None
