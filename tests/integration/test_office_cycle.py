"""The demo office end to end: sync, the missing report against the portal's truth, online and offline,
and a participant added while the portal is away landing exactly once when it comes back."""

from __future__ import annotations

import httpx

from dpo_desktop.rules import load_rules
from dpo_desktop.store import Store
from tests.integration.portal_truth import PortalView, expected_missing


def participants_named(portal, last_name: str) -> list[dict]:
    view = PortalView(portal.state)
    contacts = {int(record["ID"]) for record in portal.state.crm.contacts.table.values()
                if record["LAST_NAME"] == last_name}
    return [element for element in view.elements("dpo_participants")
            if int(element["CONTACT"].rsplit("_", 1)[-1]) in contacts]


def test_sync_then_the_missing_report_is_the_portals_truth_online_and_offline(cli, office):
    synced = cli("sync")
    assert synced.code == 0, synced.err
    summary = synced.json()
    assert summary["mode"] == "full" and summary["pending"] == 0 and not summary["offline"]
    assert summary["changed"]["deals"] == len(PortalView(office.state).deals())
    assert summary["requests"] > 0 and summary["seconds"] >= 0

    online = cli("missing", "--format", "json")
    assert online.code == 0, online.err
    truth = expected_missing(office.state, load_rules().rules)
    assert len(truth) >= 200 and {row["status"] for row in truth} == {"complete", "partial", "none"}
    assert online.json() == truth

    office.stop()
    offline = cli("missing", "--format", "json")
    assert offline.code == 0 and offline.err == ""
    assert offline.out == online.out


def test_a_participant_added_offline_lands_exactly_once_when_the_portal_is_back(cli, office):
    assert cli("sync").code == 0
    deal_id = max(PortalView(office.state).deals())
    elements_before = len(PortalView(office.state).elements("dpo_participants"))
    office.stop()

    added = cli("participants", "add", "--deal", str(deal_id), "--last-name", "Веденеева", "--name", "Дарья",
                "--second-name", "Олеговна", "--birth-date", "12.03.1991", "--phone", "8 (912) 000-11-22",
                "--email", "D.Vedeneeva@Example.RU", "--snils", "112-233-445 95")
    assert added.code == 0, added.err
    line = added.json()
    assert (line["action"], line["state"], line["queued"], line["deal_id"]) == ("add", "waiting", True, deal_id)
    assert (line["contact_id"], line["contact"], line["element_id"], line["waiting"]) == (None, None, None, 1)
    assert "Нет связи с порталом" in added.err and len(added.lines()) == 1

    # The cache already shows her (under a provisional contact), so the report is right offline.
    report = cli("missing", "--deal", str(deal_id), "--format", "json").json()
    mine = [row for row in report if row["participant"] == "Веденеева Дарья Олеговна"]
    assert len(mine) == 1 and mine[0]["status"] == "none" and mine[0]["contact_id"] < 0

    waiting = cli("sync")
    assert waiting.code == 1 and len(waiting.lines()) == 1 and "Нет связи с порталом" in waiting.err
    assert (waiting.json()["offline"], waiting.json()["waiting"], waiting.json()["pending"]) == (True, 1, 1)

    office.start()  # the same port, the same portal state
    back = cli("sync")
    assert back.code == 0, back.err
    assert (back.json()["pushed"], back.json()["pending"], back.json()["offline"]) == (1, 0, False)
    again = cli("sync")
    assert again.code == 0 and again.json()["pushed"] == 0

    landed = participants_named(office, "Веденеева")
    assert len(landed) == 1 and int(landed[0]["DEAL"]) == deal_id
    assert len(PortalView(office.state).elements("dpo_participants")) == elements_before + 1
    people = [record for record in office.state.crm.contacts.table.values() if record["LAST_NAME"] == "Веденеева"]
    assert len(people) == 1
    person = people[0]
    assert [phone["VALUE"] for phone in person["PHONE"]] == ["+79120001122"]
    assert [email["VALUE"] for email in person["EMAIL"]] == ["D.Vedeneeva@example.ru"]
    view = PortalView(office.state)
    assert person[view.contact_uf["DPO_SNILS"].field_name] == "112-233-445 95"

    with Store.open(cli.cache()) as store:
        assert store.pending_count() == 0
        assert [item.state for item in store.outbox_items()] == ["done"]
        assert all(contact_id > 0 for contact_id in store.ids("contacts"))
    final = cli("missing", "--format", "json")
    assert final.json() == expected_missing(office.state, load_rules().rules)


