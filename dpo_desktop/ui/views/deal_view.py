"""One deal, as the portal's deal card shows it: the header with its ДПО fields (editable in «Изменить»
mode), and the tabs «Участники» and «Документы участника»."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import Deal, ProgrammeType
from ...rules import ValidationProblem
from ...rules.validators import format_date, parse_date
from ...sync.deal_edit import update_deal
from ...sync.push import PushStats
from ..context import AppContext
from ..dialogs.frdo_programme import open_programme_editor
from ..widgets.validated import ValidatedLineEdit
from .local_wipe import LocalWipe
from .participants import ParticipantsView, push_outbox, report_push

PanelFactory = Callable[[AppContext, QWidget], QWidget]
MIN_HOURS = {ProgrammeType.PK: 16, ProgrammeType.PP: 250}  # Приказ Минобрнауки № 499
PROGRAMME_TITLES = {None: "—", ProgrammeType.PK: QT_TRANSLATE_NOOP("DealView", "ПК — повышение квалификации"),
                    ProgrammeType.PP: QT_TRANSLATE_NOOP("DealView", "ПП — профессиональная переподготовка")}
HEADER_FIELDS = (("title", QT_TRANSLATE_NOOP("DealView", "Сделка")),
                 ("stage", QT_TRANSLATE_NOOP("DealView", "Стадия")),
                 ("event", QT_TRANSLATE_NOOP("DealView", "Мероприятие")),
                 ("partner_code", QT_TRANSLATE_NOOP("DealView", "Код партнёра")),
                 ("programme", QT_TRANSLATE_NOOP("DealView", "Тип программы")),
                 ("hours", QT_TRANSLATE_NOOP("DealView", "Часов")),
                 ("dates", QT_TRANSLATE_NOOP("DealView", "Сроки обучения")),
                 ("company", QT_TRANSLATE_NOOP("DealView", "Клиент")),
                 ("client_contact", QT_TRANSLATE_NOOP("DealView", "Ответственный клиента")),
                 ("pending", ""))


def _text_check(limit: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        value = " ".join(text.split())
        if len(value) > limit:
            raise ValidationProblem("text", QCoreApplication.translate("DealView", "Не длиннее {limit} знаков").format(
                limit=limit))
        return value
    return check


class DealEditor(QWidget):
    """The ДПО fields of a deal as a form; «Сохранить» only while every field is right.

    Signals:
        saved(dict): the changed fields (logical name -> typed value).
        cancelled(): the user left the form.
    """

    saved = Signal(dict)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deal: Deal | None = None
        self.partner_code = ValidatedLineEdit(_text_check(50), optional=True)
        self.event_name = ValidatedLineEdit(_text_check(255), optional=True)
        self.event_code = ValidatedLineEdit(_text_check(50), optional=True)
        self.programme = QComboBox(self)
        for programme, title in PROGRAMME_TITLES.items():
            self.programme.addItem(self.tr(title), programme)
        self.hours = ValidatedLineEdit(self._check_hours, optional=True)
        self.start_date = ValidatedLineEdit(lambda text: parse_date(text, field="start_date"), optional=True,
                                            placeholder=self.tr("ДД.ММ.ГГГГ"))
        self.end_date = ValidatedLineEdit(self._check_end, optional=True, placeholder=self.tr("ДД.ММ.ГГГГ"))
        self.fields = [self.partner_code, self.event_name, self.event_code, self.hours, self.start_date, self.end_date]
        form = QFormLayout()
        for label, widget in ((self.tr("Код партнёра"), self.partner_code),
                              (self.tr("Название мероприятия"), self.event_name),
                              (self.tr("Код мероприятия"), self.event_code), (self.tr("Тип программы"), self.programme),
                              (self.tr("Часов"), self.hours), (self.tr("Дата начала"), self.start_date),
                              (self.tr("Дата окончания"), self.end_date)):
            form.addRow(label, widget)
        self.save_button = QPushButton(self.tr("Сохранить"), self)
        self.cancel_button = QPushButton(self.tr("Отмена"), self)
        self.save_button.clicked.connect(lambda: self.saved.emit(self.changes()))
        self.cancel_button.clicked.connect(self.cancelled)
        for field in self.fields:
            field.validity_changed.connect(self._update_save)
        # Hours depend on the programme, the end on the start: re-check them when those change.
        self.programme.currentIndexChanged.connect(lambda _: self._recheck(self.hours))
        self.start_date.edit.textChanged.connect(lambda _: self._recheck(self.end_date))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def load(self, deal: Deal) -> None:
        self.deal = deal
        self.partner_code.setText(deal.partner_code)
        self.event_name.setText(deal.event_name)
        self.event_code.setText(deal.event_code)
        self.programme.setCurrentIndex(list(PROGRAMME_TITLES).index(deal.programme_type))
        self.hours.setText("" if deal.hours is None else str(deal.hours))
        self.start_date.setText(format_date(deal.start_date) if deal.start_date else "")
        self.end_date.setText(format_date(deal.end_date) if deal.end_date else "")
        self._update_save()

    def changes(self) -> dict[str, Any]:
        if self.deal is None:
            return {}
        now = {"partner_code": self.partner_code.value() or "", "event_name": self.event_name.value() or "",
               "event_code": self.event_code.value() or "", "programme_type": self.programme_type(),
               "hours": self.hours.value(), "start_date": self.start_date.value(), "end_date": self.end_date.value()}
        return {name: value for name, value in now.items() if value != getattr(self.deal, name)}

    def programme_type(self) -> ProgrammeType | None:
        data = self.programme.currentData()  # Qt hands the enum back as a plain str
        return ProgrammeType(data) if data else None

    def _check_hours(self, text: str) -> int:
        if not text.strip().isdigit() or int(text) == 0:
            raise ValidationProblem("hours", self.tr("Нужно целое число часов больше нуля"))
        hours = int(text)
        programme = self.programme_type()
        least = MIN_HOURS.get(programme)
        if least is not None and hours < least:
            raise ValidationProblem("hours", self.tr("Для {programme} не меньше {least} часов (Приказ № 499)").format(
                programme=programme.value, least=least))
        return hours

    def _check_end(self, text: str) -> date:
        end = parse_date(text, field="end_date")
        start = self.start_date.value()
        if start is not None and end < start:
            raise ValidationProblem("end_date", self.tr("Окончание раньше начала ({start})").format(
                start=format_date(start)))
        return end

    def _recheck(self, field: ValidatedLineEdit) -> None:
        field.edit.textChanged.emit(field.edit.text())

    def _update_save(self, *_: object) -> None:
        self.save_button.setEnabled(all(field.is_valid() for field in self.fields))


class DealView(QWidget):
    """A deal's header and tabs.

    Signals:
        closed(): «Назад» was pressed.

    Attributes:
        header: the header's value labels by name; editor: the DealEditor; participants: the ParticipantsView;
        documents_panel: the widget in «Документы участника».
    """

    closed = Signal()

    def __init__(self, context: AppContext, documents_panel_factory: PanelFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.deal_id: int | None = None
        self.back_button = QPushButton(self.tr("← Назад"), self)
        self.edit_button = QPushButton(self.tr("Изменить"), self)
        self.back_button.clicked.connect(self.closed)
        self.edit_button.clicked.connect(self.start_editing)
        self.frdo_button = QPushButton(self.tr("Данные для ФИС ФРДО…"), self)
        self.frdo_button.setToolTip(self.tr("Программа, как её называет ФИС ФРДО: область, квалификация, формы"))
        self.frdo_button.clicked.connect(lambda: open_programme_editor(self, context, self.deal_id, self._on_saved))
        self.wipe = LocalWipe(context, self)
        self.wipe_button = QPushButton(self.tr("Удалить локальные копии"), self)
        self.wipe_button.setToolTip(self.tr("Удалить с компьютера копии документов сделки, выложенных на портал"))
        self.wipe_button.clicked.connect(lambda: self.wipe.wipe_deal(self.deal_id))
        self.wipe.wiped.connect(self._on_wipe_wiped)
        self.header: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, label in HEADER_FIELDS:
            value = QLabel(self)
            value.setWordWrap(True)
            self.header[name] = value
            form.addRow(self.tr(label) if label else "", value)
        self.header["pending"].setStyleSheet("color: #ef6c00;")
        self.editor = DealEditor(self)
        self.editor.hide()
        self.editor.saved.connect(self.save)
        self.editor.cancelled.connect(self.stop_editing)
        self.participants = ParticipantsView(context, self)
        if documents_panel_factory is None:
            self.documents_panel: QWidget = QLabel(self.tr("Выберите участника, чтобы увидеть его документы"), self)
        else:
            self.documents_panel = documents_panel_factory(context, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.participants, self.tr("Участники"))
        self.tabs.addTab(self.documents_panel, self.tr("Документы участника"))
        self.participants.participant_selected.connect(self._on_participants_participant_selected)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addWidget(self.wipe_button)
        top.addWidget(self.frdo_button)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.editor)
        layout.addWidget(self.tabs, 1)
        context.bridge.store_changed.connect(self._on_bridge_store_changed)
        self.participants.files_dropped.connect(self.on_participants_files_dropped)

    def on_participants_files_dropped(self, contact_id: int, paths: list) -> None:
        """Files dropped on a participant's row are theirs; the panel classifies the type and uploads."""
        upload = getattr(self.documents_panel, "upload", None)
        if upload is not None and self.deal_id is not None:
            self.documents_panel.set_participant(self.deal_id, contact_id)  # type: ignore[attr-defined]
            upload([Path(path) for path in paths], contact_id=contact_id)
            self.tabs.setCurrentWidget(self.documents_panel)

    def detach(self) -> None:
        """Stop following the cache (before the context closes)."""
        self.context.bridge.store_changed.disconnect(self._on_bridge_store_changed)
        self.participants.detach()
        self.documents_panel.close()  # the panel lets go of the bridge when closed

    def show_deal(self, deal_id: int) -> None:
        self.deal_id = deal_id
        self.stop_editing()
        self.refresh_header()
        self.participants.show_deal(deal_id)

    def deal(self) -> Deal | None:
        return self.context.reader.deal(self.deal_id) if self.deal_id is not None else None

    def refresh_header(self) -> None:
        deal, reader = self.deal(), self.context.reader
        if deal is None:
            for label in self.header.values():
                label.clear()
            self.header["title"].setText(self.tr("Сделки нет в кэше"))
            return
        stage = next((stage for stage in reader.stages(deal.pipeline_id) if stage.status_id == deal.stage_id), None)
        colour = stage.color if stage and stage.color else "#e0e0e0"
        self.header["stage"].setStyleSheet(f"background-color: {colour}; padding: 2px 6px;")
        company = reader.company(deal.company_id) if deal.company_id else None
        person = reader.contact(deal.client_contact_id) if deal.client_contact_id else None
        dates = " — ".join(format_date(day) if day else "…" for day in (deal.start_date, deal.end_date))
        values = {
            "title": deal.title, "stage": stage.name if stage else deal.stage_id,
            "event": " ".join(part for part in (deal.event_code, deal.event_name) if part),
            "partner_code": deal.partner_code,
            "programme": self.tr(PROGRAMME_TITLES[deal.programme_type]) if deal.programme_type else "",
            "hours": "" if deal.hours is None else str(deal.hours),
            "dates": dates if (deal.start_date or deal.end_date) else "",
            "company": company.title if company else "", "client_contact": person.full_name if person else "",
            "pending": self.tr("Изменения сделки ждут отправки") if self._deal_pending(deal.id) else "",
        }
        for name, text in values.items():
            self.header[name].setText(text)

    def _deal_pending(self, deal_id: int) -> bool:
        return any(item.kind == "deal.update" and item.payload.get("deal_id") == deal_id
                   for item in self.context.reader.pending())

    # -- editing -----------------------------------------------------------------------------------------

    def start_editing(self) -> None:
        deal = self.deal()
        if deal is None:
            return
        self.editor.load(deal)
        self.editor.show()
        self.edit_button.setEnabled(False)

    def stop_editing(self) -> None:
        self.editor.hide()
        self.edit_button.setEnabled(True)

    def save(self, changes: dict[str, Any]) -> None:
        deal_id = self.deal_id
        self.stop_editing()
        if not changes or deal_id is None:
            return

        async def work(context: AppContext) -> None:
            update_deal(context.store, deal_id, changes)

        self.context.run(work, self._on_saved)

    def _on_saved(self, _: object) -> None:
        self.refresh_header()  # the new values show at once, marked «ждут отправки»
        self.context.run(push_outbox, self._on_pushed)

    def _on_pushed(self, stats: PushStats) -> None:
        self.refresh_header()
        report_push(self.context, stats, self.tr("Изменения сделки отправлены на портал"))

    # -- wiring ------------------------------------------------------------------------------------------------

    def _on_participants_participant_selected(self, contact_id: int) -> None:
        setter = getattr(self.documents_panel, "set_participant", None)
        if setter is not None and self.deal_id is not None:
            setter(self.deal_id, contact_id or None)

    def _on_wipe_wiped(self, _result: object) -> None:
        forget = getattr(self.documents_panel, "forget_wiped_files", None)
        if forget is not None:
            forget()

    def _on_bridge_store_changed(self, table: str, _keys: object) -> None:
        if table in ("deals", "outbox", "contacts", "companies", "stages") and self.deal_id is not None:
            self.refresh_header()
