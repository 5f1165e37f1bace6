"""Which document a dropped file is, and whose, from its name alone.

The name is cut into words (``doc_keywords.split_words``). The **type** comes from keywords
(``doc_keywords``); two types named about equally surely (within :data:`TYPE_MARGIN`) is no answer. The
**person** is looked for only among the target deal's participants, in this order of strength:

- ``snils``: 11 digits in the name (separators allowed) with a valid control number, equal to one
  participant's СНИЛС, and no other participant named by the words;
- ``full_name``: the surname and the first name, in any order, declined or transliterated;
- ``surname_initials``: the surname with matching initials next to it («Иванов И.И.», «IvanovII»), or
  with the patronymic;
- ``surname``: the surname alone, when it fits exactly one participant and no other word looks like a name;
- ``only_participant``: a deal of one participant and a name that names nobody (only keywords, digits and
  the words phones and scanners add).

Words are compared whole, never as substrings («Лев» is not in «левый»). Declined forms count
(``name_forms``): «паспорт Иванова» is Иванов's when no Иванова takes part; when both do, the form fits
both and only initials or a first name decide. Evidence against a participant rules them out: initials, a
first name or a patronymic that are not theirs. One participant left is the answer; none or several need
attention, with the candidates: a file is never attached to a guessed person.

Thresholds: a type below :data:`TYPE_THRESHOLD` (a bare «справка» misspelt) and a person below
:data:`PERSON_THRESHOLD` need attention. The user's hints always win (confidence 1.0, ``hint``).
``parse_type_argument`` (the command line's ``--type``) lives with the keywords and is exported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.models import DOCUMENT_TITLES, DocumentType
from .doc_keywords import GENERIC_WORDS, KeywordHit, Word, file_stem, find_keywords, parse_type_argument, split_words
from .name_forms import (
    initials_fit,
    is_first_name,
    is_patronymic,
    looks_like_name,
    noun_forms,
    spelled_as,
    surname_forms,
)
from .snils import control_number, is_checked
from .text import clean_text, quoted

__all__ = [
    "PERSON_THRESHOLD", "TYPE_MARGIN", "TYPE_THRESHOLD", "Classification", "PersonGuess", "PersonKey", "TypeGuess",
    "classify", "guess_person", "guess_type", "parse_type_argument",
]

TYPE_THRESHOLD = 0.7  # below: the type is a guess the user must confirm
TYPE_MARGIN = 0.15  # two types closer than this in confidence: the name names both, no answer
PERSON_THRESHOLD = 0.75  # below: the person is a guess the user must confirm
HINT = "hint"

PERSON_CONFIDENCE = {"snils": 1.0, HINT: 1.0, "full_name": 0.95, "surname_initials": 0.9,
                     "only_participant": 0.9, "surname": 0.8}

NO_TYPE = "не удалось определить тип документа по имени файла"
NO_PERSON = "в имени файла нет фамилии участника сделки"
NO_PARTICIPANTS = "в сделке нет участников"
SEVERAL_PEOPLE = "подходят несколько участников: {}"
SEVERAL_TYPES = "в имени файла названы разные документы: {}"
UNSURE_TYPE = "тип документа угадан неуверенно: {} по слову {}"
VAGUE_TYPE = "не удалось определить тип документа по имени файла: слово {} бывает в разных документах"
STRANGER = "в имени файла есть похожее на имя слово, но такого участника в сделке нет: {}"
NOT_THEIRS = "фамилия совпадает, но инициалы или имя другие: {}"
FOREIGN_SNILS = "СНИЛС в имени файла не принадлежит участникам сделки"
SNILS_NOT_NAME = "СНИЛС и фамилия в имени файла указывают на разных участников"


@dataclass(frozen=True)
class PersonKey:
    """What the classifier knows of a participant: the name and, when known, the СНИЛС digits (or "")."""

    contact_id: int
    last_name: str
    name: str
    second_name: str
    snils: str

    @property
    def short_name(self) -> str:
        """«Иванов И. И.», as messages list candidates."""
        initials = " ".join(f"{part.strip()[0]}." for part in (self.name, self.second_name) if part.strip())
        return " ".join(part for part in (self.last_name.strip(), initials) if part) or f"#{self.contact_id}"


@dataclass(frozen=True)
class TypeGuess:
    type: DocumentType | None
    confidence: float
    matched: str  # the file name's words that decided («pasport», «согласие на обработку»), "hint" for a hint


@dataclass(frozen=True)
class PersonGuess:
    contact_id: int | None
    confidence: float
    how: str  # snils, full_name, surname_initials, surname, only_participant, hint, or "" for nobody
    candidates: tuple[int, ...] = ()  # when several participants fit


@dataclass(frozen=True)
class Classification:
    type: TypeGuess
    person: PersonGuess
    needs_attention: bool
    reasons: tuple[str, ...]  # Russian, for the user: why it needs attention


def guess_type(file_name: str) -> TypeGuess:
    return _guess_type(split_words(file_name))[0]


def guess_person(file_name: str, people: Sequence[PersonKey]) -> PersonGuess:
    return _guess_person(file_name, people)[0]


def classify(file_name: str, people: Sequence[PersonKey], *, type_hint: DocumentType | None = None,
             contact_hint: int | None = None) -> Classification:
    """Type and person of one file, with what needs the user's attention and why."""
    if type_hint is not None:
        type_guess, type_reasons = TypeGuess(type_hint, 1.0, HINT), ()
    else:
        type_guess, type_reasons = _guess_type(split_words(file_name))
    if contact_hint is not None:
        person, person_reasons = PersonGuess(contact_hint, 1.0, HINT), ()
    else:
        person, person_reasons = _guess_person(file_name, people)
    attention = (type_guess.type is None or type_guess.confidence < TYPE_THRESHOLD
                 or person.contact_id is None or person.confidence < PERSON_THRESHOLD)
    return Classification(type_guess, person, attention, (*type_reasons, *person_reasons) if attention else ())


