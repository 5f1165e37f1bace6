"""Each main screen rendered to a PNG (``--demo --screenshot DIR``, the README's pictures).

The window grabs itself (``QWidget.grab``), which works offscreen: the deal browser, a deal opened
(the one with the most participants, so the picture says something) and its documents tab.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QTabWidget

from .main_window import MainWindow

log = logging.getLogger("dpo.ui")

DOCUMENTS_TAB = "Документы участника"


def showcase_deal(window: MainWindow) -> int | None:
    """The ДПО deal with the most participants in the cache, or None when there is none."""
    reader = window.context.reader
    deals = reader.deals(pipeline_id=window.context.mapping.pipeline_id)
    if not deals:
        return None
    return max(deals, key=lambda deal: (len(reader.participants(deal_id=deal.id)), -deal.id)).id


def render_screens(window: MainWindow, directory: Path) -> list[Path]:
    """Write ``01-deals.png``, ``02-deal.png``, ``03-documents.png`` and, when installed, ``04-review.png`` and
    ``05-uploads.png`` to ``directory``; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def grab(name: str) -> None:
        for _ in range(3):  # layouts, deferred loads and repaints settle over a few turns of the loop
            QApplication.processEvents()
        path = directory / name
        if not window.grab().save(str(path), "PNG"):
            raise OSError(QCoreApplication.translate("Screenshots", "не удалось записать {path}").format(path=path))
        written.append(path)

    window.show_browser()
    grab("01-deals.png")
    deal_id = showcase_deal(window)
    if deal_id is None:
        log.warning("no deal in the cache: only the deal browser was rendered")
        return written
    window.open_deal(deal_id)
    grab("02-deal.png")
    show_first_participant_documents(window.deal_view)
    if select_tab(window.deal_view, QCoreApplication.translate("DealView", DOCUMENTS_TAB)):
        grab("03-documents.png")
    for name, screen in (("04-review.png", _review(window)), ("05-uploads.png", getattr(window, "uploads_view", None))):
        if screen is not None:
            window.stack.setCurrentWidget(screen)
            grab(name)
    window.show_browser()
    return written


def _review(window: MainWindow):
    """The missing-documents review, loaded on this thread so the picture is not of an empty table."""
    from .views.review import review_screen

    screen = review_screen(window)
    if screen is not None:
        screen.reload()
    return screen


def show_first_participant_documents(deal_view, seconds: float = 8.0) -> None:
    """Select the first participant and their first document, and wait (a while) for its preview."""
    participants = getattr(deal_view, "participants", None)
    panel = getattr(deal_view, "documents_panel", None)
    if participants is None or participants.model.rowCount() == 0:
        return
    participants.table.setCurrentIndex(participants.model.index(0, 0))
    model = getattr(panel, "documents_model", None)
    if model is None:
        return
    _settle(lambda: model.rowCount() > 0, seconds)
    if model.rowCount() > 0:
        panel.documents_view.setCurrentIndex(model.index(0, 0))
        preview = getattr(panel, "preview", None)
        _settle(lambda: preview is None or not preview.image().isNull(), seconds)


def _settle(done, seconds: float) -> None:
    """Turn the event loop until ``done()`` or ``seconds`` pass (lane results arrive as queued signals)."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)


def select_tab(screen, label: str) -> bool:
    """Bring the tab called ``label`` forward in whatever tab widget ``screen`` holds."""
    for tabs in screen.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.tabText(index).replace("&", "") == label:
                tabs.setCurrentIndex(index)
                return True
    return False
