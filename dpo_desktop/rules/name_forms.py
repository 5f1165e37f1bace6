"""How a person's name shows up in a file name, and which unknown words look like somebody's name.

Scanner operators and HR clerks write names as they say them: declined («паспорт Иванова» is Иванов's
passport, genitive), transliterated by whichever table their phone or habit uses (Кузнецова → Kuznetsova,
Kuznecova; Юлия → Yuliya, Julija, Iuliia), or shortened to initials («Иванов И.И.», «IvanovII»). This
module turns one name into the set of its spellings; the classifier compares file-name words with them.

Every word here is *folded*: lower case, ё → е (see :func:`fold`); Latin spellings are matched with a
regular expression built from the Cyrillic word (:func:`latin_pattern`), so the many combinations of a
table's variants are never listed one by one.

Declension rule (the common endings only, documented in the classifier's module docstring too):
surnames in -ов/-ев/-ин/-ын take -а/-у/-ым/-е (Иванов → Иванова, Иванову); feminine -ова/-ева/-ина/-ына
take -ой/-у (Иванова → Ивановой, Иванову); adjectival -ский/-цкий/-ой/-ый take -ого/-ому/-им/-ым/-ом and
feminine -ая takes -ой/-ую; other consonant endings take -а/-у/-ом/-е; -о, -их, -ых, -е, -и, -у do not
decline. First names and patronymics decline as nouns (Иван → Ивана, Мария → Марии, Андрей → Андрея).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_CYRILLIC = re.compile(r"[а-яё]")

# GOST 7.79 (system B), ICAO Doc 9303 and the spellings people actually type, letter by letter.
_LATIN_OF_LETTER = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e|ye|je", "ё": "e|yo|jo|io|ye",
    "ж": "zh|z|j", "з": "z", "и": "i", "й": "y|i|j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh|h|x", "ц": "ts|c|tz|cz",
    "ч": "ch|tch", "ш": "sh", "щ": "shch|sch|shh|sh", "ъ": "|ie", "ы": "y|i", "ь": "", "э": "e|eh",
    "ю": "yu|ju|iu|u", "я": "ya|ja|ia|a",
}
# A bare «a»/«u» for я/ю only after a consonant (Mariya/Maria); a word does not start with it (Яна is not «ana»).
_LATIN_OF_LETTER_AT_START = {"я": "ya|ja|ia", "ю": "yu|ju|iu"}
# Letter pairs spelled as a unit: «кс» anywhere (Alexey), the endings «ий», «ый», «ия» at the end.
_LATIN_OF_PAIR_ANYWHERE = {"кс": "ks|x"}
_LATIN_OF_PAIR_AT_END = {"ий": "iy|ii|y|i|ij|yi", "ый": "y|yi|iy|ij|i", "ия": "iya|ia|ija|iia|ya"}


def fold(text: str) -> str:
    """Lower case with ё as е: the form every comparison here uses."""
    return text.casefold().replace("ё", "е")


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word.casefold()) is not None


@lru_cache(maxsize=4096)
def latin_pattern(word: str) -> re.Pattern[str]:
    """A pattern for every usual Latin spelling of the (lower-case) Cyrillic ``word``; Latin letters stay."""
    parts: list[str] = []
    index = 0
    while index < len(word):
        pair = word[index:index + 2]
        if pair in _LATIN_OF_PAIR_ANYWHERE or (index + 2 == len(word) and pair in _LATIN_OF_PAIR_AT_END):
            parts.append(f"(?:{_LATIN_OF_PAIR_ANYWHERE.get(pair) or _LATIN_OF_PAIR_AT_END[pair]})")
            index += 2
            continue
        letter = word[index]
        latin = _LATIN_OF_LETTER_AT_START.get(letter) if index == 0 else None
        latin = latin or _LATIN_OF_LETTER.get(letter)
        parts.append(re.escape(letter) if latin is None else f"(?:{latin})")
        index += 1
    return re.compile("".join(parts))


def spelled_as(word: str, forms: frozenset[str]) -> bool:
    """Whether the folded file-name ``word`` is one of ``forms`` (folded Cyrillic) or a Latin spelling of one."""
    if word in forms:
        return True
    if is_cyrillic(word):
        return False
    return any(latin_pattern(form).fullmatch(word) for form in forms if is_cyrillic(form))


def initial_letters(name: str) -> frozenset[str]:
    """How an initial of ``name`` may be written: the Cyrillic letter, each Latin spelling of it and that
    spelling's first letter. Иван → и, i; Юлия → ю, yu, ju, iu, u, y, j, i; Ксения → к, ks, x, k."""
    name = name.strip().lower()
    if not name:
        return frozenset()
    letter = name[0]
    spelling = (_LATIN_OF_PAIR_ANYWHERE.get(name[:2]) or _LATIN_OF_LETTER_AT_START.get(letter)
                or _LATIN_OF_LETTER.get(letter, ""))
    options = [option for option in spelling.split("|") if option]
    return frozenset({fold(letter), *options, *(option[0] for option in options)})


