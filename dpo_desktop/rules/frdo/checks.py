"""The pre-flight: every cell of every row against the template's rules, before the ФИС sees them.

Each problem names the participant, the column, why the ФИС would reject the row and how to fix it,
in Russian, for the office. One problem per cell at most (the first rule a cell breaks), so a fix
makes its message go away rather than reveal a second one about the same value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from ...domain.models import surname_differs
from ..snils import control_number, is_checked
from ..text import clean_text, quoted
from . import template as t
from .rows import FrdoRow


@dataclass(frozen=True)
class FrdoProblem:
    """One reason a row would bounce: whose row, which column, why, and what to do."""

    row: int  # position among the rows checked (0-based)
    deal_id: int
    contact_id: int
    person: str
    column: str  # letter
    why: str
    fix: str

    @property
    def header(self) -> str:
        return t.HEADERS[self.column]

    def text(self) -> str:
        """One line: «Иванов Иван Иванович, столбец AA (СНИЛС): … — …»."""
        return f"{self.person}, столбец {self.column} ({self.header}): {self.why} — {self.fix}"


# Invisible and space-like characters that break ФРДО validation (dpo-domain.md §1.3).
_INVISIBLE = {
    "\u00a0": "неразрывный пробел", "\u00ad": "мягкий перенос", "\u200b": "пробел нулевой ширины",
    "\u200c": "невидимый символ", "\u200d": "невидимый символ", "\u2060": "невидимый символ",
    "\ufeff": "невидимый символ (BOM)", "\t": "табуляция", "\n": "перевод строки", "\r": "перевод строки",
    "\u202f": "узкий неразрывный пробел", "\u2009": "тонкий пробел",
}
_PROGRAMME_NAME = re.compile(r"[0-9A-Za-zА-Яа-яЁё ().,/:«»?№-]*")
_PERSON_NAME = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:[ '-][A-Za-zА-Яа-яЁё]+)*")
_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
_SNILS = re.compile(r"(\d{3})-(\d{3})-(\d{3}) (\d{2})")
_OKSM = re.compile(r"\d{3}")
_NAME_COLUMNS = ("P", "V", "W", "X", "AK", "AL", "AM")
_ORIGINAL_BLOCK = ("AF", "AH", "AI", "AJ", "AK", "AL")
_DIPLOMA_LEVELS = (t.HIGHER, t.VOCATIONAL)

Check = Callable[[FrdoRow, date], Iterator[tuple[str, str, str]]]  # yields (column, why, fix)


def preflight(rows: Iterable[FrdoRow], *, today: date | None = None) -> list[FrdoProblem]:
    """Every problem of every row, in row order and, within a row, in column order."""
    today = today or date.today()
    order = {letter: index for index, letter in enumerate(t.LETTERS)}
    problems: list[FrdoProblem] = []
    for index, row in enumerate(rows):
        found: dict[str, tuple[str, str]] = {}
        for check in _CHECKS:
            for column, why, fix in check(row, today):
                found.setdefault(column, (why, fix))  # the first rule a cell breaks
        for column in sorted(found, key=order.__getitem__):
            why, fix = found[column]
            problems.append(FrdoProblem(index, row.deal_id, row.contact_id, row.person, column, why, fix))
    return problems


# -- the checks, in the order they speak ------------------------------------------------------------

def _characters(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    for letter in t.LETTERS:
        value = row[letter]
        bad = next((name for char, name in _INVISIBLE.items() if char in value), None)
        if bad is None:  # any other control or format character (direction marks, ESC, …)
            bad = next((f"управляющий символ U+{ord(char):04X}" for char in value
                        if unicodedata.category(char) in ("Cc", "Cf")), None)
        if bad is not None:
            yield letter, f"в значении {quoted(value.strip())} есть {bad}", "перепечатайте значение без него"
        elif value != value.strip() or "  " in value:
            yield letter, f"лишние пробелы в {quoted(value)}", "уберите пробелы в начале, в конце и двойные"


def _required(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    needed = ["A", "B", "C", "D", "E", "G", "H", "I", "J", "K", "L", "O", "P", "S", "T", "U", "V", "W", "Y", "Z",
              "AB", "AC", "AD", "AE"]
    if row["J"] == t.PP_KIND:
        needed.append("N")  # a переподготовка gives a qualification
    if row["O"] in _DIPLOMA_LEVELS:
        needed += ["Q", "R"]
    if row["AE"] in ("", "643"):
        needed.append("AA")  # a foreign citizen may have no СНИЛС
    if row["B"] == t.DUPLICATE or row["D"] in t.EXCHANGE_PROOFS[1:]:
        needed += list(_ORIGINAL_BLOCK)  # a duplicate or an exchanged document names the one it replaces
    for letter in needed:
        if not row[letter].strip():
            yield letter, "не заполнено", _FILL_HINTS.get(letter, "заполните значение")


def _dictionaries(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    for letter, allowed in t.DICTIONARIES.items():
        value = row[letter]
        if value and value not in allowed:
            close = next((item for item in allowed if item.casefold() == " ".join(value.split()).casefold()), None)
            fix = (f"напишите точно {quoted(close, 90)}" if close else
                   f"выберите значение из справочника ({_choices(allowed)})")
            yield letter, f"{quoted(value)} нет в справочнике ФИС ФРДО", fix


def _dates(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    for letter in ("H", "Y", "AJ"):
        value = row[letter]
        if not value:
            continue
        parsed = _parse_date(value)
        if parsed is None:
            yield letter, f"дата {quoted(value)} не в виде ДД.ММ.ГГГГ", "запишите дату как 05.03.2026"
        elif parsed > today:
            yield letter, f"дата {value} ещё не наступила", "проверьте год и месяц"
    birth, issued = _parse_date(row["Y"]), _parse_date(row["H"])
    if birth and issued and not 14 <= (issued.year - birth.year) <= 100:
        yield "Y", f"на дату выдачи получателю {issued.year - birth.year} лет", "проверьте дату рождения"
    original = _parse_date(row["AJ"])
    if original and issued and original > issued:
        yield "AJ", "оригинал выдан позже, чем дубликат", "проверьте дату выдачи оригинала"


def _years_and_hours(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    years = {}
    for letter in ("S", "T"):
        value = row[letter]
        if not value:
            continue
        if not value.isdigit() or not t.FIRST_YEAR <= int(value) <= t.LAST_YEAR:
            yield letter, f"год {quoted(value)} вне диапазона {t.FIRST_YEAR}–{t.LAST_YEAR}", \
                "укажите год четырьмя цифрами"
        else:
            years[letter] = int(value)
    if "S" in years and "T" in years and years["S"] > years["T"]:
        yield "T", f"обучение окончено ({years['T']}) раньше, чем начато ({years['S']})", "проверьте годы обучения"
    issued = _parse_date(row["H"])
    if "T" in years and issued and years["T"] > issued.year:
        yield "T", f"год окончания {years['T']} позже года выдачи {issued.year}", "проверьте год окончания"
    hours = row["U"]
    if hours:
        if not hours.isdigit() or int(hours) == 0:
            yield "U", f"часы {quoted(hours)} — не целое число", "укажите число часов цифрами"
        elif row["A"] != t.STUDY_CERTIFICATE and int(hours) < t.MIN_HOURS.get(row["J"], 0):
            least = t.MIN_HOURS[row["J"]]
            yield "U", f"{hours} ч меньше минимума {least} ч для программы «{row['J']}»", \
                f"укажите не меньше {least} ч или проверьте вид программы"


def _identity(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    snils = row["AA"]
    if snils:
        match = _SNILS.fullmatch(snils)
        if match is None:
            yield "AA", f"СНИЛС {quoted(snils)} не в виде XXX-XXX-XXX XX", "запишите 11 цифр как 112-233-445 95"
        else:
            account, control = "".join(match.groups()[:3]), match.group(4)
            if is_checked(account) and control_number(account) != control:
                yield "AA", f"СНИЛС {snils}: неверная контрольная сумма", \
                    "сверьте номер со страховым свидетельством или уведомлением"
    citizenship = row["AE"]
    if citizenship and (not _OKSM.fullmatch(citizenship) or citizenship == "000"):
        yield "AE", f"{quoted(citizenship)} — не код страны по ОКСМ", "укажите трёхзначный код, 643 — Россия"
    for letter in _NAME_COLUMNS:
        value = row[letter]
        if value and not _PERSON_NAME.fullmatch(value):
            yield letter, f"{quoted(value)}: в имени допустимы только буквы, дефис, пробел и апостроф", \
                "исправьте написание, как в документе"
    name = row["K"]
    if name and not _PROGRAMME_NAME.fullmatch(name):
        chars = "".join(sorted({char for char in name if not _PROGRAMME_NAME.fullmatch(char)}))
        yield "K", f"в названии программы недопустимые знаки {quoted(chars)}", \
            "оставьте только буквы, цифры и знаки ( ) . / - , : « » ? №"


def _surname(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    diploma, current = row["P"], row["V"]
    # Compared as cleaned: a stray character is the character check's to report, not a change of name.
    if diploma and current and surname_differs(clean_text(diploma), clean_text(current)) and not row.has_name_change:
        yield "P", (f"фамилия в дипломе {quoted(diploma)} отличается от фамилии {quoted(current)}, "
                    "а документа о смене фамилии нет"), \
            "загрузите документ о смене фамилии (свидетельство о браке) или исправьте фамилию в дипломе"


def _consistency(row: FrdoRow, today: date) -> Iterator[tuple[str, str, str]]:
    expected = {t.PK_KIND: (t.PK_CERTIFICATE, "Свидетельство о повышении квалификации"), t.PP_KIND: (t.PP_DIPLOMA,)}
    kind, programme = row["A"], row["J"]
    if kind in t.DOCUMENT_KINDS and programme in expected and kind != t.STUDY_CERTIFICATE \
            and kind not in expected[programme]:
        yield "A", f"{quoted(kind, 60)} не выдают по программе «{programme}»", "проверьте вид документа и программы"
    if row["B"] == t.ORIGINAL and row["D"] in ("", t.NO) and any(row[letter] for letter in _ORIGINAL_BLOCK):
        yield "AF", "данные оригинала указаны для оригинала", \
            "укажите статус «Дубликат» или подтверждение обмена, либо очистите данные оригинала"


_CHECKS: tuple[Check, ...] = (_characters, _required, _dictionaries, _dates, _years_and_hours, _identity, _surname,
                              _consistency)

_FILL_HINTS = {
    "A": "укажите вид выданного документа", "G": "укажите номер выданного документа",
    "H": "укажите дату выдачи", "I": "укажите регистрационный номер", "J": "укажите тип программы сделки (ПК/ПП)",
    "K": "укажите название программы", "L": "выберите область профессиональной деятельности",
    "N": "укажите квалификацию по программе переподготовки", "O": "укажите уровень образования участника",
    "P": "укажите фамилию из диплома", "Q": "укажите серию диплома о ВО/СПО", "R": "укажите номер диплома о ВО/СПО",
    "S": "укажите дату начала обучения в сделке", "T": "укажите дату окончания обучения в сделке",
    "U": "укажите часы программы в сделке", "V": "укажите фамилию", "W": "укажите имя",
    "Y": "укажите дату рождения", "Z": "укажите пол", "AA": "укажите СНИЛС (для иностранца — его гражданство)",
    "AB": "выберите форму обучения", "AC": "выберите источник финансирования",
    "AD": "выберите форму получения образования", "AE": "укажите гражданство кодом ОКСМ (643 — Россия)",
    "AF": "укажите вид документа-оригинала", "AH": "укажите номер оригинала",
    "AI": "укажите регистрационный номер оригинала", "AJ": "укажите дату выдачи оригинала",
    "AK": "укажите фамилию получателя оригинала", "AL": "укажите имя получателя оригинала",
}


def _parse_date(value: str) -> date | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return datetime.strptime(value, "%d.%m.%Y").date()
    except ValueError:
        return None


def _choices(allowed: tuple[str, ...]) -> str:
    shown = ", ".join(f"«{item}»" for item in allowed[:5])
    return shown + (", …" if len(allowed) > 5 else "")
