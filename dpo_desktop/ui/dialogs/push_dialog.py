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
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...profiles import ProfileError, save_push_settings
from ...sync.folder_push import FolderPusher, PushError, PushResult, PushStopped
from ..models import IdRole
from ..models.deals import TITLE
from ..models.push_results import WHO, PushResultsModel

if TYPE_CHECKING:
    from ...sync.push_settings import PushSettings
    from ..context import AppContext
    from ..main_window import MainWindow

Opener = Callable[[QUrl], Any]
Saver = Callable[[str, "PushSettings"], Any]
Index = QModelIndex | QPersistentModelIndex

PARTICIPANT, DEAL, EVENT = "participant", "deal", "event"
ON_COMPLETE, ON_STAGE = 0, 1
RULE_TITLES = ("когда комплект полный", "когда сделка на стадии …")

def rule_text(settings: PushSettings, stage_names: dict[str, str]) -> str:
    """The automatic mode's rule, as the user reads it."""
    if settings.auto_on_complete:
        return "Автоматически: когда комплект документов участника полный"
    if settings.auto_stages:
        names = ", ".join(f"«{stage_names.get(stage, stage)}»" for stage in settings.auto_stages)
        return f"Автоматически: когда сделка на стадии {names}"
    return "Автоматическая выгрузка выключена: только вручную"


def summary_text(results: list[PushResult]) -> str:
    copied = sum(len(result.copied) for result in results)
    skipped = sum(len(result.skipped) for result in results)
    problems = sum(len(result.problems) for result in results)
    started = sum(1 for result in results if result.workflow_id)
    parts = []
    if started:
        parts.append(f"бизнес-процесс запущен: {started}")
    if copied:
        parts.append(f"скопировано файлов: {copied}, без изменений: {skipped}")
    elif not started:
        parts.append("ничего не скопировано — всё уже на месте")
    if problems:
        parts.append(f"проблем: {problems}")
    return "Готово: " + "; ".join(parts)