# Two Latin letters that may stand for one Cyrillic initial: «kirillova_yu_n» is Юлия Н.
_DIGRAPHS = frozenset(("ya", "yu", "ye", "yo", "ja", "ju", "je", "jo", "ia", "iu", "zh", "kh", "ts", "ch", "sh"))


def initials_fit(written: Sequence[str], first_name: str, patronymic: str) -> bool:
    """Whether initials as written («И», «ИИ», «II», «yu», «Yu») can be this first name's and patronymic's.

    Each piece of one or two letters is read every way it can be: a pair is two initials, or one Cyrillic
    letter written with two Latin ones when it is a digraph not in capitals («yu», «Yu» is Ю; «YA» is
    Y. A.). A reading with more than two initials is none; a missing patronymic accepts any second one."""
    readings: list[tuple[str, ...]] = [()]
    for raw in written:
        piece = fold(raw)
        options = [tuple(piece)]
        if len(piece) == 2 and piece in _DIGRAPHS and not raw.isupper():
            options.append((piece,))
        readings = [reading + option for reading in readings for option in options]
    first, second = initial_letters(first_name), initial_letters(patronymic)
    return any(reading[0] in first and (len(reading) == 1 or not second or reading[1] in second)
               for reading in readings if 0 < len(reading) <= 2)


# --- declension -------------------------------------------------------------------------------------------

_SURNAME_ENDINGS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    # (nominative ending, letters to cut, oblique endings): the first ending that fits decides.
    ("ова", 1, ("ой", "у")), ("ева", 1, ("ой", "у")), ("ина", 1, ("ой", "у")), ("ына", 1, ("ой", "у")),
    ("ов", 0, ("а", "у", "ым", "е")), ("ев", 0, ("а", "у", "ым", "е")),
    ("ин", 0, ("а", "у", "ым", "е")), ("ын", 0, ("а", "у", "ым", "е")),
    ("ая", 2, ("ой", "ую")), ("ий", 2, ("ого", "ому", "им", "ом")), ("ый", 2, ("ого", "ому", "ым", "ом")),
    ("ой", 2, ("ого", "ому", "ым", "ом")),
    ("ых", 0, ()), ("их", 0, ()), ("о", 0, ()), ("е", 0, ()), ("и", 0, ()), ("у", 0, ()), ("ю", 0, ()),
)
_HUSHING = ("г", "к", "х", "ж", "ш", "ч", "щ")
_IRREGULAR_STEMS = {"павел": "павл", "лев": "льв"}  # the fleeting vowel


@lru_cache(maxsize=4096)
def surname_forms(surname: str) -> frozenset[str]:
    """The folded nominative ``surname`` (one word) and its genitive, dative, accusative, instrumental forms."""
    word = fold(surname)
    for ending, cut, oblique in _SURNAME_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: len(word) - cut] if cut else word
            return frozenset({word, *(stem + suffix for suffix in oblique)})
    return noun_forms(word)


@lru_cache(maxsize=4096)
def noun_forms(name: str) -> frozenset[str]:
    """A first name, patronymic or other surname declined as a noun: Иван, Ивана, Ивану, Иваном, Иване."""
    word = fold(name)
    if len(word) < 2:
        return frozenset({word})
    if word.endswith("ия"):
        endings, stem = ("ии", "ию", "ией"), word[:-2]
    elif word.endswith("я"):
        endings, stem = ("и", "е", "ю", "ей"), word[:-1]
    elif word.endswith("а"):
        genitive = "и" if word[-2] in _HUSHING else "ы"
        instrumental = ("ой", "ей") if word[-2] in "жшчщц" else ("ой",)
        endings, stem = (genitive, "е", "у", *instrumental), word[:-1]
    elif word.endswith(("й", "ь")):
        endings, stem = ("я", "ю", "ем", "е"), word[:-1]
    elif word.endswith(("о", "е", "и", "у", "ю", "ы")):
        return frozenset({word})
    else:
        stem = _IRREGULAR_STEMS.get(word, word)
        endings = ("а", "у", "ем" if word[-1] in "жшчщц" else "ом", "е")
    return frozenset({word, *(stem + ending for ending in endings)})


