"""The large picture beside the document list: the first page of a PDF, or the image, scaled to fit.

Rendering happens on the CPU pool through a :class:`~dpo_desktop.ui.thumbnails.ThumbnailCache`; a newer
request makes an older one's late result void (a generation number), so a fast click-through never shows
the wrong document.

Signals: ``rendered(bool)`` — a request finished (True: a picture is shown).
Attributes: ``current`` — the file shown (or being rendered), None when empty.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..thumbnails import ThumbnailCache

PREVIEW_SIDE = 900  # rendered once at this size, scaled to the widget when shown


class PreviewWidget(QWidget):
    rendered = Signal(bool)

    def __init__(self, thumbnails: ThumbnailCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails or ThumbnailCache(capacity=8)
        self.current: Path | None = None
        self._image = QImage()
        self._generation = 0
        self._label = QLabel(self)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setWordWrap(True)
        self._label.setMinimumSize(160, 160)
        self._label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._label)
        self.show_message(self.tr("Выберите документ, чтобы увидеть его"))

    def image(self) -> QImage:
        """The picture shown (null when a message is shown instead)."""
        return self._image

    def text(self) -> str:
        return self._label.text()

    def show_file(self, path: Path) -> None:
        self._generation += 1
        generation = self._generation
        self.current = path
        self.show_message(self.tr("Готовится просмотр…"), keep_current=True)
        self.thumbnails.request(path, PREVIEW_SIDE,
                                lambda image, reason: self._arrived(generation, image, reason))

    def show_message(self, text: str, *, keep_current: bool = False) -> None:
        if not keep_current:
            self._generation += 1
            self.current = None
        self._image = QImage()
        self._label.setPixmap(QPixmap())
        self._label.setText(text)

    def _arrived(self, generation: int, image: QImage | None, reason: str) -> None:
        if generation != self._generation:
            return  # another document was chosen meanwhile
        if image is None:
            self.show_message(reason, keep_current=True)
            self.rendered.emit(False)
            return
        self._image = image
        self._label.setText("")
        self._fit()
        self.rendered.emit(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._image.isNull():
            return
        pixmap = QPixmap.fromImage(self._image)
        size = self._label.size()
        if size.width() > 1 and size.height() > 1:
            pixmap = pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self._label.setPixmap(pixmap)
