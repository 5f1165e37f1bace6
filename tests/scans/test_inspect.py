"""inspect_scan on real files: what is accepted (with its real kind and page count) and what is refused,
with a stable code and a Russian reason that names the file."""

from __future__ import annotations

import os
import re
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from dpo_desktop.scans import MAX_BYTES, REJECTION_CODES, ScanInfo, ScanRejected, inspect_scan

from . import makers

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def broken_symlink(path: Path) -> Path:
    os.symlink(path.parent / "удалённый оригинал.pdf", path)
    return path


def fifo(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(path)
    return path


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as stream:
        stream.truncate(size)
    return path


def webp(path: Path) -> Path:
    return makers.saved(path, makers.picture(), "WEBP")


def assert_rejected(path: Path, code: str, **options) -> ScanRejected:
    with pytest.raises(ScanRejected) as caught:
        inspect_scan(path, **options)
    error = caught.value
    assert error.code == code, error.reason
    assert str(error) == error.reason
    assert CYRILLIC.search(error.reason), error.reason
    assert f"«{path.name}»" in error.reason, error.reason
    assert "\n" not in error.reason
    return error


HTML_PAGE = "<!DOCTYPE html>\n<html><head><title>Госуслуги</title></head><body>Скан паспорта</body></html>\n"

REFUSED = [
    ("zero_bytes", "скан.pdf", lambda p: write(p, b""), "empty"),
    ("missing", "нет такого.pdf", lambda p: p, "missing"),
    ("folder", "Сканы Иванова", folder, "directory"),
    ("broken_symlink", "ярлык.pdf", broken_symlink, "unreadable"),
    ("fifo", "канал.pdf", fifo, "unreadable"),
    ("sparse_over_limit", "огромный скан.pdf", lambda p: sparse(p, MAX_BYTES + 1), "too_large"),
    ("text_named_pdf", "Паспорт.pdf", lambda p: write(p, "Паспорт Иванова: серия 4500 номер 123456\n"), "not_pdf"),
    ("html_named_pdf", "Диплом.pdf", lambda p: write(p, HTML_PAGE), "not_pdf"),
    ("binary_named_pdf", "СНИЛС.pdf", lambda p: write(p, bytes(range(256)) * 4), "not_pdf"),
    ("html_named_jpg", "фото паспорта.jpg", lambda p: write(p, HTML_PAGE), "unsupported"),
    ("zip_named_docx", "Заявление.docx", makers.docx, "unsupported"),
    ("zip_named_jpg", "сканы.jpg", makers.plain_zip, "unsupported"),
    ("heic", "IMG_0042.HEIC", lambda p: write(p, makers.heic_magic()), "unsupported"),
    ("webp", "photo.webp", webp, "unsupported"),
    ("gif", "анимация.gif", lambda p: makers.saved(p, makers.picture(), "GIF"), "unsupported"),
    ("bmp", "скан.bmp", lambda p: makers.saved(p, makers.picture(), "BMP"), "unsupported"),
    ("plain_text", "заметка.txt", lambda p: write(p, "Позвонить Иванову насчёт СНИЛС\n"), "unsupported"),
    ("cp1251_text", "список.csv", lambda p: write(p, "Фамилия;Имя\nИванов;Иван\n".encode("cp1251")), "unsupported"),
    ("unknown_binary", "данные.bin", lambda p: write(p, bytes(range(256)) * 4), "unsupported"),
    ("truncated_jpeg", "паспорт.jpg",
     lambda p: makers.truncated(makers.jpeg(p.with_name("whole.jpg"), (900, 700)), p), "corrupt_image"),
    ("truncated_png", "снилс.png",
     lambda p: makers.truncated(makers.png(p.with_name("whole.png"), (600, 400)), p), "corrupt_image"),
    ("truncated_tiff", "скан.tif",
     lambda p: makers.truncated(makers.tiff(p.with_name("whole.tif"), pages=4, size=(300, 300)), p, 0.6),
     "corrupt_image"),
    ("jpeg_header_only", "фото.jpg", lambda p: write(p, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "corrupt_image"),
    ("png_bad_crc", "скан.png",
     lambda p: write(p, makers.png_header_only(10, 10).replace(b"IEND", b"IENX")), "corrupt_image"),
    ("bomb_over_limit", "бомба.png", lambda p: write(p, makers.png_header_only(10_000, 10_000)), "corrupt_image"),
    ("bomb_over_twice_limit", "бомба.png", lambda p: write(p, makers.png_header_only(20_000, 20_000)),
     "corrupt_image"),
    ("garbage_after_pdf_header", "договор.pdf", lambda p: write(p, b"%PDF-1.7\n" + bytes(range(256)) * 8),
     "corrupt_pdf"),
    ("pdf_without_pages", "пустой.pdf", lambda p: write(p, makers.handmade_pdf(makers.NO_PAGES)), "corrupt_pdf"),
    ("password_pdf", "с паролем.pdf", lambda p: write(p, makers.password_pdf()), "unsupported"),
]


@pytest.mark.parametrize(("filename", "make", "code"), [case[1:] for case in REFUSED], ids=[c[0] for c in REFUSED])
def test_refused_with_a_code_and_a_russian_reason_naming_the_file(tmp_path, filename, make, code):
    assert_rejected(make(tmp_path / filename), code)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_refused_without_being_read():
    assert_rejected(Path("/dev/null"), "unreadable")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_is_unreadable(tmp_path):
    path = makers.jpeg(tmp_path / "чужой.jpg")
    path.chmod(0)
    try:
        error = assert_rejected(path, "unreadable")
    finally:
        path.chmod(0o600)
    assert "нет доступа" in error.reason


def test_a_fifo_is_refused_at_once_rather_than_blocking_on_open(tmp_path):
    path = fifo(tmp_path / "канал.jpg")
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: outcome.append(_rejection(path)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "inspect_scan blocked opening a FIFO"
    assert isinstance(outcome[0], ScanRejected) and outcome[0].code == "unreadable"


def _rejection(path: Path) -> BaseException | None:
    try:
        inspect_scan(path)
    except BaseException as error:  # handed to the test thread
        return error
    return None


@pytest.mark.parametrize(("code", "fragments"), [
    ("empty", ["Файл «скан.pdf» пустой (0 байт)"]),
    ("directory", ["«Сканы Иванова» — это папка, а не файл: перетащите файлы из неё"]),
    ("too_large", ["слишком большой: 100,1 МБ", "не больше 100 МБ"]),
    ("not_pdf", ["«Паспорт.pdf» называется .pdf, но это не PDF, а текстовый файл"]),
    ("heic", ["формат HEIC не поддерживается — сохраните фото как JPEG или PDF"]),
    ("zip_named_docx", ["документ Word (DOCX) не поддерживается"]),
    ("html_named_jpg", ["веб-страница (HTML)"]),
    ("zip_named_jpg", ["архив ZIP", "распакуйте"]),
    ("truncated_jpeg", ["изображение обрезано"]),
    ("bomb_over_limit", ["изображение слишком большое (10000×10000 точек, допускается до 89 Мпикс)"]),
    ("password_pdf", ["защищён паролем"]),
    ("pdf_without_pages", ["нет ни одной страницы"]),
    ("broken_symlink", ["ярлык"]),
])
def test_reasons_say_what_the_file_is_and_what_to_do(tmp_path, code, fragments):
    by_id = {case[0]: case for case in REFUSED}
    case = by_id.get(code) or next(c for c in REFUSED if c[3] == code)
    _, filename, make, expected = case
    error = assert_rejected(make(tmp_path / filename), expected)
    for fragment in fragments:
        assert fragment in error.reason


def test_the_over_limit_file_is_really_sparse_and_never_read(tmp_path):
    path = sparse(tmp_path / "огромный.pdf", MAX_BYTES + 1)
    if os.name == "posix":
        assert os.stat(path).st_blocks * 512 < 1024 * 1024  # no bytes were written to make it
    assert_rejected(path, "too_large")


@pytest.mark.parametrize(("max_bytes", "shown"), [(1000, "не больше 0,9 КБ"), (5 * 1024 * 1024, "не больше 5 МБ")])
def test_the_limit_is_configurable_and_said_in_its_unit(tmp_path, max_bytes, shown):
    path = makers.jpeg(tmp_path / "паспорт.jpg", (400, 300)) if max_bytes < 1024 else sparse(
        tmp_path / "паспорт.pdf", 6 * 1024 * 1024)
    error = assert_rejected(path, "too_large", max_bytes=max_bytes)
    assert shown in error.reason


def test_a_file_exactly_at_the_limit_passes_the_size_check(tmp_path):
    path = makers.jpeg(tmp_path / "паспорт.jpg")
    assert inspect_scan(path, max_bytes=path.stat().st_size).kind == "jpeg"


def test_a_bomb_is_refused_before_decoding_and_without_any_warning(tmp_path):
    path = write(tmp_path / "бомба.png", makers.png_header_only(12_000, 12_000))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # as in production: a warning would be printed, not raised
        assert_rejected(path, "corrupt_image")
    assert caught == []


def test_every_tiff_page_is_held_to_the_pixel_limit(tmp_path, monkeypatch):
    path = makers.tiff(tmp_path / "скан.tif", sizes=[(50, 50), (50, 50), (120, 100)])
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)  # the first pages fit, the third does not
    error = assert_rejected(path, "corrupt_image")
    assert "120×100 точек" in error.reason and "до 5000 точек" in error.reason


ACCEPTED = [
    ("jpeg", "паспорт.jpg", lambda p: makers.jpeg(p), "jpeg", 1),
    ("jpeg_named_png", "photo.png", lambda p: makers.jpeg(p), "jpeg", 1),
    ("jpeg_named_pdf", "скан.pdf", lambda p: makers.jpeg(p), "jpeg", 1),
    ("jpeg_upper_extension", "SCAN0001.JPEG", lambda p: makers.jpeg(p), "jpeg", 1),
    ("jpeg_progressive", "фото.jpg", lambda p: makers.saved(p, makers.picture((640, 480)), "JPEG", progressive=True),
     "jpeg", 1),
    ("jpeg_cmyk", "печать.jpg", lambda p: makers.saved(p, makers.picture(mode="CMYK"), "JPEG"), "jpeg", 1),
    ("jpeg_large", "скан 600dpi.jpg", lambda p: makers.jpeg(p, (2480, 3508)), "jpeg", 1),
    ("png", "снилс.png", lambda p: makers.png(p), "png", 1),
    ("png_transparent", "подпись.png", makers.transparent_png, "png", 1),
    ("png_palette", "схема.png", lambda p: makers.png(p, mode="P"), "png", 1),
    ("png_named_jpg", "скрин.jpg", lambda p: makers.png(p), "png", 1),
    ("tiff_pages", "скан.tiff", lambda p: makers.tiff(p, pages=3), "tiff", 3),
    ("tiff_single", "скан.tif", lambda p: makers.tiff(p, pages=1), "tiff", 1),
    ("tiff_bilevel", "факс.tif", lambda p: makers.saved(p, makers.picture(mode="1"), "TIFF", compression="group4"),
     "tiff", 1),
    ("pdf", "договор.pdf", lambda p: makers.pdf(p, pages=2), "pdf", 2),
    ("pdf_handmade", "заявление.pdf", lambda p: write(p, makers.handmade_pdf(makers.ONE_PAGE)), "pdf", 1),
    ("pdf_after_junk", "согласие.pdf",
     lambda p: write(p, b"\r\n" * 50 + makers.pdf(p.with_name("clean.pdf"), pages=3).read_bytes()), "pdf", 3),
    ("pdf_named_jpg", "фото.jpg", lambda p: makers.pdf(p, pages=1), "pdf", 1),
    ("emoji_name", "📄 паспорт Ivanov 👍.jpg", lambda p: makers.jpeg(p), "jpeg", 1),
]


@pytest.mark.parametrize(("filename", "make", "kind", "pages"), [case[1:] for case in ACCEPTED],
                         ids=[case[0] for case in ACCEPTED])
def test_accepted_with_the_kind_its_content_has(tmp_path, filename, make, kind, pages):
    path = make(tmp_path / filename)
    info = inspect_scan(path)
    extension = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}[kind]
    assert info == ScanInfo(path=path, name=filename, size=path.stat().st_size, kind=kind, pages=pages,
                            extension=extension)


def test_pdfs_are_inspected_safely_from_many_threads(tmp_path):
    paths = [makers.pdf(tmp_path / f"договор {number}.pdf", pages=1 + number % 4) for number in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        pages = list(pool.map(lambda path: inspect_scan(path).pages, paths * 4))
    assert pages == [1 + number % 4 for number in range(12)] * 4


def test_rejection_codes_are_a_closed_set():
    assert {case[3] for case in REFUSED} == REJECTION_CODES
    with pytest.raises(ValueError):
        ScanRejected("bogus", "Файл «x» плохой")


def test_a_non_positive_limit_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        inspect_scan(makers.jpeg(tmp_path / "a.jpg"), max_bytes=0)
