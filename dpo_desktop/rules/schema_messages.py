"""Russian sentences for a rules file that does not match its schema.

pydantic explains in English and in its own terms; the office needs to know which entry of which list
is wrong and what would be right (``required.ПК[2]: неизвестный тип документа «pasport»``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_SHOWN = 3  # a file with twenty mistakes is fixed the same way: start with the first ones
_QUOTED = re.compile(r"'([^']*)'")
_FIXED = {
    "missing": "обязательное поле отсутствует",
    "extra_forbidden": "неизвестное поле",
    "bool_type": "нужно true или false",
    "list_type": "нужен список",
    "dict_type": "нужен объект {…}",
    "model_type": "нужен объект {…}",
    "model_attributes_type": "нужен объект {…}",
    "string_type": "нужна строка",
    "int_type": "нужно целое число",
}


def describe_validation_error(error: ValidationError) -> str:
    """The first few problems, each as ``where: what``, joined by ``; ``."""
    problems, listed = [], False
    for details in error.errors():
        problem = _describe(details, list_allowed=not listed)
        listed = listed or "известны:" in problem
        problems.append(problem)
    text = "; ".join(problems[:_SHOWN])
    if len(problems) > _SHOWN:
        text += f"; и ещё {len(problems) - _SHOWN}"
    return text


def _describe(details: ErrorDetails, *, list_allowed: bool) -> str:
    where = _location(details["loc"])
    what = _what(details, list_allowed=list_allowed)
    return f"{where}: {what}" if where else what


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _what(details: ErrorDetails, *, list_allowed: bool) -> str:
    kind = details["type"]
    if kind in _FIXED:
        return _FIXED[kind]
    shown = _show(details.get("input"))
    if kind in ("enum", "literal_error"):
        allowed = ", ".join(_QUOTED.findall(str(details.get("ctx", {}).get("expected", ""))))
        if _is_document_type(details["loc"]):
            known = f" (известны: {allowed})" if list_allowed else ""
            return f"неизвестный тип документа {shown}{known}"
        return f"недопустимое значение {shown} (допустимо: {allowed})"
    return f"недопустимое значение {shown}"


def _is_document_type(loc: tuple[int | str, ...]) -> bool:
    return bool(loc) and loc[0] in ("required", "without_programme")


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return f"«{text}»" if len(text) <= 40 else f"«{text[:39]}…»"
