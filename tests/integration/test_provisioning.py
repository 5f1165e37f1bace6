"""A bare portal made ready by ``portal provision``, then synced and worked with; provisioning twice makes
nothing twice."""

from __future__ import annotations

import httpx
import pytest

from dpo_desktop.sandbox import seeds
from tests.cli.harness import LoopbackPortal, add_profile
from tests.integration.portal_truth import PortalView, schema_counts


@pytest.fixture
def bare_portal():
    portal = LoopbackPortal(seeds.build_empty()).start()
    yield portal
    portal.stop()


def call(portal: LoopbackPortal, method: str, params: dict):
    answer = httpx.post(f"{portal.webhook}{method}", json=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


def test_provision_an_empty_portal_then_sync_and_work(cli, bare_portal):
    add_profile(cli, bare_portal)
    before = cli("portal", "check")
    assert before.code == 1
    assert "нет воронки сделок «ДПО»" in before.err and "portal provision" in before.err
    assert len(before.lines()) == 1

    first = cli("portal", "provision")
    assert first.code == 0, first.err
    assert "Создана воронка сделок «ДПО»" in first.out
    assert "Схема ДПО на портале полная." in first.out
    made = schema_counts(bare_portal.state)
    assert "ДПО" in made["pipelines"] and made["common_folders"].count("ДПО") == 1
    assert {code for code, *_ in made["lists"]} >= {"dpo_participants", "dpo_documents"}

    second = cli("portal", "provision")
    assert second.code == 0, second.err
    assert "ничего не изменено" in second.out
    assert schema_counts(bare_portal.state) == made
    third = cli("portal", "provision", "--json")
    assert third.json()["actions"] == [] and third.json()["complete"] is True
    assert schema_counts(bare_portal.state) == made

    profile = cli("profile", "list", "--json").json()[0]
    assert profile["mapping"] is True and profile["discovered_at"]

    synced = cli("sync")
    assert synced.code == 0, synced.err
    assert synced.json()["mode"] == "full" and not any(synced.json()["changed"].values())
    assert cli("missing", "--format", "json").json() == []

    # The office starts working: a deal in the new pipeline and a person for it.
    view = PortalView(bare_portal.state)
    deal_id = call(bare_portal, "crm.deal.add", {"fields": {
        "TITLE": "ООО «Ромашка» — ОТ-2027-01", "CATEGORY_ID": view.pipeline,
        view.deal_uf["DPO_EVENT_CODE"].field_name: "ОТ-2027-01"}})
    contact_id = call(bare_portal, "crm.contact.add", {"fields": {"LAST_NAME": "Зайцева", "NAME": "Ольга"}})
    assert cli("sync").json()["changed"]["deals"] == 1
    added = cli("participants", "add", "--deal", str(deal_id), "--contact", str(contact_id))
    assert added.code == 0, added.err
    assert added.json()["state"] == "pushed"
    report = cli("missing", "--format", "json").json()
    assert [(row["deal_id"], row["contact_id"], row["participant"], row["status"]) for row in report] == [
        (deal_id, contact_id, "Зайцева Ольга", "none")]
    assert report[0]["missing"] == ["Диплом", "Паспорт", "СНИЛС", "Согласие на обработку ПД", "Заявление", "Договор"]


def test_provisioning_needs_an_administrator(cli, bare_portal):
    manager = bare_portal.state.add_user("Мария", "Петрова", "maria@example.ru")
    code = bare_portal.state.add_webhook(manager.id)
    webhook = f"http://127.0.0.1:{bare_portal.port}/rest/{manager.id}/{code}/"
    assert cli("profile", "add", "office", "--webhook-stdin", stdin=webhook).code == 0
    before = schema_counts(bare_portal.state)

    refused = cli("portal", "provision")
    assert refused.code == 1 and len(refused.lines()) == 1
    assert "только администратор портала" in refused.err
    assert schema_counts(bare_portal.state) == before
