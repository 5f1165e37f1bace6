"""People pasted from Excel: columns recognised by their header or, without one, by what they hold; each
row checked and shown in a preview before the valid ones are added."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...rules import ValidationProblem
from ...rules.validators import normalize_email, normalize_name, normalize_phone, normalize_snils, validate_birth_date
from ...sync.people import Person

COLUMNS = ("last_name", "name", "second_name", "birth_date", "phone", "email", "snils")
# shown as the table's headers (translated there); _HEADER_WORDS recognise a pasted Russian header row
TITLES = {"last_name": QT_TRANSLATE_NOOP("PastePeople", "Фамилия"), "name": QT_TRANSLATE_NOOP("PastePeople", "Имя"),
          "second_name": QT_TRANSLATE_NOOP("PastePeople", "Отчество"),
          "birth_date": QT_TRANSLATE_NOOP("PastePeople", "Дата рождения"),
          "phone": QT_TRANSLATE_NOOP("PastePeople", "Телефон"), "email": QT_TRANSLATE_NOOP("PastePeople", "Эл. почта"),
          "snils": QT_TRANSLATE_NOOP("PastePeople", "СНИЛС")}
_HEADER_WORDS = (  # checked in order: «дата рождения» before «имя», «фамилия в …» is still the surname
    ("birth_date", ("дата рождения", "д.р", "др", "рожд")),
    ("last_name", ("фамилия",)),
    ("second_name", ("отчество",)),
    ("name", ("имя",)),
    ("snils", ("снилс",)),
    ("phone", ("телефон", "тел", "моб")),
    ("email", ("e-mail", "email", "почта", "эл.")),
)
_SNILS = re.compile(r"[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{2}")
_DATE = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PHONE = re.compile(r"\+?[0-9 ()\-]{10,}")


@dataclass
class PastedRow:
    values: dict[str, str]  # logical column -> the text pasted
    person: Person | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.person is not None


def _header_column(cell: str) -> str | None:
    text = cell.strip().casefold().replace("ё", "е")
    for column, words in _HEADER_WORDS:
        if any(text == word or text.startswith(word) for word in words):
            return column
    return None


def _content_kind(cell: str) -> str:
    text = cell.strip()
    if not text:
        return ""
    if "@" in text:
        return "email"
    if _DATE.fullmatch(text):
        return "birth_date"
    if _SNILS.fullmatch(text):
        return "snils"
    if _PHONE.fullmatch(text):
        return "phone"
    return "text"


def detect_columns(table: list[list[str]]) -> tuple[list[str | None], bool]:
    """The logical column of each pasted column, and whether the first row is a header."""
    width = max((len(row) for row in table), default=0)
    header = [_header_column(cell) for cell in table[0]] if table else []
    if sum(column is not None for column in header) >= 2:
        return header + [None] * (width - len(header)), True
    columns: list[str | None] = []
    names = iter(("last_name", "name", "second_name"))
    for index in range(width):
        kinds = [_content_kind(row[index]) for row in table if index < len(row)]
        kinds = [kind for kind in kinds if kind]
        kind = max(set(kinds), key=kinds.count) if kinds else None
        columns.append(next(names, None) if kind == "text" else kind)
    return columns, False


def parse_people(text: str) -> list[PastedRow]:
    """Tab-separated rows (as Excel copies them) checked one by one."""
    table = [line.split("\t") for line in text.splitlines() if line.strip()]
    if not table:
        return []
    columns, has_header = detect_columns(table)
    rows = []
    for line in table[1:] if has_header else table:
        values = {column: cell.strip() for column, cell in zip(columns, line, strict=False) if column is not None}
        rows.append(check_row(values))
    return rows


_CHECKS = {
    "last_name": lambda text: normalize_name(text, field="last_name"),
    "name": lambda text: normalize_name(text, field="name"),
    "second_name": lambda text: normalize_name(text, field="second_name"),
    "birth_date": validate_birth_date,
    "phone": normalize_phone,
    "email": normalize_email,
    "snils": normalize_snils,
}


def check_row(values: dict[str, str]) -> PastedRow:
    row = PastedRow(values)
    clean: dict[str, object] = {}
    for column in COLUMNS:
        text = values.get(column, "")
        if not text:
            if column in ("last_name", "name"):
                row.problems.append(QCoreApplication.translate("PastePeople", "{field}: не указано").format(
                    field=QCoreApplication.translate("PastePeople", TITLES[column])))
            continue
        try:
            clean[column] = _CHECKS[column](text)
        except ValidationProblem as problem:
            row.problems.append(problem.message)
    if not row.problems:
        row.person = Person(
            last_name=str(clean["last_name"]), name=str(clean["name"]), second_name=str(clean.get("second_name", "")),
            birth_date=clean.get("birth_date"),  # type: ignore[arg-type]
            phones=(str(clean["phone"]),) if "phone" in clean else (),
            emails=(str(clean["email"]),) if "email" in clean else (),
            extra=(("snils", clean["snils"]),) if "snils" in clean else ())
    return row


class PastePeopleDialog(QDialog):
    """The preview: one line per pasted person, bad ones in red with the reason; «Добавить» adds the valid."""

    def __init__(self, rows: list[PastedRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Участники из буфера обмена"))
        self.rows = rows
        self.table = QTableWidget(len(rows), len(COLUMNS) + 1, self)
        headers = [QCoreApplication.translate("PastePeople", TITLES[column]) for column in COLUMNS]
        self.table.setHorizontalHeaderLabels([*headers, self.tr("Проверка")])
        bad = QColor("#fde0e0")
        for index, row in enumerate(rows):
            for position, column in enumerate(COLUMNS):
                self.table.setItem(index, position, QTableWidgetItem(row.values.get(column, "")))
            verdict = QTableWidgetItem("; ".join(row.problems) or self.tr("верно"))
            self.table.setItem(index, len(COLUMNS), verdict)
            if not row.valid:
                for position in range(len(COLUMNS) + 1):
                    self.table.item(index, position).setBackground(bad)
        self.table.resizeColumnsToContents()
        valid = len(self.valid_people())
        self.summary = QLabel(self.tr("Можно добавить: {valid} из {total}").format(valid=valid, total=len(rows)), self)
        self.buttons = QDialogButtonBox(self)
        self.add_button = self.buttons.addButton(self.tr("Добавить"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setEnabled(valid > 0)
        self.buttons.addButton(self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    def valid_people(self) -> list[Person]:
        return [row.person for row in self.rows if row.person is not None]
