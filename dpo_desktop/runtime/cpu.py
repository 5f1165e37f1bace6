"""CPU work off the GUI thread (hashing, thumbnails, PDF rendering, exports) on a QThreadPool.

``run_task(func, on_done)`` runs ``func()`` on the pool and calls ``on_done(result, error)`` on the
GUI thread (after Picard's ``util/thread.py``). Only plain data crosses: never widgets or models.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger("dpo.runtime")

OnDone = Callable[[Any, BaseException | None], None]


class _Delivery(QObject):
    done = Signal(object, object, object)  # callback, result, error

    @Slot(object, object, object)
    def deliver(self, callback: OnDone, result: Any, error: BaseException | None) -> None:
        try:
            callback(result, error)
        except Exception:
            log.exception("a CPU task's callback failed")


_delivery: _Delivery | None = None


def _deliverer() -> _Delivery:
    global _delivery
    if _delivery is None:  # made on the GUI thread at the first call, so deliveries are queued to it
        _delivery = _Delivery()
        _delivery.done.connect(_delivery.deliver)
    return _delivery


class _Task(QRunnable):
    def __init__(self, func: Callable[[], Any], on_done: OnDone, delivery: _Delivery) -> None:
        super().__init__()
        self.func = func
        self.on_done = on_done
        self.delivery = delivery

    def run(self) -> None:
        try:
            result, error = self.func(), None
        except Exception as failure:  # handed to the callback, which decides what the user sees
            result, error = None, failure
        self.delivery.done.emit(self.on_done, result, error)


def run_task(func: Callable[[], Any], on_done: OnDone, pool: QThreadPool | None = None) -> None:
    """Run ``func`` on the pool; ``on_done(result, error)`` is called on the GUI thread."""
    (pool or QThreadPool.globalInstance()).start(_Task(func, on_done, _deliverer()))
