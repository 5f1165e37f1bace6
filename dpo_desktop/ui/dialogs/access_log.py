"""«Файл → Журнал доступа к ПД…»: the personal-data access log exported for a date range (XLSX or CSV).

The export goes with an act of destruction of personal data; it is itself a row of the log. The rows
and the file are made on the CPU pool: a year of an office's log is tens of thousands of rows.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...runtime.cpu import run_task
from ...store.access_export import day_range, export_log, export_title
from ...store.access_log import AccessQuery

if TYPE_CHECKING:
    from ..context import AppContext
    from ..main_window import MainWindow

log = logging.getLogger("dpo.ui")

MENU_TITLE = "Файл"
ACTION_TITLE = QT_TRANSLATE_NOOP("AccessLogDialog", "Журнал доступа к ПД…")
DEFAULT_DAYS = 30


class AccessLogDialog(QDialog):
    """Non-modal: a date range and «Выгрузить…»; the file is chosen, then written on the pool.

    Signals:
        exported(object): the path written (a ``Path``), or the failure's text (a ``str``).
    Attributes:
        first, last: the range's first and last day; status: the last outcome, in Russian.
    """

    exported = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Журнал доступа к персональным данным"))
        today = QDate.currentDate()
        self.first = QDateEdit(today.addDays(-DEFAULT_DAYS), self)
        self.last = QDateEdit(today, self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        explanation = QLabel(self.tr(
            "Кто просматривал, открывал, выгружал, загружал, копировал на портал, удалял и уничтожал документы "
            "участников. Выгрузка прилагается к акту об уничтожении персональных данных."), self)
        explanation.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Выгрузить…"), self)
        self.export_button.clicked.connect(self.ask_path)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        form = QFormLayout()
        form.addRow(self.tr("С"), self.first)
        form.addRow(self.tr("По"), self.last)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def days(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()

    def ask_path(self) -> None:
        first, last = self.days()
        name = self.tr("Журнал доступа к ПД {first:%Y-%m-%d} — {last:%Y-%m-%d}.xlsx").format(first=first, last=last)
        suggested = str(Path.home() / name)
        path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Выгрузить журнал"), suggested,
                                                    self.tr("Книга Excel (*.xlsx);;CSV для Excel (*.csv)"))
        if path:
            self.export_to(Path(path) if Path(path).suffix.lower() in (".xlsx", ".csv") else Path(path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the range's rows to ``path`` (XLSX or CSV by its extension) on the CPU pool."""
        first, last = self.days()
        if first > last:
            self._finish(self.tr("Начало периода позже его конца: записей в таком периоде нет"), error=True)
            return
        since, until = day_range(first, last)
        store, title = self.context.store, export_title(self.context.profile_name, first, last)
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Журнал выгружается…"))

        def done(count: object, error: BaseException | None) -> None:
            self.export_button.setEnabled(True)
            if error is not None:
                log.warning("access log export failed: %s", type(error).__name__)
                reason = getattr(error, "strerror", None) or str(error)
                self._finish(self.tr("Журнал не сохранён в {path}: {reason}").format(path=path, reason=reason),
                             error=True)
                return
            self._finish(self.tr("Журнал сохранён: {path} (записей: {count})").format(path=path, count=count))
            self.exported.emit(path)

        run_task(lambda: export_log(store, path, AccessQuery(since, until), title), done)

    def _finish(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        if error:
            self.context.messages.error(text)
            self.exported.emit(text)
        else:
            self.context.messages.info(text)


def install(window: MainWindow) -> None:
    """«Файл → Журнал доступа к ПД…»: the dialog (the last one opened is ``window.access_log_dialog``)."""
    from ..views.uploads_view import find_menu  # one place knows how menus are found by title

    action = QAction(QCoreApplication.translate("AccessLogDialog", ACTION_TITLE), window)

    def open_dialog() -> None:
        dialog = AccessLogDialog(window.context, window)
        window.access_log_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    action.triggered.connect(lambda _checked=False: open_dialog())
    window.addAction(action)
    find_menu(window, MENU_TITLE).addAction(action)
