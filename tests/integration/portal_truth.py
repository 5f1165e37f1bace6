"""What the portal says, read straight from the sandbox's state — the ground truth the CLI is held to.

``expected_missing`` works the missing-documents report out independently of the app: deals of the
pipeline named «ДПО», participants and documents from the two lists' elements, people from the CRM
contacts, every field found by its XML_ID or CODE as the seed installed it. Only *what is required*
comes from the rules file (``rules.load_rules()``); which documents a participant has, and what that
makes of the requirements, is worked out here.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from dpo_desktop.domain.models import DOCUMENT_TITLES, DocumentType, ProgrammeType
from dpo_desktop.rules.required import DocumentRules, Situation
from dpo_desktop.sandbox.state import PortalState

_TYPE_BY_TITLE = {title: doc_type for doc_type, title in DOCUMENT_TITLES.items()}
_ORDER = list(DocumentType)
_PROGRAMMES = {"PK": ProgrammeType.PK, "PP": ProgrammeType.PP}


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _fold(text: str) -> str:
    return _text(text).replace("ё", "е").replace("Ё", "Е").casefold()


def _link(value: str) -> int | None:
    found = re.search(r"(\d+)$", value or "")
    return int(found.group(1)) if found else None


class PortalView:
    """The sandbox's records in the terms of the ДПО schema."""

    def __init__(self, state: PortalState) -> None:
        self.state = state
        crm = state.crm
        self.pipeline = next(key for key, value in crm.categories.items() if value["name"] == "ДПО")
        self.deal_uf = {uf.xml_id: uf for uf in crm.userfields.of("CRM_DEAL")}
        self.contact_uf = {uf.xml_id: uf for uf in crm.userfields.of("CRM_CONTACT")}

    def deals(self) -> dict[int, dict[str, Any]]:
        return {int(record["ID"]): record for record in self.state.crm.deals.table.values()
                if record["CATEGORY_ID"] == str(self.pipeline)}

    def enum_xml_id(self, uf: Any, item_id: Any) -> str | None:
        return next((item["XML_ID"] for item in uf.items if item["ID"] == str(item_id)), None)

    def elements(self, code: str) -> list[dict[str, str]]:
        """Every element of the list with this code, as {field CODE: value}, L values by their text."""
        lists = self.state.lists
        iblock_id = lists.find_list(code)
        iblock = lists.iblocks[iblock_id]
        by_id = {item.field_id: item for item in iblock.fields.values() if item.code}
        readable = []
        for element_id in iblock.elements.ids():
            row = lists.element(iblock_id, element_id)
            item = {"ID": row["ID"], "CODE": row["CODE"]}
            for field_id, field in by_id.items():
                values = row.get(field_id) or {}
                value = next(iter(values.values()), "") if isinstance(values, dict) else ""
                if field.type == "L" and value:
                    value = field.enums[int(value)]["VALUE"]
                item[field.code] = value
            readable.append(item)
        return readable

    def situation(self, deal: dict[str, Any], contact: dict[str, Any] | None) -> Situation:
        programme = _PROGRAMMES.get(self.enum_xml_id(self.deal_uf["DPO_PROGRAMME_TYPE"],
                                                     deal.get(self.deal_uf["DPO_PROGRAMME_TYPE"].field_name)))
        if contact is None:
            return Situation(programme, False, False, False)

        def value(xml_id: str) -> Any:
            return contact.get(self.contact_uf[xml_id].field_name)

        level = self.enum_xml_id(self.contact_uf["DPO_EDUCATION_LEVEL"], value("DPO_EDUCATION_LEVEL"))
        diploma_surname = _text(value("DPO_DIPLOMA_SURNAME"))
        changed = bool(diploma_surname) and _fold(diploma_surname) != _fold(contact.get("LAST_NAME"))
        citizenship = _text(value("DPO_CITIZENSHIP"))
        foreign = bool(citizenship) and citizenship.zfill(3) != "643"
        return Situation(programme, level == "STUDENT", changed, foreign and not _text(value("DPO_SNILS")))