# --- the type ------------------------------------------------------------------------------------------------


def _guess_type(words: list[Word]) -> tuple[TypeGuess, tuple[str, ...]]:
    hits = find_keywords([word.text for word in words])
    best: dict[DocumentType, KeywordHit] = {}
    for hit in hits:
        if hit.type is not None and (hit.type not in best or _stronger(hit, best[hit.type])):
            best[hit.type] = hit
    if not best:
        vague = [hit for hit in hits if hit.type is None]
        if vague:
            said = _said(words, vague[0])
            return TypeGuess(None, 0.0, said), (VAGUE_TYPE.format(quoted(said)),)
        return TypeGuess(None, 0.0, ""), (NO_TYPE,)
    ranked = sorted(best.values(), key=lambda hit: (-hit.confidence, hit.start))
    top = ranked[0]
    rivals = [hit for hit in ranked if top.confidence - hit.confidence < TYPE_MARGIN]
    if len(rivals) > 1:
        titles = ", ".join(DOCUMENT_TITLES[hit.type] for hit in rivals if hit.type is not None)
        return TypeGuess(None, 0.0, ", ".join(_said(words, hit) for hit in rivals)), (SEVERAL_TYPES.format(titles),)
    said = _said(words, top)
    guess = TypeGuess(top.type, top.confidence, said)
    if top.confidence < TYPE_THRESHOLD and top.type is not None:
        return guess, (UNSURE_TYPE.format(DOCUMENT_TITLES[top.type], quoted(said)),)
    return guess, ()


def _stronger(hit: KeywordHit, other: KeywordHit) -> bool:
    """More sure, or as sure and longer («согласие на обработку» explains more than «согласие»)."""
    return (hit.confidence, hit.end - hit.start) > (other.confidence, other.end - other.start)


def _said(words: list[Word], hit: KeywordHit) -> str:
    return " ".join(word.raw for word in words[hit.start:hit.end])


# --- the person ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NameForms:
    """One participant's name as file names write it: each surname part's forms, first name, patronymic."""

    person: PersonKey
    surname: tuple[frozenset[str], ...]
    first: frozenset[str]
    patronymic: frozenset[str]

    @classmethod
    def of(cls, person: PersonKey) -> _NameForms:
        parts = [part for part in re.split(r"[\s\-‐-―]+", clean_text(person.last_name)) if part]  # any dash

        def given(name: str) -> frozenset[str]:
            name = clean_text(name)  # the nominative with its ё too: Pyotr, Artyom
            return noun_forms(name) | {name.lower()} if name else frozenset()

        return cls(person, tuple(surname_forms(part) for part in parts), given(person.name), given(person.second_name))


@dataclass
class _Evidence:
    """What the words say of one participant whose surname is in them."""

    explained: set[int] = field(default_factory=set)  # word indices this participant accounts for
    how: str = "surname"
    ruled_out: bool = False


