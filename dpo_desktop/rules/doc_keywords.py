"""The words of a file name: how a name is cut into words, which words name a document type, and
which say nothing at all; and a type named on the command line.

:func:`split_words` drops the folder and the extension, then cuts at every separator (``_ - . space`` and
any other non-letter), at camelCase humps («IvanovII», «SNILSPetrova»), between letters and digits
(«скан1») and between Cyrillic and Latin («паспортIvanov»). A word mixing the scripts with Latin letters
that look Cyrillic («Иванoв» with a Latin o) is read as Cyrillic. Each word keeps its raw spelling (case
matters for initials) and a folded one for comparison: lower case, ё → е.

A keyword is a phrase of one or more word patterns (regular expressions over *folded* words: lower case,
ё → е), matched in order over the file name's words with at most :data:`MAX_GAP` short words between
(«согласие на обработку», «свид-во о браке»). Each keyword carries the confidence it lends to its type:
a full word (паспорт) is surer than an abbreviation (pasp, ПД) or a bare «справка». A word that is one
edit away from a long keyword (two for 9 letters and more) counts as that keyword, less surely: «паспотр»,
«dogovr», «zayavlenye». Short words are never corrected: «psp» and «ПД» either match or do not.

«свидетельство» (and «удостоверение», «certificate») name no type on their own: СНИЛС was «страховое
свидетельство», a marriage certificate is «свидетельство о браке». They are reported as hits without a
type, so the classifier can say why it did not decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..domain.models import DOCUMENT_TITLES, DocumentType
from .name_forms import fold
from .text import clean_text, quoted
from .validators import ValidationProblem

STRONG, USUAL, WEAK = 0.95, 0.85, 0.75
FUZZY_PENALTY = 0.1
MAX_GAP = 2  # short words allowed between the words of a phrase: «на», «о», «к», «из», «во»

_D = DocumentType
# (type or None for «names no type by itself», confidence, phrase: word patterns separated by spaces)
_KEYWORDS: tuple[tuple[DocumentType | None, float, str], ...] = (
    (_D.PASSPORT, STRONG, r"паспорт\w*|pasport\w*|passport\w*|загранпаспорт\w*"),
    (_D.PASSPORT, USUAL, r"pasp|psp|пасп|прописк\w*|propisk\w*"),
    (_D.PASSPORT, USUAL, r"регистраци(?:я|и|ю|ей)|registra(?:c|t|ts)(?:i|y|ij|ii)\w*"),
    (_D.SNILS, STRONG, r"снилс\w*|snils\w*"),
    (_D.SNILS, STRONG, r"страхов\w*|strah\w*|strakh\w* свид\w*|svid\w*"),
    (_D.SNILS, USUAL, r"страховое|strahovoe|strakhovoe"),
    (_D.DIPLOMA, STRONG, r"диплом\w*|diplom\w*"),
    (_D.DIPLOMA, USUAL, r"дипл|dipl|вкладыш\w*|vkladysh\w*|vkladish\w*"),
    (_D.DIPLOMA, USUAL, r"документ\w*|document\w* образовани\w*|obrazovani\w*"),
    (_D.STUDY_CERTIFICATE, STRONG,
     r"справк\w*|spravk\w* обучени\w*|учеб\w*|вуз\w*|колледж\w*|техникум\w*|университет\w*|институт\w*|студент\w*"
     r"|obuchen\w*|ucheb\w*|vuz\w*|kolledzh\w*|universitet\w*|institut\w*|student\w*"),
    (_D.STUDY_CERTIFICATE, WEAK, r"справк\w*|spravk\w*"),
    (_D.CONSENT, STRONG, r"соглас(?:ие|ия|ии|ю)|soglasi\w*|consent\w*"),
    (_D.CONSENT, STRONG, r"соглас(?:ие|ия|ии|ю)|soglasi\w* обработк\w*|obrabotk\w*"),
    (_D.CONSENT, USUAL, r"пд|опд|пдн|спд"),
    (_D.CONSENT, USUAL, r"персональн\w*|personaln\w* данн\w*|dann\w*"),
    (_D.NAME_CHANGE, STRONG, r"брак(?:|а|е|у|ом)|brak(?:|a|e|u|om)"),
    (_D.NAME_CHANGE, STRONG, r"свидетельств\w*|свид|св|svid\w* брак(?:|а|е|у|ом)|brak(?:|a|e|u|om)"),
    (_D.NAME_CHANGE, STRONG, r"смен\w*|перемен\w*|изменени\w*|smen\w*|peremen\w* фамили\w*|имени|famil\w*|imeni"),
    (_D.NAME_CHANGE, USUAL, r"развод\w*|razvod\w*|marriage\w*"),
    (_D.APPLICATION, STRONG, r"заявлени\w*|zayavleni\w*|zajavleni\w*|zaiavleni\w*|zayavlen\w*"),
    (_D.APPLICATION, USUAL, r"заявл|заяв|zayavl|zajavl|application\w*"),
    (_D.APPLICATION, WEAK, r"анкет\w*|anket\w*"),
    (_D.CONTRACT, STRONG, r"договор\w*|dogovor\w*|contract\w*"),
    (_D.CONTRACT, USUAL, r"контракт\w*|kontrakt\w*|соглашени\w*|soglashen\w*|допсоглашени\w*"),
    (_D.OTHER, USUAL, r"инн|медкнижк\w*"),
    (_D.OTHER, USUAL, r"трудов\w* книжк\w*"),
    (_D.OTHER, USUAL, r"военн\w* билет\w*"),
    (_D.OTHER, USUAL, r"свидетельств\w*|свид|svidetelstv\w*|svid рождени\w*|rozhdeni\w*"),
    (_D.OTHER, STRONG, r"медицинск\w*|мед справк\w*"),
    (_D.OTHER, STRONG, r"справк\w* медицинск\w*"),
    (None, 0.0, r"свидетельств\w*|свид|svidetelstv\w*|svid|certificate\w*|удостоверени\w*|udostovereni\w*"),
)

# Long keywords, as typed correctly, for the one-typo tolerance.
_CORRECT_SPELLINGS: tuple[tuple[str, DocumentType | None, float], ...] = (
    ("паспорт", _D.PASSPORT, STRONG), ("pasport", _D.PASSPORT, STRONG), ("passport", _D.PASSPORT, STRONG),
    ("прописка", _D.PASSPORT, USUAL), ("propiska", _D.PASSPORT, USUAL), ("регистрация", _D.PASSPORT, USUAL),
    ("диплом", _D.DIPLOMA, STRONG), ("diplom", _D.DIPLOMA, STRONG), ("diploma", _D.DIPLOMA, STRONG),
    ("вкладыш", _D.DIPLOMA, USUAL), ("справка", _D.STUDY_CERTIFICATE, WEAK),
    ("spravka", _D.STUDY_CERTIFICATE, WEAK), ("согласие", _D.CONSENT, STRONG), ("soglasie", _D.CONSENT, STRONG),
    ("заявление", _D.APPLICATION, STRONG), ("zayavlenie", _D.APPLICATION, STRONG),
    ("zajavlenie", _D.APPLICATION, STRONG), ("договор", _D.CONTRACT, STRONG), ("dogovor", _D.CONTRACT, STRONG),
    ("contract", _D.CONTRACT, STRONG), ("страховое", _D.SNILS, USUAL), ("свидетельство", None, 0.0),
    ("svidetelstvo", None, 0.0),
)

# Words that carry no information about the type or the person: what phones, scanners and clerks add.
_GENERIC_TEXT = """
    скан сканы сканкопия scan scans scanned scanner cam camscanner img image images photo photos фото фотография
    снимок изображение screenshot скриншот экрана whatsapp whats app telegram viber at document documents документ
    документы документов doc docs file files файл файлы копия копии kopiya kopia copy new новый новая новое
    стр страница страницы страниц page pages лист листы листов разворот разворота основная главная первая
    вторая лицевая обратная сторона оборот цвет цветной color подписан подписанный подписанная signed
    оригинал original final финал итог исправленный испр ред версия ver version от года год номер no nr
    microsoft lens office adobe pdf jpg jpeg png tif tiff heic дпо пк пп pk pp спо курс курсы обучение программа группа
    повышение квалификации переподготовка профессиональная профессиональной участник участника слушатель
    слушателя сотрудник сотрудника клиент заверенная нотариальная перевод translation рф россия вуз колледж
    места месту учебы учебе ксерокопия распечатка приложение приложения main для нас the and of
    январь января февраль февраля март марта апрель апреля май мая июнь июня июль июля август августа
    сентябрь сентября октябрь октября ноябрь ноября декабрь декабря
    jan feb mar apr may jun jul aug sep oct nov dec
