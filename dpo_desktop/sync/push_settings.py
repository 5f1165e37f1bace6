"""How a profile pushes participants' folders: where to (a path template), the manifest's name, when
to push on its own, and whether the portal's business process does the copying instead.

The settings live in the profile (``Profile.push``). A template is checked when it is loaded: an
unknown placeholder is a Russian ``ValueError`` then, not a surprise at the first push.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from pydantic import BaseModel, ConfigDict, field_validator

DEFAULT_TEMPLATE = "ДПО/{event_code} {event_name}/{full_name} [{contact_id}]"
DEFAULT_MANIFEST = "Опись документов.txt"
SEGMENT_LENGTH = 120  # characters of one folder name (Drive and Windows paths both stay short)

# Placeholder -> what it stands for (shown when a template names something else).
PLACEHOLDERS: dict[str, str] = {
    "event_code": "код мероприятия",
    "event_name": "название мероприятия",
    "deal_id": "ID сделки",
    "deal_title": "название сделки",
    "partner_code": "код партнёра",
    "full_name": "Фамилия Имя Отчество",
    "last_name": "фамилия",
    "name": "имя",
    "second_name": "отчество",
    "contact_id": "ID контакта",
}


class PushSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    path_template: str = DEFAULT_TEMPLATE
    manifest_name: str = DEFAULT_MANIFEST
    auto_on_complete: bool = False  # push a participant once the set of documents is complete
    auto_stages: tuple[str, ...] = ()  # ... or once the deal is in one of these stages ("C1:WON")
    bizproc_template_id: int | None = None  # start this business process on the deal instead of copying

    @field_validator("path_template")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        segments = template_segments(value)
        if not segments:
            raise ValueError("шаблон пути пуст: нужна хотя бы одна папка, например «ДПО/{event_code}»")
        return value

    @field_validator("manifest_name")
    @classmethod
    def _plain_file_name(cls, value: str) -> str:
        value = value.strip()
        if not value or any(char in value for char in '\\/:*?"<>|'):
            raise ValueError(f"имя описи «{value}»: нужно имя файла без символов \\ / : * ? \" < > |")
        return value

    @field_validator("auto_stages")
    @classmethod
    def _stage_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(stage.strip() for stage in value if stage.strip()))

    def folder_path(self, values: Mapping[str, object]) -> list[str]:
        """The folder names the template gives for these values; each made safe, empty ones dropped."""
        # Imported here: profiles (read by every command) load these settings, and the scans package
        # brings image and PDF libraries along that only pushes and uploads need.
        from ..scans.names import folder_name

        path = []
        for segment in template_segments(self.path_template):
            text = segment.format_map({key: _text(values.get(key)) for key in PLACEHOLDERS})
            if text.strip(" ."):
                path.append(folder_name(text, max_length=SEGMENT_LENGTH))
        return path


def template_segments(template: str) -> list[str]:
    """The template's folder segments (split at «/»), every placeholder checked; empty segments dropped."""
    segments = [segment for segment in template.replace("\\", "/").split("/") if segment.strip()]
    for segment in segments:
        try:
            parsed = list(Formatter().parse(segment))
        except ValueError:
            raise ValueError(f"шаблон пути «{template}»: непарная фигурная скобка (литерал пишется как {{{{ или }}}})")
        for _literal, field, spec, conversion in parsed:
            if field is None:
                continue
            if field not in PLACEHOLDERS:
                known = ", ".join(f"{{{key}}}" for key in PLACEHOLDERS)
                raise ValueError(f"шаблон пути «{template}»: неизвестная подстановка «{{{field}}}»; "
                                 f"допустимы {known}")
            if spec or conversion:
                raise ValueError(f"шаблон пути «{template}»: подстановка «{{{field}}}» пишется без формата "
                                 "(без «:» и «!»)")
    return segments


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())
