"""Every registered REST method, fed hypothesis-generated parameters through HTTP — as JSON, as a form
body, as a query string and inside a batch — on a portal with data: never a 500, never an entry in
``portal.bugs``, always the JSON envelope of an answer or of an error. Plus garbage requests."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpo_desktop.sandbox import wire
from dpo_desktop.sandbox.methods import load_all
from dpo_desktop.sandbox.registry import METHODS
from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import HOST, Sandbox, make_sandbox

load_all()
METHOD_NAMES = sorted(METHODS)
FUZZ = settings(max_examples=50, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])

ODD_TEXT = [
    "", " ", "0", "1", "-1", "2", "99999999999999999999999", "1e400", "inf", "-inf", "nan", "²", "١٢", "1_000",
    "12abc", "Y", "N", "true", "True", "null", "None", "C_1", "CO_1", "D_1", "L_1", "C_²", "31.02.2024",
    "11.11.1999", "0001-01-01", "9999-12-31T23:59:59-12:00", "2024-01-31T12:00:00+03:00", "$result[a][0][ID]",
    "crm.deal.list?start=50", "DEAL_STAGE_1", "DEAL_STAGE_x", "C1:NEW", "NEW", "WON", "%", "_", "a%b", "\x00",
    "Сделка", "<b>", "PHONE", "EMAIL", "CONTACT", "lists", "DEAL_1", "PROPERTY_1", "n1", "common",
]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(ODD_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=10),
)
NESTED = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.dictionaries(st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=6)), inner,
                                                     max_size=5)),
    max_leaves=20,
)


def _weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, by weight (``one_of`` does not weigh repeated branches)."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.integers(0, len(table) - 1).flatmap(lambda index: table[index])


ODD = _weighted((3, st.sampled_from(ODD_TEXT)), (2, SCALARS), (2, NESTED))
ENCODINGS = st.sampled_from(["json", "json", "form", "query", "batch"])
MISSING = object()  # a name left out of the parameters


@dataclass
class Seeded:
    """A portal with something of every family, and the names and IDs that are real on it."""

    box: Sandbox
    ids: list[int] = field(default_factory=lambda: [1, 2, 3])
    field_codes: list[str] = field(default_factory=list)
    iblocks: list[str] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)
    disk_ids: list[int] = field(default_factory=list)


def _seeded() -> Seeded:
    state = PortalState()
    admin = state.add_user("Администратор", "Портала", "admin@sandbox.test", admin=True)
    crm = state.crm
    crm.add_category("ДПО")
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "DAY", "USER_TYPE_ID": "date"})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "LINK", "USER_TYPE_ID": "crm", "SETTINGS": {"CONTACT": "Y"}})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "KIND", "USER_TYPE_ID": "enumeration", "LIST": [{"VALUE": "ПК"}]})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "TAGS", "USER_TYPE_ID": "string", "MULTIPLE": "Y"})
    crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "FLAG", "USER_TYPE_ID": "boolean"})
    crm.add_userfield("CRM_CONTACT", {"FIELD_NAME": "SNILS", "USER_TYPE_ID": "string"})
    for number in range(1, 4):
        contact = crm.contacts.add({"NAME": f"Контакт {number}", "PHONE": [{"VALUE": f"+7999000000{number}"}],
                                    "EMAIL": [{"VALUE": f"c{number}@example.ru"}]}, admin.id)
        crm.companies.add({"TITLE": f"Компания {number}"}, admin.id)
        crm.deals.add({"TITLE": f"Сделка {number}", "CONTACT_IDS": [contact], "UF_CRM_DAY": "01.09.2026"}, admin.id)
    seeded = Seeded(make_sandbox(state))
    seeded.field_codes = [*crm.deals.fields, *crm.contacts.fields, "UF_CRM_DAY", "UF_CRM_LINK", "UF_CRM_KIND",
                          "UF_CRM_TAGS", "UF_CRM_FLAG", "UF_CRM_SNILS"]
    _seed_lists(seeded)
    _seed_disk(seeded)
    return seeded


def _seed_lists(seeded: Seeded) -> None:
    """Through REST, as a client would; the lists family's own tests check these calls."""
    call = seeded.box.call
    ids = {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": "fuzz"}
    call("lists.add", {**ids, "FIELDS": {"NAME": "Фазз"}})
    for number, kind in enumerate(("S", "N", "L", "S:Date", "S:ECrm", "F", "S:DiskFile", "E"), start=1):
        answer = call("lists.field.add", {**ids, "FIELDS": {
            "NAME": f"Поле {number}", "TYPE": kind, "CODE": f"F{number}", "MULTIPLE": "Y" if number % 2 else "N",
            "LIST": {"n1": {"VALUE": "Да", "SORT": 10}}, "SETTINGS": {"CONTACT": "Y", "DEAL": "Y"}}})
        if answer.status_code == 200:
            seeded.field_codes.append(str(answer.json()["result"]))
    for number in range(1, 4):
        call("lists.element.add", {**ids, "ELEMENT_CODE": f"e{number}", "FIELDS": {"NAME": f"Элемент {number}"}})
    seeded.iblocks, seeded.elements = ["fuzz", "nope"], ["e1", "e2", "e3", "e9"]


def _seed_disk(seeded: Seeded) -> None:
    call = seeded.box.call
    storages = call("disk.storage.getlist").json().get("result") or []
    for storage in storages:
        seeded.disk_ids.append(int(storage["ID"]))
        folder = call("disk.storage.addfolder", {"id": storage["ID"], "data": {"NAME": "Папка"}}).json()
        if "result" in folder:
            seeded.disk_ids.append(int(folder["result"]["ID"]))
            upload = call("disk.folder.uploadfile", {"id": folder["result"]["ID"], "data": {"NAME": "a.txt"},
                                                     "fileContent": ["a.txt", base64.b64encode(b"text").decode()]})
            if upload.status_code == 200:
                seeded.disk_ids.append(int(upload.json()["result"]["ID"]))
    seeded.disk_ids = seeded.disk_ids or [1, 2, 3]


# Top-level names each family reads (first matching prefix wins).
FAMILY_KEYS = (
    ("crm.deal.contact.", ("ID", "FIELDS", "ITEMS")),
    ("crm.category.", ("entityTypeId", "id", "fields")),
    ("crm.dealcategory.", ("ID", "FILTER", "ORDER", "SELECT", "START")),
    ("crm.status.", ("FIELDS", "FILTER", "ORDER")),
    ("crm.duplicate.", ("TYPE", "VALUES", "ENTITY_TYPE")),
    ("crm.item.", ("entityTypeId", "id", "fields", "filter", "select", "order", "start", "useOriginalUfNames")),
    ("crm.", ("ID", "FIELDS", "FILTER", "SELECT", "ORDER", "START", "PARAMS")),
    ("lists.", ("IBLOCK_TYPE_ID", "IBLOCK_ID", "IBLOCK_CODE", "ELEMENT_ID", "ELEMENT_CODE", "FIELD_ID", "FIELDS",
                "FILTER", "SELECT", "ELEMENT_ORDER", "IBLOCK_ORDER", "start", "SOCNET_GROUP_ID", "MESSAGES")),
    ("disk.", ("id", "data", "fileContent", "generateUniqueName", "newName", "targetFolderId", "filter", "order",
               "start", "rights")),
    ("bizproc.", ("TEMPLATE_ID", "DOCUMENT_ID", "PARAMETERS", "SELECT", "FILTER", "ORDER", "start")),
    ("", ()),
)
USER_TYPES = ["string", "integer", "double", "boolean", "datetime", "date", "money", "url", "enumeration", "file",
              "employee", "crm_status", "crm", "address", "nope"]
LIST_TYPES = ["S", "N", "L", "F", "G", "E", "S:Date", "S:DateTime", "S:HTML", "E:EList", "N:Sequence", "S:ECrm",
              "S:Money", "S:DiskFile", "S:employee", "SORT", "ACTIVE_FROM", "DETAIL_TEXT", "X"]


def _mostly(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Four times in five a plausible value, else an odd one."""
    return _weighted((4, good), (1, ODD))


def _optional(values: dict[str, st.SearchStrategy[Any]], required: tuple[str, ...] = ()) -> st.SearchStrategy[
        dict[str, Any]]:
    """A map of these names; the ``required`` ones are nearly always there."""
    return st.fixed_dictionaries(
        {key: _weighted((9, _mostly(values[key])), (1, st.just(MISSING))) for key in required},
        optional={key: _mostly(value) for key, value in values.items() if key not in required},
    ).map(lambda found: {key: value for key, value in found.items() if value is not MISSING})


def _params(seeded: Seeded, name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Parameters for ``name``: the names its family reads, in either case, with mostly plausible values."""
    ids = st.sampled_from([*seeded.ids, *map(str, seeded.ids), 99])
    disk_ids = st.sampled_from([*seeded.disk_ids, 999])
    codes = st.sampled_from(seeded.field_codes)
    text = st.one_of(st.sampled_from(["Документ.pdf", "Иван", "", "a.txt", "x" * 300]), st.text(max_size=8))
    flag = st.sampled_from(["Y", "N", True, False, "1", "0"])
    multifield = st.lists(_optional({"ID": st.sampled_from(["1", "2", "9"]), "VALUE": st.sampled_from(
        ["+79990000001", "c@example.ru", ""]), "VALUE_TYPE": st.sampled_from(["WORK", "MOBILE", "X"]),
        "DELETE": flag}), max_size=3)
    plausible = st.one_of(text, ids, flag, st.sampled_from(["WON", "C1:NEW", "01.09.2026", "2026-09-01T10:00:00+03:00",
                                                            "C_1", "n1", "1500.50"]),
                          st.lists(st.one_of(ids, text), max_size=3), multifield)
    crm_fields = st.tuples(_optional({"TITLE": text}, ("TITLE",)), st.dictionaries(codes, _mostly(plausible),
                                                                                   max_size=6)).map(
        lambda pair: {**pair[1], **pair[0]})
    family_fields = {
        "crm.deal.contact.": _optional({"CONTACT_ID": ids, "IS_PRIMARY": flag, "SORT": st.integers(-5, 99)},
                                       ("CONTACT_ID",)),
        "crm.category.": _optional({"name": text, "sort": st.integers(-5, 999)}, ("name",)),
        "crm.status.": _optional({"ENTITY_ID": st.sampled_from(["DEAL_STAGE", "DEAL_STAGE_1", "DEAL_STAGE_7",
                                                                "SOURCE", "DEAL_STAGE_", "DEAL_STAGEX"]),
                                  "STATUS_ID": text, "NAME": text, "SORT": st.integers(-5, 999),
                                  "SEMANTICS": st.sampled_from(["S", "F", "", "P"]), "COLOR": text},
                                 ("ENTITY_ID", "STATUS_ID", "NAME")),
        "lists.": _optional({"NAME": text, "TYPE": st.sampled_from(LIST_TYPES), "CODE": text, "MULTIPLE": flag,
                             "IS_REQUIRED": flag, "SORT": st.integers(-5, 999), "DEFAULT_VALUE": plausible,
                             "LIST": st.dictionaries(st.sampled_from(["n1", "n2", "5"]), _optional(
                                 {"VALUE": text, "SORT": st.integers(0, 99), "DEF": flag}), max_size=3),
                             "LIST_TEXT_VALUES": text, "SETTINGS": _optional({"CONTACT": flag, "DEAL": flag}),
                             "USER_TYPE_SETTINGS": _optional({"CONTACT": flag}), "LINK_IBLOCK_ID": ids,
                             "DESCRIPTION": text, "BIZPROC": flag, "ACTIVE_FROM": plausible,
                             **{code: plausible for code in seeded.field_codes if code.startswith("PROPERTY_")}},
                            ("NAME", "TYPE")),
    }
    userfield_fields = _optional({
        "FIELD_NAME": st.from_regex(r"[A-Za-z][A-Za-z0-9_]{3,14}", fullmatch=True),
        "USER_TYPE_ID": st.sampled_from(USER_TYPES), "MULTIPLE": flag, "MANDATORY": flag, "SORT": st.integers(0, 999),
        "XML_ID": text, "LABEL": st.one_of(text, st.fixed_dictionaries({"ru": text})), "SHOW_FILTER": flag,
        "LIST": st.lists(_optional({"VALUE": text, "SORT": st.integers(0, 99), "DEF": flag, "XML_ID": text}),
                         max_size=3),
        "SETTINGS": _optional({"CONTACT": flag, "COMPANY": flag, "DEAL": flag, "LEAD": flag}),
        "EDIT_FORM_LABEL": st.one_of(text, st.fixed_dictionaries({"ru": text, "en": text})),
    }, ("FIELD_NAME", "USER_TYPE_ID"))
    fields = next((value for prefix, value in family_fields.items() if name.startswith(prefix)),
                  userfield_fields if ".userfield." in name else crm_fields)
    operators = st.sampled_from(["", ">", ">=", "<", "<=", "@", "!@", "%", "=%", "!", "!=", "!%", "><", "~"])
    filters = st.dictionaries(st.tuples(operators, codes).map("".join), _mostly(plausible), max_size=4)
    order = st.dictionaries(codes, st.sampled_from(["ASC", "DESC", "desc", "x"]), max_size=2)
    good = {
        "ID": ids, "id": st.one_of(ids, disk_ids), "FIELDS": fields, "fields": fields, "FILTER": filters,
        "filter": filters, "SELECT": st.lists(st.one_of(codes, st.sampled_from(["*", "UF_*", "ID"])), max_size=4),
        "ORDER": order, "order": order, "ELEMENT_ORDER": order, "IBLOCK_ORDER": order,
        "START": st.sampled_from([0, 50, -1, "50", 100, "x"]), "start": st.sampled_from([0, 50, -1, "x"]),
        "PARAMS": _optional({"REGISTER_SONET_EVENT": flag}), "entityTypeId": st.sampled_from([2, "2", 31]),
        "ITEMS": st.lists(_optional({"CONTACT_ID": ids, "IS_PRIMARY": flag, "SORT": st.integers(-5, 99)}),
                          max_size=3),
        "TYPE": st.sampled_from(["PHONE", "EMAIL", "phone"]),
        "VALUES": st.lists(st.sampled_from(["+79990000001", "89990000002", "c1@example.ru", ""]), max_size=4),
        "ENTITY_TYPE": st.sampled_from(["CONTACT", "COMPANY", "LEAD", "DEAL"]),
        "IBLOCK_TYPE_ID": st.sampled_from(["lists", "lists", "bitrix_processes", "lists_socnet"]),
        "IBLOCK_ID": _weighted((1, st.sampled_from([1, "1", 99])), (3, st.just(MISSING))),
        "IBLOCK_CODE": st.sampled_from([*seeded.iblocks, "new"]),
        "ELEMENT_ID": _weighted((1, ids), (1, st.just(MISSING))),
        "ELEMENT_CODE": st.one_of(st.sampled_from(seeded.elements), text),
        "FIELD_ID": st.one_of(codes, st.sampled_from(["1", "NAME", "SORT"])), "SOCNET_GROUP_ID": ids,
        "MESSAGES": _optional({"ELEMENT_NAME": text}), "data": _optional({"NAME": text}),
        "fileContent": st.one_of(st.tuples(text, st.sampled_from(["dGV4dA==", "!!", ""])).map(list), text),
        "generateUniqueName": flag, "newName": text, "targetFolderId": disk_ids,
        "rights": st.lists(_optional({"TASK_ID": ids, "ACCESS_CODE": st.sampled_from(["U1", "*"])}), max_size=2),
        "TEMPLATE_ID": st.integers(-1, 3),
        "DOCUMENT_ID": st.sampled_from([["crm", "CCrmDocumentDeal", "DEAL_1"], ["crm", "CCrmDocumentDeal", "DEAL_x"],
                                        ["lists", "BizprocDocument", "1"], "DEAL_1", []]),
        "PARAMETERS": st.dictionaries(text, plausible, max_size=3),
    }
    keys = next(keys for prefix, keys in FAMILY_KEYS if name.startswith(prefix))
    spellings = {key: st.sampled_from([key, key.lower()]) if key.isupper() else st.just(key) for key in keys}
    # Each name: mostly present with a plausible value, sometimes odd, sometimes left out.
    chosen = st.fixed_dictionaries({key: st.tuples(spellings[key], _weighted(
        (9, _mostly(good.get(key, plausible))), (1, st.just(MISSING)))) for key in keys})
    extra = st.dictionaries(st.one_of(st.sampled_from(["__order", "auth_connector", "x"]), st.text(max_size=6)), ODD,
                            max_size=2)

    def build(pair: tuple[dict[str, tuple[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        present, junk = pair
        params = {key: value for key, value in junk.items() if key.lower() != "auth"}  # "auth" is OAuth's place
        params.update({spelling: value for spelling, value in present.values() if value is not MISSING})
        return params

    return st.tuples(chosen, extra).map(build)



def _send(box: Sandbox, name: str, params: dict[str, Any], encoding: str) -> httpx.Response:
    if encoding == "json":
        return box.client.post(name, content=json.dumps(params), headers={"Content-Type": "application/json"})
    query = wire.encode_query(params)
    if encoding == "form":
        return box.client.post(name, content=query, headers={"Content-Type": "application/x-www-form-urlencoded"})
    if encoding == "query":
        return box.client.get(f"{name}?{query}")
    return box.client.post("batch", json={"cmd": {"fuzz": f"{name}?{query}"}})


def _assert_answer(response: httpx.Response) -> None:
    assert response.status_code != 500, response.text
    if response.status_code in (413, 414):
        assert "nginx" in response.text  # the front end's page for a body or a URL over the limit
        return
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    body = response.json()
    if response.status_code == 200:
        assert "result" in body and "time" in body, body
    else:
        assert set(body) == {"error", "error_description"}, body
        assert isinstance(body["error"], str) and isinstance(body["error_description"], str)


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_a_method_survives_any_parameters(name: str):
    seeded = _seeded()
    box = seeded.box

    @FUZZ
    @given(params=_params(seeded, name), encoding=ENCODINGS)
    def call(params: dict[str, Any], encoding: str) -> None:
        response = _send(box, name, params, encoding)
        _assert_answer(response)
        assert box.portal.bugs == [], box.portal.bugs

    call()
    assert box.portal.statuses[500] == 0


def test_batches_of_random_commands():
    seeded = _seeded()
    box = seeded.box
    commands = st.one_of(
        st.sampled_from(METHOD_NAMES).flatmap(
            lambda name: _params(seeded, name).map(lambda params: f"{name}?{wire.encode_query(params)}")),
        st.text(max_size=20), st.sampled_from(["batch", "batch?cmd[a]=crm.deal.list", "?", "crm.deal.list?#",
                                               "crm.deal.get?id=$result[0][ID]", "crm.deal.get?id=$result[x][0]"]),
        ODD,
    )

    @FUZZ
    @given(cmd=st.one_of(st.dictionaries(st.text(max_size=4), commands, max_size=6), st.lists(commands, max_size=6)),
           halt=st.one_of(st.none(), st.booleans(), st.sampled_from(["1", "0", "true"])))
    def call(cmd: Any, halt: Any) -> None:
        response = box.client.post("batch", json={"cmd": cmd, "halt": halt})
        _assert_answer(response)
        assert response.status_code == 200
        assert set(response.json()["result"]) == {"result", "result_error", "result_total", "result_next",
                                                  "result_time"}

    call()
    assert box.portal.bugs == []


def test_garbage_requests_get_real_error_answers():
    box = _seeded().box
    paths = st.one_of(st.sampled_from(["/rest/", "/rest/x", "/rest/1/", "/rest/1/x/y/z", "/rest/batch", "/oauth/token/",
                                       "/", "/rest/%00", "/rest/crm.deal.list.json"]),
                      st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="?#"),
                              max_size=20).map(
                          lambda text: "/rest/" + text))
    content_types = st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", "",
                                     "multipart/form-data; boundary=xyz", "multipart/form-data",
                                     "application/json; charset=cp1251"])

    @FUZZ
    @given(path=paths, method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD"]),
           content_type=content_types, body=st.one_of(st.binary(max_size=80), st.text(max_size=80).map(str.encode)))
    def call(path: str, method: str, content_type: str, body: bytes) -> None:
        url = httpx.URL(f"https://{HOST}").copy_with(raw_path=path.encode("ascii"))
        response = box.client.request(method, url, content=body, headers={"Content-Type": content_type})
        assert response.status_code != 500, response.text
        assert box.portal.bugs == []

    call()


def test_multipart_bodies_never_break_the_parser():
    box = _seeded().box
    parts = st.lists(st.tuples(st.sampled_from(['name="fields[TITLE]"', 'name="id"', "name=", 'filename="a.pdf"',
                                                'name="x"; filename="a.txt"', "", 'name="a[b][]"']),
                               st.binary(max_size=20)), max_size=4)

    @FUZZ
    @given(parts=parts, ending=st.sampled_from([b"--xyz--\r\n", b"", b"--xyz", b"\r\n--xyz--"]))
    def call(parts: list[tuple[str, bytes]], ending: bytes) -> None:
        body = b"".join(b"--xyz\r\nContent-Disposition: form-data; " + head.encode() + b"\r\n\r\n" + data + b"\r\n"
                        for head, data in parts) + ending
        response = box.client.post("crm.deal.add", content=body,
                                   headers={"Content-Type": "multipart/form-data; boundary=xyz"})
        _assert_answer(response)

    call()
    assert box.portal.bugs == []