"""
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())


@dataclass(frozen=True)
class Word:
    """One word of a file name: ``raw`` as written, ``text`` folded (lower case, ё → е)."""

    raw: str
    text: str


_FOLDERS = re.compile(r"[\\/]")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{2,5})$")
_KNOWN_EXTENSIONS = frozenset(
    ("pdf", "jpg", "jpeg", "png", "tif", "tiff", "heic", "heif", "bmp", "gif", "webp", "doc", "docx", "odt", "rtf"))
_APOSTROPHE_IN_WORD = re.compile(r"(?<=[^\W\d_])['\u2019\u02bc`\u00b4](?=[^\W\d_])")
_RUNS = re.compile(r"[^\W\d_]+|\d+")
_LATIN_LOOKALIKES = str.maketrans("aeopcxykmtbhAEOPCXYKMTBH", "аеорсхукмтвнАЕОРСХУКМТВН")


def file_stem(file_name: str) -> str:
    """The name without its folder and extension (``scan.pdf.pdf`` loses both), in NFC, invisible characters gone."""
    name = clean_text(unicodedata.normalize("NFC", _FOLDERS.split(file_name)[-1]))
    match = _EXTENSION.search(name)
    if match and not match.group(1).isdigit():
        name = name[: match.start()]
        while (match := _EXTENSION.search(name)) and match.group(1).lower() in _KNOWN_EXTENSIONS:
            name = name[: match.start()]
    return name


def split_words(file_name: str) -> list[Word]:
    """The words of a file name, in order (see the module docstring)."""
    stem = _APOSTROPHE_IN_WORD.sub("", file_stem(file_name))
    words = []
    for run in _RUNS.findall(stem):
        pieces = [run] if run.isdigit() else [piece for part in _by_script(run) for piece in _by_case(part)]
        words.extend(Word(piece, fold(piece)) for piece in pieces)
    return words


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _by_script(run: str) -> list[str]:
    cyrillic = sum(map(_is_cyrillic, run))
    if cyrillic in (0, len(run)):
        return [run]
    as_cyrillic = run.translate(_LATIN_LOOKALIKES)
    if 2 * cyrillic >= len(run) and all(map(_is_cyrillic, as_cyrillic)):
        return [as_cyrillic]
    return re.findall(r"[\u0400-\u04ff]+|[^\u0400-\u04ff]+", run)


def _by_case(part: str) -> list[str]:
    """camelCase humps: «IvanovII» → Ivanov, II; «SNILSPetrova» → SNILS, Petrova; «ИвановИИ» → Иванов, ИИ."""
    pieces, start = [], 0
    for index in range(1, len(part)):
        before, here = part[index - 1], part[index]
        next_lower = part[index + 1:index + 3].islower() and len(part[index + 1:index + 3]) == 2  # «ПДн» stays
        if (before.islower() and here.isupper()) or (before.isupper() and here.isupper() and next_lower):
            pieces.append(part[start:index])
            start = index
    pieces.append(part[start:])
    return pieces


@dataclass(frozen=True)
class KeywordHit:
    """A keyword found over ``words[start:end]``; ``type`` None for a word that names no type by itself."""

    type: DocumentType | None
    confidence: float
    start: int
    end: int
    fuzzy: bool = False


_PHRASES = tuple((doc_type, confidence, tuple(re.compile(part) for part in phrase.split(" ")))
                 for doc_type, confidence, phrase in _KEYWORDS)


def find_keywords(words: Sequence[str]) -> list[KeywordHit]:
    """Every keyword in the folded ``words``, then one-typo matches among the words no keyword took."""
    hits = [hit for doc_type, confidence, patterns in _PHRASES
            for hit in _phrase_hits(words, doc_type, confidence, patterns)]
    taken = {index for hit in hits for index in range(hit.start, hit.end)}
    for index, word in enumerate(words):
        if index in taken or not word.isalpha() or word in GENERIC_WORDS:
            continue
        for spelling, doc_type, confidence in _CORRECT_SPELLINGS:
            if within_typos(word, spelling):
                hits.append(KeywordHit(doc_type, max(confidence - FUZZY_PENALTY, 0.0), index, index + 1, fuzzy=True))
                break
    return hits


def _phrase_hits(words: Sequence[str], doc_type: DocumentType | None, confidence: float,
                 patterns: tuple[re.Pattern[str], ...]) -> list[KeywordHit]:
    found = []
    for start, word in enumerate(words):
        if not patterns[0].fullmatch(word):
            continue
        end = _rest_of_phrase(words, start + 1, patterns[1:])
        if end is not None:
            found.append(KeywordHit(doc_type, confidence, start, end))
    return found


def _rest_of_phrase(words: Sequence[str], position: int, patterns: tuple[re.Pattern[str], ...]) -> int | None:
    """Where the phrase ends if ``patterns`` follow from ``position`` (short words may stand between)."""
    for pattern in patterns:
        for index in range(position, min(position + MAX_GAP + 1, len(words))):
            if pattern.fullmatch(words[index]):
                position = index + 1
                break
            if not is_short_filler(words[index]):
                return None
        else:
            return None
    return position


def is_short_filler(word: str) -> bool:
    """A preposition, a conjunction or a stray piece of an abbreviation: «о», «на», «к», «из», «во»."""
    return word.isalpha() and len(word) <= 3


def within_typos(word: str, spelling: str) -> bool:
    """One edit (insertion, deletion, substitution, swap of neighbours) from a 6-8 letter ``spelling``,
    two from a longer one; shorter spellings are never corrected."""
    if len(spelling) < 6:
        return False
    allowed = 1 if len(spelling) <= 8 else 2
    return abs(len(word) - len(spelling)) <= allowed and _edit_distance(word, spelling) <= allowed


def _edit_distance(first: str, second: str) -> int:
    """The optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring)."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# --- a type named on the command line ---------------------------------------------------------------------