class PushDialog(QDialog):
    """Attributes: the scope buttons (``participant_button``, ``deal_button``, ``event_button``),
    ``push_button``, ``stop_button``, ``progress``, ``results`` (PushResultsModel), ``table``, ``status``,
    ``link_label``, ``auto_box``, ``rule_combo``, ``stage_combo``, ``rule_label``, ``save_button``,
    ``bizproc_box``; ``running`` while a push goes on."""

    def __init__(self, context: AppContext, deal_id: int, contact_id: int | None = None,
                 parent: QWidget | None = None, *, opener: Opener | None = None,
                 saver: Saver | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Выгрузить папку на Диск портала")
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
        self._load_settings(context.push_settings)

    # -- layout --------------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self._scope_box())
        self.bizproc_box = QCheckBox(self)
        template = self.context.push_settings.bizproc_template_id
        self.bizproc_box.setText(f"Копирует бизнес-процесс портала (шаблон {template}), а не программа")
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
        self.progress.setFormat("%v из %m участников")
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
        layout.addWidget(self._auto_box())
        buttons = QHBoxLayout()
        self.push_button = QPushButton("Выгрузить", self)
        self.stop_button = QPushButton("Остановить", self)
        close_button = QPushButton("Закрыть", self)
        self.push_button.setDefault(True)
        self.push_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.push_button, self.stop_button, close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def _scope_box(self) -> QGroupBox:
        box = QGroupBox("Что выгрузить", self)
        row = QHBoxLayout(box)
        contact = self.context.reader.contact(self.contact_id) if self.contact_id else None
        who = contact.full_name if contact else "участник не выбран"
        deal_title = self.deal.title if self.deal else f"сделка {self.deal_id}"
        event = self.deal.event_code.strip() if self.deal else ""
        self.participant_button = QRadioButton(f"Участник: {who}", box)
        self.deal_button = QRadioButton(f"Сделка: {deal_title}", box)
        self.event_button = QRadioButton(f"Мероприятие: {event or 'код не указан'}", box)
        self._can_choose = {self.participant_button: contact is not None, self.deal_button: True,
                            self.event_button: bool(event)}
        for button, allowed in self._can_choose.items():
            button.setEnabled(allowed)
        self.scope_group = QButtonGroup(box)
        for button in (self.participant_button, self.deal_button, self.event_button):
            self.scope_group.addButton(button)
            row.addWidget(button)
        (self.participant_button if contact is not None else self.deal_button).setChecked(True)
        return box

    def _auto_box(self) -> QGroupBox:
        box = QGroupBox("Автоматическая выгрузка", self)
        column = QVBoxLayout(box)
        line = QHBoxLayout()
        self.auto_box = QCheckBox("Выгружать автоматически", box)
        self.rule_combo = QComboBox(box)
        self.rule_combo.addItems(RULE_TITLES)
        self.stage_combo = QComboBox(box)
        for status_id, name in self._stages.items():
            self.stage_combo.addItem(name, status_id)
        self.save_button = QPushButton("Сохранить правило", box)
        for widget in (self.auto_box, self.rule_combo, self.stage_combo, self.save_button):
            line.addWidget(widget)
        self.rule_label = QLabel(box)
        column.addLayout(line)
        column.addWidget(self.rule_label)
        self.auto_box.toggled.connect(lambda _on: self._update_rule())
        self.rule_combo.currentIndexChanged.connect(lambda _row: self._update_rule())
        self.stage_combo.currentIndexChanged.connect(lambda _row: self._update_rule())
        self.save_button.clicked.connect(self.save_rule)
        return box

    # -- the automatic mode --------------------------------------------------------------------------

    def _load_settings(self, settings: PushSettings) -> None:
        self.auto_box.setChecked(settings.auto_on_complete or bool(settings.auto_stages))
        self.rule_combo.setCurrentIndex(ON_STAGE if settings.auto_stages and not settings.auto_on_complete
                                        else ON_COMPLETE)
        if settings.auto_stages:
            position = self.stage_combo.findData(settings.auto_stages[0])
            if position >= 0:
                self.stage_combo.setCurrentIndex(position)
        self._update_rule()

    def chosen_settings(self) -> PushSettings:
        """The profile's push settings with the automatic mode as the controls now say."""
        on = self.auto_box.isChecked()
        stage = self.stage_combo.currentData()
        by_stage = on and self.rule_combo.currentIndex() == ON_STAGE and stage is not None
        return self.context.push_settings.model_copy(update={
            "auto_on_complete": on and self.rule_combo.currentIndex() == ON_COMPLETE,
            "auto_stages": (stage,) if by_stage else (),
        })

    def _update_rule(self) -> None:
        on = self.auto_box.isChecked()
        self.rule_combo.setEnabled(on)
        self.stage_combo.setEnabled(on and self.rule_combo.currentIndex() == ON_STAGE)
        self.rule_label.setText(rule_text(self.chosen_settings(), self._stages))

    def save_rule(self) -> bool:
        settings = self.chosen_settings()
        try:
            self._saver(self.context.profile_name, settings)
        except (ProfileError, OSError) as error:
            self.context.messages.error(f"Правило не сохранено: {error}")
            return False
        self.context.push_settings = settings
        self.context.messages.info("Правило автоматической выгрузки сохранено")
        return True

    # -- the push ------------------------------------------------------------------------------------

    def scope(self) -> str:
        if self.participant_button.isChecked():
            return PARTICIPANT
        return EVENT if self.event_button.isChecked() else DEAL

    def targets(self) -> list[tuple[int, int]]:
        """(deal, contact) of everyone the chosen scope pushes, from the cache."""
        reader = self.context.reader
        scope = self.scope()
        if scope == PARTICIPANT and self.contact_id:
            return [(self.deal_id, self.contact_id)]
        deals = [self.deal_id]
        if scope == EVENT and self.deal is not None:
            wanted = self.deal.event_code.strip().casefold()
            deals = [deal.id for deal in reader.deals(self.context.mapping.pipeline_id)
                     if deal.event_code.strip().casefold() == wanted]
        return [(deal_id, item.contact_id) for deal_id in deals for item in reader.participants(deal_id=deal_id)
                if item.id is not None and item.contact_id > 0]

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
            self.status.setText("Выгружать некого: в сделке нет участников, записанных на портале")
            return
        self._set_running(True, total=len(self._targets))
        self._next(settings)

    def stop(self) -> None:
        """Stop after the participant being pushed now (what is done stays done)."""
        if self.running:
            self._stopping = True
            self.status.setText("Останавливается после текущего участника…")

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

        self.status.setText(f"Выгружается: {self._who(contact_id)}…")
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
            self.status.setText(f"Остановлено: выгружено {self._done} из {len(self._targets)}")
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
        for button, allowed in self._can_choose.items():
            button.setEnabled(allowed and not running)

    def _add(self, result: PushResult) -> None:
        who = self._who(result.contact_id) if result.contact_id else f"Сделка {result.deal_id} (бизнес-процесс)"
        self.results.add(who, result)

    def _who(self, contact_id: int) -> str:
        contact = self.context.reader.contact(contact_id)
        return contact.full_name if contact else f"Контакт {contact_id}"

    # -- the folder's link ---------------------------------------------------------------------------

    def _show_link(self, result: PushResult | None) -> None:
        self.link = result.link if result is not None else ""
        if self.link:
            self.link_label.setText(f'<a href="{escape(self.link)}">Открыть папку на портале</a> — '
                                    f"{escape(result.path)}")
        else:
            self.link_label.setText("")

    def open_link(self, _href: str = "") -> None:
        """Open the folder shown (the label carries one link: its own text is not trusted as a URL)."""
        if self.link:
            self._opener(QUrl(self.link))

    def reject(self) -> None:
        self._stopping = True  # a participant on the lane finishes; no next one starts
        super().reject()


# -- the window's menu ------------------------------------------------------------------------------------

MENU_TITLE = "Сделки"
ACTION_TITLE = "Выгрузить папку…"


def chosen_target(window: MainWindow) -> tuple[int | None, int | None]:
    """(deal, participant's contact) the action is for: the deal view's deal and selected participant, or
    the browser's selected deal."""
    if window.on_deal_view():
        deal_id = getattr(window.deal_view, "deal_id", None)
        participants = getattr(window.deal_view, "participants", None)
        contact_id = participants.current_contact_id() if participants is not None else None
        return deal_id, contact_id or None
    table = getattr(window.browser, "table", None)
    index = table.currentIndex() if table is not None else None
    if index is None or not index.isValid():
        return None, None
    deal_id = index.siblingAtColumn(TITLE).data(IdRole)
    return (int(deal_id) if deal_id is not None else None), None


def install(window: MainWindow, *, opener: Opener | None = None) -> None:
    """«Сделки → Выгрузить папку…»: the push dialog for what is chosen now (``window.push_dialog``)."""
    from ..views.uploads_view import find_menu  # one place knows how menus are found by title

    action = QAction(ACTION_TITLE, window)
    action.setStatusTip("Выложить документы участника, сделки или мероприятия в папку на Диске портала")

    def open_dialog() -> None:
        deal_id, contact_id = chosen_target(window)
        if deal_id is None:
            window.context.messages.warning("Выберите сделку в списке или откройте её, затем выгрузите папку")
            return
        dialog = PushDialog(window.context, deal_id, contact_id, window, opener=opener)
        window.push_dialog = dialog  # type: ignore[attr-defined]  # the last one, for the tests
        dialog.open()

    action.triggered.connect(lambda _checked=False: open_dialog())
    window.addAction(action)
    find_menu(window, MENU_TITLE).addAction(action)
