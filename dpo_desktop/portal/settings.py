"""What the user may tell discovery about a portal: which pipeline, which list type, which folder.

Kept in the profile; every value has a default that fits a portal set up by ``portal provision``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_PIPELINE = "ДПО"
DEFAULT_ARCHIVE_FOLDER = "ДПО"


class PortalSettings(BaseModel):
    """Hints for discovery and provisioning on one portal.

    Attributes:
        pipeline_id: the deal pipeline to use; when set, it wins over ``pipeline_name``.
        pipeline_name: the pipeline looked for by name (case and ё do not matter) and created by provisioning.
        iblock_type: where the universal lists live (``lists``; group lists are not supported).
        archive_folder: the folder on the common drive that holds the participants' folders.
        deal_field_codes, contact_field_codes: logical field -> ``UF_CRM_…`` chosen by an administrator,
            tried before anything else.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    pipeline_id: int | None = None
    pipeline_name: str = DEFAULT_PIPELINE
    iblock_type: str = "lists"
    archive_folder: str = DEFAULT_ARCHIVE_FOLDER
    deal_field_codes: dict[str, str] = Field(default_factory=dict)
    contact_field_codes: dict[str, str] = Field(default_factory=dict)
