"""The Qt side of the lane: results of lane work arrive on the GUI thread as queued signals (DESIGN §4).

``Bridge.run(work, on_done, on_error)`` submits a coroutine to the lane and calls one of the two
callbacks on the GUI thread with plain data. The store's change notices (written on the lane) and the
upload queue's per-file states are relayed the same way, so views only ever see signals.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from .lane import Lane

log = logging.getLogger("dpo.runtime")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Bridge(QObject):
    finished = Signal(int, object)  # task id, result
    failed = Signal(int, object)  # task id, exception
    store_changed = Signal(str, object)  # table, frozenset of keys
    upload_changed = Signal(object)  # an UploadItem
    busy_changed = Signal(int)  # how many lane tasks are running

    def __init__(self, lane: Lane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = lane
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        # Queued even when emitted on the GUI thread (a task that finished before its callback was attached
        # settles there): the callbacks then never run inside the caller's run().
        self.finished.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> int:
        return len(self._callbacks)

    def run(self, work: Coroutine[Any, Any, Any], on_done: Done | None = None,
            on_error: Failed | None = None) -> int:
        """Run ``work`` on the lane; its outcome comes back to the GUI thread. Returns the task ID."""
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error)
        self.busy_changed.emit(self.busy)
        future = self.lane.submit(work)
        future.add_done_callback(lambda done, task_id=task_id: self._settle(task_id, done))
        return task_id

    def _settle(self, task_id: int, future: concurrent.futures.Future) -> None:
        # On the lane's thread: only emit; Qt queues the delivery onto the GUI thread.
        if future.cancelled():
            self.failed.emit(task_id, concurrent.futures.CancelledError())
        elif future.exception() is not None:
            self.failed.emit(task_id, future.exception())
        else:
            self.finished.emit(task_id, future.result())

    def relay_store(self, table: str, keys: frozenset) -> None:
        """A store listener (called on the writing thread): the notice goes on as a signal."""
        self.store_changed.emit(table, keys)

    @Slot(int, object)
    def _deliver_result(self, task_id: int, result: object) -> None:
        on_done, _ = self._callbacks.pop(task_id, (None, None))
        self.busy_changed.emit(self.busy)
        if on_done is not None:
            on_done(result)

    @Slot(int, object)
    def _deliver_error(self, task_id: int, error: object) -> None:
        _, on_error = self._callbacks.pop(task_id, (None, None))
        self.busy_changed.emit(self.busy)
        if on_error is not None:
            on_error(error)  # type: ignore[arg-type]
        else:
            log.error("lane task %d failed: %s", task_id, error)
