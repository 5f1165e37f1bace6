"""Retry and cancel of upload-queue rows, shared by the document panel's upload list and the queue screen.

Both are lane work (the queue is written by the lane's store, the uploader runs there); the widget says
which rows are selected, shows the outcome in ``_done`` and keeps its buttons right in ``update_buttons``.
A row that is being uploaded may be cancelled only while no run of this widget is in flight, so that a
cancel never races the uploader on the same row.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from ...sync.upload_queue import cancel, retry
from ...sync.uploader import Uploader

if TYPE_CHECKING:
    from ...store import UploadItem
    from ..context import AppContext

RETRYABLE = ("failed", "attention", "duplicate")
WAITING = ("failed", "attention", "duplicate")  # cancellable at any time
IN_FLIGHT = ("queued", "hashed", "classified", "uploading")  # cancellable while this widget runs nothing

Work = Callable[["AppContext"], Coroutine[Any, Any, list[int]]]


def uploader(ctx: AppContext) -> Uploader:
    return Uploader(ctx.client, ctx.store, ctx.mapping, local_copies=ctx.local_copies,
                    on_change=ctx.bridge.upload_changed.emit)


class QueueActions:
    """Mixed into a widget that shows upload rows: ``_running``/``_closed`` bookkeeping and the lane work."""

    context: AppContext
    _running: int
    _closed: bool

    def selected_items(self) -> list[UploadItem]:
        raise NotImplementedError

    def update_buttons(self) -> None:
        raise NotImplementedError

    def _done(self, ids: list[int]) -> None:
        raise NotImplementedError

    def cancellable(self) -> tuple[str, ...]:
        return WAITING if self._running else WAITING + IN_FLIGHT

    def retry_selected(self) -> list[int]:
        """Send the selected failed and waiting rows round again; their IDs (empty: nothing to retry)."""
        ids = [item.id for item in self.selected_items() if item.state in RETRYABLE]
        if ids:
            self._retry_with(lambda store: retry(store, ids))
        return ids

    def cancel_selected(self) -> list[int]:
        """Stop the selected rows that have not landed; their IDs (empty: nothing to cancel)."""
        allowed = self.cancellable()
        ids = [item.id for item in self.selected_items() if item.state in allowed]
        if not ids:
            return []

        async def work(ctx: AppContext) -> list[int]:
            cancelled = cancel(ctx.store, ids)
            await uploader(ctx).run([])  # nothing to carry on; the run trashes the Drive bytes of cancelled rows
            return cancelled

        self._run(work)
        return ids

    def _retry_with(self, again: Callable[..., list[int]]) -> None:
        async def work(ctx: AppContext) -> list[int]:
            ids = again(ctx.store)  # the writer: only here, on the lane
            await uploader(ctx).run(ids)
            return ids

        self._run(work)

    def _run(self, work: Work) -> None:
        self._running += 1
        self.update_buttons()
        self.context.run(work, self._settled, self._failed)

    def _settled(self, ids: list[int]) -> None:
        self._running -= 1
        if not self._closed:
            self._done(ids)

    def _failed(self, error: BaseException) -> None:
        self._running -= 1
        if not self._closed:
            self.update_buttons()
            self.context.messages.failure(error)