def expected_missing(state: PortalState, rules: DocumentRules) -> list[dict[str, Any]]:
    """The rows ``dpo-desktop missing --format json`` must print for this portal."""
    view = PortalView(state)
    deals = view.deals()
    present: dict[tuple[int, int], set[DocumentType]] = {}
    for document in view.elements("dpo_documents"):
        key = (_link(document["DEAL"]), _link(document["CONTACT"]))
        doc_type = _TYPE_BY_TITLE.get(document["DOC_TYPE"])
        if None in key or doc_type is None:
            continue
        present.setdefault(key, set())
        if document["CHECK_STATUS"] != "Отклонён":
            present[key].add(doc_type)
    rows, seen = [], set()
    for participant in view.elements("dpo_participants"):
        deal_id, contact_id = _link(participant["DEAL"]), _link(participant["CONTACT"])
        if deal_id not in deals or contact_id is None or (deal_id, contact_id) in seen:
            continue
        seen.add((deal_id, contact_id))
        deal = deals[deal_id]
        contact = state.crm.contacts.table.get(contact_id)
        has = present.get((deal_id, contact_id), set())
        required, missing = set(), set()
        for requirement in rules.requirements(view.situation(deal, contact)):
            met = next((doc_type for doc_type in requirement.accepted if doc_type in has), None)
            required.add(met or requirement.asked)
            if met is None:
                missing.add(requirement.asked)
        name = " ".join(_text(contact.get(part)) for part in ("LAST_NAME", "NAME", "SECOND_NAME")
                        if _text(contact.get(part))) if contact else ""
        status = "complete" if not missing else ("partial" if required - missing else "none")
        rows.append({"deal_id": deal_id, "deal_title": _text(deal["TITLE"]),
                     "event_code": _text(deal.get(view.deal_uf["DPO_EVENT_CODE"].field_name)),
                     "contact_id": contact_id, "participant": name or f"#{contact_id}",
                     "required": _titles(required), "present": _titles(has), "missing": _titles(missing),
                     "status": status})
    rows.sort(key=lambda row: (row["event_code"], row["deal_id"], _fold(row["participant"]), row["contact_id"]))
    return rows


def _titles(types: set[DocumentType]) -> list[str]:
    return [doc_type.title for doc_type in sorted(types, key=_ORDER.index)]


def portal_records(state: PortalState) -> dict[str, Any]:
    """Every CRM record and list element, copied: to show that a failed command changed nothing."""
    crm, lists = state.crm, state.lists
    return {
        "deals": copy.deepcopy(crm.deals.table.records),
        "contacts": copy.deepcopy(crm.contacts.table.records),
        "companies": copy.deepcopy(crm.companies.table.records),
        "elements": {iblock_id: {element_id: lists.element(iblock_id, element_id)
                                 for element_id in iblock.elements.ids()}
                     for iblock_id, iblock in lists.iblocks.items()},
    }


def schema_counts(state: PortalState) -> dict[str, Any]:
    """How many of each schema object the portal has: provisioning twice must not change them."""
    crm, lists = state.crm, state.lists
    return {
        "pipelines": sorted(value["name"] for value in crm.categories.values()),
        "stages": len(crm.statuses),
        "deal_fields": sorted(uf.xml_id or uf.field_name for uf in crm.userfields.of("CRM_DEAL")),
        "contact_fields": sorted(uf.xml_id or uf.field_name for uf in crm.userfields.of("CRM_CONTACT")),
        "lists": sorted((iblock.code, len(iblock.fields), sum(len(field.enums) for field in iblock.fields.values()))
                        for iblock in lists.iblocks.values()),
        # Folders of the common drive (a personal drive appears on its owner's first look, not ours to count).
        "common_folders": sorted(item["NAME"] for item in state.disk.objects.values()
                                 if item["TYPE"] == "folder" and item["STORAGE_ID"] == state.disk.common_storage_id()),
    }