AUTO = "auto"


def parse_type_argument(text: str, portal_titles: Mapping[DocumentType, str] | None = None) -> DocumentType | None:
    """``upload --type``: a type's name as on the portal («Паспорт», any case, ё or е), its code
    (``passport``, ``name-change`` too), or ``auto`` (None: classify each file by its name). The portal's own
    title counts where it differs from ours; ours still does. Unknown: :class:`ValidationProblem` (a
    ``ValueError``) listing what is accepted."""
    given = clean_text(text)
    wanted = fold(given)
    if wanted in (AUTO, "авто"):
        return None
    titles = portal_titles or {}
    for doc_type in DocumentType:
        names = {doc_type.value, fold(DOCUMENT_TITLES[doc_type])}
        if doc_type in titles:
            names.add(fold(clean_text(titles[doc_type])))
        if wanted in names or wanted.replace("-", "_") == doc_type.value:
            return doc_type
    accepted = ", ".join(f"{titles.get(doc_type, DOCUMENT_TITLES[doc_type])} ({doc_type.value})"
                         for doc_type in DocumentType)
    problem = f"Тип документа {quoted(given)} неизвестен" if given else "Тип документа не указан"
    raise ValidationProblem("type", f"{problem}; допустимы: {accepted} или {AUTO}")
