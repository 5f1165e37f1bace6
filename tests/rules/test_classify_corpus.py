"""The classification corpus (tests/data/classification_corpus.json): file names as managers receive
them, each with the type and the participant it must be classified as (null: needs attention).

The bar of issue 5: at least 95 % exactly right (type and person), no file attached to a wrong person,
and every name that carries no information sent to attention.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.rules.classify import Classification, PersonKey, classify
from dpo_desktop.rules.name_forms import fold

CORPUS = Path(__file__).resolve().parent.parent / "data" / "classification_corpus.json"


@pytest.fixture(scope="module")
def corpus() -> dict:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def people(corpus) -> list[PersonKey]:
    return [PersonKey(**entry) for entry in corpus["roster"]]


@pytest.fixture(scope="module")
def results(corpus, people) -> list[tuple[dict, Classification]]:
    return [(entry, classify(entry["name"], people)) for entry in corpus["files"]]


def expected_contact(entry: dict, people: list[PersonKey]) -> int | None:
    return None if entry["contact"] is None else people[entry["contact"]].contact_id


def describe(entry: dict, result: Classification, people: list[PersonKey]) -> str:
    got_type = result.type.type.value if result.type.type else None
    return (f"{entry['name']!r}: expected {entry['type']} / {expected_contact(entry, people)}, "
            f"got {got_type} / {result.person.contact_id} ({result.person.how or '-'}; {'; '.join(result.reasons)})")


def test_the_corpus_is_what_the_issue_asks_for(corpus, people):
    files = corpus["files"]
    assert len(files) >= 80
    assert len({entry["name"] for entry in files}) == len(files)
    assert len(people) == 8
    surnames = [fold(person.last_name) for person in people]
    assert len(set(surnames)) < len(surnames), "two participants share a surname"
    assert any("-" in surname for surname in surnames), "a double-barrelled surname"
    assert any(surname.endswith("ова") and surname[:-1] in surnames for surname in surnames), \
        "a woman -ова whose male counterpart also takes part"
    for entry in files:
        assert entry["type"] is None or DocumentType(entry["type"])
        assert entry["contact"] is None or 0 <= entry["contact"] < len(people)
    # Every answer is represented, including attention, so the bar below means something.
    assert {entry["type"] for entry in files} == {*(doc_type.value for doc_type in DocumentType), None}
    assert {entry["contact"] for entry in files} == {*range(len(people)), None}


def test_at_least_95_percent_are_classified_exactly(results, people):
    misses = [describe(entry, result, people) for entry, result in results
              if (result.type.type.value if result.type.type else None) != entry["type"]
              or result.person.contact_id != expected_contact(entry, people)]
    for miss in misses:
        print("MISS", miss)
    assert len(misses) <= len(results) * 0.05, "\n".join(misses)


def test_no_file_is_attached_to_a_wrong_person(results, people):
    wrong = [describe(entry, result, people) for entry, result in results
             if result.person.contact_id is not None and result.person.contact_id != expected_contact(entry, people)]
    for line in wrong:
        print("WRONG PERSON", line)
    assert wrong == []


def test_names_without_information_go_to_attention(results):
    blank = [(entry, result) for entry, result in results if entry["type"] is None and entry["contact"] is None]
    assert len(blank) >= 10
    for entry, result in blank:
        assert result.needs_attention, entry["name"]
        assert result.type.type is None and result.person.contact_id is None, entry["name"]
        assert result.reasons, entry["name"]


def test_whatever_has_no_expected_answer_needs_attention_with_a_reason(results):
    for entry, result in results:
        if entry["type"] is None or entry["contact"] is None:
            assert result.needs_attention, entry["name"]
            assert result.reasons, entry["name"]


def test_a_right_answer_goes_through_without_attention(results, people):
    right = [(entry, result) for entry, result in results if entry["type"] is not None and entry["contact"] is not None
             and result.type.type == DocumentType(entry["type"])
             and result.person.contact_id == expected_contact(entry, people)]
    assert len(right) >= 60
    for entry, result in right:
        assert not result.needs_attention, describe(entry, result, people)
        assert result.reasons == ()
