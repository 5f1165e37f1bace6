"""A systematic sweep next to the random fuzz: every field of every CRM entity — standard, multifield
and each user-field type — written, filtered, ordered and selected with every edge value, through
HTTP. Nothing may answer 500 or land in ``portal.bugs``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import Sandbox, make_sandbox

EDGES: list[Any] = [
    None, True, False, 0, -1, 2**64, -(2**70), 1.5, -0.0, 1e308, "", " ", "0", "-1", "1e400", "-1e400", "inf", "nan",
    "²", "١٢", "1_000", "12abc", "0x1A", "Y", "N", "True", "C_1", "CO_²", "L_", "31.02.2024", "11.11.1999",
    "0001-01-01", "0999-12-31", "9999-12-31T23:59:59-12:00", "2024-01-31T12:00:00+03:00", "24:00", "%", "_%_",
    "\x00", "Сделка", "x" * 5000, [], {}, ["1", "2"], {"VALUE": "x"}, [{"VALUE": "+7999", "VALUE_TYPE": "X"}],
    [{"ID": "1", "DELETE": "Y"}], {"0": {"VALUE": "a"}}, [[["deep"]]], {"a": {"b": {"c": None}}},
]
OPERATORS = ["", "=", "!", "!=", ">", ">=", "<", "<=", "@", "!@", "%", "!%", "=%", "%=", "!=%"]
USER_FIELD_TYPES = ["string", "integer", "double", "boolean", "datetime", "date", "money", "url", "address",
                    "enumeration", "file", "employee", "crm_status", "iblock_section", "iblock_element", "crm"]
ENTITIES = {"deal": "CRM_DEAL", "contact": "CRM_CONTACT", "company": "CRM_COMPANY"}


def _portal() -> Sandbox:
    state = PortalState()
    admin = state.add_user("Администратор", "Портала", "admin@sandbox.test", admin=True)
    for uf_entity in ENTITIES.values():
        for kind in USER_FIELD_TYPES:
            for multiple in ("N", "Y"):
                state.crm.add_userfield(uf_entity, {
                    "FIELD_NAME": f"{kind}_{multiple}".upper(), "USER_TYPE_ID": kind, "MULTIPLE": multiple,
                    "LIST": [{"VALUE": "a"}], "SETTINGS": {"CONTACT": "Y", "COMPANY": multiple}})
    for entity in ("deals", "contacts", "companies"):
        getattr(state.crm, entity).add({"TITLE": "Первая", "NAME": "Первый"}, admin.id)
    return make_sandbox(state)


@pytest.fixture(scope="module")
def box() -> Sandbox:
    return _portal()


def _codes(box: Sandbox, entity: str) -> list[str]:
    return list(box.result(f"crm.{entity}.fields"))


def _ok(box: Sandbox, method: str, params: dict[str, Any]) -> None:
    response = box.client.post(method, content=json.dumps(params), headers={"Content-Type": "application/json"})
    assert response.status_code in (200, 400), (method, params, response.text[:300])
    assert box.portal.bugs == [], box.portal.bugs


@pytest.mark.parametrize("entity", list(ENTITIES))
@pytest.mark.parametrize("edge", EDGES, ids=repr)
def test_every_field_written_with_an_edge_value(box: Sandbox, entity: str, edge: Any):
    fields = {code: edge for code in _codes(box, entity)}
    _ok(box, f"crm.{entity}.add", {"fields": {**fields, "TITLE": "x"}})
    _ok(box, f"crm.{entity}.add", {"fields": fields})
    _ok(box, f"crm.{entity}.update", {"id": 1, "fields": fields})
    _ok(box, f"crm.{entity}.get", {"id": 1})


@pytest.mark.parametrize("entity", list(ENTITIES))
@pytest.mark.parametrize("edge", EDGES, ids=repr)
def test_every_field_filtered_ordered_and_selected_with_an_edge_value(box: Sandbox, entity: str, edge: Any):
    codes = _codes(box, entity)
    for operator in OPERATORS:
        _ok(box, f"crm.{entity}.list", {"filter": {f"{operator}{code}": edge for code in codes}})
    _ok(box, f"crm.{entity}.list", {"order": {code: edge for code in codes}, "select": [edge, *codes], "start": edge})
    _ok(box, f"crm.{entity}.list", {"order": {code: "DESC" for code in codes}, "select": edge})


@pytest.mark.parametrize("edge", EDGES, ids=repr)
def test_bindings_duplicates_pipelines_and_user_fields_with_an_edge_value(box: Sandbox, edge: Any):
    for method, params in (
        ("crm.deal.contact.add", {"id": edge, "fields": {"CONTACT_ID": edge, "IS_PRIMARY": edge, "SORT": edge}}),
        ("crm.deal.contact.add", {"id": 1, "fields": {"CONTACT_ID": 1, "IS_PRIMARY": edge, "SORT": edge}}),
        ("crm.deal.contact.items.set", {"id": 1, "items": [{"CONTACT_ID": 1, "SORT": edge, "IS_PRIMARY": edge}]}),
        ("crm.deal.contact.items.set", {"id": 1, "items": edge}),
        ("crm.deal.contact.delete", {"id": 1, "fields": {"CONTACT_ID": edge}}),
        ("crm.duplicate.findbycomm", {"type": "PHONE", "values": [edge, edge], "entity_type": edge}),
        ("crm.duplicate.findbycomm", {"type": edge, "values": edge}),
        ("crm.category.add", {"entityTypeId": 2, "fields": {"name": edge, "sort": edge}}),
        ("crm.category.get", {"entityTypeId": edge, "id": edge}),
        ("crm.dealcategory.stage.list", {"id": edge}),
        ("crm.dealcategory.list", {"filter": {"ID": edge}, "order": {"SORT": edge}, "start": edge, "select": edge}),
        ("crm.status.add", {"fields": {"ENTITY_ID": edge, "STATUS_ID": edge, "NAME": edge, "SORT": edge,
                                       "SEMANTICS": edge, "COLOR": edge}}),
        ("crm.status.add", {"fields": {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": f"S{len(repr(edge))}", "NAME": "x",
                                       "SORT": edge, "SEMANTICS": edge, "COLOR": edge}}),
        ("crm.status.list", {"filter": {"ENTITY_ID": edge, ">SORT": edge}, "order": {"SORT": edge}}),
        ("crm.deal.userfield.add", {"fields": {"FIELD_NAME": edge, "USER_TYPE_ID": "string"}}),
        ("crm.deal.userfield.add", {"fields": {"FIELD_NAME": f"E{abs(hash(repr(edge)))}", "USER_TYPE_ID": "enumeration",
                                               "MULTIPLE": edge, "SORT": edge, "LIST": edge, "SETTINGS": edge,
                                               "LABEL": edge, "XML_ID": edge, "EDIT_FORM_LABEL": edge}}),
        ("crm.deal.userfield.list", {"filter": {"LANG": edge, "FIELD_NAME": edge}}),
        ("crm.deal.userfield.get", {"id": edge}),
        ("batch", {"cmd": {"a": edge, "b": f"crm.deal.get?id={edge}"}, "halt": edge}),
        ("batch", {"cmd": edge}),
    ):
        _ok(box, method, params)
