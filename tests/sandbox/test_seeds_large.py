"""The ``large`` seed at a hundredth of its size: the proportions of the full one, lazily made files."""

from __future__ import annotations

import hashlib
import random
from collections import Counter

import pypdfium2
import pytest

from dpo_desktop.sandbox.seeds import build
from dpo_desktop.sandbox.seeds.large import DEALS, DOCUMENTS, PARTICIPANTS, SALES_DEALS, build_large, counts

from .portal_fixtures import make_sandbox
from .test_seeds_demo import BROWSER, fetch_all, only

SCALE = 0.01


@pytest.fixture(scope="module")
def large():
    box = make_sandbox(build_large(scale=SCALE))
    yield box
    box.client.close()


def _total(box, method: str, params: dict) -> int:
    answer = box.call(method, {**params, "start": 0})
    assert answer.status_code == 200, answer.text
    return answer.json()["total"]


def _codes(box, code: str) -> dict[str, str]:
    fields = box.result("lists.field.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": code})
    return {field["CODE"]: field["FIELD_ID"] for field in fields.values() if field.get("CODE")}


def test_full_size_counts():
    size = counts(1.0)
    assert (size.deals, size.participants, size.documents, size.sales_deals) == (5_000, 40_000, 200_000, 250)


def test_counts_keep_the_proportions(large):
    categories = {item["name"]: item["id"] for item in
                  large.result("crm.category.list", {"entityTypeId": 2})["categories"]}
    dpo = _total(large, "crm.deal.list", {"filter": {"CATEGORY_ID": categories["ДПО"]}})
    sales = _total(large, "crm.deal.list", {"filter": {"CATEGORY_ID": categories["Продажи"]}})
    participants = _total(large, "lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": "dpo_participants"})
    documents = _total(large, "lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": "dpo_documents"})
    expected = (round(DEALS * SCALE), round(PARTICIPANTS * SCALE), round(DOCUMENTS * SCALE))
    assert (dpo, participants, documents) == expected
    assert sales == round(SALES_DEALS * SCALE)


def test_participants_and_documents_per_deal(large):
    ids = {"IBLOCK_TYPE_ID": "lists", "ELEMENT_ORDER": {"ID": "ASC"}}
    fields = _codes(large, "dpo_participants")
    participants = fetch_all(large, "lists.element.get", {**ids, "IBLOCK_CODE": "dpo_participants"})
    per_deal = Counter(only(row[fields["DEAL"]]) for row in participants)
    assert min(per_deal.values()) >= 1 and max(per_deal.values()) <= 15
    assert all(row["CODE"] == f"p-{only(row[fields['DEAL']])}-{only(row[fields['CONTACT']])}" for row in participants)
    fields = _codes(large, "dpo_documents")
    documents = fetch_all(large, "lists.element.get", {**ids, "IBLOCK_CODE": "dpo_documents"})
    per_person = Counter(only(row[fields["CONTACT"]]) for row in documents)
    assert max(per_person.values()) <= 8
    assert set(per_person) <= {only(row[_codes(large, "dpo_participants")["CONTACT"]]) for row in participants}


def test_lazy_files_download_as_small_pdfs_matching_their_hash(large):
    fields = _codes(large, "dpo_documents")
    documents = fetch_all(large, "lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": "dpo_documents"})
    for row in random.Random(2).sample(documents, 10):
        attached = large.result("disk.attachedObject.get", {"id": only(row[fields["FILE"]])})
        record = large.result("disk.file.get", {"id": attached["OBJECT_ID"]})
        data = large.client.get(record["DOWNLOAD_URL"], headers=BROWSER).content
        assert hashlib.sha256(data).hexdigest() == only(row[fields["SHA256"]])
        assert int(record["SIZE"]) == len(data) < 2048
        contact = large.result("crm.contact.get", {"id": only(row[fields["CONTACT"]])})
        document = pypdfium2.PdfDocument(data)
        try:
            assert contact["LAST_NAME"] in document.get_metadata_dict()["Title"]
        finally:
            document.close()


def test_unknown_seed_is_refused():
    with pytest.raises(ValueError, match="unknown seed"):
        build("huge")
