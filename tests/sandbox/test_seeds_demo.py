"""The ``demo`` seed, read over REST as the app reads it: schema discovery, people, participants, documents.

Nothing here looks at the seed's internals: fields are found by XML_ID, lists by code, list fields by
CODE, the pipeline by its name — as the app's discovery does.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from dpo_desktop.sandbox.seeds import build

from .portal_fixtures import HOST, Sandbox, make_sandbox
from .test_seeds_generators import snils_is_valid

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)", "Accept": "*/*", "Accept-Language": "ru-RU,ru",
           "Referer": f"https://{HOST}/"}
DPO_STAGES = ["Заявка", "Сбор документов", "Обучение", "Итоговая аттестация", "Документы выданы", "Отказ"]


def fetch_all(box: Sandbox, method: str, params: dict) -> list[dict]:
    """Every row of a list method, page by page with ``start`` (50 a page)."""
    rows: list[dict] = []
    start = 0
    while True:
        answer = box.call(method, {**params, "start": start})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        rows.extend(body["result"])
        if "next" not in body:
            return rows
        start = body["next"]


def only(values: dict) -> str:
    """The single value of a list element's property ({value ID: value})."""
    assert len(values) == 1
    return next(iter(values.values()))


class DemoPortal:
    """What the app learns about the demo portal through discovery, and the records it reads."""

    def __init__(self, box: Sandbox) -> None:
        self.box = box
        categories = box.result("crm.category.list", {"entityTypeId": 2})["categories"]
        self.category = {item["name"]: item["id"] for item in categories}
        self.deal_uf = {item["XML_ID"]: item for item in box.result("crm.deal.userfield.list", {})}
        self.contact_uf = {item["XML_ID"]: item for item in box.result("crm.contact.userfield.list", {})}
        self.deals = fetch_all(box, "crm.deal.list", {"order": {"ID": "ASC"}, "select": ["*", "UF_*"]})
        self.contacts = {row["ID"]: row for row in fetch_all(
            box, "crm.contact.list", {"order": {"ID": "ASC"}, "select": ["*", "UF_*", "PHONE", "EMAIL"]})}
        self.list_fields = {code: self._fields(code) for code in ("dpo_participants", "dpo_documents")}
        self.participants = self._elements("dpo_participants")
        self.documents = self._elements("dpo_documents")

    def _fields(self, code: str) -> dict[str, dict]:
        fields = self.box.result("lists.field.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": code})
        return {field["CODE"]: field for field in fields.values() if field.get("CODE")}

    def _elements(self, code: str) -> list[dict]:
        fields = self.list_fields[code]
        rows = fetch_all(self.box, "lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": code,
                                                         "ELEMENT_ORDER": {"ID": "ASC"}})
        readable = []
        for row in rows:
            item = {"ID": row["ID"], "CODE": row["CODE"], "NAME": row["NAME"]}
            for field_code, field in fields.items():
                value = row.get(field["FIELD_ID"])
                value = only(value) if value else ""
                item[field_code] = field["DISPLAY_VALUES_FORM"][value] if value and field["TYPE"] == "L" else value
            readable.append(item)
        return readable

    def deal_value(self, deal: dict, xml_id: str) -> str | None:
        return deal[self.deal_uf[xml_id]["FIELD_NAME"]]

    def contact_value(self, contact: dict, xml_id: str) -> str | None:
        return contact[self.contact_uf[xml_id]["FIELD_NAME"]]

    def dpo_deals(self) -> list[dict]:
        return [deal for deal in self.deals if deal["CATEGORY_ID"] == str(self.category["ДПО"])]

    def stage_names(self) -> dict[str, str]:
        statuses = self.box.result("crm.status.list", {"filter": {"ENTITY_ID": f"DEAL_STAGE_{self.category['ДПО']}"}})
        return {status["STATUS_ID"]: status["NAME"] for status in statuses}


@pytest.fixture(scope="module")
def demo() -> DemoPortal:
    box = make_sandbox(build("demo"))
    yield DemoPortal(box)
    box.client.close()


def test_pipelines_and_stages(demo):
    assert {"ДПО", "Продажи"} <= set(demo.category)
    statuses = demo.box.result("crm.status.list", {"filter": {"ENTITY_ID": f"DEAL_STAGE_{demo.category['ДПО']}"},
                                                   "order": {"SORT": "ASC"}})
    assert [status["NAME"] for status in statuses] == DPO_STAGES
    semantics = {status["NAME"]: status["EXTRA"]["SEMANTICS"] for status in statuses}
    assert semantics["Документы выданы"] == "success" and semantics["Отказ"] == "failure"
    assert len(demo.dpo_deals()) >= 40
    others = [deal for deal in demo.deals if deal not in demo.dpo_deals()]
    assert any(deal["CATEGORY_ID"] == str(demo.category["Продажи"]) for deal in others)
    assert all(demo.deal_value(deal, "DPO_EVENT_CODE") is None for deal in others)
    stages = Counter(demo.stage_names()[deal["STAGE_ID"]] for deal in demo.dpo_deals())
    assert set(stages) >= {"Заявка", "Сбор документов", "Обучение", "Документы выданы"}


