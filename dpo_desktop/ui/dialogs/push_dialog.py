"""«Выгрузить папку»: a participant's, a deal's or an event's document folders pushed to the portal's drive.

The participants are pushed one at a time, each as its own piece of lane work (one ``FolderPusher`` for the
whole run, so folders made once are not looked up again), which gives the progress (participants done of
all) and lets «Остановить» stop between two participants. Each participant's row says what was copied,
skipped and what went wrong; the folder's link opens in the browser (the opener is injectable for tests).
With the profile's business process set, the portal may do the copying instead (one start per deal).

The automatic mode (push by itself when a set is complete, or when the deal reaches a stage) is shown
with its rule and saved in the profile.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...profiles import save_push_settings
from ...sync.folder_push import FolderPusher, PushError, PushResult, PushStopped
from ..models.push_results import WHO, PushResultsModel, summary_text
from .push_auto import ON_COMPLETE, ON_STAGE, AutoPushBox, Saver, rule_text
from .push_menu import chosen_target, install
from .push_scope import EVENT, PARTICIPANT, ScopeBox

__all__ = ["ON_COMPLETE", "ON_STAGE", "PushDialog", "chosen_target", "install", "rule_text", "summary_text"]

if TYPE_CHECKING:
    from ...sync.push_settings import PushSettings
    from ..context import AppContext

Opener = Callable[[QUrl], Any]
Index = QModelIndex | QPersistentModelIndex


class PushDialog(QDialog):
    """Attributes: the scope buttons (``participant_button``, ``deal_button``, ``event_button``),
    ``push_button``, ``stop_button``, ``progress``, ``results`` (PushResultsModel), ``table``, ``status``,
    ``link_label``, ``auto_box``, ``rule_combo``, ``stage_combo``, ``rule_label``, ``save_button``,
    ``bizproc_box``; ``running`` while a push goes on."""

    def __init__(self, context: AppContext, deal_id: int, contact_id: int | None = None,
                 parent: QWidget | None = None, *, opener: Opener | None = None,
                 saver: Saver | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Выгрузить папку на Диск портала"))
        self.resize(760, 520)
        self.context = context
        self.deal_id = deal_id
        self.contact_id = contact_id
        self.deal = context.reader.deal(deal_id)
        self._opener: Opener = opener or QDesktopServices.openUrl
        self._saver: Saver = saver or save_push_settings
        self._stages = {stage.status_id: stage.name for stage in context.reader.stages(context.mapping.pipeline_id)}
        self._targets: list[tuple[int, int]] = []
        self._done = 0
        self._stopping = False
        self._pusher: list[FolderPusher] = []  # made and used on the lane, kept for the whole run
        self.running = False
        self.link = ""
        self._build()

    # -- layout --------------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.scope_box = ScopeBox(self.context, self.deal_id, self.contact_id, self.deal, self)
        self.participant_button = self.scope_box.participant_button
        self.deal_button, self.event_button = self.scope_box.deal_button, self.scope_box.event_button
        layout.addWidget(self.scope_box)
        self.bizproc_box = QCheckBox(self)
        template = self.context.push_settings.bizproc_template_id
        self.bizproc_box.setText(self.tr("Копирует бизнес-процесс портала (шаблон {template}), а не программа")
                                 .format(template=template))
        self.bizproc_box.setChecked(template is not None)
        self.bizproc_box.setVisible(template is not None)
        layout.addWidget(self.bizproc_box)
        self.results = PushResultsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(WHO, 220)
        self.table.clicked.connect(lambda index: self._show_link(self.results.result(index.row())))
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar(self)
        self.progress.setFormat(self.tr("%v из %m участников"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.link_label = QLabel(self)
        self.link_label.setTextFormat(Qt.TextFormat.RichText)
        self.link_label.setOpenExternalLinks(False)  # our opener: injectable, and it is the one place that opens
        self.link_label.linkActivated.connect(self.open_link)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.link_label)
        self.auto = AutoPushBox(self.context, self._stages, self._saver, self)
        auto = self.auto
        self.auto_box, self.rule_combo, self.stage_combo = auto.auto_box, auto.rule_combo, auto.stage_combo
        self.rule_label, self.save_button = auto.rule_label, auto.save_button
        layout.addWidget(self.auto)
        buttons = QHBoxLayout()
        self.push_button = QPushButton(self.tr("Выгрузить"), self)
        self.stop_button = QPushButton(self.tr("Остановить"), self)
        close_button = QPushButton(self.tr("Закрыть"), self)
        self.push_button.setDefault(True)
        self.push_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.push_button, self.stop_button, close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def chosen_settings(self) -> PushSettings:
        """The profile's push settings with the automatic mode as the controls now say."""
        return self.auto.chosen_settings()

    def save_rule(self) -> bool:
        return self.auto.save_rule()

    # -- the push ------------------------------------------------------------------------------------

    def scope(self) -> str:
        return self.scope_box.scope()

    def targets(self) -> list[tuple[int, int]]:
        """(deal, contact) of everyone the chosen scope pushes, from the cache."""
        return self.scope_box.targets()

    def push_settings(self) -> PushSettings:
        settings = self.context.push_settings
        if settings.bizproc_template_id is not None and not self.bizproc_box.isChecked():
            settings = settings.model_copy(update={"bizproc_template_id": None})
        return settings

    def start(self) -> None:
        if self.running:
            return
        settings = self.push_settings()
        self.results.clear()
        self._show_link(None)
        self._pusher.clear()
        self._stopping = False
        self._done = 0
        if settings.bizproc_template_id is not None and self.scope() != PARTICIPANT:
            self._targets = []
            self._set_running(True, total=1)
            self.context.run(self._workflow_work(settings), self._on_workflows, self._on_failed)
            return
        self._targets = self.targets()
        if not self._targets:
            self.status.setText(self.tr("Выгружать некого: в сделке нет участников, записанных на портале"))
            return
        self._set_running(True, total=len(self._targets))
        self._next(settings)

    def stop(self) -> None:
        """Stop after the participant being pushed now (what is done stays done)."""
        if self.running:
            self._stopping = True
            self.status.setText(self.tr("Останавливается после текущего участника…"))

    def _workflow_work(self, settings: PushSettings):
        scope, deal_id, event = self.scope(), self.deal_id, self.deal.event_code if self.deal else ""

        async def work(ctx: AppContext) -> list[PushResult]:
            pusher = FolderPusher(ctx.client, ctx.store, ctx.mapping, settings, local_copies=ctx.local_copies)
            return await (pusher.push_event(event) if scope == EVENT else pusher.push_deal(deal_id))
        return work

    def _next(self, settings: PushSettings) -> None:
        if self._stopping or self._done >= len(self._targets):
            self._finish()
            return
        deal_id, contact_id = self._targets[self._done]
        made = self._pusher

        async def work(ctx: AppContext) -> PushResult:
            if not made:
                made.append(FolderPusher(ctx.client, ctx.store, ctx.mapping, settings, local_copies=ctx.local_copies))
            return await made[0].push_participant(deal_id, contact_id)

        self.status.setText(self.tr("Выгружается: {who}…").format(who=self._who(contact_id)))
        self.context.run(work, lambda result: self._on_pushed(result, settings),
                         lambda error: self._on_participant_failed(error, deal_id, contact_id, settings))

    def _on_pushed(self, result: PushResult, settings: PushSettings) -> None:
        self._add(result)
        self._step(settings)

    def _step(self, settings: PushSettings) -> None:
        self._done += 1
        self.progress.setValue(self._done)
        # The next participant from the event loop, not from here: a result can be delivered inside
        # ``context.run`` itself (a lane task that ends before run() returns), which would recurse.
        QTimer.singleShot(0, self, lambda: self._next(settings))

    def _on_participant_failed(self, error: BaseException, deal_id: int, contact_id: int,
                               settings: PushSettings) -> None:
        if isinstance(error, PushStopped):
            for result in error.results:
                self._add(result)
            self._finish(str(error))
            return
        if isinstance(error, PushError):  # this participant cannot be pushed; the others can
            self._add(PushResult(deal_id, contact_id, problems=[str(error)]))
            self._step(settings)
            return
        self._on_failed(error)

    def _on_workflows(self, results: list[PushResult]) -> None:
        for result in results:
            self._add(result)
        self.progress.setValue(1)
        self._finish()

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, PushStopped):
            for result in error.results:
                self._add(result)
            self._finish(str(error))
            return
        description = getattr(error, "description", None)
        self._finish(str(description or error) or type(error).__name__)

    def _finish(self, problem: str = "") -> None:
        self._set_running(False)
        results = self.results.results()
        if problem:
            self.status.setText(problem)
            self.context.messages.warning(problem)
        elif self._stopping:
            self.status.setText(self.tr("Остановлено: выгружено {done} из {total}").format(done=self._done,
                                                                                         total=len(self._targets)))
        else:
            self.status.setText(summary_text(results))
        self._show_link(next((result for result in results if result.link), None))

    def _set_running(self, running: bool, total: int | None = None) -> None:
        self.running = running
        if total is not None:
            self.progress.setRange(0, total)
            self.progress.setValue(0)
        self.push_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.scope_box.set_running(running)

    def _add(self, result: PushResult) -> None:
        who = (self._who(result.contact_id) if result.contact_id
               else self.tr("Сделка {deal_id} (бизнес-процесс)").format(deal_id=result.deal_id))
        self.results.add(who, result)

    def _who(self, contact_id: int) -> str:
        contact = self.context.reader.contact(contact_id)
        return contact.full_name if contact else self.tr("Контакт {contact_id}").format(contact_id=contact_id)

    # -- the folder's link ---------------------------------------------------------------------------

    def _show_link(self, result: PushResult | None) -> None:
        self.link = result.link if result is not None else ""
        if self.link:
            self.link_label.setText(self.tr('<a href="{link}">Открыть папку на портале</a> — {path}').format(
                link=escape(self.link), path=escape(result.path)))
        else:
            self.link_label.setText("")

    def open_link(self, _href: str = "") -> None:
        """Open the folder shown (the label carries one link: its own text is not trusted as a URL)."""
        if self.link:
            self._opener(QUrl(self.link))

    def reject(self) -> None:
        self._stopping = True  # a participant on the lane finishes; no next one starts
        super().reject()