# --- does an unknown word look like somebody's name? ---------------------------------------------------------

_FIRST_NAMES_TEXT = (
    "Александр Алексей Анатолий Андрей Антон Аркадий Арсений Артём Артур Афанасий Богдан Борис Вадим Валентин "
    "Валерий Василий Вениамин Виктор Виталий Владимир Владислав Всеволод Вячеслав Гавриил Геннадий Георгий "
    "Герман Глеб Григорий Давид Даниил Демид Демьян Денис Дмитрий Евгений Егор Ефим Захар Иван Игнат Игорь "
    "Илья Иосиф Кирилл Константин Лев Леонид Лука Макар Максим Марат Марк Матвей Мирон Михаил Назар Нестор "
    "Никита Никифор Николай Олег Остап Павел Пётр Платон Прохор Родион Роман Ростислав Руслан Рустам Савелий "
    "Святослав Семён Сергей Станислав Степан Тарас Тимофей Тимур Тихон Трофим Фёдор Филипп Фома Эдуард Эмиль "
    "Эрик Юлиан Юрий Яков Ян Ярослав Айдар Азат Ильдар Ильнур Марсель Рамиль Ринат Фарид Азиз Бахтиёр Шерзод "
    "Алевтина Александра Алёна Алина Алиса Алла Альбина Анастасия Ангелина Анна Антонина Арина Богдана "
    "Валентина Валерия Варвара Василиса Вера Вероника Виктория Виолетта Влада Галина Дарья Диана Дина Ева "
    "Евгения Екатерина Елена Елизавета Жанна Зинаида Злата Зоя Инга Инна Ирина Карина Кира Клавдия Кристина "
    "Ксения Лариса Лидия Лилия Любовь Людмила Майя Маргарита Марина Мария Милана Надежда Наталья Наталия Нелли "
    "Нина Оксана Олеся Ольга Полина Раиса Регина Римма Светлана Снежана Софья София Стефания Таисия Тамара "
    "Татьяна Ульяна Фаина Эльвира Эльмира Эмма Юлия Яна Ярослава Гульнара Дильноза Зарина"
)
FIRST_NAMES = tuple(_FIRST_NAMES_TEXT.split())
_FIRST_NAME_FORMS = frozenset(form for name in FIRST_NAMES for form in noun_forms(name))
# Latin spellings from the folded forms and from the nominative with its ё (Artyom, Pyotr, Fyodor).
_FIRST_NAME_LATIN = re.compile("|".join(sorted(
    {latin_pattern(form).pattern for form in _FIRST_NAME_FORMS} | {latin_pattern(name.lower()).pattern
                                                                     for name in FIRST_NAMES})))

_PATRONYMIC = re.compile(r"\w{2,}(?:ович|евич|ьич|инич|итич)(?:а|у|ем|е)?|\w{2,}(?:овн|евн|ичн)(?:а|ы|е|у|ой)"
                         r"|\w{2,}(?:ovich|evich|ovitch|ovna|evna|ichna)(?:a|u|em|e|y|oy|oi)?")
_SURNAME_LIKE = re.compile(
    r"\w{2,}(?:ов|ев|ин|ын|ова|ева|ина|ына|овой|евой|иной|овым|евым|ский|цкий|ская|цкая|ского|цкого|ской|цкой"
    r"|енко|юк|ук|ян|янц|дзе|швили|ых|их)"
    r"|\w{3,}(?:ov|ev|in|yn|ova|eva|ina|yna|sky|skiy|skii|skaya|enko|uk|yuk|yan|dze|shvili|ykh|ikh)")


def is_first_name(word: str) -> bool:
    """A common Russian first name in some case, in Cyrillic or Latin (``word`` folded)."""
    return word in _FIRST_NAME_FORMS or (not is_cyrillic(word) and _FIRST_NAME_LATIN.fullmatch(word) is not None)


def is_patronymic(word: str) -> bool:
    return _PATRONYMIC.fullmatch(word) is not None


def looks_like_name(word: str, raw: str, *, first: bool = False) -> bool:
    """Whether a word nobody in the deal explains could be somebody's name: any Latin word, a known first
    name, a patronymic, a typical surname ending, or a capitalised Cyrillic word (the ``first`` word of a
    name is capitalised anyway: «Приложение к диплому»)."""
    if not is_cyrillic(word):
        return True  # Latin words worth a look are keywords or scanner words; any other may well be a name
    return (is_first_name(word) or is_patronymic(word) or _SURNAME_LIKE.fullmatch(word) is not None
            or (raw[:1].isupper() and not first))
