"""Safe portal names: table-driven cases for each rule, and properties that hold for any text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpo_desktop.scans import folder_name, name_problem, portal_file_name

FAMILY = "👨\u200d👩\u200d👧"  # one emoji glyph: three people joined by zero-width joiners


@pytest.mark.parametrize(("original", "expected"), [
    # only the last path component
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\скан.pdf", "скан.pdf"),
    ("C:\\Users\\Иванов\\Паспорт.pdf", "Паспорт.pdf"),
    ("C:скан.pdf", "скан.pdf"),
    ("/home/manager/scan.jpg", "scan.jpg"),
    ("сканы/Иванов/", "Иванов"),
    ("../", "файл"),
    ("..", "файл"),
    ("", "файл"),
    # forbidden and control characters
    ('скан: "паспорт" <1>?.pdf', "скан_ _паспорт_ _1__.pdf"),
    ("a*b|c.jpg", "a_b_c.jpg"),
    ("a\x00b\x1fc.pdf", "a_b_c.pdf"),
    ("табуляция\tи\nперевод.pdf", "табуляция_и_перевод.pdf"),
    ("скан\u202efdp.exe", "скан_fdp.exe"),
    ("bad\udcffbyte.pdf", "bad_byte.pdf"),
    # leading and trailing spaces and dots
    ("  .скан.pdf.  ", "скан.pdf"),
    ("скан.pdf...", "скан.pdf"),
    (".pdf", "файл.pdf"),
    ("....jpg", "файл.jpg"),
    ("   .png", "файл.png"),
    ("отчёт .pdf", "отчёт .pdf"),
    # Windows device names, with any extension, in any case
    ("CON.pdf", "_CON.pdf"),
    ("con.PDF", "_con.PDF"),
    ("Nul", "_Nul"),
    ("aux.tar.gz", "_aux.tar.gz"),
    ("COM1.jpg", "_COM1.jpg"),
    ("lpt9.tif", "_lpt9.tif"),
    ("COM¹.pdf", "_COM¹.pdf"),
    ("CON .pdf", "_CON .pdf"),
    ("COM10.pdf", "COM10.pdf"),
    ("CONSOLE.pdf", "CONSOLE.pdf"),
    ("Конспект CON.pdf", "Конспект CON.pdf"),
    # NFC, emoji and mixed scripts are kept
    ("И\u0306ошкар-Ола.pdf", "Йошкар-Ола.pdf"),
    ("е\u0308лка.pdf", "ёлка.pdf"),
    (f"📄 паспорт {FAMILY}.jpg", f"📄 паспорт {FAMILY}.jpg"),
    ("Ivanov_Иванов_pasport_паспорт.pdf", "Ivanov_Иванов_pasport_паспорт.pdf"),
    ("Ιβανόφ Иванов Ivanov.pdf", "Ιβανόφ Иванов Ivanov.pdf"),
])
def test_portal_file_name(original, expected):
    assert portal_file_name(original) == expected


@pytest.mark.parametrize(("original", "expected"), [
    (f"📄 паспорт {FAMILY}.jpg", "_ паспорт _.jpg"),
    ("👍🏽 скан.pdf", "_ скан.pdf"),
    ("❤️ скан.pdf", "❤️ скан.pdf"),  # U+2764 and its variation selector are in the BMP
    ("𝐀𝐁𝐂.pdf", "_.pdf"),
    ("Иванов.pdf", "Иванов.pdf"),
])
def test_bmp_only_replaces_what_3_byte_utf8_cannot_store(original, expected):
    result = portal_file_name(original, bmp_only=True)
    assert result == expected
    assert all(ord(char) <= 0xFFFF for char in result)


@pytest.mark.parametrize(("original", "max_length", "expected"), [
    ("а" * 300 + ".pdf", 120, "а" * 116 + ".pdf"),
    ("Z" * 300 + ".jpeg", 120, "Z" * 115 + ".jpeg"),
    ("а" * 300, 120, "а" * 120),
    ("а" * 115 + "     хвост.pdf", 120, "а" * 115 + ".pdf"),  # a cut never leaves a trailing space
    ("а" * 114 + FAMILY + ".pdf", 120, "а" * 114 + "👨.pdf"),  # nor a dangling joiner
    ("Иванов И.И. паспорт " * 20, 120, ("Иванов И.И. паспорт " * 20)[:120].rstrip(" .")),
    ("паспорт.pdf", 5, "п.pdf"),
    ("паспорт.pdf", 4, "пасп"),
    ("CON.pdf", 7, "_CO.pdf"),
    ("скан.pdf", 120, "скан.pdf"),
])
def test_long_names_are_cut_keeping_the_extension(original, max_length, expected):
    assert portal_file_name(original, max_length=max_length) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ПК-2024/05 Охрана труда", "ПК-2024_05 Охрана труда"),  # a slash is a character, not a new folder
    ("Иванов Иван Иванович [4512]", "Иванов Иван Иванович [4512]"),
    ("Иванова (Петрова) Анна", "Иванова (Петрова) Анна"),
    ("Иванов И.И.", "Иванов И.И"),
    ("  ДПО  ", "ДПО"),
    ("..", "папка"),
    ("", "папка"),
    ("CON", "_CON"),
    ("aux.", "_aux"),
    ("Nul.log", "_Nul.log"),
    ('Курс "Охрана труда": 16 ч?', "Курс _Охрана труда__ 16 ч_"),
    ("🎓 Выпуск", "🎓 Выпуск"),
])
def test_folder_name(text, expected):
    assert folder_name(text) == expected


def test_folder_name_cuts_and_knows_the_bmp():
    assert folder_name("Программа " * 40) == ("Программа " * 40)[:120].rstrip()
    assert folder_name("🎓 Выпуск", bmp_only=True) == "_ Выпуск"
    assert len(folder_name("я" * 300, max_length=50)) == 50


@pytest.mark.parametrize("function", [portal_file_name, folder_name])
def test_a_non_positive_length_is_a_programming_error(function):
    with pytest.raises(ValueError):
        function("скан.pdf", max_length=0)


@pytest.mark.parametrize("original", [
    "паспорт.pdf", "Паспорт Иванова И.И..pdf", f"📄 скан {FAMILY}.jpg", "Ivanov Иванов.pdf", "CONSOLE.pdf",
    "я" * 125 + ".pdf",  # 254 bytes in UTF-8: long, but every file system takes it
    "z" * 200 + ".pdf",  # cut on the portal, which is not dangerous
])
def test_ordinary_names_raise_no_problem(original):
    assert name_problem(original) is None


@pytest.mark.parametrize(("original", "fragment"), [
    ("../../etc/passwd.pdf", "содержит «..»"),
    ("..\\скан.pdf", "содержит «..»"),
    ("C:\\Windows\\скан.pdf", "от корня диска"),
    ("/etc/скан.pdf", "от корня диска"),
    ("CON.pdf", "зарезервированное имя устройства Windows"),
    ("lpt1", "зарезервированное имя устройства Windows"),
    ("я" * 128 + ".pdf", "длиннее 255 байт"),
    ("скан\x07.pdf", "управляющие символы"),
    ("скан\u202efdp.exe", "управляющие символы"),
])
def test_dangerous_names_are_noted_in_russian_with_the_safe_name(original, fragment):
    note = name_problem(original)
    assert note is not None and fragment in note
    assert note.startswith("Имя файла «") and re.search("[а-я]", note)
    assert f"под именем «{portal_file_name(original)}»" in note
    assert "\x07" not in note and "\u202e" not in note


def test_a_name_with_several_problems_lists_them_all():
    note = name_problem("../CON\x01.pdf")
    assert note is not None
    assert all(part in note for part in ("«..»", "управляющие символы"))


_FORBIDDEN = set('\\/:*?"<>|')
_DEVICES = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³]) *(\.|$)", re.IGNORECASE)
PROPERTY = settings(max_examples=400, deadline=None, database=None, derandomize=True)


def _assert_safe(result: str, max_length: int) -> None:
    assert result and len(result) <= max_length
    assert not (_FORBIDDEN & set(result))
    assert not any(unicodedata.category(char) in ("Cc", "Cs") for char in result)
    assert result[0] not in " ." and result[-1] not in " ."
    assert not _DEVICES.match(result)
    assert unicodedata.is_normalized("NFC", result)


@PROPERTY
@given(st.text(max_size=400), st.integers(min_value=1, max_value=200), st.booleans())
def test_any_text_becomes_a_safe_stable_file_name(text, max_length, bmp_only):
    result = portal_file_name(text, max_length=max_length, bmp_only=bmp_only)
    _assert_safe(result, max_length)
    if bmp_only:
        assert all(ord(char) <= 0xFFFF for char in result)
    assert portal_file_name(result, max_length=max_length, bmp_only=bmp_only) == result


@PROPERTY
@given(st.text(max_size=400), st.integers(min_value=1, max_value=200))
def test_any_text_becomes_a_safe_stable_folder_name(text, max_length):
    result = folder_name(text, max_length=max_length)
    _assert_safe(result, max_length)
    assert folder_name(result, max_length=max_length) == result
