"""What discovery found missing or wrong, in plain Russian, with whether ``portal provision`` fixes it.

Each :class:`Problem` is one sentence naming the object and the way out. ``blocking`` problems keep
the mapping from being complete (the app cannot read or write the schema without them); the rest
are shown as warnings (a document type the portal lacks, the archive folder not made yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..b24.errors import AccessError, AuthError, B24Error, MethodNotFoundError, NotFoundError
from .schema import EnumValue, type_title

PROVISION = "«dpo-desktop portal provision»"
BY_ADMIN = f"Создайте {{what}} командой {PROVISION} (нужны права администратора портала) или вручную в настройках"


@dataclass(frozen=True)
class Problem:
    key: str  # what it is about: "pipeline", "deal_field:hours", "list_field:documents.type", ...
    message: str
    fixable: bool  # portal provision can fix it
    blocking: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "message": self.message, "fixable": self.fixable, "blocking": self.blocking}


def quoted(names: Sequence[str]) -> str:
    return ", ".join(f"«{name}»" for name in names)


def unreadable(key: str, what: str, error: B24Error) -> Problem:
    if isinstance(error, (AccessError, AuthError)):
        reason = ("у вебхука нет на это прав: проверьте, что вебхук создан администратором и ему разрешены "
                  "CRM, списки и Диск (crm, lists, disk)")
    elif isinstance(error, (MethodNotFoundError, NotFoundError)):
        reason = "портал не знает этого метода: возможно, модуль не подключён на вашем тарифе"
    else:
        reason = f"портал ответил ошибкой ({error.description})"
    return Problem(f"read:{key}", f"Не удалось прочитать {what}: {reason}.", fixable=False)


def no_pipeline(name: str, pipeline_id: int | None) -> Problem:
    if pipeline_id is not None:
        return Problem("pipeline", f"На портале нет воронки сделок с ID {pipeline_id}, указанной в профиле. "
                       "Проверьте номер воронки в настройках профиля.", fixable=False)
    return Problem("pipeline", f"На портале нет воронки сделок «{name}». Создайте её командой {PROVISION} "
                   "(нужны права администратора портала) или укажите в профиле воронку, в которой ведутся сделки ДПО.",
                   fixable=True)


def no_stages(pipeline: str) -> Problem:
    return Problem("stages", f"В воронке «{pipeline}» нет ни одной стадии. Добавьте стадии в настройках воронки.",
                   fixable=False)


def missing_stages(pipeline: str, names: Sequence[str]) -> Problem:
    word = "стадии" if len(names) == 1 else "стадий"
    return Problem("stages", f"В воронке «{pipeline}» нет {word} {quoted(names)}. Сделки можно вести и так; "
                   f"{PROVISION} добавит недостающие стадии.", fixable=True, blocking=False)


def missing_field(entity: str, logical: str, title: str, code: str) -> Problem:
    noun = {"deal": "сделок", "contact": "контактов"}[entity]
    return Problem(f"{entity}_field:{logical}", f"В {_prepositional(entity)} нет поля «{title}» (XML_ID {code}). "
                   f"{BY_ADMIN.format(what='его')} {noun}, указав это название.", fixable=True)


def wrong_field_type(key: str, owner: str, title: str, code: str, actual: str, wanted: Sequence[str]) -> Problem:
    kinds = " или ".join(f"«{type_title(kind)}»" for kind in wanted)
    return Problem(key, f"Поле «{title}» ({code}) {owner} имеет тип «{type_title(actual)}», а нужен {kinds}. "
                   "Создайте поле нужного типа и удалите или переименуйте это.", fixable=False)


def wrong_link(key: str, owner: str, title: str, code: str, target: str) -> Problem:
    noun = {"DEAL": "сделки", "CONTACT": "контакты"}[target]
    return Problem(key, f"Поле «{title}» ({code}) {owner} не может указывать на {noun}: "
                   f"разрешите в его настройках привязку к элементам CRM «{_crm_title(target)}».", fixable=False)


def missing_enum_values(entity: str, logical: str, title: str, values: Sequence[EnumValue]) -> Problem:
    owner = {"deal": "сделки", "contact": "контакта"}[entity]
    return Problem(f"{entity}_values:{logical}",
                   f"В поле {owner} «{title}» нет {_values_word(values)} {quoted([value.title for value in values])}. "
                   "Добавьте их в настройках поля, иначе эти сведения не попадут на портал.",
                   fixable=False, blocking=False)


def no_list(key: str, title: str, code: str) -> Problem:
    return Problem(f"list:{key}", f"На портале нет списка «{title}» (код {code}). "
                   f"{BY_ADMIN.format(what='его')} списков (Сервисы → Списки).", fixable=True)


def missing_list_field(key: str, logical: str, list_title: str, title: str, code: str) -> Problem:
    return Problem(f"list_field:{key}.{logical}", f"В списке «{list_title}» нет поля «{title}» (код {code}). "
                   f"{BY_ADMIN.format(what='его')} списка.", fixable=True)


def missing_list_values(key: str, logical: str, list_title: str, title: str, values: Sequence[EnumValue]) -> Problem:
    return Problem(f"list_values:{key}.{logical}",
                   f"В поле «{title}» списка «{list_title}» нет {_values_word(values)} "
                   f"{quoted([value.title for value in values])}. {PROVISION} добавит их; "
                   "до тех пор такие документы нельзя отметить на портале.", fixable=True, blocking=False)


def no_common_drive() -> Problem:
    return Problem("drive", "На портале нет общего диска: папки участников выгружать некуда. "
                   "Включите «Общий диск» в настройках Диска.", fixable=False, blocking=False)


def no_archive(folder: str) -> Problem:
    return Problem("archive", f"На общем диске нет папки «{folder}» для архива документов участников. "
                   f"{PROVISION} создаст её; без неё папка появится при первой выгрузке.",
                   fixable=True, blocking=False)


def _prepositional(entity: str) -> str:
    return {"deal": "сделках", "contact": "контактах"}[entity]


def _values_word(values: Sequence[object]) -> str:
    return "значения" if len(values) == 1 else "значений"


def _crm_title(target: str) -> str:
    return {"DEAL": "Сделка", "CONTACT": "Контакт"}[target]
