"""Provisioning on sandbox portals: a bare portal becomes complete, twice changes nothing, admins only."""

from __future__ import annotations

import pytest

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.portal.discover import discover
from dpo_desktop.portal.mapping import CONTACT_FIELDS, DEAL_FIELDS
from dpo_desktop.portal.provision import ProvisionError, provision
from dpo_desktop.sandbox.seeds import build
from tests.sandbox.portal_fixtures import make_sandbox

from .conftest import portal_objects, run, with_client
from .test_discover import partial_portal

DPO_STAGES = [("Заявка", "process"), ("Сбор документов", "process"), ("Обучение", "process"),
              ("Итоговая аттестация", "process"), ("Документы выданы", "success"), ("Отказ", "failure")]


def test_a_bare_portal_is_provisioned_into_a_complete_schema(empty_box):
    state = empty_box.state
    report = run(with_client(empty_box, provision))

    assert report.after.complete and report.after.problems == []
    assert not report.before.complete
    assert all(action.kind != "failed" for action in report.actions)
    mapping = report.after.mapping
    # What discovery now finds is what the portal holds.
    category = state.crm.categories[mapping.pipeline_id]
    assert category["name"] == "ДПО"
    assert [(record["NAME"], record["EXTRA"]["SEMANTICS"]) for record in state.crm.stages(mapping.pipeline_id)] == \
        DPO_STAGES
    assert [(stage.name, stage.semantics) for stage in mapping.stages] == DPO_STAGES
    deal_fields = {uf.xml_id: uf for uf in state.crm.userfields.of("CRM_DEAL")}
    assert {logical: ref.code for logical, ref in mapping.deal_fields.items()} == {
        logical: f"UF_CRM_DPO_{logical.upper()}" for logical in DEAL_FIELDS}
    assert deal_fields["DPO_PROGRAMME_TYPE"].label() == "Тип программы"
    assert {item["XML_ID"]: item["VALUE"] for item in deal_fields["DPO_PROGRAMME_TYPE"].items} == {"PK": "ПК",
                                                                                                   "PP": "ПП"}
    assert set(mapping.contact_fields) == set(CONTACT_FIELDS)
    assert sorted(mapping.contact_field("sex").values.values()) == ["female", "male"]
    documents = state.lists.iblocks[mapping.documents.iblock_id]
    assert (documents.code, documents.name) == ("dpo_documents", "Документы участника")
    by_code = {item.code: item for item in documents.fields.values() if item.code}
    assert by_code["FILE"].type == "S:DiskFile" and mapping.file_mode == "drive"
    assert by_code["DEAL"].user_type_settings["DEAL"] == "Y" and by_code["CONTACT"].user_type_settings["CONTACT"] == "Y"
    assert sorted(enum["VALUE"] for enum in by_code["DOC_TYPE"].enums.values()) == sorted(
        item.title for item in DocumentType)
    assert set(mapping.documents.field("type").values.values()) == {item.value for item in DocumentType}
    root = state.disk.root_folder(state.disk.common_storage_id())
    assert [record["NAME"] for record in state.disk.live_children(root)] == ["ДПО"]
    assert mapping.archive_folder_id == state.disk.live_children(root)[0]["ID"]
    assert "Создан список «Участники»" in report.text()


def test_provisioning_twice_creates_nothing_the_second_time(empty_box):
    run(with_client(empty_box, provision))
    after_first = portal_objects(empty_box.state)
    second = run(with_client(empty_box, provision))

    assert portal_objects(empty_box.state) == after_first
    assert second.actions == [] and second.after.complete
    assert second.text().startswith("На портале уже есть всё")


def test_only_an_administrator_may_provision_and_nothing_is_written_before_the_refusal():
    box = make_sandbox(build("empty"), admin=False)
    run(with_client(box, discover))  # the sandbox makes personal drives on the first read of the drives
    before = portal_objects(box.state)

    with pytest.raises(ProvisionError) as raised:
        run(with_client(box, provision))

    assert "только администратор портала" in str(raised.value)
    assert "«Анна Смирнова»" in str(raised.value)
    assert portal_objects(box.state) == before


def test_a_non_administrator_on_a_complete_portal_is_told_nothing_is_missing(demo_box):
    manager = next(user for user in demo_box.state.users.values() if not user.admin)
    code = demo_box.state.add_webhook(manager.id)
    report = run(with_client(demo_box, provision, webhook=f"https://sandbox.bitrix24.test/rest/{manager.id}/{code}/"))
    assert report.actions == [] and report.after.complete


def test_a_partial_portal_is_completed_without_touching_what_was_there():
    box, made = partial_portal()
    before = portal_objects(box.state)
    documents_id = box.state.lists.find_list("docs_2023")
    type_field = next(item for item in box.state.lists.iblocks[documents_id].fields.values() if item.code == "DOC_TYPE")
    old_values = {enum_id: enum["VALUE"] for enum_id, enum in type_field.enums.items()}

    report = run(with_client(box, provision))

    assert report.after.complete, report.text()
    after = portal_objects(box.state)
    assert after["deal_fields"] == before["deal_fields"] and after["pipelines"] == before["pipelines"]
    assert after["statuses"] == before["statuses"]
    assert after["contact_fields"] == before["contact_fields"] + len(CONTACT_FIELDS)
    assert after["lists"] == before["lists"]
    assert after["list_fields"] == before["list_fields"] + 2  # «Комментарий», «Данные ФИС ФРДО»
    assert {logical: ref.code for logical, ref in report.after.mapping.deal_fields.items()} == made.deal_fields
    values = {enum_id: enum["VALUE"] for enum_id, enum in type_field.enums.items()}
    assert {enum_id: value for enum_id, value in values.items() if enum_id in old_values} == old_values
    assert sorted(values.values()) == sorted(item.title for item in DocumentType)
    assert report.after.mapping.documents.iblock_id == documents_id
    kinds = [action.kind for action in report.actions]
    assert kinds.count("updated") == 1 and "failed" not in kinds


def test_a_pipeline_with_deals_keeps_its_stages_and_only_gains_the_missing_ones(empty_box):
    box = empty_box
    category = box.result("crm.category.add", {"entityTypeId": 2, "fields": {"name": "ДПО"}})["category"]["id"]
    box.result("crm.deal.add", {"fields": {"TITLE": "Группа 1", "CATEGORY_ID": category}})
    before = [(record["STATUS_ID"], record["NAME"]) for record in box.state.crm.stages(category)]

    report = run(with_client(box, provision))

    after = [(record["STATUS_ID"], record["NAME"]) for record in box.state.crm.stages(category)]
    assert [stage for stage in after if stage in before] == before  # nothing renamed or deleted
    added = [name for _status, name in after if (_status, name) not in before]
    assert added == ["Заявка", "Сбор документов", "Обучение", "Итоговая аттестация", "Отказ"]
    # One success stage per pipeline: renaming it is left to the office, and said so.
    assert report.after.complete
    assert "«Документы выданы»" in report.after.problem("stages").message
    discovery = run(with_client(box, discover))
    assert [stage.name for stage in discovery.mapping.stages if stage.semantics == "failure"][-1] == "Отказ"