def test_user_fields_are_found_by_xml_id_and_label(demo):
    expected = {"DPO_PARTNER_CODE": "Код партнёра", "DPO_CLIENT_CONTACT": "Ответственный со стороны клиента",
                "DPO_EVENT_NAME": "Название мероприятия", "DPO_EVENT_CODE": "Код мероприятия",
                "DPO_PROGRAMME_TYPE": "Тип программы", "DPO_HOURS": "Количество часов",
                "DPO_START_DATE": "Дата начала обучения", "DPO_END_DATE": "Дата окончания обучения"}
    labelled = {item["XML_ID"]: item["EDIT_FORM_LABEL"]
                for item in demo.box.result("crm.deal.userfield.list", {"filter": {"LANG": "ru"}})}
    assert {key: labelled[key] for key in expected} == expected
    for item in [*demo.deal_uf.values(), *demo.contact_uf.values()]:
        assert re.fullmatch(r"UF_CRM_\d{10}(\d{3})?", item["FIELD_NAME"])  # names the portal generated
    assert demo.deal_uf["DPO_CLIENT_CONTACT"]["USER_TYPE_ID"] == "crm"
    assert demo.deal_uf["DPO_CLIENT_CONTACT"]["SETTINGS"]["CONTACT"] == "Y"
    assert [item["VALUE"] for item in demo.deal_uf["DPO_PROGRAMME_TYPE"]["LIST"]] == ["ПК", "ПП"]
    assert [item["VALUE"] for item in demo.contact_uf["DPO_SEX"]["LIST"]] == ["Муж", "Жен"]
    assert [item["VALUE"] for item in demo.contact_uf["DPO_EDUCATION_LEVEL"]["LIST"]] == ["ВО", "СПО", "Справка"]
    assert set(demo.contact_uf) >= {"DPO_SNILS", "DPO_PASSPORT_SERIES", "DPO_PASSPORT_NUMBER", "DPO_CITIZENSHIP",
                                    "DPO_DIPLOMA_SURNAME", "DPO_DIPLOMA_SERIES", "DPO_DIPLOMA_NUMBER"}


def test_deals_carry_the_event_and_programme(demo):
    programme_types = {item["ID"]: item["VALUE"] for item in demo.deal_uf["DPO_PROGRAMME_TYPE"]["LIST"]}
    events = set()
    for deal in demo.dpo_deals():
        code = demo.deal_value(deal, "DPO_EVENT_CODE")
        kind = programme_types[demo.deal_value(deal, "DPO_PROGRAMME_TYPE")]
        assert re.fullmatch(r"(ПК|ПП)-20\d\d-\d{3}", code) and code.startswith(kind)
        hours = int(demo.deal_value(deal, "DPO_HOURS"))
        assert 16 <= hours <= 144 if kind == "ПК" else 250 <= hours <= 1020
        start, end = demo.deal_value(deal, "DPO_START_DATE"), demo.deal_value(deal, "DPO_END_DATE")
        assert start.endswith("+03:00") and start[:10] < end[:10]
        partner = demo.deal_value(deal, "DPO_PARTNER_CODE")
        assert partner is None or re.fullmatch(r"P-\d{3}", partner)
        events.add(code)
    assert 8 <= len(events) <= 12


def test_contacts_are_consistent_people_with_valid_snils(demo):
    sexes = {item["ID"]: item["VALUE"] for item in demo.contact_uf["DPO_SEX"]["LIST"]}
    participants = {element["CONTACT"] for element in demo.participants}
    citizenships = Counter()
    snils_count = 0
    for contact_id in participants:
        contact = demo.contacts[contact_id]
        sex = sexes[demo.contact_value(contact, "DPO_SEX")]
        assert contact["SECOND_NAME"].endswith(("вич", "ич") if sex == "Муж" else ("вна", "чна"))
        assert "1960-01-01" <= contact["BIRTHDATE"][:10] <= "2004-12-31"
        assert contact["PHONE"][0]["VALUE"].startswith("+7") and "@" in contact["EMAIL"][0]["VALUE"]
        snils = demo.contact_value(contact, "DPO_SNILS")
        if snils:
            snils_count += 1
            assert snils_is_valid(snils), snils
        citizenships[demo.contact_value(contact, "DPO_CITIZENSHIP")] += 1
    assert snils_count >= 100
    assert citizenships.most_common(1)[0][0] == "643" and set(citizenships) - {"643"} <= {"112", "398", "860", "417"}
    assert len(citizenships) > 1