def _guess_person(file_name: str, people: Sequence[PersonKey]) -> tuple[PersonGuess, tuple[str, ...]]:
    if not people:
        return PersonGuess(None, 0.0, ""), (NO_PARTICIPANTS,)
    words = split_words(file_name)
    taken = {index for hit in find_keywords([word.text for word in words]) for index in range(hit.start, hit.end)}
    forms = [_NameForms.of(person) for person in people]
    spans = {name.person.contact_id: _surname_spans(name, words, taken) for name in forms}
    everyone_first = frozenset().union(*(name.first for name in forms))
    evidence = {name.person.contact_id: _evidence_for(name, words, taken, spans, forms, everyone_first)
                for name in forms}
    fits = [person for person in people if (found := evidence[person.contact_id]) and not found.ruled_out]
    explained = set().union(*(found.explained for found in evidence.values() if found))
    explained |= {index for index, word in enumerate(words)
                  if any(spelled_as(word.text, name.first | name.patronymic) for name in forms)}
    unexplained = [(index, word) for index, word in enumerate(words) if index not in taken and index not in explained
                   and word.text.isalpha() and len(word.text) >= 3 and word.text not in GENERIC_WORDS]
    strangers = [word.raw for index, word in unexplained if looks_like_name(word.text, word.raw, first=index == 0)]
    numbers = _snils_numbers(file_stem(file_name))
    by_snils = [person for person in people if _digits(person.snils) in numbers]
    foreign_snils = bool(numbers - {_digits(person.snils) for person in people})

    if by_snils:
        return _by_snils(by_snils, fits, evidence, foreign_snils)
    if len(fits) > 1:
        return _several(fits)
    if len(fits) == 1:
        person, how = fits[0], evidence[fits[0].contact_id].how
        if foreign_snils and _digits(person.snils):
            return PersonGuess(None, 0.0, "", (person.contact_id,)), (FOREIGN_SNILS,)
        if how == "surname" and strangers:
            return PersonGuess(None, 0.0, "", (person.contact_id,)), (STRANGER.format(_listed(strangers)),)
        return PersonGuess(person.contact_id, PERSON_CONFIDENCE[how], how), ()
    ruled_out = [person for person in people if (found := evidence[person.contact_id]) and found.ruled_out]
    if len(people) == 1 and not ruled_out and not unexplained and not foreign_snils:
        return PersonGuess(people[0].contact_id, PERSON_CONFIDENCE["only_participant"], "only_participant"), ()
    reasons = [NOT_THEIRS.format(", ".join(person.short_name for person in ruled_out)) if ruled_out else NO_PERSON]
    if foreign_snils:
        reasons.append(FOREIGN_SNILS)
    if strangers:
        reasons.append(STRANGER.format(_listed(strangers)))
    return PersonGuess(None, 0.0, ""), tuple(reasons)


def _by_snils(by_snils: list[PersonKey], fits: list[PersonKey], evidence: dict[int, _Evidence | None],
              foreign_snils: bool) -> tuple[PersonGuess, tuple[str, ...]]:
    """The number decides unless the words name somebody else: another surname, or the owner's surname
    with initials or a first name that are not the owner's. Words that fit the owner too («Иванов» with
    two Ивановы) do not stand against the number."""
    if len(by_snils) > 1:
        return _several(by_snils)
    owner = by_snils[0]
    owner_evidence = evidence[owner.contact_id]
    owner_words = owner_evidence.explained if owner_evidence else set()
    others = [person for person in fits if person != owner
              and (found := evidence[person.contact_id]) is not None and not found.explained <= owner_words]
    if others or (owner_evidence and owner_evidence.ruled_out) or foreign_snils:
        candidates = tuple(person.contact_id for person in (owner, *others))
        return PersonGuess(None, 0.0, "", candidates), (FOREIGN_SNILS if foreign_snils else SNILS_NOT_NAME,)
    return PersonGuess(owner.contact_id, PERSON_CONFIDENCE["snils"], "snils"), ()


def _several(people: Sequence[PersonKey]) -> tuple[PersonGuess, tuple[str, ...]]:
    shown = [person.short_name for person in people]
    names = ", ".join(name if shown.count(name) == 1 else f"{name} (#{person.contact_id})"
                      for name, person in zip(shown, people, strict=True))
    return PersonGuess(None, 0.0, "", tuple(person.contact_id for person in people)), (SEVERAL_PEOPLE.format(names),)


def _listed(raw_words: Sequence[str]) -> str:
    return ", ".join(quoted(word) for word in dict.fromkeys(raw_words))


