"""The pieces the classifier stands on: words of a file name, transliteration, declension, typos."""

from __future__ import annotations

import pytest

from dpo_desktop.rules.doc_keywords import file_stem, split_words, within_typos
from dpo_desktop.rules.name_forms import (
    initial_letters,
    initials_fit,
    is_first_name,
    is_patronymic,
    latin_pattern,
    looks_like_name,
    noun_forms,
    spelled_as,
    surname_forms,
)


@pytest.mark.parametrize(("file_name", "stem"), [
    ("паспорт.pdf", "паспорт"),
    ("C:\\Users\\hr\\Сканы\\Иванов И.И.pdf", "Иванов И.И"),
    ("/home/hr/scan.pdf.pdf", "scan"),
    ("Паспорт Иванов П.С..pdf", "Паспорт Иванов П.С."),
    ("Иванов И.И", "Иванов И.И"),  # no extension: the Cyrillic initial stays
    ("Скан 2024.03.05", "Скан 2024.03.05"),  # digits are not an extension
    ("IMG_4021.JPEG", "IMG_4021"),
    ("\u00a0паспорт\u200b Иванова.jpg", "паспорт Иванова"),  # invisible characters and odd spaces
    ("Пе\u0308тр Андреи\u0306.pdf", "Пётр Андрей"),  # macOS writes ё and й as two code points
])
def test_file_stem(file_name, stem):
    assert file_stem(file_name) == stem


@pytest.mark.parametrize(("file_name", "words"), [
    ("паспорт Иванова И.И. стр 2-3.jpg", ["паспорт", "Иванова", "И", "И", "стр", "2", "3"]),
    ("IvanovII_pasport.pdf", ["Ivanov", "II", "pasport"]),
    ("SNILSPetrova.PDF", ["SNILS", "Petrova"]),
    ("ИвановИИ_заявление.pdf", ["Иванов", "ИИ", "заявление"]),
    ("ПаспортЛебедеваКумачЮС.pdf", ["Паспорт", "Лебедева", "Кумач", "ЮС"]),
    ("скан1.pdf", ["скан", "1"]),
    ("IMG4021.jpg", ["IMG", "4021"]),
    ("паспортIvanov.pdf", ["паспорт", "Ivanov"]),  # Cyrillic and Latin are two words
    ("Иванoв паспорт.pdf", ["Иванов", "паспорт"]),  # a Latin «o» in a Cyrillic word is read as Cyrillic
    ("Natal'ya Sidorova.pdf", ["Natalya", "Sidorova"]),  # an apostrophe for ь does not cut the word
    ("Согласие на обработку ПДн.pdf", ["Согласие", "на", "обработку", "ПДн"]),  # «ПДн» is not «П» + «Дн»
    ("WhatsApp Image 2024-03-01 at 10.15.22.jpeg", ["Whats", "App", "Image", "2024", "03", "01", "at", "10", "15",
                                                    "22"]),
    ("свид-во_о_браке.jpg", ["свид", "во", "о", "браке"]),
    ("№15-ПК (копия).pdf", ["15", "ПК", "копия"]),
])
def test_split_words(file_name, words):
    assert [word.raw for word in split_words(file_name)] == words


@pytest.mark.parametrize(("raw", "text"), [("ПАСПОРТ", "паспорт"), ("Пётр", "петр"), ("Ёлкина", "елкина"),
                                           ("SNILS", "snils")])
