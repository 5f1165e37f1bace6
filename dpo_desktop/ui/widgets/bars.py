"""A small horizontal bar chart drawn with QPainter: a label, a bar and its count per line; a click on a
line reports that bar's key (the review sets the matching filter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

LINE_HEIGHT = 22
PADDING = 6


@dataclass(frozen=True)
class Bar:
    key: Any  # what bar_clicked reports
    label: str
    value: int
    color: str = "#4a90d9"


class BarChart(QWidget):
    """Bars under a title. Signals: bar_clicked(object) with the clicked bar's key."""

    bar_clicked = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[Bar] = []
        self.selected: Any = None  # the key drawn as chosen (the filter in force)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[Bar], selected: Any = None) -> None:
        self.bars = list(bars)
        self.selected = selected
        self.setToolTip("\n".join(f"{bar.label}: {bar.value}" for bar in self.bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, self._top() + LINE_HEIGHT * max(len(self.bars), 1) + PADDING)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _top(self) -> int:
        return self.fontMetrics().height() + 2 * PADDING

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return min(max((metrics.horizontalAdvance(bar.label) for bar in self.bars), default=0) + PADDING,
                   self.width() // 2)

    def line_rect(self, index: int) -> QRect:
        """The whole clickable line of bar ``index``."""
        return QRect(0, self._top() + index * LINE_HEIGHT, self.width(), LINE_HEIGHT)

    def bar_at(self, y: int) -> Bar | None:
        if y < self._top():
            return None
        index = (y - self._top()) // LINE_HEIGHT
        return self.bars[index] if 0 <= index < len(self.bars) else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            metrics = self.fontMetrics()
            painter.drawText(QRect(PADDING, PADDING, self.width() - 2 * PADDING, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
            if not self.bars:
                painter.setPen(QColor("#888888"))
                painter.drawText(self.line_rect(0).adjusted(PADDING, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter,
                                 self.tr("нет данных"))
                return
            label_width = self._label_width()
            count_width = metrics.horizontalAdvance("000000")
            track = max(self.width() - label_width - count_width - 3 * PADDING, 10)
            largest = max(bar.value for bar in self.bars) or 1
            for index, bar in enumerate(self.bars):
                line = self.line_rect(index)
                if bar.key == self.selected and self.selected is not None:
                    painter.fillRect(line, QColor("#e8f1fb"))
                painter.setPen(self.palette().text().color())
                painter.drawText(QRect(PADDING, line.y(), label_width - PADDING, line.height()),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                                 metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - PADDING))
                length = round(track * bar.value / largest)
                if bar.value and length < 2:
                    length = 2
                painter.fillRect(QRect(label_width + PADDING, line.y() + 4, length, line.height() - 8),
                                 QColor(bar.color))
                painter.drawText(QRect(label_width + 2 * PADDING + length, line.y(), count_width, line.height()),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, str(bar.value))
        finally:
            painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.bar_at(round(event.position().y()))
        self.setCursor(Qt.CursorShape.PointingHandCursor if over is not None else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(round(event.position().y()))
        if event.button() == Qt.MouseButton.LeftButton and bar is not None:
            self.bar_clicked.emit(bar.key)
            event.accept()
            return
        super().mouseReleaseEvent(event)