def test_participants_one_to_fifteen_a_deal_with_codes_and_repeaters(demo):
    per_deal = Counter(element["DEAL"] for element in demo.participants)
    dpo_ids = {deal["ID"] for deal in demo.dpo_deals()}
    assert set(per_deal) == dpo_ids
    assert min(per_deal.values()) == 1 and max(per_deal.values()) == 15
    for element in demo.participants:
        assert element["CODE"] == f"p-{element['DEAL']}-{element['CONTACT']}"
        assert element["NAME"].split()[0] == demo.contacts[element["CONTACT"]]["LAST_NAME"]
    deals_of = Counter(element["CONTACT"] for element in demo.participants)
    assert 2 <= sum(count > 1 for count in deals_of.values()) <= 20  # a few people in two deals
    issued = [element for element in demo.participants if element["ISSUED_KIND"]]
    assert issued and all(element["ISSUED_NUMBER"] and re.fullmatch(r"\d\d\.\d\d\.20\d\d", element["ISSUED_DATE"])
                          for element in issued)


def test_clients_are_bound_to_their_deals(demo):
    client_field = demo.deal_uf["DPO_CLIENT_CONTACT"]["FIELD_NAME"]
    companies = 0
    for deal in demo.dpo_deals():
        bound = demo.box.result("crm.deal.contact.items.get", {"id": deal["ID"]})
        bound_ids = [str(item["CONTACT_ID"]) for item in bound]
        assert bound and deal[client_field] in bound_ids
        assert [item["IS_PRIMARY"] for item in bound].count("Y") == 1
        if deal["COMPANY_ID"] != "0":
            companies += 1
            assert all(demo.contacts[contact]["COMPANY_ID"] == deal["COMPANY_ID"] for contact in bound_ids)
    assert len({deal["COMPANY_ID"] for deal in demo.dpo_deals()} - {"0"}) >= 10
    assert companies < len(demo.dpo_deals())  # and some people pay for themselves


def _files(demo: DemoPortal) -> dict[tuple[str, str], dict[str, list[dict]]]:
    files: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for element in demo.documents:
        files[(element["DEAL"], element["CONTACT"])][element["DOC_TYPE"]].append(element)
    return files


def test_every_kind_of_gap_and_complete_sets(demo):
    files = _files(demo)
    stages = demo.stage_names()
    settled = {deal["ID"] for deal in demo.dpo_deals()
               if stages[deal["STAGE_ID"]] in ("Обучение", "Итоговая аттестация", "Документы выданы")}
    gaps = Counter()
    for element in demo.participants:
        if element["DEAL"] not in settled:
            continue
        contact = demo.contacts[element["CONTACT"]]
        held = {kind for kind, items in files[(element["DEAL"], element["CONTACT"])].items()
                if any(item["CHECK_STATUS"] != "Отклонён" for item in items)}
        changed = demo.contact_value(contact, "DPO_DIPLOMA_SURNAME") not in (None, contact["LAST_NAME"])
        missing = {"Согласие на обработку ПД", "Заявление", "Договор", "Паспорт"} - held
        if not held & {"Диплом", "Справка об обучении"}:
            missing.add("Диплом")
        if demo.contact_value(contact, "DPO_SNILS") and "СНИЛС" not in held:
            missing.add("СНИЛС")
        if changed and "Документ о смене фамилии" not in held:
            missing.add("Документ о смене фамилии")
        gaps.update(missing or {"complete"})
    assert gaps["Согласие на обработку ПД"] >= 2
    assert gaps["Диплом"] >= 2
    assert gaps["Документ о смене фамилии"] >= 1
    assert gaps["complete"] > sum(count for kind, count in gaps.items() if kind != "complete")
    rejected = [element for element in demo.documents if element["CHECK_STATUS"] == "Отклонён"]
    assert len(rejected) >= 2 and all(element["COMMENT"] for element in rejected)
    assert {element["CHECK_STATUS"] for element in demo.documents} == {"Получен", "Проверен", "Отклонён"}


