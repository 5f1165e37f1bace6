"""Each dropped file's fate, and what the user can do about it: answer, retry, cancel.

The list shows the rows of the batches started here (``start``), as the queue reports them through the
bridge. The questions a batch leaves (duplicates, files that could not be placed) are asked in
non-blocking dialogs; «Повторить» sends failed and waiting rows round again, «Отменить» stops them
(and the uploader's next run sends Drive bytes of rows that never became documents to the trash).
Rows the lane may be carrying right now are cancelled only when no run of this list is in flight.

Signals: ``finished(list)`` — the queue IDs a piece of lane work was about, once it is done with them.
Attributes: ``model``, ``view``, the buttons, ``duplicates_dialog``, ``attention_dialog``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ...domain.models import DocumentType
from ...sync.upload_queue import UploadRequest, add_files, retry
from ..dialogs.duplicates import AttentionDialog, DuplicatesDialog
from ..models.uploads import DEAL, UploadsModel
from .queue_actions import RETRYABLE, QueueActions, uploader

if TYPE_CHECKING:
    from ...store import UploadItem
    from ...store.uploads import Decision
    from ..context import AppContext




class UploadList(QueueActions, QWidget):
    finished = Signal(list)

    def __init__(self, context: AppContext, deal_id: Callable[[], int | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._deal_id = deal_id  # the deal shown: its participants are the choices of the «Уточнить» dialog
        self.model = UploadsModel(self)
        self.duplicates_dialog: DuplicatesDialog | None = None
        self.attention_dialog: AttentionDialog | None = None
        self._batches: set[str] = set()
        self._running = 0
        self._closed = False
        self._build()
        context.bridge.upload_changed.connect(self._on_bridge_upload_changed)
        context.bridge.store_changed.connect(self._on_bridge_store_changed)

    def _build(self) -> None:
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setColumnHidden(DEAL, True)  # the panel shows one deal: its name on every row says nothing
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setMaximumHeight(160)
        self.duplicates_button = QPushButton(self.tr("Дубликаты…"), self)
        self.attention_button = QPushButton(self.tr("Уточнить…"), self)
        self.retry_button = QPushButton(self.tr("Повторить"), self)
        self.cancel_button = QPushButton(self.tr("Отменить"), self)
        self.duplicates_button.clicked.connect(lambda: self.ask_about(self.model.ids()))
        self.attention_button.clicked.connect(lambda: self.ask_about(self.model.ids()))
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.model.dataChanged.connect(lambda *_: self.update_buttons())
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Перетащите файлы на панель, на строку списка или на документ"), self))
        actions.addStretch(1)
        for button in (self.retry_button, self.cancel_button, self.duplicates_button, self.attention_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(actions)
        layout.addWidget(self.view)
        self.update_buttons()

    def detach(self) -> None:
        """Closed: lane results still on their way find nothing to update (the cache may be closed next)."""
        if not self._closed:
            self._closed = True
            self.context.bridge.upload_changed.disconnect(self._on_bridge_upload_changed)
            self.context.bridge.store_changed.disconnect(self._on_bridge_store_changed)

    # -- selection and buttons ----------------------------------------------------------------------

    def selected_items(self) -> list[UploadItem]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [item for item in (self.model.item(row) for row in rows) if item is not None]

    def select_ids(self, ids: Iterable[int]) -> None:
        """Select the rows of these queue IDs (and only them)."""
        self.view.clearSelection()
        selection = self.view.selectionModel()
        for item_id in ids:
            row = next((row for row in range(self.model.rowCount()) if self.model.item(row).id == item_id), None)
            if row is not None:
                selection.select(self.model.index(row, 0), selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)

    def update_buttons(self) -> None:
        chosen = self.selected_items()
        self.retry_button.setEnabled(any(item.state in RETRYABLE for item in chosen))
        self.cancel_button.setEnabled(any(item.state in self.cancellable() for item in chosen))
        self.duplicates_button.setEnabled(bool(self.model.in_state("duplicate")))
        self.attention_button.setEnabled(bool(self.model.in_state("attention")))

    # -- lane work ----------------------------------------------------------------------------------

    def start(self, request: UploadRequest) -> None:
        """Queue the request's files and upload them on the lane."""
        self._batches.add(request.batch)

        async def work(ctx: AppContext) -> list[int]:
            added = add_files(ctx.store, request)  # the writer: only here, on the lane
            await uploader(ctx).run(added.ids)
            return added.ids

        self._run(work)

    def _done(self, ids: list[int]) -> None:
        for item in self.context.reader.uploads_with_ids(ids):
            self.model.update_item(item)
        self.update_buttons()
        self.ask_about(ids)
        self.finished.emit(ids)

    def _on_bridge_upload_changed(self, item: UploadItem) -> None:
        if item.batch in self._batches:
            self.model.update_item(item)
            self.update_buttons()

    def _on_bridge_store_changed(self, table: str, keys: frozenset) -> None:
        if table != "upload_queue":
            return
        for item in self.context.reader.uploads_with_ids(keys):
            if item.batch in self._batches:
                self.model.update_item(item)
        self.update_buttons()

    # -- the batch's questions ----------------------------------------------------------------------

    def ask_about(self, ids: Iterable[int]) -> None:
        """Open the dialogs for those of ``ids`` that wait for the user (non-blocking)."""
        chosen = set(ids)
        items = [item for item in self.model.in_state("duplicate", "attention") if item.id in chosen]
        duplicates = [item for item in items if item.state == "duplicate"]
        unplaced = [item for item in items if item.state == "attention"]
        if duplicates:
            self.duplicates_dialog = DuplicatesDialog(duplicates, self._describe_document, self)
            self.duplicates_dialog.decided.connect(self.resolve_duplicates)
            self.duplicates_dialog.open()
        if unplaced:
            self.attention_dialog = AttentionDialog(unplaced, self._people(), self)
            self.attention_dialog.decided.connect(self.resolve_attention)
            self.attention_dialog.open()

    def resolve_duplicates(self, decisions: dict[int, Decision]) -> None:
        if not decisions:
            return

        def again(store) -> list[int]:
            ids: list[int] = []
            for decision in ("link", "keep", "skip"):
                group = [item_id for item_id, chosen in decisions.items() if chosen == decision]
                if group:
                    ids += retry(store, group, decision=decision)  # type: ignore[arg-type]
            return ids

        self._retry_with(again)

    def resolve_attention(self, choices: dict[int, tuple[DocumentType, int]]) -> None:
        if not choices:
            return

        def again(store) -> list[int]:
            ids: list[int] = []
            for item_id, (doc_type, contact_id) in choices.items():
                ids += retry(store, [item_id], doc_type=doc_type, contact_id=contact_id)
            return ids

        self._retry_with(again)

    def _people(self) -> list[tuple[int, str]]:
        deal_id = self._deal_id()
        if deal_id is None:
            return []
        reader = self.context.reader
        ids = [participant.contact_id for participant in reader.participants(deal_id=deal_id)]
        return sorted(((contact.id, contact.full_name) for contact in reader.contacts(ids)), key=lambda p: p[1])

    def _describe_document(self, code: str) -> str:
        document = self.context.reader.document_by_code(code)
        if document is None:
            return self.tr("файл из этой же загрузки")
        return f"{document.type.title}: {document.original_name or document.code}"
