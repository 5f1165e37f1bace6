"""The network lane: one daemon thread running one asyncio loop (DESIGN §4).

The single ``httpx.AsyncClient`` (inside :class:`~dpo_desktop.b24.client.B24Client`), the rate limiter,
the sync engine and the uploader live on this loop, so there is one request series per portal and no
locking around the client. Other threads hand it work with :meth:`Lane.submit`, which returns a
``concurrent.futures.Future``. No Qt here: the Qt bridge turns those futures into signals.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger("dpo.runtime")
T = TypeVar("T")


class LaneStopped(RuntimeError):
    """Work was handed to a lane that is not running (the app is closing)."""


class Lane:
    def __init__(self, name: str = "dpo-lane") -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._closers: list[Callable[[], Awaitable[None]]] = []

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._loop is not None

    def start(self) -> Lane:
        if self._thread is not None:
            raise RuntimeError("the lane is already started")
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        self._ready.wait()
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    def in_lane(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, work: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run ``work`` on the lane's loop; the future completes with its result or exception."""
        if not self.running:
            work.close()
            raise LaneStopped("сетевой поток остановлен")
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(work, self._loop)

    def on_stop(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Something to close on the loop when the lane stops (the HTTP client)."""
        self._closers.append(closer)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel what runs, close what was registered, end the loop and join the thread."""
        if not self.running:
            return
        assert self._loop is not None and self._thread is not None
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout)
        except (concurrent.futures.TimeoutError, RuntimeError):
            log.warning("the network lane did not stop cleanly within %.1f s", timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._thread = None
        self._loop = None

    async def _shutdown(self) -> None:
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for closer in reversed(self._closers):
            try:
                await closer()
            except Exception:  # closing must go on whatever one closer says
                log.exception("closing on the network lane failed")
        self._closers.clear()
