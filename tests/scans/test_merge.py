"""merge_images_to_pdf: real images in, a real PDF out (checked with PDFium), atomically written."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from dpo_desktop.scans import PDFIUM_LOCK, ScanRejected, inspect_scan, merge_images_to_pdf

from . import makers

A4_POINTS = (595.44, 841.68)  # 8.27 × 11.69 inches


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path)
        try:
            return [document[index].get_size() for index in range(len(document))]
        finally:
            document.close()


def page_colour(path: Path, index: int, where: tuple[float, float]) -> tuple[int, int, int]:
    """The colour PDFium renders at a relative position of a page."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path)
        try:
            image = document[index].render(scale=0.5).to_pil().convert("RGB")
        finally:
            document.close()
    return image.getpixel((int(image.width * where[0]), int(image.height * where[1])))


def close_to(colour, expected, tolerance=30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


def test_images_and_every_tiff_page_become_one_pdf_in_order(tmp_path):
    sources = [
        makers.jpeg(tmp_path / "паспорт стр1.jpg", (400, 300), color=(220, 30, 30)),
        makers.png(tmp_path / "паспорт стр2.png", (300, 400), color=(30, 30, 220)),
        makers.tiff(tmp_path / "скан.tif", pages=3),
    ]
    target = tmp_path / "out" / "Паспорт Иванова.pdf"
    target.parent.mkdir()
    assert merge_images_to_pdf(sources, target) == 5
    info = inspect_scan(target)
    assert (info.kind, info.pages) == ("pdf", 5)
    assert close_to(page_colour(target, 0, (0.3, 0.7)), (220, 30, 30))
    assert close_to(page_colour(target, 1, (0.7, 0.3)), (30, 30, 220))
    assert leftovers(target.parent) == []


def test_exif_orientation_is_applied(tmp_path):
    # Stored landscape, tagged "rotate 90° clockwise to display": the page comes out portrait.
    rotated = makers.jpeg(tmp_path / "телефон.jpg", (400, 200), orientation=6)
    upright = makers.jpeg(tmp_path / "сканер.jpg", (400, 200))
    target = tmp_path / "итог.pdf"
    assert merge_images_to_pdf([rotated, upright], target) == 2
    (first_width, first_height), (second_width, second_height) = pdf_pages(target)
    assert first_height > first_width and second_width > second_height


def test_transparent_areas_become_white_paper(tmp_path):
    target = tmp_path / "подпись.pdf"
    merge_images_to_pdf([makers.transparent_png(tmp_path / "подпись.png")], target)
    assert close_to(page_colour(target, 0, (0.1, 0.1)), (255, 255, 255))
    assert close_to(page_colour(target, 0, (0.5, 0.5)), (0, 0, 255))


@pytest.mark.parametrize(("size", "dpi", "expected"), [
    ((4000, 3000), None, (A4_POINTS[0] * 4 / 3, A4_POINTS[0])),  # a phone photo is fitted to A4 turned its way
    ((3000, 4000), 72, (A4_POINTS[0], A4_POINTS[0] * 4 / 3)),  # its 72 dpi would make a page over a metre tall
    ((1169, 827), 50, (A4_POINTS[1], A4_POINTS[0])),  # exactly A4 landscape at 100 dpi: the declared 50 is too few
    ((600, 300), 300, (144.0, 72.0)),  # a small 300 dpi scan keeps its real size: 2 × 1 inches
])
def test_pages_get_a_paper_size(tmp_path, size, dpi, expected):
    target = tmp_path / "скан.pdf"
    merge_images_to_pdf([makers.jpeg(tmp_path / "a.jpg", size, dpi=dpi)], target)
    ((width, height),) = pdf_pages(target)
    assert width == pytest.approx(expected[0], rel=0.01) and height == pytest.approx(expected[1], rel=0.01)


@pytest.mark.parametrize(("make", "code"), [
    (lambda folder: makers.pdf(folder / "договор.pdf"), "unsupported"),
    (lambda folder: makers.docx(folder / "Заявление.docx"), "unsupported"),
    (lambda folder: makers.truncated(makers.jpeg(folder / "whole.jpg", (800, 600)), folder / "обрезан.jpg"),
     "corrupt_image"),
    (lambda folder: folder / "нет.jpg", "missing"),
])
def test_a_bad_input_refuses_the_whole_merge_and_writes_nothing(tmp_path, make, code):
    good = makers.jpeg(tmp_path / "хороший.jpg")
    bad = make(tmp_path)
    target = tmp_path / "итог.pdf"
    with pytest.raises(ScanRejected) as caught:
        merge_images_to_pdf([good, bad], target)
    assert caught.value.code == code and f"«{bad.name}»" in caught.value.reason
    assert not target.exists() and leftovers(tmp_path) == []


def test_a_pdf_in_the_input_is_named_in_the_reason(tmp_path):
    with pytest.raises(ScanRejected) as caught:
        merge_images_to_pdf([makers.pdf(tmp_path / "договор.pdf")], tmp_path / "итог.pdf")
    assert "уже PDF" in caught.value.reason


def test_nothing_to_merge_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        merge_images_to_pdf([], tmp_path / "итог.pdf")


def test_an_existing_target_is_replaced_whole(tmp_path):
    target = tmp_path / "итог.pdf"
    merge_images_to_pdf([makers.jpeg(tmp_path / "a.jpg")], target)
    assert merge_images_to_pdf([makers.tiff(tmp_path / "b.tif", pages=4)], target) == 4
    assert inspect_scan(target).pages == 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE and SIGXFSZ as on Linux")
def test_a_write_failure_midway_leaves_the_old_target_and_no_partial_file(tmp_path):
    """The disk fills up while the third page is written (a file-size limit makes writes fail for real):
    the previous target is untouched and no temporary file is left behind."""
    sources = [makers.jpeg(tmp_path / f"стр{number}.jpg", (900, 1200), color=(number * 70, 90, 40))
               for number in range(4)]
    target = tmp_path / "итог.pdf"
    target.write_bytes(b"previous version")
    single_page = tmp_path / "one.pdf"
    merge_images_to_pdf(sources[:1], single_page)
    limit = single_page.stat().st_size * 2 + 4096  # room for two pages, not for four
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from pathlib import Path
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write over the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from dpo_desktop.scans import merge_images_to_pdf
        try:
            merge_images_to_pdf([Path(p) for p in {[str(p) for p in sources]!r}], Path({str(target)!r}))
        except OSError as error:
            print("failed", error.errno)
            sys.exit(3)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[2], env={**os.environ, "PYTHONWARNINGS": "error"})
    assert result.returncode == 3, result.stderr
    assert target.read_bytes() == b"previous version"
    assert leftovers(tmp_path) == []


def test_a_target_name_as_long_as_the_file_system_allows_still_works(tmp_path):
    target = tmp_path / ("z" * 251 + ".pdf")  # 255 bytes: no room for a longer temporary name beside it
    assert merge_images_to_pdf([makers.png(tmp_path / "a.png")], target) == 1
    assert inspect_scan(target).pages == 1
