"""«Удалить локальные копии» of the deal shown: asked once, verified against the portal on the lane.

Nothing is removed unless every document of the deal is verifiably in its participant's folder on the
portal (``sync/wipe.py``); a refusal names the documents not verified. The button never forces: a
manager who must wipe anyway uses ``dpo-desktop wipe --force``, which still refuses where our copy may
be the only one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ...sync.wipe import LocalWiper, WipeRefused, WipeResult, previews_dir
from ..context import AppContext

Confirm = Callable[[QWidget | None, str], bool]


def ask(parent: QWidget | None, text: str) -> bool:
    answer = QMessageBox.question(parent, "DPO Desk", text)
    return answer == QMessageBox.StandardButton.Yes


class LocalWipe(QObject):
    """The wipe of one deal's local copies, started from a button.

    Signals:
        wiped(object): the ``WipeResult`` of a wipe done.
        refused(str): why nothing was removed (not verified, offline…), in Russian.
    Attributes:
        confirm: asks the user (replaced in tests); parent_widget: where the question shows.
    """

    wiped = Signal(object)
    refused = Signal(str)

    def __init__(self, context: AppContext, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.context = context
        self.parent_widget = parent_widget
        self.confirm: Confirm = ask

    def wipe_deal(self, deal_id: int | None) -> None:
        if deal_id is None:
            return
        question = self.tr(
            "Удалить с этого компьютера копии документов участников сделки {deal}?\n\nСначала на портале будет "
            "проверено, что каждый документ лежит в папке участника. Удаление записывается в журнал доступа "
            "к ПД.").format(deal=deal_id)
        if not self.confirm(self.parent_widget, question):
            return

        async def work(ctx: AppContext) -> WipeResult:
            wiper = LocalWiper(ctx.client, ctx.store, ctx.mapping, previews=previews_dir(ctx.profile_name),
                               local_copies=ctx.local_copies)
            return await wiper.wipe([deal_id])

        self.context.run(work, self._on_done, self._on_error)

    def _on_done(self, result: WipeResult) -> None:
        self.context.messages.info(self.tr(
            "Локальные копии удалены: документов {documents}, файлов {files}; выкладка на портал проверена").format(
            documents=result.documents, files=result.files_removed))
        self.wiped.emit(result)

    def _on_error(self, error: BaseException) -> None:
        if isinstance(error, WipeRefused):
            self.context.messages.warning(str(error))
            self.refused.emit(str(error))
            return
        self.context.messages.failure(error)
        self.refused.emit(str(getattr(error, "description", None) or error))