def test_words_are_folded_for_comparison(raw, text):
    (word,) = split_words(raw)
    assert (word.raw, word.text) == (raw, text)


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("иванов", "ivanov"),
    ("кузнецова", "kuznetsova"), ("кузнецова", "kuznecova"), ("кузнецова", "kuznetzova"),
    ("юлия", "yuliya"), ("юлия", "julija"), ("юлия", "iuliia"), ("юлия", "yulia"),
    ("мария", "maria"), ("мария", "mariya"),
    ("дмитрий", "dmitriy"), ("дмитрий", "dmitrii"), ("дмитрий", "dmitry"), ("дмитрий", "dmitrij"),
    ("алексей", "aleksey"), ("алексей", "alexey"), ("алексей", "aleksei"),
    ("хабибуллин", "khabibullin"), ("хабибуллин", "habibullin"),
    ("жуков", "zhukov"), ("шишкин", "shishkin"), ("щукина", "shchukina"), ("щукина", "schukina"),
    ("соловьева", "solovyeva"), ("соловьева", "soloveva"),
    ("пётр", "pyotr"), ("петр", "petr"), ("федоров", "fedorov"),
    ("чернов", "chernov"), ("цветкова", "tsvetkova"), ("цветкова", "cvetkova"),
    ("ilyin", "ilyin"),  # a Latin name stays itself
])
def test_latin_spellings(cyrillic, latin):
    assert latin_pattern(cyrillic).fullmatch(latin)


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("иванов", "ivanova"),  # the pattern is for one form; declension is separate
    ("яна", "ana"),  # a word does not start with a bare «a» for я
    ("лев", "levyi"),
    ("петров", "petrovich"),
])
def test_latin_spellings_that_are_not(cyrillic, latin):
    assert latin_pattern(cyrillic).fullmatch(latin) is None


@pytest.mark.parametrize(("surname", "forms"), [
    ("Иванов", {"иванов", "иванова", "иванову", "ивановым", "иванове"}),
    ("Иванова", {"иванова", "ивановой", "иванову"}),
    ("Ильин", {"ильин", "ильина", "ильину", "ильиным", "ильине"}),
    ("Вишневский", {"вишневский", "вишневского", "вишневскому", "вишневским", "вишневском"}),
    ("Вишневская", {"вишневская", "вишневской", "вишневскую"}),
    ("Толстой", {"толстой", "толстого", "толстому", "толстым", "толстом"}),
    ("Шевченко", {"шевченко"}),  # -ко does not decline
    ("Черных", {"черных"}),  # -их/-ых do not decline
    ("Шмидт", {"шмидт", "шмидта", "шмидту", "шмидтом", "шмидте"}),
    ("Королёв", {"королев", "королева", "королеву", "королевым", "королеве"}),
])
def test_surname_declension(surname, forms):
    assert surname_forms(surname) == forms


@pytest.mark.parametrize(("name", "form"), [
    ("Иван", "ивана"), ("Иван", "ивану"), ("Мария", "марии"), ("Мария", "марию"), ("Анна", "анны"),
    ("Ольга", "ольги"), ("Ольга", "ольгой"), ("Андрей", "андрея"), ("Дмитрий", "дмитрия"), ("Игорь", "игоря"),
    ("Наталья", "натальи"), ("Павел", "павла"), ("Лев", "льва"), ("Пётр", "петра"),
    ("Иванович", "ивановича"), ("Ивановна", "ивановны"), ("Ивановна", "ивановной"),
])
def test_given_name_declension(name, form):
    assert form in noun_forms(name)


@pytest.mark.parametrize(("name", "not_a_form"), [("Лев", "левый"), ("Лев", "лева"), ("Иван", "иванов"),
                                                  ("Анна", "анновна")])
def test_declension_never_runs_into_other_words(name, not_a_form):
    assert not_a_form not in noun_forms(name)


@pytest.mark.parametrize(("word", "forms", "expected"), [
    ("petrova", surname_forms("Петров"), True),  # genitive, transliterated
    ("petrovoy", surname_forms("Петрова"), True),
    ("ivanovu", surname_forms("Иванов"), True),
    ("иванова", surname_forms("Иванов"), True),
    ("ивановой", surname_forms("Иванов"), False),
    ("левый", noun_forms("Лев"), False),
    ("lev", noun_forms("Лев"), True),
    ("smith", frozenset({"smith"}), True),
])
def test_spelled_as(word, forms, expected):
    assert spelled_as(word, forms) is expected


