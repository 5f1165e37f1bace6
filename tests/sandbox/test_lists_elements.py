"""List elements of the sandbox portal over HTTP: add, get, overwrite, delete, values and files."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest

from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import Sandbox, make_sandbox

LISTS = {"IBLOCK_TYPE_ID": "lists"}
PDF = b"%PDF-1.4 scan of a passport"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def error_of(response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


@dataclass
class Documents:
    """A "documents" list with one property of each kind the app uses."""

    sandbox: Sandbox
    iblock_id: int
    deal: str  # S:ECrm, deals only
    contact: str  # S:ECrm, contacts only
    owner: str  # S:ECrm, deals and contacts
    kind: str  # L
    kinds: dict[str, str]  # value text -> enum ID
    pages: str  # N
    received: str  # S:Date
    checked_at: str  # S:DateTime
    scan: str  # F
    extra_scans: str  # F, multiple
    tags: str  # S, multiple
    drive_file: str  # S:DiskFile

    @property
    def ids(self) -> dict:
        return {**LISTS, "IBLOCK_ID": self.iblock_id}

    def add(self, code: str, **fields) -> int:
        return self.sandbox.result("lists.element.add", {**self.ids, "ELEMENT_CODE": code, "FIELDS": fields})

    def add_call(self, code: str | None, **fields):
        params = {**self.ids, "FIELDS": fields}
        if code is not None:
            params["ELEMENT_CODE"] = code
        return self.sandbox.call("lists.element.add", params)

    def get(self, **params) -> list[dict]:
        return self.sandbox.result("lists.element.get", {**self.ids, **params})

    def one(self, element_id: int) -> dict:
        (row,) = self.get(ELEMENT_ID=element_id)
        return row

    def update(self, element_id: int, **fields) -> bool:
        return self.sandbox.result("lists.element.update", {**self.ids, "ELEMENT_ID": element_id, "FIELDS": fields})


def make_documents(sandbox: Sandbox) -> Documents:
    iblock_id = sandbox.result("lists.add", {**LISTS, "IBLOCK_CODE": "dpo_documents",
                                             "FIELDS": {"NAME": "Документы участника"}})

    def field(name: str, kind: str, code: str, **extra) -> str:
        return sandbox.result("lists.field.add", {**LISTS, "IBLOCK_ID": iblock_id,
                                                  "FIELDS": {"NAME": name, "TYPE": kind, "CODE": code, **extra}})

    kind = field("Тип документа", "L", "DOC_TYPE", LIST_TEXT_VALUES="Паспорт\nСНИЛС\nДиплом")
    kinds = {value: key for key, value in sandbox.result(
        "lists.field.get", {**LISTS, "IBLOCK_ID": iblock_id, "FIELD_ID": kind})["L"]["DISPLAY_VALUES_FORM"].items()}
    return Documents(
        sandbox, iblock_id,
        deal=field("Сделка", "S:ECrm", "DEAL", IS_REQUIRED="Y", USER_TYPE_SETTINGS={"DEAL": "Y"}),
        contact=field("Участник", "S:ECrm", "CONTACT", USER_TYPE_SETTINGS={"CONTACT": "Y"}),
        owner=field("Владелец", "S:ECrm", "OWNER", USER_TYPE_SETTINGS={"DEAL": "Y", "CONTACT": "Y"}),
        kind=kind, kinds=kinds,
        pages=field("Страниц", "N", "PAGES"),
        received=field("Дата получения", "S:Date", "RECEIVED"),
        checked_at=field("Проверен", "S:DateTime", "CHECKED_AT"),
        scan=field("Скан", "F", "SCAN"),
        extra_scans=field("Доп. сканы", "F", "EXTRA", MULTIPLE="Y"),
        tags=field("Метки", "S", "TAGS", MULTIPLE="Y"),
        drive_file=field("Файл на Диске", "S:DiskFile", "DRIVE_FILE"),
    )


@pytest.fixture
def docs(sandbox) -> Documents:
    return make_documents(sandbox)


def only_value(row: dict, field_id: str):
    (value,) = row[field_id].values()
    return value


# -- add and read ---------------------------------------------------------------------------------------------


def test_element_reads_back_as_an_array_with_value_id_maps(docs):
    element_id = docs.add("doc-1", NAME="Паспорт — Иванов", **{
        docs.deal: "345", docs.contact: 77, docs.kind: docs.kinds["Паспорт"], docs.pages: "2,5",
        docs.tags: ["скан", "цветной"]})
    assert isinstance(element_id, int)
    row = docs.one(element_id)
    assert row["ID"] == str(element_id) and row["IBLOCK_ID"] == str(docs.iblock_id)
    assert (row["NAME"], row["CODE"], row["BP_PUBLISHED"], row["IBLOCK_SECTION_ID"]) == \
        ("Паспорт — Иванов", "doc-1", "Y", None)
    assert row["CREATED_BY"] == str(docs.sandbox.state.users[1].id)
    for field_id, expected in ((docs.deal, "345"), (docs.contact, "77"), (docs.kind, docs.kinds["Паспорт"]),
                               (docs.pages, "2.5")):
        (value_id,) = row[field_id]  # {value ID: value} even for a single property
        assert value_id.isdigit() and row[field_id][value_id] == expected
    assert sorted(row[docs.tags].values()) == ["скан", "цветной"] and len(row[docs.tags]) == 2
    assert docs.scan not in row and docs.received not in row  # empty properties are left out


def test_element_code_finds_the_element_and_still_answers_an_array(docs):
    element_id = docs.add("doc-by-code", NAME="СНИЛС", **{docs.deal: "1"})
    (row,) = docs.get(ELEMENT_CODE="doc-by-code")
    assert row["ID"] == str(element_id)
    body = docs.sandbox.call("lists.element.get", {**docs.ids, "ELEMENT_CODE": "no-such-code"}).json()
    assert body["result"] == [] and "total" not in body


@pytest.mark.parametrize(("code", "fields", "missing"), [
    (None, {"NAME": "x"}, "ELEMENT_CODE"),
    ("", {"NAME": "x"}, "ELEMENT_CODE"),
    ("doc-2", {}, "NAME"),
    (None, {}, "NAME"),
])
def test_element_add_names_the_missing_parameter(docs, code, fields, missing):
    assert error_of(docs.add_call(code, **fields)) == \
        (400, "ERROR_REQUIRED_PARAMETERS_MISSING", f'Required parameter "{missing}" is missing')


def test_element_code_is_unique_whatever_its_case(docs):
    docs.add("p-10-20", NAME="Первый", **{docs.deal: "10"})
    for code in ("p-10-20", "P-10-20"):
        assert error_of(docs.add_call(code, NAME="Второй", **{docs.deal: "10"})) == \
            (400, "ERROR_ELEMENT_ALREADY_EXISTS", "Element already exists")
    assert len(docs.get()) == 1


def test_required_property_and_bad_values_are_refused(docs):
    assert error_of(docs.add_call("a", NAME="Без сделки")) == \
        (400, "ERROR_ELEMENT_FIELD_VALUE", 'The field "Сделка" is required')
    refusals = {
        docs.pages: ("двадцать", "Страниц"), docs.kind: ("999999", "Тип документа"),
        docs.deal: ("D_5", "Сделка"), docs.owner: ("5", "Владелец"), docs.received: ("31/31/2024", "Дата получения"),
    }
    for field_id, (value, name) in refusals.items():
        fields = {docs.deal: "1", field_id: value}
        assert error_of(docs.add_call("b", NAME="x", **fields)) == \
            (400, "ERROR_ELEMENT_FIELD_VALUE", f'Value of the "{name}" field is not correct')
    assert docs.get() == []  # nothing half-written


def test_crm_links_are_bare_for_one_type_and_prefixed_for_several(docs):
    element_id = docs.add("crm", NAME="x", **{docs.deal: "345", docs.owner: "c_3"})
    row = docs.one(element_id)
    assert only_value(row, docs.deal) == "345" and only_value(row, docs.owner) == "C_3"


def test_any_user_may_add_elements(docs):
    employee = make_sandbox(docs.sandbox.state, admin=False)
    element_id = employee.result("lists.element.add", {**docs.ids, "ELEMENT_CODE": "by-employee",
                                                       "FIELDS": {"NAME": "x", docs.deal: "1"}})
    assert docs.one(element_id)["CREATED_BY"] == str(employee.webhook.split("/")[-3])


def test_elements_are_added_in_a_batch(docs):
    commands = {f"order{number:010d}": (
        f"lists.element.add?IBLOCK_TYPE_ID=lists&IBLOCK_ID={docs.iblock_id}&ELEMENT_CODE=batch-{number}"
        f"&FIELDS[NAME]=Doc%20{number}&FIELDS[{docs.deal}]=7") for number in range(2)}
    body = docs.sandbox.result("batch", {"halt": 0, "cmd": commands})
    assert body["result_error"] == []
    first, second = body["result"].values()
    assert isinstance(first, int) and second == first + 1
    assert [row["CODE"] for row in docs.get()] == ["batch-0", "batch-1"]


# -- update overwrites ----------------------------------------------------------------------------------------


def test_update_clears_every_field_not_sent_but_keeps_files(docs):
    element_id = docs.add("doc-3", NAME="Паспорт", **{
        docs.deal: "345", docs.contact: "77", docs.pages: "3", docs.tags: ["a", "b"],
        docs.scan: ["passport.pdf", b64(PDF)]})
    file_value = docs.one(element_id)[docs.scan]
    assert docs.update(element_id, NAME="Паспорт (проверен)", **{docs.deal: "345"}) is True
    row = docs.one(element_id)
    assert row["NAME"] == "Паспорт (проверен)" and only_value(row, docs.deal) == "345"
    for cleared in (docs.contact, docs.pages, docs.tags):
        assert cleared not in row
    assert row[docs.scan] == file_value


def test_update_must_send_the_name_and_required_fields(docs):
    element_id = docs.add("doc-4", NAME="x", **{docs.deal: "1"})
    response = docs.sandbox.call("lists.element.update", {**docs.ids, "ELEMENT_ID": element_id,
                                                          "FIELDS": {docs.deal: "1"}})
    assert error_of(response) == (400, "ERROR_ELEMENT_FIELD_VALUE", 'The field "Название" is required')
    response = docs.sandbox.call("lists.element.update", {**docs.ids, "ELEMENT_ID": element_id,
                                                          "FIELDS": {"NAME": "y"}})
    assert error_of(response) == (400, "ERROR_ELEMENT_FIELD_VALUE", 'The field "Сделка" is required')
    assert docs.one(element_id)["NAME"] == "x"


def test_echoing_a_read_keeps_the_value_ids(docs):
    element_id = docs.add("doc-5", NAME="x", **{docs.deal: "1", docs.tags: ["a", "b"]})
    before = docs.one(element_id)
    docs.update(element_id, NAME="x", **{docs.deal: before[docs.deal], docs.tags: before[docs.tags]})
    after = docs.one(element_id)
    assert after[docs.deal] == before[docs.deal] and after[docs.tags] == before[docs.tags]


def test_update_by_code_keeps_the_code_and_by_id_alone_clears_it(docs):
    element_id = docs.add("p-1-2", NAME="x", **{docs.deal: "1"})
    docs.sandbox.result("lists.element.update", {**docs.ids, "ELEMENT_CODE": "p-1-2",
                                                 "FIELDS": {"NAME": "y", docs.deal: "1"}})
    assert docs.one(element_id)["CODE"] == "p-1-2"
    docs.update(element_id, NAME="z", **{docs.deal: "1"})
    assert docs.one(element_id)["CODE"] is None
    assert docs.get(ELEMENT_CODE="p-1-2") == []


def test_update_and_delete_of_a_missing_element(docs):
    element_id = docs.add("doc-6", NAME="x", **{docs.deal: "1"})
    for method in ("lists.element.update", "lists.element.delete"):
        wrong = ({"ELEMENT_ID": 999999}, {"ELEMENT_CODE": "nope"}, {"ELEMENT_ID": element_id, "ELEMENT_CODE": "nope"})
        for ids in wrong:
            response = docs.sandbox.call(method, {**docs.ids, **ids, "FIELDS": {"NAME": "y", docs.deal: "1"}})
            assert error_of(response) == (400, "ERROR_ELEMENT_NOT_FOUND", "Element not found")
        assert error_of(docs.sandbox.call(method, {**docs.ids, "FIELDS": {"NAME": "y"}})) == \
            (400, "ERROR_REQUIRED_PARAMETERS_MISSING", 'Required parameter "ELEMENT_ID" is missing')


def test_delete_removes_the_element(docs):
    keep = docs.add("keep", NAME="x", **{docs.deal: "1"})
    gone = docs.add("gone", NAME="y", **{docs.deal: "1"})
    assert docs.sandbox.result("lists.element.delete", {**docs.ids, "ELEMENT_CODE": "gone"}) is True
    assert [row["ID"] for row in docs.get()] == [str(keep)]
    assert docs.get(ELEMENT_ID=gone) == []
    assert docs.add("gone", NAME="again", **{docs.deal: "1"}) > gone  # the code is free again


def test_unknown_list_is_not_found(docs):
    response = docs.sandbox.call("lists.element.get", {**LISTS, "IBLOCK_CODE": "no_such_list"})
    assert error_of(response) == (400, "ERROR_IBLOCK_NOT_FOUND", "Iblock not found")
    response = docs.sandbox.call("lists.element.get", {"IBLOCK_TYPE_ID": "bitrix_processes",
                                                       "IBLOCK_ID": docs.iblock_id})
    assert error_of(response)[1] == "ERROR_IBLOCK_NOT_FOUND"
    assert error_of(docs.sandbox.call("lists.element.get", {"IBLOCK_ID": docs.iblock_id})) == \
        (400, "ERROR_REQUIRED_PARAMETERS_MISSING", 'Required parameter "IBLOCK_TYPE_ID" is missing')


# -- files ------------------------------------------------------------------------------------------------------


def test_file_property_reads_back_a_file_id_and_refuses_ids_on_write(docs):
    element_id = docs.add("doc-7", NAME="x", **{docs.deal: "1", docs.scan: ["passport.pdf", b64(PDF)]})
    (value_id, file_id), = docs.one(element_id)[docs.scan].items()
    assert file_id.isdigit()
    stored = docs.sandbox.state.lists.files.get(int(file_id))
    assert (stored.name, stored.data) == ("passport.pdf", PDF)
    for echoed in (file_id, {value_id: file_id}, int(file_id)):
        fields = {"NAME": "x", docs.deal: "1", docs.scan: echoed}
        response = docs.sandbox.call("lists.element.update", {**docs.ids, "ELEMENT_ID": element_id, "FIELDS": fields})
        assert error_of(response) == (400, "ERROR_ELEMENT_FIELD_VALUE", "Writing file values by ID is not supported")


def test_a_bare_base64_file_gets_a_made_up_name(docs):
    element_id = docs.add("doc-8", NAME="x", **{docs.deal: "1", docs.scan: b64(PDF)})
    file_id = int(only_value(docs.one(element_id), docs.scan))
    stored = docs.sandbox.state.lists.files.get(file_id)
    assert stored.data == PDF and len(stored.name) == 32


def test_files_are_deleted_by_value_id_and_replaced_on_single_properties(docs):
    element_id = docs.add("doc-9", NAME="x", **{
        docs.deal: "1", docs.scan: ["a.pdf", b64(b"A")],
        docs.extra_scans: [["b.pdf", b64(b"B")], ["c.pdf", b64(b"C")]]})
    row = docs.one(element_id)
    files = docs.sandbox.state.lists.files
    extra = {value_id: files.get(int(file_id)).name for value_id, file_id in row[docs.extra_scans].items()}
    doomed = next(value_id for value_id, name in extra.items() if name == "b.pdf")
    docs.update(element_id, NAME="x", **{docs.deal: "1", docs.scan: ["a2.pdf", b64(b"A2")],
                                         f"{docs.extra_scans}_DEL": {doomed: "Y"},
                                         docs.extra_scans: [["d.pdf", b64(b"D")]]})
    row = docs.one(element_id)
    assert [files.get(int(file_id)).name for file_id in row[docs.scan].values()] == ["a2.pdf"]
    assert sorted(files.get(int(file_id)).name for file_id in row[docs.extra_scans].values()) == ["c.pdf", "d.pdf"]
    docs.sandbox.result("lists.element.delete", {**docs.ids, "ELEMENT_ID": element_id})
    assert files.rows == {}


def test_file_url_points_at_the_list_file_page(docs):
    element_id = docs.add("doc-10", NAME="x", **{docs.deal: "1", docs.scan: ["a.pdf", b64(b"A")]})
    file_id = only_value(docs.one(element_id), docs.scan)
    urls = docs.sandbox.result("lists.element.get.file.url", {**docs.ids, "ELEMENT_ID": element_id,
                                                               "FIELD_ID": docs.scan.removeprefix("PROPERTY_")})
    assert urls == [f"/company/lists/{docs.iblock_id}/file/0/{element_id}/{docs.scan}/{file_id}/?ncc=y&download=y"]
    assert docs.sandbox.result("lists.element.get.file.url", {**docs.ids, "ELEMENT_ID": element_id,
                                                               "FIELD_ID": docs.pages.removeprefix("PROPERTY_")}) == []
    response = docs.sandbox.call("lists.element.get.file.url", {**docs.ids, "ELEMENT_ID": element_id})
    assert error_of(response) == (400, "ERROR_REQUIRED_PARAMETERS_MISSING", 'Required parameter "FIELD_ID" is missing')
    response = docs.sandbox.call("lists.element.get.file.url", {**docs.ids, "ELEMENT_ID": 999999, "FIELD_ID": "1"})
    assert error_of(response) == (400, "ERROR_ELEMENT_NOT_FOUND", "Element not found")


def test_drive_files_are_attached_and_read_back_as_attachments(docs):
    disk = docs.sandbox.state.disk
    folder = disk.root_folder(disk.common_storage_id())
    first = disk.add_file(folder, "passport.pdf", PDF, user_id=1)
    second = disk.add_file(folder, "snils.pdf", b"SNILS", user_id=1)
    element_id = docs.add("doc-11", NAME="x", **{docs.deal: "1", docs.drive_file: str(first)})
    attached_id = int(only_value(docs.one(element_id), docs.drive_file))
    attachment = disk.attached(attached_id)
    assert attachment["OBJECT_ID"] == first and attachment["ENTITY_ID"] == element_id
    assert attachment["MODULE_ID"] == "iblock"
    # Sending the read value back keeps the attachment; "n<id>" attaches another Drive file.
    docs.update(element_id, NAME="x", **{docs.deal: "1", docs.drive_file: str(attached_id)})
    assert int(only_value(docs.one(element_id), docs.drive_file)) == attached_id
    docs.update(element_id, NAME="x", **{docs.deal: "1", docs.drive_file: f"n{second}"})
    replaced = int(only_value(docs.one(element_id), docs.drive_file))
    assert disk.attached(replaced)["OBJECT_ID"] == second and disk.attached(attached_id) is None
    url = f"/bitrix/tools/disk/uf.php?attachedId={replaced}&action=download&ncc=1"
    assert docs.sandbox.result("lists.element.get.file.url", {
        **docs.ids, "ELEMENT_ID": element_id, "FIELD_ID": docs.drive_file.removeprefix("PROPERTY_")}) == [url]
    docs.update(element_id, NAME="x", **{docs.deal: "1"})
    assert docs.drive_file not in docs.one(element_id) and disk.attached(replaced) is None


def test_a_drive_file_must_exist(docs):
    response = docs.add_call("doc-12", NAME="x", **{docs.deal: "1", docs.drive_file: "987654"})
    assert error_of(response) == (400, "ERROR_ELEMENT_FIELD_VALUE", 'File with ID "987654" not found')


# -- dates in the portal's locale -----------------------------------------------------------------------------------


def test_dates_read_back_in_the_russian_format(docs):
    docs.sandbox.state.time_source = lambda: 1772708829.0  # 05.03.2026 14:07:09 at +03:00
    element_id = docs.add("doc-13", NAME="x", **{docs.deal: "1", docs.received: "2024-12-31",
                                                 docs.checked_at: "2024-12-31T20:59:59+00:00"})
    docs.sandbox.result("lists.field.add", {**docs.ids, "FIELDS": {"NAME": "Создан", "TYPE": "DATE_CREATE"}})
    row = docs.one(element_id)
    assert only_value(row, docs.received) == "31.12.2024"
    assert only_value(row, docs.checked_at) == "31.12.2024 23:59:59"
    assert row["DATE_CREATE"] == "05.03.2026 14:07:09"
    docs.update(element_id, NAME="x", **{docs.deal: "1", docs.received: "01.02.2025",
                                         docs.checked_at: "01.02.2025 08:30"})
    row = docs.one(element_id)
    assert only_value(row, docs.received) == "01.02.2025"
    assert only_value(row, docs.checked_at) == "01.02.2025 08:30:00"
    (selected,) = docs.get(ELEMENT_ID=element_id, SELECT=["TIMESTAMP_X"])
    assert selected == {"ID": str(element_id), "TIMESTAMP_X": "05.03.2026 14:07:09"}


def test_dates_read_back_in_the_english_format():
    sandbox = make_sandbox(PortalState(locale="en"))
    docs = make_documents(sandbox)
    sandbox.state.time_source = lambda: 1772708829.0
    element_id = docs.add("doc-14", NAME="x", **{docs.deal: "1", docs.received: "12/31/2024",
                                                 docs.checked_at: "2024-12-31 23:59:59"})
    row = docs.one(element_id)
    assert only_value(row, docs.received) == "12/31/2024"
    assert only_value(row, docs.checked_at) == "12/31/2024 11:59:59 pm"
    (selected,) = docs.get(ELEMENT_ID=element_id, SELECT=["DATE_CREATE"])
    assert selected["DATE_CREATE"] == "03/05/2026 02:07:09 pm"
    response = docs.add_call("doc-15", NAME="x", **{docs.deal: "1", docs.received: "31.12.2024"})
    assert error_of(response)[1] == "ERROR_ELEMENT_FIELD_VALUE"
