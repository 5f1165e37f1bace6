"""Drops from outside: the mime data's local files and folders, in order, once each; a drop zone hands them on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QWidget

from dpo_desktop.ui.dnd import DropZone, carries_files, parse_drop
from tests.gui.helpers import drop_files


def _mime(urls: list[QUrl], text: str | None = None) -> QMimeData:
    mime = QMimeData()
    if urls:
        mime.setUrls(urls)
    if text is not None:
        mime.setText(text)
    return mime


@pytest.mark.parametrize(("urls", "expected"), [
    (["a.pdf"], ["a.pdf"]),
    (["a.pdf", "b.jpg", "a.pdf"], ["a.pdf", "b.jpg"]),  # the same file twice: once
    (["папка", "Иванов паспорт.pdf"], ["папка", "Иванов паспорт.pdf"]),  # a folder stays as it is
    (["https://example.org/x.pdf", "c.png"], ["c.png"]),  # a web link is not a file
    (["https://example.org/x.pdf"], []),
    ([], []),
])
def test_parse_drop_keeps_local_files_and_folders_in_order(tmp_path: Path, urls, expected):
    (tmp_path / "папка").mkdir()
    made = [QUrl(url) if url.startswith("https:") else QUrl.fromLocalFile(str(tmp_path / url)) for url in urls]
    assert parse_drop(_mime(made)) == [tmp_path / name for name in expected]


@pytest.mark.parametrize(("urls", "text", "expected"), [
    (["file"], None, True),
    (["https://example.org/x.pdf"], None, False),
    ([], "просто текст", False),
])
def test_carries_files_is_the_cheap_check_while_dragging(tmp_path: Path, urls, text, expected):
    made = [QUrl.fromLocalFile(str(tmp_path / "f.pdf")) if url == "file" else QUrl(url) for url in urls]
    assert carries_files(_mime(made, text)) is expected


def test_parse_drop_of_nothing():
    assert parse_drop(None) == []


def test_a_drop_zone_hands_the_dropped_paths_on_after_the_drop(qtbot, tmp_path: Path):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(200, 100)
    got: list[list[Path]] = []
    DropZone(widget, lambda paths, _where: got.append(paths))
    files = [tmp_path / "один.pdf", tmp_path / "два.jpg"]
    for path in files:
        path.write_bytes(b"x")
    assert widget.acceptDrops()
    assert drop_files(widget, files)
    assert got == []  # deferred: the drop event returns first
    qtbot.waitUntil(lambda: got == [files])


def test_a_drag_without_files_is_refused(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    got: list = []
    DropZone(widget, lambda paths, _where: got.append(paths))
    assert not drop_files(widget, [])
    qtbot.wait(20)
    assert got == []
