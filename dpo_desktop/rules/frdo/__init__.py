"""ФИС ФРДО for ДПО: the template (columns, dictionaries), the rows built from the cache, the pre-flight.

Pure like the rest of ``rules``: the workbook is written by ``store.frdo_workbook``.
"""

from .checks import FrdoProblem, preflight
from .rows import FrdoRow, FrdoSource, build_row, build_rows, is_issued, programme_of
from .template import COLUMNS, DICTIONARIES, HEADERS, LETTERS

__all__ = [
    "COLUMNS",
    "DICTIONARIES",
    "HEADERS",
    "LETTERS",
    "FrdoProblem",
    "FrdoRow",
    "FrdoSource",
    "build_row",
    "build_rows",
    "is_issued",
    "preflight",
    "programme_of",
]
