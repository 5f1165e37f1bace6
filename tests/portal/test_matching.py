"""Matching by code, XML_ID and name: table-driven over the pure functions."""

from __future__ import annotations

import pytest

from dpo_desktop.portal import matching, schema
from dpo_desktop.portal.mapping import CONTACT_FIELDS, DEAL_FIELDS, DOCUMENT_FIELDS, PARTICIPANT_FIELDS
from dpo_desktop.portal.snapshot import Item, RemoteListField, RemoteUserField


@pytest.mark.parametrize(("text", "expected"), [
    ("Код партнёра", "код партнера"),
    ("  КОД   ПАРТНЕРА ", "код партнера"),
    ("Гражданство (код ОКСМ)", "гражданство код оксм"),
    ("Отклонён", "отклонен"),
    ("SHA-256", "sha 256"),
    ("Кол-во часов", "кол во часов"),
    ("", ""),
    (None, ""),
])
def test_names_compare_as_a_person_reads_them(text, expected):
    assert matching.norm(text) == expected


def test_the_schema_covers_exactly_the_logical_fields_of_the_mapping():
    assert tuple(spec.logical for spec in schema.DEAL_FIELDS) == DEAL_FIELDS
    assert tuple(spec.logical for spec in schema.CONTACT_FIELDS) == CONTACT_FIELDS
    assert tuple(spec.logical for spec in schema.PARTICIPANTS.fields) == PARTICIPANT_FIELDS
    assert tuple(spec.logical for spec in schema.DOCUMENTS.fields) == DOCUMENT_FIELDS


def uf(name: str, user_type: str = "string", xml_id: str = "", label: str = "") -> RemoteUserField:
    return RemoteUserField(1, name, user_type, xml_id, False, label, {}, ())


HOURS = next(spec for spec in schema.DEAL_FIELDS if spec.logical == "hours")


@pytest.mark.parametrize(("fields", "codes", "expected"), [
    # an administrator's code wins over everything
    ([uf("UF_CRM_A", "integer", "DPO_HOURS"), uf("UF_CRM_B", "integer")], ("UF_CRM_B",), ("UF_CRM_B", "code")),
    # the code provisioning makes
    ([uf("UF_CRM_A", "integer", "DPO_HOURS"), uf("UF_CRM_DPO_HOURS", "integer")], (), ("UF_CRM_DPO_HOURS", "code")),
    ([uf("UF_CRM_A", "string", label="Количество часов"), uf("UF_CRM_B", "integer", "dpo_hours")], (),
     ("UF_CRM_B", "xml_id")),
    ([uf("UF_CRM_A", "integer", label="Кол-во  часов")], (), ("UF_CRM_A", "name")),
    # among same-named fields, the one of a usable type
    ([uf("UF_CRM_A", "string", label="Часы"), uf("UF_CRM_B", "double", label="часы")], (), ("UF_CRM_B", "name")),
    # a same-named field of the wrong type is still reported (as the wrong type, by discovery)
    ([uf("UF_CRM_A", "string", label="Количество часов")], (), ("UF_CRM_A", "name")),
    ([uf("UF_CRM_A", "integer", label="Часов в программе")], (), None),
])
def test_user_fields_are_found_by_code_then_xml_id_then_label(fields, codes, expected):
    picked = matching.pick_userfield(fields, HOURS, codes, set())
    assert (None if picked is None else (picked[0].field_name, picked[1])) == expected


def test_a_field_already_used_is_not_picked_twice():
    fields = [uf("UF_CRM_A", "integer", label="Часы")]
    assert matching.pick_userfield(fields, HOURS, (), {"UF_CRM_A"}) is None


def prop(field_id: str, code: str, name: str, kind: str, **settings: str) -> RemoteListField:
    return RemoteListField(field_id, code, name, kind, False, False, 10, dict(settings), ())


DEAL_LINK = schema.DEAL_LINK


@pytest.mark.parametrize(("fields", "expected"), [
    ([prop("PROPERTY_1", "deal", "Что угодно", "S:ECrm", DEAL="Y")], ("PROPERTY_1", "code")),
    ([prop("PROPERTY_1", "DEAL_ID", "x", "S:ECrm", DEAL="Y")], ("PROPERTY_1", "code")),
    ([prop("PROPERTY_1", "X1", "Сделка ДПО", "S:ECrm", DEAL="Y")], ("PROPERTY_1", "name")),
    # named otherwise, but the only link that allows deals only
    ([prop("PROPERTY_1", "X1", "Контакт", "S:ECrm", CONTACT="Y"),
      prop("PROPERTY_2", "X2", "Заказ", "S:ECrm", DEAL="Y")], ("PROPERTY_2", "link")),
    # two such links: no guessing
    ([prop("PROPERTY_1", "X1", "А", "S:ECrm", DEAL="Y"), prop("PROPERTY_2", "X2", "Б", "S:ECrm", DEAL="Y")], None),
    # system fields are never taken for a property
    ([prop("NAME", "", "Сделка", "NAME")], None),
])
def test_list_fields_are_found_by_code_then_name_then_link(fields, expected):
    picked = matching.pick_list_field(fields, DEAL_LINK, set())
    assert (None if picked is None else (picked[0].field_id, picked[1])) == expected


SEX = next(spec for spec in schema.CONTACT_FIELDS if spec.logical == "sex")
EDUCATION = next(spec for spec in schema.CONTACT_FIELDS if spec.logical == "education_level")
PROGRAMME = next(spec for spec in schema.DEAL_FIELDS if spec.logical == "programme_type")


@pytest.mark.parametrize(("spec", "items", "mapped", "missing"), [
    (SEX, [Item("1", "Мужской"), Item("2", "Женский")], {"1": "male", "2": "female"}, []),
    (SEX, [Item("7", "что-то", "M"), Item("8", "Ж")], {"7": "male", "8": "female"}, []),
    (SEX, [Item("1", "Муж")], {"1": "male"}, ["female"]),
    (PROGRAMME, [Item("3", "Профессиональная переподготовка"), Item("4", "пк")], {"4": "ПК", "3": "ПП"}, []),
    (EDUCATION, [Item("5", "ВО"), Item("6", "Среднее профессиональное образование"), Item("9", "Обучающийся")],
     {"5": "higher", "6": "vocational", "9": "student"}, []),
    (EDUCATION, [Item("5", "Высшее", "SPO")], {"5": "vocational"}, ["higher", "student"]),
])
def test_enumeration_items_map_to_logical_values_by_xml_id_then_text(spec, items, mapped, missing):
    got, absent = matching.map_values(items, spec.values)
    assert got == mapped
    assert [value.logical for value in absent] == missing


@pytest.mark.parametrize(("settings", "expected"), [
    ({"DEAL": "Y", "CONTACT": "N"}, {"DEAL"}),
    ({"CONTACT": "y", "LEAD": "N", "COMPANY": "1"}, {"CONTACT", "COMPANY"}),
    ({}, set()),
])
def test_linked_types(settings, expected):
    assert matching.linked_types(settings) == expected