def test_document_elements_describe_their_files(demo):
    types = Counter(element["DOC_TYPE"] for element in demo.documents)
    assert set(types) >= {"Паспорт", "СНИЛС", "Диплом", "Согласие на обработку ПД", "Документ о смене фамилии",
                          "Заявление", "Договор", "Справка об обучении"}
    owners_of_hash = defaultdict(set)
    for element in demo.documents:
        kind = element["DOC_TYPE"]
        assert element["NAME"].startswith(kind)
        assert re.fullmatch(r"[0-9a-f]{64}", element["SHA256"])
        assert element["CODE"].startswith(f"d-{element['DEAL']}-{element['CONTACT']}-")
        assert element["CODE"].endswith(element["SHA256"][:16])
        assert re.fullmatch(r"\d\d\.\d\d\.20\d\d", element["RECEIVED_DATE"])
        assert element["ORIGINAL_NAME"].endswith((".jpg", ".pdf")) and element["FILE"]
        owners_of_hash[element["SHA256"]].add(element["CONTACT"])
    assert all(len(owners) == 1 for owners in owners_of_hash.values())  # a scan belongs to one person
    deals_of_hash = Counter(element["SHA256"] for element in demo.documents)
    assert any(count > 1 for count in deals_of_hash.values())  # people in two deals sent the same passport
    assert len({element["CODE"] for element in demo.documents}) == len(demo.documents)


def _download(demo: DemoPortal, attached_id: str) -> tuple[dict, bytes]:
    attached = demo.box.result("disk.attachedObject.get", {"id": attached_id})
    record = demo.box.result("disk.file.get", {"id": attached["OBJECT_ID"]})
    answer = demo.box.client.get(record["DOWNLOAD_URL"], headers=BROWSER)
    assert answer.status_code == 200
    return record, answer.content


def test_scans_download_decode_and_match_their_hash(demo):
    by_form: dict[tuple[str, str], dict] = {}
    for element in demo.documents:
        by_form.setdefault((element["DOC_TYPE"], element["ORIGINAL_NAME"][-3:]), element)
    sample = [*by_form.values(), *random.Random(1).sample(demo.documents, 15)]
    assert len(by_form) >= 12
    for element in sample:
        record, data = _download(demo, element["FILE"])
        assert hashlib.sha256(data).hexdigest() == element["SHA256"]
        assert int(record["SIZE"]) == len(data) and 20 * 1024 <= len(data) <= 120 * 1024
        if record["NAME"].endswith(".jpg"):
            image = Image.open(io.BytesIO(data))
            image.load()
            assert image.format == "JPEG"
        else:
            document = pypdfium2.PdfDocument(data)
            assert len(document) == 1
            document.close()


def test_files_sit_in_the_archive_folders_of_the_common_drive(demo):
    storages = demo.box.result("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})
    root = demo.box.result("disk.storage.getchildren", {"id": storages[0]["ID"]})
    archive = next(item for item in root if item["NAME"] == "ДПО" and item["TYPE"] == "folder")
    events = demo.box.result("disk.folder.getchildren", {"id": archive["ID"]})
    codes = {demo.deal_value(deal, "DPO_EVENT_CODE") for deal in demo.dpo_deals()}
    assert events and {item["NAME"].split(" ", 1)[0] for item in events} <= codes
    element = demo.documents[0]
    record, _ = _download(demo, element["FILE"])
    contact = demo.contacts[element["CONTACT"]]
    folder = demo.box.result("disk.folder.get", {"id": record["PARENT_ID"]})
    assert folder["NAME"].startswith(contact["LAST_NAME"]) and folder["NAME"].endswith(f"[{contact['ID']}]")


def test_a_business_process_template_for_deals(demo):
    templates = demo.box.result("bizproc.workflow.template.list", {"SELECT": ["ID", "NAME", "ENTITY", "MODULE_ID"]})
    assert any(item["ENTITY"] == "CCrmDocumentDeal" and item["MODULE_ID"] == "crm" for item in templates)


def test_each_build_is_an_independent_copy(demo):
    deal = demo.dpo_deals()[0]
    other = make_sandbox(build("demo"))
    try:
        assert other.result("crm.deal.update", {"id": deal["ID"], "fields": {"TITLE": "Изменено"}}) is True
        assert other.result("crm.deal.get", {"id": deal["ID"]})["TITLE"] == "Изменено"
    finally:
        other.client.close()
    assert demo.box.result("crm.deal.get", {"id": deal["ID"]})["TITLE"] == deal["TITLE"]


def test_a_saved_demo_reads_its_scans_in_another_process(demo, tmp_path):
    """``sandbox --state``: the lazily made scans come back byte for byte after a save and a load."""
    path = tmp_path / "demo.state"
    build("demo").save(path)
    element = demo.documents[-1]
    script = (
        "import sys, hashlib\n"
        "import dpo_desktop.sandbox.seeds\n"
        "from dpo_desktop.sandbox.state import PortalState\n"
        "state = PortalState.load(sys.argv[1])\n"
        "attached = state.disk.attached(int(sys.argv[2]))\n"
        "print(hashlib.sha256(state.disk.read_bytes(attached['OBJECT_ID'])).hexdigest())\n"
    )
    child = subprocess.run([sys.executable, "-c", script, str(path), element["FILE"]], capture_output=True,
                           text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == element["SHA256"]
