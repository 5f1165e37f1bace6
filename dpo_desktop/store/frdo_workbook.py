"""The ФИС ФРДО workbook: sheet «Шаблон» with the 40 columns and a row per issued document, and sheet
«Проверки» with the dictionaries that the drop-downs of «Шаблон» point to (named ranges), as the
operator's template has them (dpo-domain.md §1.3).

Text columns are written as text cells (format ``@``): Excel would otherwise read a СНИЛС or a number
with leading zeros as a number and a ``dd.mm.yyyy`` date as a date. Years and hours are numbers.

The SpreadsheetML is written here directly (inline strings, three cell styles): openpyxl without lxml
serialises each cell through a generic XML writer, about 10 µs a cell, and 5,000 rows of 40 cells
took seconds; plain text takes a fraction of that. The file is written beside the target and renamed
over it, so a failure never leaves half a workbook. Tests read it back with openpyxl.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from ..rules.frdo import COLUMNS, DICTIONARIES, HEADERS, FrdoRow
from ..rules.frdo.template import NUMBER_COLUMNS, TEXT_COLUMNS

TEMPLATE_SHEET, CHECKS_SHEET = "Шаблон", "Проверки"
PLAIN, TEXT, HEADER = 0, 1, 2  # cell styles (cellXfs): general, text «@», bold wrapped header
# Characters XML 1.0 cannot carry; Excel's own escape for them is _xHHHH_.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def range_name(letter: str) -> str:
    """The named range of a column's dictionary (``Справочник_AB``)."""
    return f"Справочник_{letter}"


def write_frdo_xlsx(path: Path, rows: Sequence[FrdoRow]) -> Path:
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as book:
            for part, text in _parts(rows):
                book.writestr(part, text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _parts(rows: Sequence[FrdoRow]) -> Iterable[tuple[str, str]]:
    yield "[Content_Types].xml", _CONTENT_TYPES
    yield "_rels/.rels", _ROOT_RELS
    yield "xl/workbook.xml", _workbook()
    yield "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS
    yield "xl/styles.xml", _STYLES
    yield "xl/worksheets/sheet1.xml", _template(rows)
    yield "xl/worksheets/sheet2.xml", _checks()


# -- the sheets -------------------------------------------------------------------------------------------

def _template(rows: Sequence[FrdoRow]) -> str:
    letters = [column.letter for column in COLUMNS]
    out = [_SHEET_HEAD, '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
           'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
           f'<cols><col min="1" max="{len(letters)}" width="22" customWidth="1"/></cols><sheetData>',
           _row(1, ((letter, _text_cell(letter, 1, column.header, HEADER)) for letter, column
                    in zip(letters, COLUMNS, strict=True)))]
    for number, row in enumerate(rows, start=2):
        out.append(_row(number, ((letter, _cell(letter, number, row[letter])) for letter in letters)))
    last = max(len(rows) + 1, 2)
    out.append("</sheetData>")
    validations = [f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="{letter}2:{letter}{last}">'
                   f"<formula1>{range_name(letter)}</formula1></dataValidation>" for letter in DICTIONARIES]
    out.append(f'<dataValidations count="{len(validations)}">{"".join(validations)}</dataValidations>')
    out.append("</worksheet>")
    return "".join(out)


def _checks() -> str:
    """One column per dictionary: its header names the template's column, the values follow."""
    letters = list(DICTIONARIES)
    depth = max(len(values) for values in DICTIONARIES.values())
    out = [_SHEET_HEAD, f'<cols><col min="1" max="{len(letters)}" width="40" customWidth="1"/></cols><sheetData>',
           _row(1, ((_letter(index), _text_cell(_letter(index), 1, f"{letter}: {HEADERS[letter]}", HEADER))
                    for index, letter in enumerate(letters)))]
    for number in range(2, depth + 2):
        cells = ((_letter(index), _text_cell(_letter(index), number, DICTIONARIES[letter][number - 2], PLAIN))
                 for index, letter in enumerate(letters) if number - 2 < len(DICTIONARIES[letter]))
        out.append(_row(number, cells))
    out.append("</sheetData></worksheet>")
    return "".join(out)


def _workbook() -> str:
    names = []
    for index, letter in enumerate(DICTIONARIES):
        column = _letter(index)
        names.append(f'<definedName name="{range_name(letter)}">\'{CHECKS_SHEET}\'!${column}$2:${column}$'
                     f"{len(DICTIONARIES[letter]) + 1}</definedName>")
    return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{TEMPLATE_SHEET}" sheetId="1" r:id="rId1"/><sheet name="{CHECKS_SHEET}" sheetId="2" '
            f'r:id="rId2"/></sheets><definedNames>{"".join(names)}</definedNames></workbook>')


# -- cells ---------------------------------------------------------------------------------------------------

def _row(number: int, cells: Iterable[tuple[str, str]]) -> str:
    return f'<row r="{number}">{"".join(cell for _letter, cell in cells if cell)}</row>'


def _cell(letter: str, number: int, value: str) -> str:
    if not value:
        return ""
    if letter in NUMBER_COLUMNS and value.isdigit():
        return f'<c r="{letter}{number}"><v>{int(value)}</v></c>'
    return _text_cell(letter, number, value, TEXT if letter in TEXT_COLUMNS else PLAIN)


def _text_cell(letter: str, number: int, value: str, style: int) -> str:
    text = escape(_UNWRITABLE.sub(lambda match: f"_x{ord(match.group()):04X}_", value))
    return f'<c r="{letter}{number}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _letter(index: int) -> str:
    """The column letter of a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# -- the fixed parts -----------------------------------------------------------------------------------------

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_HEAD = f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/></Types>')
_ROOT_RELS = (f'{_XML}<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
              f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/worksheet" Target="worksheets/sheet2.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
# Styles: 0 general; 1 text (built-in number format 49, «@»); 2 bold, wrapped, for the header row.
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
