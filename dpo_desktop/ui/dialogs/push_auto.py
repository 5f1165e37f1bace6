"""The automatic mode of the folder push (push by itself when a participant's set is complete, or when
the deal reaches a stage): its controls, the rule as the user reads it, and saving it in the profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...profiles import ProfileError

if TYPE_CHECKING:
    from ...sync.push_settings import PushSettings
    from ..context import AppContext

Saver = Callable[[str, "PushSettings"], Any]

ON_COMPLETE, ON_STAGE = 0, 1
RULE_TITLES = (QT_TRANSLATE_NOOP("PushAuto", "когда комплект полный"),
               QT_TRANSLATE_NOOP("PushAuto", "когда сделка на стадии …"))


def rule_text(settings: PushSettings, stage_names: dict[str, str]) -> str:
    """The automatic mode's rule, as the user reads it."""
    if settings.auto_on_complete:
        return QCoreApplication.translate("PushAuto", "Автоматически: когда комплект документов участника полный")
    if settings.auto_stages:
        names = ", ".join(f"«{stage_names.get(stage, stage)}»" for stage in settings.auto_stages)
        return QCoreApplication.translate("PushAuto", "Автоматически: когда сделка на стадии {names}").format(
            names=names)
    return QCoreApplication.translate("PushAuto", "Автоматическая выгрузка выключена: только вручную")


class AutoPushBox(QGroupBox):
    """«Автоматическая выгрузка». Attributes: ``auto_box``, ``rule_combo``, ``stage_combo``, ``save_button``,
    ``rule_label``."""

    def __init__(self, context: AppContext, stages: dict[str, str], saver: Saver,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Автоматическая выгрузка"), parent)
        self.context = context
        self._stages = stages
        self._saver = saver
        column = QVBoxLayout(self)
        line = QHBoxLayout()
        self.auto_box = QCheckBox(self.tr("Выгружать автоматически"), self)
        self.rule_combo = QComboBox(self)
        self.rule_combo.addItems([QCoreApplication.translate("PushAuto", title) for title in RULE_TITLES])
        self.stage_combo = QComboBox(self)
        for status_id, name in self._stages.items():
            self.stage_combo.addItem(name, status_id)
        self.save_button = QPushButton(self.tr("Сохранить правило"), self)
        for widget in (self.auto_box, self.rule_combo, self.stage_combo, self.save_button):
            line.addWidget(widget)
        self.rule_label = QLabel(self)
        column.addLayout(line)
        column.addWidget(self.rule_label)
        self.auto_box.toggled.connect(lambda _on: self._update_rule())
        self.rule_combo.currentIndexChanged.connect(lambda _row: self._update_rule())
        self.stage_combo.currentIndexChanged.connect(lambda _row: self._update_rule())
        self.save_button.clicked.connect(self.save_rule)
        self.load(context.push_settings)

    def load(self, settings: PushSettings) -> None:
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
            self.context.messages.error(self.tr("Правило не сохранено: {error}").format(error=error))
            return False
        self.context.push_settings = settings
        self.context.messages.info(self.tr("Правило автоматической выгрузки сохранено"))
        return True
