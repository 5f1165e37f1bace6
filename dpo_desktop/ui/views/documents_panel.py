"""A participant's documents: what is required and missing, what was brought, a large preview, and drops.

Drop files anywhere on the panel and the classification decides each file's type and person among the
deal's participants; drop onto a checklist slot and the type is fixed (the person is the one shown); drop
onto a document in the list to bring a new file of the same type for the same person. Uploads run on the
lane; each file's fate, its questions, retries and cancellations live in the upload list below
(:class:`~dpo_desktop.ui.views.upload_list.UploadList`). A document's check status and its type
(«Изменить тип…») are changed through the outbox and pushed at once.

Signals: ``uploads_finished(list)`` (the queue IDs of a batch, once the lane is done with them),
``status_pushed(object)`` (a ``PushStats`` after a status change or a re-typing), ``previews_fetched()``.
Attributes: ``deal_id``, ``contact_id`` (the participant shown), ``documents_model``, ``uploads`` (the
upload list: its model and dialogs), ``checklist``, ``retype_menu``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import paths
from ...domain.models import CheckStatus, Document, DocumentType
from ...rules import participant_completeness
from ...sync.document_edit import retype_document
from ...sync.previews import PreviewFetcher, PreviewFiles
from ...sync.push import Pusher
from ...sync.upload_queue import UploadRequest
from ..dnd import DropZone
from ..models.documents import DocumentsModel
from ..thumbnails import ThumbnailCache
from ..widgets.checklist import ChecklistRow, ChecklistSlot
from ..widgets.preview import PreviewWidget
from .upload_list import UploadList

if TYPE_CHECKING:
    from ..context import AppContext

THUMBNAIL_SIDE = 48


def _document_order(document: Document) -> tuple[str, int, str]:
    return (document.type.title, document.received.toordinal() if document.received else 0, document.code)


class DocumentPanel(QWidget):
    uploads_finished = Signal(list)
    status_pushed = Signal(object)
    previews_fetched = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.deal_id: int | None = None
        self.contact_id: int | None = None
        self.thumbnails = ThumbnailCache(capacity=96)
        self.documents_model = DocumentsModel(self)
        self.url_opener: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self._files: dict[str, Path] = {}  # element code → its bytes here
        self._problems: dict[str, str] = {}  # element code → why there is no file
        self._fetching: set[str] = set()
        self._closed = False
        self._reload_timer = QTimer(self, singleShot=True, interval=100)
        self._reload_timer.timeout.connect(self.reload)
        self._build()
        self.zone = DropZone(self, lambda dropped, _where: self.upload(dropped))
        self.documents_zone = DropZone(self.documents_view.viewport(), self._on_documents_drop)
        context.bridge.store_changed.connect(self._on_bridge_store_changed)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed: lane results still on their way find nothing to update (the cache may be closed next)."""
        if not self._closed:  # closing twice (the window, then a test's teardown) disconnects once
            self._closed = True
            self._reload_timer.stop()
            self.uploads.detach()
            self.context.bridge.store_changed.disconnect(self._on_bridge_store_changed)
        super().closeEvent(event)

    # -- layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self.tr("Выберите участника"), self)
        self.checklist = ChecklistRow(self._on_slot_drop, self)

        self.documents_view = QTableView(self)
        self.documents_view.setModel(self.documents_model)
        self.documents_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Fitted to the rows in sight: over a batch's hundreds of rows with thumbnails, each change asked every
        # row for its size again (a 250 ms stall per fit during a 200-file upload).
        self.documents_view.horizontalHeader().setResizeContentsPrecision(0)
        self.documents_view.horizontalHeader().setStretchLastSection(True)
        self.documents_view.selectionModel().currentRowChanged.connect(self._on_documents_current_changed)
        self.documents_view.doubleClicked.connect(lambda _index: self.open_selected())
        self.preview = PreviewWidget(parent=self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.documents_view)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)

        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText(self.tr("Комментарий (для отклонения — причина)"))
        self.open_button = QPushButton(self.tr("Открыть"), self)
        self.checked_button = QPushButton(self.tr("Проверен"), self)
        self.reject_button = QPushButton(self.tr("Отклонить"), self)
        self.retype_button = QPushButton(self.tr("Изменить тип…"), self)
        self.retype_menu = QMenu(self.retype_button)
        for doc_type in DocumentType:
            action = self.retype_menu.addAction(doc_type.title)
            action.setData(doc_type.value)
            action.triggered.connect(lambda _checked=False, chosen=doc_type: self.retype(chosen))
        self.retype_button.setMenu(self.retype_menu)
        self.open_button.clicked.connect(self.open_selected)
        self.checked_button.clicked.connect(lambda: self.mark(CheckStatus.CHECKED, self.comment.text()))
        self.reject_button.clicked.connect(lambda: self.mark(CheckStatus.REJECTED, self.comment.text()))
        actions = QHBoxLayout()
        for widget in (self.open_button, self.checked_button, self.reject_button, self.retype_button, self.comment):
            actions.addWidget(widget)

        self.uploads = UploadList(self.context, lambda: self.deal_id, self)
        self.uploads.finished.connect(self._on_uploads_done)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.checklist)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(self.uploads)
        self._update_buttons()

    # -- what is shown ------------------------------------------------------------------------------

    def set_participant(self, deal_id: int | None, contact_id: int | None) -> None:
        """Show one participant's documents (``contact_id`` None: every document of the deal, no checklist)."""
        self.deal_id, self.contact_id = deal_id, contact_id
        self.preview.show_message(self.tr("Выберите документ, чтобы увидеть его"))
        self.reload()

    def slots(self) -> list[ChecklistSlot]:
        return self.checklist.slots()

    def slot(self, doc_type: DocumentType) -> ChecklistSlot | None:
        return self.checklist.slot(doc_type)

    def reload(self) -> None:
        if self._closed:
            return
        reader = self.context.reader
        deal = reader.deal(self.deal_id) if self.deal_id is not None else None
        documents = reader.documents(deal_id=self.deal_id, contact_id=self.contact_id) if deal is not None else []
        contact = reader.contact(self.contact_id) if self.contact_id is not None else None
        if deal is None:
            self.title.setText(self.tr("Выберите участника"))
        elif contact is not None:
            self.title.setText(f"{contact.full_name} — {deal.title}")
        else:
            self.title.setText(self.tr("Все документы сделки «{title}»").format(title=deal.title))
        chosen = self.selected_document()
        self.documents_model.set_documents(sorted(documents, key=_document_order))
        if chosen is not None:
            self.select_document(chosen.code)
        self._fill_checklist(deal, contact, documents)
        self._fetch_previews(documents)
        self._update_buttons()

    def _fill_checklist(self, deal, contact, documents: list[Document]) -> None:
        participant = None
        if deal is not None and self.contact_id is not None:
            participant = next((p for p in self.context.reader.participants(deal_id=deal.id)
                                if p.contact_id == self.contact_id), None)
        if participant is None:
            self.checklist.set_states([])
            return
        judged = participant_completeness(participant, deal, contact, documents, self.context.rules)
        shown = [doc_type for doc_type in DocumentType
                 if doc_type in judged.required or doc_type in judged.rejected or doc_type in judged.missing]

        def state(doc_type: DocumentType) -> str:
            return "rejected" if doc_type in judged.rejected else "missing" if judged.misses(doc_type) else "present"
        self.checklist.set_states((doc_type, state(doc_type)) for doc_type in shown)

    def selected_document(self) -> Document | None:
        index = self.documents_view.currentIndex()
        return self.documents_model.document(index.row()) if index.isValid() else None

    def select_document(self, code: str) -> bool:
        row = self.documents_model.row_of(code)
        if row is None:
            return False
        self.documents_view.setCurrentIndex(self.documents_model.index(row, 0))
        return True

    def preview_file(self, code: str) -> Path | None:
        return self._files.get(code)

    def forget_wiped_files(self) -> None:
        """The local copies were wiped: not fetched again by themselves (that would undo the wipe)."""
        for code, path in list(self._files.items()):
            if not path.is_file():
                del self._files[code]
                self._problems[code] = self.tr("Локальная копия удалена после выкладки: файл — в папке "
                                               "участника на портале")
        self.preview.show_message(self.tr("Выберите документ, чтобы увидеть его"))

    def _on_documents_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        self._show_preview(self.documents_model.document(current.row()) if current.isValid() else None)

    def _show_preview(self, document: Document | None) -> None:
        if document is None:
            self.preview.show_message(self.tr("Выберите документ, чтобы увидеть его"))
        elif document.code in self._files:
            if self.preview.current != self._files[document.code]:
                self.preview.show_file(self._files[document.code])
                self.context.store.log_access("view", deal_id=document.deal_id, contact_id=document.contact_id,
                                              document_id=document.id, detail="просмотр в программе")
        elif document.code in self._problems:
            self.preview.show_message(self._problems[document.code])
        else:
            self.preview.show_message(self.tr("Файл документа загружается с портала…"))

    def _update_buttons(self) -> None:
        chosen = self.selected_document()
        for button in (self.open_button, self.checked_button, self.reject_button):
            button.setEnabled(chosen is not None)
        self.retype_button.setEnabled(chosen is not None and chosen.id is not None)

    # -- previews and thumbnails --------------------------------------------------------------------

    def _fetch_previews(self, documents: Iterable[Document]) -> None:
        wanted = [doc for doc in documents
                  if doc.code not in self._files and doc.code not in self._problems and doc.code not in self._fetching]
        for document in documents:
            if document.code in self._files:
                self._thumbnail(document.code)
        if not wanted:
            return
        self._fetching.update(doc.code for doc in wanted)
        folder = paths.data_dir() / self.context.profile_name / "previews"

        async def fetch(ctx: AppContext) -> PreviewFiles:
            fetcher = PreviewFetcher(ctx.client, ctx.store, ctx.mapping, folder, local_copies=ctx.local_copies)
            return await fetcher.fetch_all(wanted)

        codes = {doc.code for doc in wanted}
        self.context.run(fetch, self._on_previews_fetched,
                         lambda error: self._on_previews_failed(codes, error))

    def _on_previews_fetched(self, fetched: PreviewFiles) -> None:
        if self._closed:
            return
        self._fetching -= set(fetched.files) | set(fetched.problems)
        self._files.update(fetched.files)
        self._problems.update(fetched.problems)
        for code in fetched.files:
            self._thumbnail(code)
        chosen = self.selected_document()
        if chosen is not None and (chosen.code in fetched.files or chosen.code in fetched.problems):
            self._show_preview(chosen)
        self.previews_fetched.emit()

    def _on_previews_failed(self, codes: set[str], error: BaseException) -> None:
        self._fetching -= codes
        reason = getattr(error, "description", None) or str(error) or self.tr("портал недоступен")
        for code in codes:
            self._problems[code] = self.tr("Файл не получен: {reason}").format(reason=reason)
        self.previews_fetched.emit()

    def _thumbnail(self, code: str) -> None:
        path = self._files.get(code)
        if path is None or self.documents_model.has_thumbnail(code):
            return
        self.thumbnails.request(path, THUMBNAIL_SIDE, lambda image, _reason, code=code: (
            image is not None and self.documents_model.set_thumbnail(code, image)))

    def open_selected(self) -> Path | None:
        """Open the chosen document's file in the system's viewer; its path, or None when there is none yet."""
        chosen = self.selected_document()
        path = self._files.get(chosen.code) if chosen is not None else None
        if chosen is None:
            return None
        if path is None:
            self.context.messages.warning(self._problems.get(chosen.code, self.tr("Файл документа ещё не получен с "
                                                                                  "портала")))
            return None
        self.url_opener(QUrl.fromLocalFile(str(path)))
        if not self.context.extras.get("told_of_plain_copies"):  # said once a session (152-ФЗ, sealed files)
            self.context.extras["told_of_plain_copies"] = True
            self.context.messages.info(self.tr("Для внешней программы просмотра файл расшифрован в папку, доступную "
                                               "только вам; эта копия удаляется при выходе из программы"))
        self.context.store.log_access("open", deal_id=chosen.deal_id, contact_id=chosen.contact_id,
                                      document_id=chosen.id, detail="открыт в программе просмотра системы")
        return path

    # -- uploads ------------------------------------------------------------------------------------

    def upload(self, dropped: Sequence[Path], *, doc_type: DocumentType | None = None,
               contact_id: int | None = None) -> None:
        """Queue ``dropped`` for the deal shown and upload them on the lane."""
        if self.deal_id is None:
            self.context.messages.warning(self.tr("Сначала выберите сделку: файлам нужно знать, чьи они"))
            return
        self.uploads.start(UploadRequest(tuple(dropped), self.deal_id, contact_id, doc_type, batch=uuid.uuid4().hex))

    def _on_slot_drop(self, doc_type: DocumentType, dropped: list[Path]) -> None:
        self.upload(dropped, doc_type=doc_type, contact_id=self.contact_id)

    def _on_documents_drop(self, dropped: list[Path], where: QPoint) -> None:
        """Onto a document: a new file of its type for its person (the old one stays until rejected)."""
        index = self.documents_view.indexAt(where)
        document = self.documents_model.document(index.row()) if index.isValid() else None
        if document is None:
            self.upload(dropped)
        else:
            self.upload(dropped, doc_type=document.type, contact_id=document.contact_id)

    def _on_uploads_done(self, ids: list[int]) -> None:
        if self._closed:
            return
        self.reload()
        self.uploads_finished.emit(ids)

    def _on_bridge_store_changed(self, table: str, keys: frozenset) -> None:
        if table in ("documents", "participants", "contacts") and self.deal_id is not None:
            self._reload_timer.start()  # a burst of notices: one reload

    # -- check status -------------------------------------------------------------------------------

    def mark(self, status: CheckStatus, comment: str = "") -> bool:
        """Set the chosen document's check status on the portal (through the outbox); False when refused here."""
        document = self.selected_document()
        if document is None:
            return False
        if document.id is None:
            self.context.messages.warning(self.tr("Документ ещё не загружен на портал: статус пока не поставить"))
            return False
        if status is CheckStatus.REJECTED and not comment.strip():
            self.context.messages.warning(self.tr("Укажите в комментарии, почему документ отклонён"))
            return False
        payload = {"document_id": document.id, "status": status.value, "comment": comment.strip(),
                   "base_modified": document.modified.isoformat() if document.modified else None}
        key = f"document.status:{document.id}:{uuid.uuid4().hex}"

        async def work(ctx: AppContext):
            with ctx.store.write() as tx:
                tx.enqueue("document.status", payload, key)
            return await Pusher(ctx.client, ctx.store, ctx.mapping).push()

        self.context.run(work, self._on_status_pushed)
        return True

    def retype(self, doc_type: DocumentType) -> bool:
        """Give the chosen document another type on the portal (through the outbox); False when refused here."""
        document = self.selected_document()
        if document is None:
            return False
        if document.id is None:
            self.context.messages.warning(self.tr("Документ ещё не загружен на портал: тип пока не изменить"))
            return False
        if document.type is doc_type:
            self.context.messages.warning(self.tr("У документа уже тип «{title}»").format(title=doc_type.title))
            return False
        code = document.code

        async def work(ctx: AppContext):
            retype_document(ctx.store, code, doc_type)
            return await Pusher(ctx.client, ctx.store, ctx.mapping).push()

        self.context.run(work, self._on_status_pushed)
        return True

    def _on_status_pushed(self, stats: Any) -> None:
        if self._closed:
            return
        for message in stats.messages:
            self.context.messages.warning(message)
        if not stats.messages:
            self.comment.clear()
        self.reload()
        self.status_pushed.emit(stats)
