"""Write the office's records onto a portal state through the families' own operations (no HTTP).

The demo and large seeds both go through :class:`OfficeWriter`, so the two fill the schema the same
way: contacts with their user fields, deals with theirs, participants and documents as list elements
(``ELEMENT_CODE`` per DESIGN §2), document bytes in the archive folders of the common drive.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..disk.state import LazyContent
from .frdo_data import programme_json
from .people import Person
from .programmes import Event
from .schema import DOCUMENT_TYPES, DpoSchema, document_code, participant_code

if TYPE_CHECKING:
    from ..state import PortalState

# Characters a Drive object name may not hold; the archive folder names replace them.
_FORBIDDEN = str.maketrans({char: "_" for char in '\\/:*?"<>|'})


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """The ДПО document a participant received at the end (the ФИС ФРДО row)."""

    kind: str
    series: str
    number: str
    registration: str
    issued: date
    frdo: str = ""  # «Данные ФИС ФРДО»: a duplicate's status block (``frdo_data.duplicate_json``)


def drive_name(text: str) -> str:
    return " ".join(text.translate(_FORBIDDEN).split())


def lazy_content(generator: str, args: tuple, data: bytes) -> tuple[LazyContent, str]:
    """A recipe for ``data`` (made by ``generator(*args)``) and the sha256 of those bytes."""
    return LazyContent(generator, args, len(data)), hashlib.sha256(data).hexdigest()


class OfficeWriter:
    def __init__(self, state: PortalState, schema: DpoSchema) -> None:
        self.state = state
        self.schema = schema
        self._event_folders: dict[str, int] = {}
        self._person_folders: dict[tuple[str, int], int] = {}

    # -- CRM ----------------------------------------------------------------------------------------

    def add_company(self, title: str, *, phone: str, email: str, user_id: int) -> int:
        fields = {"TITLE": title, "COMPANY_TYPE": "CUSTOMER", "PHONE": [{"VALUE": phone, "VALUE_TYPE": "WORK"}],
                  "EMAIL": [{"VALUE": email, "VALUE_TYPE": "WORK"}]}
        return self.state.crm.companies.add(fields, user_id)

    def add_contact(self, person: Person, *, user_id: int, company_id: int | None = None, post: str = "",
                    documents_data: bool = True) -> int:
        """A person as the office keeps them: name, birth date, phone, e-mail and, once the papers came,
        the user fields filled from them (``documents_data``)."""
        uf, enums = self.schema.contact_fields, self.schema.enum_items
        fields: dict[str, Any] = {
            "LAST_NAME": person.last_name, "NAME": person.first_name, "SECOND_NAME": person.patronymic,
            "HONORIFIC": "HNR_RU_1" if person.sex == "Муж" else "HNR_RU_2",
            "BIRTHDATE": person.birth_date.isoformat(), "TYPE_ID": "CLIENT", "POST": post,
            "PHONE": [{"VALUE": person.phone, "VALUE_TYPE": "MOBILE"}],
            "EMAIL": [{"VALUE": person.email, "VALUE_TYPE": "HOME"}],
            uf["sex"]: enums["sex"][person.sex],
            uf["citizenship"]: person.citizenship,
        }
        if company_id:
            fields["COMPANY_IDS"] = [company_id]
        if documents_data:
            fields.update({
                uf["snils"]: person.snils, uf["passport_series"]: person.passport_series,
                uf["passport_number"]: person.passport_number,
                uf["education_level"]: enums["education_level"][person.education],
                uf["diploma_surname"]: person.diploma_surname, uf["diploma_series"]: person.diploma_series,
                uf["diploma_number"]: person.diploma_number,
            })
        return self.state.crm.contacts.add(fields, user_id)

    def add_staff_contact(self, person: Person, *, company_id: int, post: str, user_id: int) -> int:
        """A client's employee the office deals with (HR): no participant data."""
        fields = {"LAST_NAME": person.last_name, "NAME": person.first_name, "SECOND_NAME": person.patronymic,
                  "POST": post, "TYPE_ID": "CLIENT", "COMPANY_IDS": [company_id],
                  "PHONE": [{"VALUE": person.phone, "VALUE_TYPE": "WORK"}],
                  "EMAIL": [{"VALUE": person.email, "VALUE_TYPE": "WORK"}]}
        return self.state.crm.contacts.add(fields, user_id)

    def add_deal(self, event: Event, *, title: str, stage: str, user_id: int, company_id: int | None,
                 client_contact: int, partner_code: str, opportunity: int, source: str) -> int:
        uf = self.schema.deal_fields
        fields: dict[str, Any] = {
            "TITLE": title, "CATEGORY_ID": self.schema.category_id, "STAGE_ID": self.schema.stages[stage],
            "TYPE_ID": "SERVICES", "SOURCE_ID": source, "OPPORTUNITY": opportunity, "CURRENCY_ID": "RUB",
            "IS_MANUAL_OPPORTUNITY": "Y", "ASSIGNED_BY_ID": user_id, "CLOSEDATE": event.end.isoformat(),
            "COMPANY_ID": company_id or 0,
            uf["partner_code"]: partner_code, uf["client_contact"]: str(client_contact),
            uf["event_name"]: event.name, uf["event_code"]: event.code,
            uf["programme_type"]: self.schema.enum_items["programme_type"][event.kind], uf["hours"]: event.hours,
            uf["start_date"]: event.start.isoformat(), uf["end_date"]: event.end.isoformat(),
            uf["frdo"]: programme_json(event),
        }
        return self.state.crm.deals.add(fields, user_id)

    def move_deal(self, deal_id: int, stage: str, *, user_id: int) -> None:
        self.state.crm.deals.update(deal_id, {"STAGE_ID": self.schema.stages[stage]}, user_id)

    def bind_contacts(self, deal_id: int, contact_ids: list[int]) -> None:
        items = [{"CONTACT_ID": contact_id, "SORT": (position + 1) * 10, "ROLE_ID": 0,
                  "IS_PRIMARY": "Y" if position == 0 else "N"} for position, contact_id in enumerate(contact_ids)]
        self.state.crm.set_bindings(deal_id, items)

    # -- lists --------------------------------------------------------------------------------------

    def participant_fields(self, deal_id: int, contact_id: int, name: str, status: str,
                           issued: IssuedDocument | None) -> dict[str, Any]:
        """FIELDS of the participant element, complete (lists.element.update overwrites)."""
        prop, enums = self.schema.participant_fields, self.schema.participant_enums
        fields: dict[str, Any] = {"NAME": name, prop["DEAL"]: deal_id, prop["CONTACT"]: contact_id,
                                  prop["STATUS"]: enums["STATUS"][status]}
        if issued is not None:
            fields.update({prop["ISSUED_KIND"]: enums["ISSUED_KIND"][issued.kind], prop["ISSUED_SERIES"]: issued.series,
                           prop["ISSUED_NUMBER"]: issued.number, prop["ISSUED_REG_NUMBER"]: issued.registration,
                           prop["ISSUED_DATE"]: self.state.clock.locale_date(issued.issued)})
            if issued.frdo:
                fields[prop["FRDO"]] = issued.frdo
        return fields

    def add_participant(self, deal_id: int, contact_id: int, name: str, status: str, *, user_id: int,
                        issued: IssuedDocument | None = None) -> int:
        fields = self.participant_fields(deal_id, contact_id, name, status, issued)
        return self.state.lists.add_element(self.schema.participants_list, participant_code(deal_id, contact_id),
                                            fields, user_id=user_id)

    def update_participant(self, element_id: int, deal_id: int, contact_id: int, name: str, status: str, *,
                           user_id: int, issued: IssuedDocument | None = None) -> None:
        fields = self.participant_fields(deal_id, contact_id, name, status, issued)
        self.state.lists.update_element(self.schema.participants_list, element_id, fields, user_id=user_id)

    def add_document(self, deal_id: int, contact_id: int, folder_id: int, *, type_code: str, file_name: str,
                     content: bytes | LazyContent, sha256: str, owner: str, received: date, status: str,
                     comment: str, user_id: int) -> int:
        """The file on the drive and its element in "Документы участника"."""
        file_id = self.state.disk.add_file(folder_id, file_name, content, user_id=user_id, unique=True)
        prop, enums = self.schema.document_fields, self.schema.document_enums
        type_name = DOCUMENT_TYPES[type_code]
        fields = {
            "NAME": f"{type_name} — {owner}", prop["DEAL"]: deal_id, prop["CONTACT"]: contact_id,
            prop["DOC_TYPE"]: enums["DOC_TYPE"][type_name], prop["FILE"]: file_id, prop["SHA256"]: sha256,
            prop["ORIGINAL_NAME"]: file_name, prop["RECEIVED_DATE"]: self.state.clock.locale_date(received),
            prop["CHECK_STATUS"]: enums["CHECK_STATUS"][status], prop["COMMENT"]: comment,
        }
        code = document_code(deal_id, contact_id, type_code, sha256)
        return self.state.lists.add_element(self.schema.documents_list, code, fields, user_id=user_id)

    # -- drive --------------------------------------------------------------------------------------

    def person_folder(self, event: Event, person_name: str, contact_id: int, *, user_id: int) -> int:
        """``ДПО/<event code> <event name>/<Фамилия Имя Отчество> [<contact id>]/`` (DESIGN §2)."""
        disk = self.state.disk
        event_folder = self._event_folders.get(event.code)
        if event_folder is None:
            event_folder = disk.add_folder(self.schema.archive_folder, drive_name(event.title), user_id=user_id)
            self._event_folders[event.code] = event_folder
        key = (event.code, contact_id)
        folder = self._person_folders.get(key)
        if folder is None:
            folder = disk.add_folder(event_folder, drive_name(f"{person_name} [{contact_id}]"), user_id=user_id)
            self._person_folders[key] = folder
        return folder
