"""«Сделки → Выгрузить папку…»: the push dialog for the deal (and participant) chosen in the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction

from ..models import IdRole
from ..models.deals import TITLE

if TYPE_CHECKING:
    from ..main_window import MainWindow
    from .push_dialog import Opener

MENU_TITLE = "Сделки"  # the menu, found by its Russian title (see find_menu)
ACTION_TITLE = QT_TRANSLATE_NOOP("PushMenu", "Выгрузить папку…")


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
    from .push_dialog import PushDialog  # the dialog re-exports this install: import it when used

    action = QAction(QCoreApplication.translate("PushMenu", ACTION_TITLE), window)
    action.setStatusTip(QCoreApplication.translate("PushMenu", "Выложить документы участника, сделки или мероприятия в "
                                                               "папку на Диске портала"))

    def open_dialog() -> None:
        deal_id, contact_id = chosen_target(window)
        if deal_id is None:
            window.context.messages.warning(QCoreApplication.translate("PushMenu", "Выберите сделку в списке или "
                                                                                   "откройте её, затем выгрузите "
                                                                                   "папку"))
            return
        dialog = PushDialog(window.context, deal_id, contact_id, window, opener=opener)
        window.push_dialog = dialog  # type: ignore[attr-defined]  # the last one, for the tests
        dialog.open()

    action.triggered.connect(lambda _checked=False: open_dialog())
    window.addAction(action)
    find_menu(window, MENU_TITLE).addAction(action)
