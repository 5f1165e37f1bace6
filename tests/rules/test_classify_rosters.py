"""Generated rosters: every participant's name written the ways people write it, and people who are not
in the deal written the same ways. A participant's file goes to them or to attention; an outsider's file
never goes to anybody.

Names come from the sandbox seed (Russian surnames in both genders, first names, patronymics) and the
Latin spellings from the seed's own transliteration, so the classifier is checked against spellings it
did not produce. Outsiders are either of a surname nobody in the deal has in either gender, or namesakes
of the same gender with another first name and other initials in both scripts: what a file name cannot
tell apart (Евгения Майорова and the genitive of Евгений Майоров) is not asked of it.
"""

from __future__ import annotations

import random

import pytest

from dpo_desktop.rules.classify import PersonKey, classify
from dpo_desktop.sandbox.seeds.names import FEMALE_NAMES, MALE_NAMES, SURNAMES, feminine_surname, transliterate

SEEDS = range(30)


def spellings(person: PersonKey) -> list[str]:
    last, first, middle = person.last_name, person.name, person.second_name
    latin_last, latin_first = transliterate(last), transliterate(first)
    i, o = first[0], middle[0]
    li, lo = transliterate(i)[0].upper(), transliterate(o)[0].upper()
    return [
        f"паспорт {last} {first} {middle}.pdf",
        f"{last} {i}.{o}. снилс.pdf",
        f"{i}.{o}. {last} заявление.pdf",
        f"{last.upper()} {first.upper()} согласие.pdf",
        f"Договор {first} {last}.pdf",
        f"{latin_last}_{latin_first}_diplom.pdf",
        f"{latin_last.capitalize()}{li}{lo}_pasport.jpg",
        f"{latin_last}_{li.lower()}_{lo.lower()}.pdf",
    ]


def random_person(rng: random.Random, contact_id: int, surname: str, male: bool) -> PersonKey:
    father = rng.choice(MALE_NAMES)
    if male:
        return PersonKey(contact_id, surname, rng.choice(MALE_NAMES)[0], father[1], "")
    return PersonKey(contact_id, feminine_surname(surname), rng.choice(FEMALE_NAMES), father[2], "")


def a_deal(seed: int) -> tuple[list[PersonKey], list[PersonKey]]:
    """A roster (with namesakes) and the outsiders to try against it."""
    rng = random.Random(seed)
    bases = rng.sample(SURNAMES, rng.randint(3, 20))
    roster = [random_person(rng, index, base, rng.random() < 0.5) for index, base in enumerate(bases)]
    roster += [random_person(rng, 100 + index, rng.choice(bases), rng.random() < 0.5) for index in range(3)]
    strangers = [base for base in SURNAMES if base not in bases]
    outsiders = [random_person(rng, 1000 + index, rng.choice(strangers), rng.random() < 0.5) for index in range(8)]
    for index in range(8):
        namesake = random_person(rng, 2000 + index, rng.choice(bases), rng.random() < 0.5)
        same_surname = [person for person in roster if person.last_name == namesake.last_name]
        if same_surname and all(_told_apart(namesake, person) for person in same_surname):
            outsiders.append(namesake)
    return roster, outsiders


def _told_apart(one: PersonKey, other: PersonKey) -> bool:
    latin = transliterate
    return (one.name[0] != other.name[0] and latin(one.name)[0] != latin(other.name)[0]
            and one.name[:3] != other.name[:3])


@pytest.mark.parametrize("seed", SEEDS)
def test_participants_get_their_own_files_or_attention_among_namesakes(seed):
    roster, _ = a_deal(seed)
    wrong, unseen, unsure, total = [], [], 0, 0
    for person in roster:
        for file_name in spellings(person):
            total += 1
            guess = classify(file_name, roster).person
            if guess.contact_id is None:
                unsure += 1
                if person.contact_id not in guess.candidates:  # only a namesake may leave it undecided
                    unseen.append(f"{file_name}: {guess.candidates}")
            elif guess.contact_id != person.contact_id:
                wrong.append(f"{file_name} → {guess.contact_id}, expected {person.contact_id}")
    assert wrong == []
    assert unseen == []
    assert unsure <= total * 0.15


@pytest.mark.parametrize("seed", SEEDS)
def test_outsiders_files_are_nobodys(seed):
    roster, outsiders = a_deal(seed)
    assert outsiders
    attached = [f"{file_name} → {got}" for person in outsiders for file_name in spellings(person)
                if (got := classify(file_name, roster).person.contact_id) is not None]
    assert attached == []
