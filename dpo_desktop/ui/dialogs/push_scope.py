"""«Что выгрузить»: the push's scope (the participant, the deal or the whole event) and whom it reaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QHBoxLayout, QRadioButton, QWidget

if TYPE_CHECKING:
    from ...domain.models import Deal
    from ..context import AppContext

PARTICIPANT, DEAL, EVENT = "participant", "deal", "event"


class ScopeBox(QGroupBox):
    """Attributes: ``participant_button``, ``deal_button``, ``event_button`` (a button is disabled when its
    scope has nobody: no participant chosen, no event code)."""

    def __init__(self, context: AppContext, deal_id: int, contact_id: int | None, deal: Deal | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Что выгрузить"), parent)
        self.context, self.deal_id, self.contact_id, self.deal = context, deal_id, contact_id, deal
        row = QHBoxLayout(self)
        contact = context.reader.contact(contact_id) if contact_id else None
        who = contact.full_name if contact else self.tr("участник не выбран")
        deal_title = deal.title if deal else self.tr("сделка {deal_id}").format(deal_id=deal_id)
        event = deal.event_code.strip() if deal else ""
        self.participant_button = QRadioButton(self.tr("Участник: {who}").format(who=who), self)
        self.deal_button = QRadioButton(self.tr("Сделка: {deal_title}").format(deal_title=deal_title), self)
        event_text = event or self.tr("код не указан")
        self.event_button = QRadioButton(self.tr("Мероприятие: {event}").format(event=event_text), self)
        self._can_choose = {self.participant_button: contact is not None, self.deal_button: True,
                            self.event_button: bool(event)}
        self.scope_group = QButtonGroup(self)
        for button in (self.participant_button, self.deal_button, self.event_button):
            self.scope_group.addButton(button)
            row.addWidget(button)
        self.set_running(False)
        (self.participant_button if contact is not None else self.deal_button).setChecked(True)

    def set_running(self, running: bool) -> None:
        for button, allowed in self._can_choose.items():
            button.setEnabled(allowed and not running)

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
