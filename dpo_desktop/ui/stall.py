"""An event-loop stall probe: a 20 ms timer that records how late each tick came (bench/ui.py, tests).

The GUI thread must never block for long (DESIGN §4); a timer that should fire every ``interval_ms``
but comes late by X ms shows that the loop was busy for about X ms. Nothing else is measured.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class StallProbe(QObject):
    """Records event-loop stalls while started.

    Attributes:
        longest_ms: the longest gap between two ticks seen so far, beyond the interval itself.
        gaps: every gap (ms beyond the interval) longer than ``threshold_ms``, in order.
    """

    def __init__(self, interval_ms: int = 20, threshold_ms: float = 50.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.threshold_ms = threshold_ms
        self.longest_ms = 0.0
        self.gaps: list[float] = []
        self._last: float | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self.longest_ms = 0.0
        self.gaps = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        """Stop measuring (the time since the last tick counts too); returns :attr:`longest_ms`."""
        if self._timer.isActive():
            self._tick()
            self._timer.stop()
        self._last = None
        return self.longest_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            gap = max(0.0, (now - self._last) * 1000.0 - self.interval_ms)
            self.longest_ms = max(self.longest_ms, gap)
            if gap > self.threshold_ms:
                self.gaps.append(gap)
        self._last = now
