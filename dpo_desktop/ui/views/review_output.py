"""What the review hands out: the XLSX export of the rows shown (written on the CPU pool) and the letter
to the client's responsible person listing who lacks what."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from ..models.review import COLUMNS, ReviewModel, ReviewRow
from ..review_export import LetterGroup, letter_text, write_review_xlsx

if TYPE_CHECKING:
    from ..context import AppContext

log = logging.getLogger("dpo.ui")


class ReviewOutput:
    """Mixed into the review screen (a QWidget with ``model`` and ``context``)."""

    model: ReviewModel
    context: AppContext

    def _ask_export_path(self) -> None:
        suggested = str(Path.home() / QCoreApplication.translate("ReviewOutput", "Недостающие документы "
                                                                                 "{now:%Y-%m-%d}.xlsx").format(now=datetime.now()))
        path, _chosen = QFileDialog.getSaveFileName(
            self._parent_widget(), QCoreApplication.translate("ReviewScreen", "Экспорт в Excel"), suggested,
            QCoreApplication.translate("ReviewScreen", "Книга Excel (*.xlsx)"))
        if path:
            self.export_to(Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the rows shown to ``path`` on the CPU pool; a message with the path when done."""
        from ...runtime.cpu import run_task

        cells = [row.cells for row in self.model.rows]
        people = [(row.deal.id, row.report.contact_id) for row in self.model.rows]
        title = QCoreApplication.translate("ReviewOutput", "Недостающие документы на {now:%d.%m.%Y %H:%M}: "
                                           "%n участников", "", len(cells)).format(now=datetime.now())
        headers = [QCoreApplication.translate("ReviewModel", column) for column in COLUMNS]

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                log.warning("review export failed: %s", type(error).__name__)
                reason = getattr(error, "strerror", None) or str(error)
                self.context.messages.error(QCoreApplication.translate(
                    "ReviewScreen", "Не удалось сохранить отчёт в {path}: {reason}").format(path=path, reason=reason))
            else:
                self._log_export(people, f"проверка документов, xlsx в файл: строк {len(people)}")
                self.context.messages.info(QCoreApplication.translate("ReviewScreen", "Отчёт сохранён: {path}").format(
                    path=path))

        run_task(lambda: write_review_xlsx(path, title, headers, cells), done)

    def letter(self) -> str:
        """The letter for the rows shown, grouped by deal."""
        groups: dict[int, list[ReviewRow]] = {}
        for row in self.model.rows:
            groups.setdefault(row.deal.id, []).append(row)
        letter_groups = [LetterGroup(rows[0].report.deal_title, rows[0].report.event_code,
                                     tuple((row.report.participant, row.report.missing) for row in rows))
                         for rows in groups.values()]
        return letter_text(letter_groups, self._addressee(groups))

    def _addressee(self, groups: dict[int, list[ReviewRow]]) -> str | None:
        """The client's responsible person when every deal shown has the same one."""
        people = {rows[0].deal.client_contact_id for rows in groups.values()}
        if len(people) != 1 or None in people:
            return None
        contact = self.context.reader.contact(next(iter(people)))  # type: ignore[arg-type]
        if contact is None:
            return None
        return " ".join(part for part in (contact.name, contact.second_name) if part) or contact.full_name

    def copy_letter(self) -> None:
        QApplication.clipboard().setText(self.letter())
        people = [(row.deal.id, row.report.contact_id) for row in self.model.rows if row.report.missing]
        self._log_export(people, f"текст письма клиенту в буфер обмена: участников {len(people)}")
        self.context.messages.info(QCoreApplication.translate("ReviewOutput", "Текст письма скопирован в буфер обмена"))

    def _log_export(self, people: list[tuple[int, int]], detail: str) -> None:
        """Names went out of the program: one access-log row per participant (152-ФЗ)."""
        access_log = self.context.store.access_log
        if access_log is not None:
            access_log.add_many("export", ((deal_id, contact_id, None) for deal_id, contact_id in people), detail)

    def _parent_widget(self) -> QWidget | None:
        return self if isinstance(self, QWidget) else None