@pytest.mark.parametrize(("name", "letters"), [
    ("Иван", {"и", "i"}), ("Юлия", {"ю", "yu", "ju", "iu", "y", "j", "i"}), ("Ксения", {"к", "ks", "x", "k"}),
    ("Евгений", {"е", "e", "ye", "je", "y", "j"}), ("Хасан", {"х", "kh", "h", "x", "k"}),
    ("Щукин", {"щ", "shch", "sch", "shh", "sh", "s"}), ("Ёлкин", {"е", "e", "yo", "jo", "io", "ye", "y", "j", "i"}),
    ("John", {"j"}), ("", set()),
])
def test_initial_letters(name, letters):
    assert initial_letters(name) == letters


@pytest.mark.parametrize(("word", "raw", "first", "expected"), [
    ("олег", "олег", False, True),  # a first name, even in lower case
    ("olega", "Olega", False, True),
    ("петрович", "петрович", False, True),  # a patronymic
    ("сорокин", "сорокин", False, True),  # a surname ending
    ("sorokina", "sorokina", False, True),
    ("москва", "Москва", False, True),  # capitalised Cyrillic
    ("приложение", "Приложение", True, False),  # the first word is capitalised anyway
    ("разворот", "разворот", False, False),
    ("bakalavr", "bakalavr", False, True),  # any Latin word that is neither a keyword nor a scanner's
    ("бакалавра", "бакалавра", False, False),
])
def test_looks_like_name(word, raw, first, expected):
    assert looks_like_name(word, raw, first=first) is expected


@pytest.mark.parametrize(("word", "expected"), [("анна", True), ("anna", True), ("pyotr", True), ("artyom", True),
                                                ("скан", False), ("ana", False), ("img", False)])
def test_is_first_name(word, expected):
    assert is_first_name(word) is expected


@pytest.mark.parametrize(("word", "expected"), [("иванович", True), ("ивановны", True), ("sergeevna", True),
                                                ("иванов", False), ("ивана", False)])
def test_is_patronymic(word, expected):
    assert is_patronymic(word) is expected


@pytest.mark.parametrize(("word", "spelling", "expected"), [
    ("паспотр", "паспорт", True),  # neighbours swapped
    ("пасспорт", "паспорт", True),  # one letter too many
    ("пасорт", "паспорт", True),  # one letter missing
    ("паспорд", "паспорт", True),  # one letter wrong
    ("пспрт", "паспорт", False),  # two edits on a 7-letter word
    ("zayavlenye", "zayavlenie", True),
    ("зоявлинье", "заявление", False),  # three edits are too many even on a long word
    ("snls", "snils", False),  # short words are never corrected
    ("соглашение", "согласие", False),  # a different word, not a typo
])
def test_within_typos(word, spelling, expected):
    assert within_typos(word, spelling) is expected


@pytest.mark.parametrize(("written", "first", "patronymic", "expected"), [
    (("И", "И"), "Иван", "Иванович", True),
    (("ИИ",), "Иван", "Иванович", True),
    (("II",), "Иван", "Иванович", True),
    (("И",), "Иван", "Иванович", True),  # the first initial alone
    (("П", "С"), "Иван", "Иванович", False),
    (("И", "С"), "Иван", "Иванович", False),  # the patronymic's initial decides too
    (("yu", "s"), "Юлия", "Сергеевна", True),  # «yu» is one initial
    (("Yu", "S"), "Юлия", "Сергеевна", True),
    (("ya", "s"), "Юрий", "Андреевич", False),  # «ya» is Я, not Y. A. followed by a third initial
    (("YA",), "Юрий", "Андреевич", True),  # capitals: Y. A.
    (("YA",), "Яна", "Денисовна", False),
    (("x",), "Ксения", "", True), (("ks",), "Ксения", "", True), (("zh",), "Жанна", "Олеговна", True),
    (("А", "Б"), "Анна", "", True),  # no patronymic known: the second initial says nothing
    (("И", "И", "И"), "Иван", "Иванович", False),  # three initials are nobody's
])
def test_initials_fit(written, first, patronymic, expected):
    assert initials_fit(written, first, patronymic) is expected