def test_an_existing_contact_is_added_and_removed_online(cli, office):
    assert cli("sync").code == 0
    view = PortalView(office.state)
    deal_id = min(view.deals())
    on_deal = {int(element["CONTACT"]) for element in view.elements("dpo_participants")
               if int(element["DEAL"]) == deal_id}
    contact_id = next(int(record["ID"]) for record in office.state.crm.contacts.table.values()
                      if int(record["ID"]) not in on_deal and record["LAST_NAME"])

    added = cli("participants", "add", "--deal", str(deal_id), "--contact", str(contact_id))
    assert added.code == 0, added.err
    line = added.json()
    assert (line["state"], line["contact_id"], line["contact"], line["waiting"]) == ("pushed", contact_id,
                                                                                     "existing", 0)
    element = office.state.lists.element(office.state.lists.find_list("dpo_participants"), line["element_id"])
    assert element["CODE"] == line["code"] == f"p-{deal_id}-{contact_id}"

    twice = cli("participants", "add", "--deal", str(deal_id), "--contact", str(contact_id))
    assert twice.code == 1 and "уже участник сделки" in twice.err

    removed = cli("participants", "remove", "--deal", str(deal_id), "--contact", str(contact_id))
    assert removed.code == 0, removed.err
    assert (removed.json()["state"], removed.json()["element_id"]) == ("pushed", line["element_id"])
    assert not [element for element in PortalView(office.state).elements("dpo_participants")
                if element["CODE"] == line["code"]]
    assert cli("missing", "--format", "json").json() == expected_missing(office.state, load_rules().rules)


def test_a_new_person_who_is_already_a_contact_is_not_created_twice(cli, office):
    assert cli("sync").code == 0
    view = PortalView(office.state)
    deal_id = min(view.deals())
    on_deal = {int(element["CONTACT"]) for element in view.elements("dpo_participants")
               if int(element["DEAL"]) == deal_id}
    known = next(record for record in office.state.crm.contacts.table.values()
                 if int(record["ID"]) not in on_deal and record.get("PHONE") and record["LAST_NAME"])
    contacts_before = len(office.state.crm.contacts.table)

    added = cli("participants", "add", "--deal", str(deal_id), "--last-name", known["LAST_NAME"],
                "--name", known["NAME"], "--phone", known["PHONE"][0]["VALUE"])
    assert added.code == 0, added.err
    line = added.json()
    assert (line["state"], line["contact_id"], line["contact"]) == ("pushed", int(known["ID"]), "existing")
    assert len(office.state.crm.contacts.table) == contacts_before


def test_two_lookalike_contacts_are_a_conflict_for_a_human(cli, office):
    assert cli("sync").code == 0
    deal_id = min(PortalView(office.state).deals())
    for name in ("Ирина", "Ирэна"):
        answer = httpx.post(f"{office.webhook}crm.contact.add", json={"fields": {
            "LAST_NAME": "Сомова", "NAME": name, "PHONE": [{"VALUE": "+79125550101", "VALUE_TYPE": "WORK"}]}})
        assert answer.status_code == 200
    contacts_before = len(office.state.crm.contacts.table)

    added = cli("participants", "add", "--deal", str(deal_id), "--last-name", "Сомова", "--name", "Ирма",
                "--phone", "+7 912 555-01-01")
    assert added.code == 1 and len(added.lines()) == 1
    line = added.json()
    assert line["state"] == "conflict" and "несколько похожих контактов" in line["reason"]
    assert "Портал не принял изменение" in added.err and "несколько похожих контактов" in added.err
    assert len(office.state.crm.contacts.table) == contacts_before
    assert not participants_named(office, "Сомова")


def test_a_deal_the_cache_does_not_know(cli, office):
    assert cli("sync").code == 0
    unknown = cli("participants", "add", "--deal", "999999", "--contact", "1")
    assert unknown.code == 1 and unknown.out == ""
    assert unknown.lines() == ["dpo-desktop: Сделки 999999 нет в кэше: выполните синхронизацию (dpo-desktop sync)"]


def test_pushed_is_said_only_of_what_is_on_the_portal(cli, office):
    """Added, removed, added again: the third edit is either on the portal or refused with a reason."""
    assert cli("sync").code == 0
    view = PortalView(office.state)
    deal_id = min(view.deals())
    on_deal = {int(element["CONTACT"]) for element in view.elements("dpo_participants")
               if int(element["DEAL"]) == deal_id}
    contact_id = next(int(record["ID"]) for record in office.state.crm.contacts.table.values()
                      if int(record["ID"]) not in on_deal)

    def edit(action: str):
        return cli("participants", action, "--deal", str(deal_id), "--contact", str(contact_id))

    assert edit("add").code == 0
    assert edit("remove").code == 0
    again = edit("add")
    code = f"p-{deal_id}-{contact_id}"
    on_portal = [element for element in PortalView(office.state).elements("dpo_participants")
                 if element["CODE"] == code]
    if again.code == 0:
        assert again.json()["state"] == "pushed" and len(on_portal) == 1
    else:
        assert again.code == 1 and again.out == "" and not on_portal
        assert "повторно не отправляется" in again.err and len(again.lines()) == 1
