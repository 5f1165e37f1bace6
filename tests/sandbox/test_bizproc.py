"""bizproc.workflow.template.list, bizproc.workflow.start and bizproc.workflow.instances."""

from __future__ import annotations

import re

import pytest

from dpo_desktop.sandbox.bizproc.state import register_action
from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import make_sandbox

WORKFLOW_ID = re.compile(r"^[0-9a-f]{14}\.\d{8}$")


def error_of(response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


@pytest.fixture
def portal():
    box = make_sandbox()
    state = box.state
    admin = int(box.webhook.split("/")[4])
    bizproc = state.bizproc
    box.deal_template = bizproc.add_template("Копировать документы в архив", "crm", "CCrmDocumentDeal", "DEAL",
                                             user_id=admin)
    box.contact_template = bizproc.add_template("Проверить контакт", "crm", "CCrmDocumentContact", "CONTACT",
                                                user_id=admin, auto_execute=1)
    box.deal_id = state.crm.deals.add({"TITLE": "ПК «Охрана труда»"}, admin)
    yield box
    box.client.close()


def test_template_list_selects_only_id_by_default(portal):
    body = portal.call("bizproc.workflow.template.list").json()
    assert body["result"] == [{"ID": str(portal.deal_template)}, {"ID": str(portal.contact_template)}]
    assert body["total"] == 2


def test_template_list_select_filter_order(portal):
    rows = portal.result("bizproc.workflow.template.list", {
        "SELECT": ["ID", "NAME", "MODULE_ID", "ENTITY", "DOCUMENT_TYPE", "AUTO_EXECUTE", "MODIFIED", "USER_ID"],
        "FILTER": {"DOCUMENT_TYPE": "CONTACT"},
    })
    assert len(rows) == 1
    row = rows[0]
    assert row["NAME"] == "Проверить контакт" and row["ENTITY"] == "CCrmDocumentContact"
    assert row["AUTO_EXECUTE"] == "1" and row["MODULE_ID"] == "crm" and row["DOCUMENT_TYPE"] == "CONTACT"
    assert row["MODIFIED"].endswith("+03:00") and row["USER_ID"] == portal.webhook.split("/")[4]
    ordered = portal.result("bizproc.workflow.template.list", {"select": ["ID"], "order": {"ID": "DESC"}})
    assert [item["ID"] for item in ordered] == [str(portal.contact_template), str(portal.deal_template)]
    lower = portal.result("bizproc.workflow.template.list", {"filter": {"module_id": "lists"}})
    assert lower == []


def test_start_on_a_deal_and_list_instances(portal):
    workflow_id = portal.result("bizproc.workflow.start", {
        "TEMPLATE_ID": portal.deal_template, "DOCUMENT_ID": ["crm", "CCrmDocumentDeal", f"DEAL_{portal.deal_id}"],
        "PARAMETERS": {"Responsible": "user_1"}})
    assert WORKFLOW_ID.match(workflow_id), workflow_id
    record = portal.state.bizproc.workflows[workflow_id]
    assert record["DOCUMENT_ID"] == f"DEAL_{portal.deal_id}" and record["TEMPLATE_ID"] == portal.deal_template
    assert record["PARAMETERS"] == {"Responsible": "user_1"}

    default = portal.call("bizproc.workflow.instances").json()
    assert default["total"] == 1
    assert default["result"] == [{"ID": workflow_id, "MODIFIED": default["result"][0]["MODIFIED"], "OWNED_UNTIL": None}]
    full = portal.result("bizproc.workflow.instances", {"SELECT": [
        "ID", "MODULE_ID", "ENTITY", "DOCUMENT_ID", "STARTED", "STARTED_BY", "TEMPLATE_ID"]})
    assert full == [{"ID": workflow_id, "MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal",
                     "DOCUMENT_ID": f"DEAL_{portal.deal_id}", "STARTED": full[0]["STARTED"],
                     "STARTED_BY": portal.webhook.split("/")[4], "TEMPLATE_ID": str(portal.deal_template)}]
    assert full[0]["STARTED"].endswith("+03:00")
    alias = portal.result("bizproc.workflow.instance.list", {"FILTER": {"TEMPLATE_ID": portal.contact_template}})
    assert alias == []


def test_start_errors(portal):
    deal = ["crm", "CCrmDocumentDeal", f"DEAL_{portal.deal_id}"]
    cases = [
        ({"DOCUMENT_ID": deal}, (400, "ERROR_WRONG_WORKFLOW_ID", "Empty TEMPLATE_ID")),
        ({"TEMPLATE_ID": 9999, "DOCUMENT_ID": deal}, (400, "ERROR_WRONG_WORKFLOW_ID", "Template not found")),
        ({"TEMPLATE_ID": portal.deal_template, "DOCUMENT_ID": ["crm", "CCrmDocumentDeal"]},
         (400, "", "Wrong DOCUMENT_ID!")),
        ({"TEMPLATE_ID": portal.deal_template}, (400, "", "Wrong DOCUMENT_ID!")),
        ({"TEMPLATE_ID": portal.deal_template, "DOCUMENT_ID": ["crm", "CCrmDocumentDeal", "DEAL_999999"]},
         (400, "", "Incorrect document type!")),
        ({"TEMPLATE_ID": portal.deal_template, "DOCUMENT_ID": ["crm", "CCrmDocumentLead", "LEAD_1"]},
         (400, "", "Incorrect document type!")),
        ({"TEMPLATE_ID": portal.contact_template, "DOCUMENT_ID": deal},
         (400, "", "Template type and DOCUMENT_ID mismatch!")),
    ]
    for params, expected in cases:
        assert error_of(portal.call("bizproc.workflow.start", params)) == expected, params
    assert portal.state.bizproc.workflows == {}


def test_start_on_a_drive_file(portal):
    disk = portal.state.disk
    root = disk.root_folder(disk.common_storage_id())
    file_id = disk.add_file(root, "Приказ.pdf", b"%PDF", user_id=1)
    template = portal.state.bizproc.add_template("Согласование", "disk", "Bitrix\\Disk\\BizProcDocument",
                                                 f"STORAGE_{disk.common_storage_id()}", user_id=1)
    workflow_id = portal.result("bizproc.workflow.start", {
        "TEMPLATE_ID": template, "DOCUMENT_ID": ["disk", "Bitrix\\Disk\\BizProcDocument", str(file_id)]})
    assert portal.state.bizproc.workflows[workflow_id]["DOCUMENT_ID"] == str(file_id)


@pytest.mark.parametrize("entity", ["Bitrix\\Lists\\BizprocDocumentLists", "BizprocDocument"])
def test_start_on_a_list_element(portal, entity):
    lists = portal.state.lists
    iblock = lists.add_list("dpo_participants", "Участники", user_id=1)
    element = lists.add_element(iblock, "p-1-2", {"NAME": "Иванов"}, user_id=1)
    template = portal.state.bizproc.add_template("Проверка участника", "lists", entity, f"iblock_{iblock}", user_id=1)
    workflow_id = portal.result("bizproc.workflow.start", {
        "TEMPLATE_ID": template, "DOCUMENT_ID": ["lists", entity, str(element)]})
    assert portal.state.bizproc.workflows[workflow_id]["DOCUMENT_ID"] == str(element)
    other = portal.call("bizproc.workflow.start", {
        "TEMPLATE_ID": template, "DOCUMENT_ID": ["lists", entity, "999999"]})
    assert other.status_code == 400


def test_a_template_action_runs_when_its_workflow_starts(portal):
    seen = []
    register_action("test-record-documents", lambda state, workflow: seen.append(workflow["DOCUMENT_ID"]))
    template = portal.state.bizproc.add_template("Собрать папку", "crm", "CCrmDocumentDeal", "DEAL", user_id=1,
                                                 action="test-record-documents")
    portal.result("bizproc.workflow.start",
                  {"TEMPLATE_ID": template, "DOCUMENT_ID": ["crm", "CCrmDocumentDeal", f"DEAL_{portal.deal_id}"]})
    assert seen == [f"DEAL_{portal.deal_id}"]


def test_bizproc_is_for_administrators_only():
    state = PortalState()
    admin = state.add_user("Администратор", "Портала", "admin@example.ru", admin=True)
    template = state.bizproc.add_template("Шаблон", "crm", "CCrmDocumentDeal", "DEAL", user_id=admin.id)
    deal_id = state.crm.deals.add({"TITLE": "Сделка"}, admin.id)
    box = make_sandbox(state, admin=False)
    denied = (403, "ACCESS_DENIED", "Access denied!")
    assert error_of(box.call("bizproc.workflow.template.list")) == denied
    assert error_of(box.call("bizproc.workflow.instances")) == denied
    start = {"TEMPLATE_ID": template, "DOCUMENT_ID": ["crm", "CCrmDocumentDeal", f"DEAL_{deal_id}"]}
    assert error_of(box.call("bizproc.workflow.start", start)) == denied
    assert state.bizproc.workflows == {}