def _evidence_for(name: _NameForms, words: list[Word], taken: set[int], spans: dict[int, list[tuple[int, int]]],
                  forms: list[_NameForms], everyone_first: frozenset[str]) -> _Evidence | None:
    """What the words say of this participant, if their surname is there. A first name or patronymic
    that is not theirs rules them out, unless it belongs to another participant named elsewhere in the
    words («Иванов Иван и Петрова Анна» names two people; «Петрова Анна» is not Петров)."""
    own = spans[name.person.contact_id]
    if not own:
        return None
    found = _Evidence({index for start, end in own for index in range(start, end)})
    verdicts = set()
    for start, end in own:
        tokens, where = _initials_near(words, start, end, taken)
        found.explained |= where
        verdicts.add(_initials_verdict(name, tokens))
    initials_agree = True in verdicts
    found.ruled_out = False in verdicts and not initials_agree  # «Иванов И.И., Иванов П.С.» names both
    elsewhere = frozenset().union(*(other.first | other.patronymic for other in forms if other is not name
                                    and _apart(spans[other.person.contact_id], own)))
    first_fits = patronymic_fits = False
    for index, word in enumerate(words):
        if index in found.explained or index in taken:
            continue
        if spelled_as(word.text, name.first):
            first_fits = True
            found.explained.add(index)
        elif spelled_as(word.text, name.patronymic):
            patronymic_fits = True
            found.explained.add(index)
        elif ((is_first_name(word.text) or spelled_as(word.text, everyone_first) or is_patronymic(word.text))
              and not spelled_as(word.text, elsewhere)):
            found.ruled_out = True
    if first_fits:
        found.how = "full_name"
    elif initials_agree or patronymic_fits:
        found.how = "surname_initials"
    return found


def _apart(spans: list[tuple[int, int]], others: list[tuple[int, int]]) -> bool:
    """Whether some of ``spans`` stand on words none of ``others`` covers (another person named apart)."""
    taken = {index for start, end in others for index in range(start, end)}
    return any(not taken.intersection(range(start, end)) for start, end in spans)


def _surname_spans(name: _NameForms, words: list[Word], taken: set[int]) -> list[tuple[int, int]]:
    """Where the whole surname (every part of a double-barrelled one, in order) stands among the words."""
    if not name.surname:
        return []
    size = len(name.surname)
    return [(start, start + size) for start in range(len(words) - size + 1)
            if all(start + offset not in taken and spelled_as(words[start + offset].text, forms)
                   for offset, forms in enumerate(name.surname))]


# Two lower-case letters that are a word, not a pair of initials (the one-letter «и», «с», «в» are read as
# initials: wrongly read, they rule a participant out, which sends the file to attention, never elsewhere).
_TWO_LETTER_WORDS = frozenset(("на", "по", "от", "до", "из", "за", "во", "со", "об", "ко", "не", "ни", "то", "же",
                               "ли", "бы", "of", "at", "to", "in", "on", "no", "by", "an", "or", "is", "nr"))


def _initials_near(words: list[Word], start: int, end: int, taken: set[int]) -> tuple[tuple[str, ...], set[int]]:
    """The initials (as written) right after the surname («Иванов И.И.», «IvanovII», «Иванов_ИИ»), else the single
    letters right before it («И.И. Иванов»; «ПК Сидоров» is not Сидоров П. К.). Lower-case letters count
    only when the surname is in lower case too: «Сидоров и Смирнов» names two people. An upper-case pair
    counts even when it is also a keyword: «Сидоров ПД» may be Сидоров П. Д."""
    any_case = all(word.raw.islower() for word in words[start:end])

    def initial(index: int, pairs: bool) -> str:
        if not 0 <= index < len(words):
            return ""
        word = words[index]
        upper = word.raw.isupper()
        if not word.text.isalpha() or len(word.text) > (2 if pairs else 1) or not (any_case or upper):
            return ""
        if not upper and (index in taken or word.text in _TWO_LETTER_WORDS):
            return ""
        return word.raw

    for indices, pairs in ((range(end, end + 2), True), (range(start - 1, start - 3, -1), False)):
        tokens: list[tuple[int, str]] = []
        for index in indices:
            if not (token := initial(index, pairs)):
                break
            tokens.append((index, token))
        if tokens:
            tokens.sort()
            return tuple(token for _, token in tokens), {index for index, _ in tokens}
    return (), set()


def _initials_verdict(name: _NameForms, tokens: tuple[str, ...]) -> bool | None:
    person = name.person
    return initials_fit(tokens, person.name, person.second_name) if tokens and person.name.strip() else None


_SNILS_IN_NAME = re.compile(r"(?<!\d)(\d{3})[ _.\-]?(\d{3})[ _.\-]?(\d{3})[ _.\-]{0,2}(\d{2})(?!\d)")


def _snils_numbers(stem: str) -> set[str]:
    """The 11-digit numbers in a file name that are СНИЛС by their control number."""
    numbers = set()
    for match in _SNILS_IN_NAME.finditer(stem):
        account, control = "".join(match.groups()[:3]), match.group(4)
        if not is_checked(account) or control_number(account) == control:
            numbers.add(account + control)
    return numbers


def _digits(snils: str) -> str:
    digits = re.sub(r"\D", "", snils)
    return digits if len(digits) == 11 else ""
