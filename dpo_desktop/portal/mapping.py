"""Where the logical schema of DESIGN §2 lives on one portal: the result of discovery, kept in the profile.

Field codes, list IDs and enumeration IDs differ from portal to portal, so nothing else in the app
hard-codes them: it asks the mapping ("the deal field for the event code", "the enum ID of ПК").
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..domain.models import Stage

# Logical deal fields (DESIGN §2) and contact fields filled from documents.
DEAL_FIELDS = ("partner_code", "client_contact", "event_name", "event_code", "programme_type", "hours",
               "start_date", "end_date", "frdo")
CONTACT_FIELDS = ("snils", "passport_series", "passport_number", "sex", "citizenship", "education_level",
                  "diploma_surname", "diploma_series", "diploma_number")
PARTICIPANT_FIELDS = ("deal", "contact", "status", "issued_kind", "issued_series", "issued_number",
                      "issued_reg_number", "issued_date", "frdo")
DOCUMENT_FIELDS = ("deal", "contact", "type", "file", "sha256", "original_name", "received", "check_status",
                   "comment")

PARTICIPANTS_CODE = "dpo_participants"
DOCUMENTS_CODE = "dpo_documents"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class FieldRef(Frozen):
    """A portal field: its code (``UF_CRM_…`` or ``PROPERTY_n``), its type, and for enumerations/lists
    the portal's item IDs with the logical value each one means."""

    code: str
    type: str  # deal/contact: USER_TYPE_ID ("string", "enumeration", "crm", "date", ...); lists: TYPE ("S", "L", ...)
    multiple: bool = False
    values: dict[str, str] = Field(default_factory=dict)  # enum/item ID -> logical value

    def value_id(self, logical: str) -> str | None:
        """The portal's item ID for a logical value (``"ПК"``, ``"passport"``, ``"checked"``)."""
        return next((item_id for item_id, value in self.values.items() if value == logical), None)


class ListMapping(Frozen):
    iblock_id: int
    code: str
    fields: dict[str, FieldRef]  # logical field -> portal field
    iblock_type: str = "lists"  # "lists", or "bitrix_processes" / "lists_socnet" on portals that keep them there

    def field(self, logical: str) -> FieldRef:
        return self.fields[logical]


class PortalMapping(Frozen):
    """Everything the app needs to read and write the ДПО schema on one portal."""

    pipeline_id: int
    pipeline_name: str
    stages: tuple[Stage, ...]
    deal_fields: dict[str, FieldRef]
    contact_fields: dict[str, FieldRef]
    participants: ListMapping
    documents: ListMapping
    file_mode: str = "drive"  # "drive" (S:DiskFile) or "file" (a plain F property: compatibility mode)
    common_storage_id: int | None = None
    common_root_folder_id: int | None = None  # the common drive's root folder
    archive_folder_id: int | None = None  # the «ДПО» folder in it; None until made (folder push makes it)

    def deal_field(self, logical: str) -> FieldRef | None:
        return self.deal_fields.get(logical)

    def contact_field(self, logical: str) -> FieldRef | None:
        return self.contact_fields.get(logical)
