"""The ФИС ФРДО export dialog: choose an event (or the open deal), check every row, see each problem with
its participant, column, reason and fix, open the participant to fix it, and write the workbook.

The check and the export run on the CPU pool, each on a cache reader of its own; the workbook is
written only when the check finds nothing (``store.frdo_export``). Results of an older request are
dropped (a generation number), so a quick change of the event never shows the wrong problems.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...runtime.cpu import run_task
from ...store.frdo_export import FrdoReport, export, prepare_apart
from ..models.frdo_problems import FrdoProblemsModel

if TYPE_CHECKING:
    from ..context import AppContext

log = logging.getLogger("dpo.ui")

Scope = tuple[str | None, int | None]  # (event code, deal ID): one of the two


def scope_key(event_code: str | None = None, deal_id: int | None = None) -> str:
    """The combo's item data for a scope (plain text: Qt gives a Python tuple back as something else)."""
    return f"event:{event_code}" if event_code is not None else f"deal:{deal_id}"


class FrdoDialog(QDialog):
    """Check and export for ФИС ФРДО.

    Signals:
        participant_requested(deal_id, contact_id): a problem was opened; the window shows that participant.
        checked(report): a check finished (the :class:`FrdoReport`).
        exported(path): the workbook was written.

    Attributes:
        scope: the event/deal combo; model: the problems; table: their view; summary: the result line.
    """

    participant_requested = Signal(int, int)
    checked = Signal(object)
    exported = Signal(str)

    def __init__(self, context: AppContext, deal_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: FrdoReport | None = None
        self._generation = 0
        self.setWindowTitle(self.tr("Выгрузка в ФИС ФРДО"))
        self.resize(1000, 560)
        self.scope = QComboBox(self)
        self._fill_scope(deal_id)
        self.check_button = QPushButton(self.tr("Проверить"), self)
        self.export_button = QPushButton(self.tr("Выгрузить в Excel…"), self)
        self.close_button = QPushButton(self.tr("Закрыть"), self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = FrdoProblemsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setToolTip(self.tr("Двойной щелчок открывает участника, чтобы исправить данные"))
        self.scope.currentIndexChanged.connect(lambda _index: self.check())
        self.check_button.clicked.connect(self.check)
        self.export_button.clicked.connect(self.ask_path)
        self.close_button.clicked.connect(self.reject)
        self.table.doubleClicked.connect(self.open_problem)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Что выгрузить:"), self))
        top.addWidget(self.scope, 1)
        top.addWidget(self.check_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.export_button.setEnabled(False)

    def _fill_scope(self, deal_id: int | None) -> None:
        reader = self.context.reader
        deal = reader.deal(deal_id) if deal_id is not None else None
        if deal is not None:
            self.scope.addItem(self.tr("Сделка: %1").replace("%1", deal.title), scope_key(deal_id=deal.id))
            if deal.event_code:
                self.scope.addItem(self.tr("Мероприятие сделки: %1").replace("%1", deal.event_code),
                                   scope_key(deal.event_code))
        for event in reader.events(self.context.mapping.pipeline_id):
            if deal is None or event.code != deal.event_code:
                self.scope.addItem(" ".join(part for part in (event.code, event.name) if part), scope_key(event.code))

    def chosen(self) -> Scope | None:
        data = self.scope.currentData()
        if not data:
            return None
        kind, _, value = str(data).partition(":")
        return (value, None) if kind == "event" else (None, int(value))

    # -- the check -------------------------------------------------------------------------------------

    def check(self) -> None:
        """Run the pre-flight for the chosen event or deal on the CPU pool."""
        scope = self.chosen()
        if scope is None:
            self.summary.setText(self.tr("В кэше нет мероприятий: выполните синхронизацию"))
            return
        self._generation += 1
        generation, reader = self._generation, self.context.reader
        self.export_button.setEnabled(False)
        self.summary.setText(self.tr("Проверка…"))
        run_task(lambda: prepare_apart(reader, event_code=scope[0], deal_id=scope[1]),
                 lambda report, error: self._on_checked(generation, report, error))

    def _on_checked(self, generation: int, report: FrdoReport | None, error: BaseException | None) -> None:
        if generation != self._generation:
            return  # an older request: the user has chosen something else since
        if error is not None or report is None:
            log.warning("ФИС ФРДО check failed: %s", type(error).__name__)
            self.summary.setText(self.tr("Проверка не удалась: %1").replace("%1", str(error)))
            return
        self.report = report
        self.model.set_problems(report.problems)
        self.table.resizeColumnsToContents()
        self.summary.setText(self._summary_text(report))
        self.export_button.setEnabled(bool(report.rows) and not report.problems)
        self.checked.emit(report)

    def _summary_text(self, report: FrdoReport) -> str:
        skipped = self.tr(" Без выданного документа: %1 (не выгружаются).").replace("%1", str(report.not_issued)) \
            if report.not_issued else ""
        if not report.rows:
            return self.tr("Выданных документов нет: выгружать нечего.") + skipped
        if report.problems:
            rows = len({problem.row for problem in report.problems})
            return self.tr("Ошибок: %1 в %2 строках из %3. Исправьте их — двойной щелчок по ошибке открывает "
                           "участника; книга выгружается, когда ошибок нет.").replace(
                "%1", str(len(report.problems))).replace("%2", str(rows)).replace("%3", str(len(report.rows))) \
                + skipped
        return self.tr("Ошибок нет: строк к выгрузке %1.").replace("%1", str(len(report.rows))) + skipped

    def open_problem(self, index: QModelIndex) -> None:
        if index.isValid():
            problem = self.model.problem(index.row())
            self.participant_requested.emit(problem.deal_id, problem.contact_id)

    # -- the export ------------------------------------------------------------------------------------

    def ask_path(self) -> None:
        scope = self.chosen()
        deal = self.tr("сделка %1").replace("%1", str(scope[1] if scope else ""))
        name = (scope[0] if scope and scope[0] else deal).replace("/", "-")
        suggested = str(Path.home() / self.tr("ФИС ФРДО %1 %2.xlsx").replace("%1", name).replace(
            "%2", f"{datetime.now():%Y-%m-%d}"))
        path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Выгрузка в ФИС ФРДО"), suggested,
                                                    self.tr("Книга Excel (*.xlsx)"))
        if path:
            self.export_to(Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Check again (the cache may have changed) and write the workbook on the CPU pool."""
        scope = self.chosen()
        if scope is None:
            return
        self._generation += 1
        generation, reader, store = self._generation, self.context.reader, self.context.store
        self.export_button.setEnabled(False)
        self.summary.setText(self.tr("Выгрузка…"))

        def work() -> tuple[FrdoReport, Path | None]:
            report = prepare_apart(reader, event_code=scope[0], deal_id=scope[1])
            if report.problems or not report.rows:
                return report, None
            return report, export(store, report, path)  # the access log takes rows from any thread

        run_task(work, lambda result, error: self._on_exported(generation, path, result, error))

    def _on_exported(self, generation: int, path: Path, result: tuple[FrdoReport, Path | None] | None,
                     error: BaseException | None) -> None:
        if generation != self._generation:
            return
        if error is not None or result is None:
            log.warning("ФИС ФРДО export failed: %s", type(error).__name__)
            reason = getattr(error, "strerror", None) or str(error)
            self.summary.setText(self.tr("Книга не записана: %1").replace("%1", reason))
            self.context.messages.error(self.tr("Не удалось записать %1: %2").replace("%1", str(path)).replace(
                "%2", reason))
            self.export_button.setEnabled(True)
            return
        report, written = result
        self._on_checked(generation, report, None)
        if written is not None:
            self.summary.setText(self.tr("Выгружено строк: %1 в %2").replace("%1", str(len(report.rows))).replace(
                "%2", str(written)))
            self.context.messages.info(self.tr("Выгрузка в ФИС ФРДО сохранена: %1").replace("%1", str(written)))
            self.exported.emit(str(written))
