"""CRM through the client: pipelines, stages, user fields, records, bindings, duplicates; normalised values."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.crm import Crm, DealContact, Multifield

from .conftest import client_for, run


def test_pipelines_and_their_stages(box):
    async def scenario():
        async with client_for(box) as client:
            crm = Crm(client)
            created = await crm.add_pipeline("ДПО", 300)
            await crm.add_stage(created.id, "DOCS", "Сбор документов", 25, color="#FFAA00")
            return created, await crm.pipelines(), await crm.stages(created.id), await crm.stages(0)

    created, pipelines, stages, default_stages = run(scenario())
    assert [(item.name, item.is_default) for item in pipelines] == [("Общая", True), ("ДПО", False)]
    assert stages[0].status_id == f"C{created.id}:NEW" and stages[0].semantics == "process"
    docs = next(stage for stage in stages if stage.status_id == f"C{created.id}:DOCS")
    assert (docs.name, docs.sort, docs.color) == ("Сбор документов", 25, "#FFAA00")
    assert {stage.semantics for stage in stages} == {"process", "success", "failure"}
    assert default_stages[0].status_id == "NEW"


def test_user_fields_are_found_by_xml_id_and_label(box):
    async def scenario():
        async with client_for(box) as client:
            crm = Crm(client)
            await crm.add_userfield("deal", {"FIELD_NAME": "DPO_TYPE", "USER_TYPE_ID": "enumeration",
                                             "XML_ID": "DPO_PROGRAMME_TYPE", "LABEL": "Тип программы",
                                             "LIST": [{"VALUE": "ПК"}, {"VALUE": "ПП"}]})
            await crm.add_userfield("contact", {"FIELD_NAME": "SNILS", "USER_TYPE_ID": "string",
                                                "EDIT_FORM_LABEL": {"ru": "СНИЛС", "en": "SNILS"}})
            return await crm.userfields("deal"), await crm.userfields("contact", lang="en"), \
                await crm.field_types("deal")

    deal_fields, contact_fields, types = run(scenario())
    programme = next(field for field in deal_fields if field.xml_id == "DPO_PROGRAMME_TYPE")
    assert programme.field_name == "UF_CRM_DPO_TYPE" and programme.label == "Тип программы"
    assert sorted(programme.items.values()) == ["ПК", "ПП"] and all(programme.items)
    assert contact_fields[0].label == "SNILS"
    assert types["UF_CRM_DPO_TYPE"] == "enumeration" and types["DATE_MODIFY"] == "datetime"


def test_records_come_back_normalised(box):
    async def scenario():
        async with client_for(box) as client:
            crm = Crm(client)
            await crm.add_userfield("deal", {"FIELD_NAME": "HOURS", "USER_TYPE_ID": "integer"})
            await crm.add_userfield("deal", {"FIELD_NAME": "START", "USER_TYPE_ID": "date"})
            types = await crm.field_types("deal")
            deal = await crm.add("deal", {"TITLE": "Охрана труда", "OPPORTUNITY": 12500.5, "UF_CRM_HOURS": 72,
                                          "UF_CRM_START": "2026-12-01"}, idempotency_key="deal-1")
            contact = await crm.add("contact", {"NAME": "Мария", "LAST_NAME": "Кузнецова",
                                                "BIRTHDATE": "1990-04-05",
                                                "PHONE": [{"VALUE": "+7 912 000-11-22", "VALUE_TYPE": "MOBILE"}]},
                                    idempotency_key="contact-1")
            return await crm.get("deal", deal, types=types), await crm.get("contact", contact)

    deal, contact = run(scenario())
    assert deal["ID"] > 0 and deal["OPPORTUNITY"] == 12500.5 and deal["OPENED"] is True
    assert deal["UF_CRM_HOURS"] == 72 and deal["UF_CRM_START"] == date(2026, 12, 1)
    assert isinstance(deal["DATE_MODIFY"], datetime) and deal["DATE_MODIFY"].utcoffset() is not None
    assert deal["COMPANY_ID"] is None  # "0" on the wire means no company
    assert contact["BIRTHDATE"] == date(1990, 4, 5)  # the date, whatever the server's offset
    assert contact["PHONE"] == [Multifield(contact["PHONE"][0].id, "+7 912 000-11-22", "MOBILE")]


def test_listing_by_filter_and_by_ids_then_update_and_delete(box):
    ids = [box.state.crm.contacts.add({"NAME": f"Участник {index}", "LAST_NAME": "Петров" if index % 2 else "Орлов"},
                                      1) for index in range(120)]

    async def scenario():
        async with client_for(box) as client:
            crm = Crm(client)
            petrovs = [row["ID"] async for row in crm.iter("contact", filter={"LAST_NAME": "Петров"},
                                                           select=["ID", "LAST_NAME"])]
            chosen = [row["ID"] async for row in crm.by_ids("contact", ids[:7], select=["ID"])]
            await crm.update("contact", ids[0], {"POST": "Инженер"})
            await crm.delete("contact", ids[1])
            await crm.delete("contact", ids[1])  # a repeated delete finds it gone and is done
            return petrovs, chosen, await crm.get("contact", ids[0])

    petrovs, chosen, updated = run(scenario())
    assert petrovs == ids[1::2]
    assert sorted(chosen) == ids[:7]
    assert updated["POST"] == "Инженер" and updated["NAME"] == "Участник 0"
    assert box.state.crm.contacts.table.get(ids[1]) is None


def test_deal_contact_bindings(box):
    deal = box.state.crm.deals.add({"TITLE": "ДПО"}, 1)
    people = [box.state.crm.contacts.add({"NAME": name}, 1) for name in ("Ольга", "Пётр", "Ирина")]

    async def scenario():
        async with client_for(box) as client:
            crm = Crm(client)
            await crm.set_deal_contacts(deal, [DealContact(people[0], 10, True), DealContact(people[1], 20, False)])
            added = await crm.add_deal_contact(deal, people[2])
            again = await crm.add_deal_contact(deal, people[2])
            removed = await crm.remove_deal_contact(deal, people[0])
            return added, again, removed, await crm.deal_contacts(deal)

    added, again, removed, bound = run(scenario())
    assert (added, again, removed) == (True, False, True)
    assert [item.contact_id for item in bound] == [people[1], people[2]]
    assert [item.primary for item in bound] == [True, False]  # the next one was promoted


def test_people_are_found_by_phone_and_email_before_creating_them(box):
    found = box.state.crm.contacts.add({"NAME": "Анна", "PHONE": [{"VALUE": "8 (912) 345-67-89"}],
                                        "EMAIL": [{"VALUE": "Anna@Example.ru"}]}, 1)

    async def scenario():
        async with client_for(box) as client:
            crm = Crm(client)
            by_phone = await crm.contacts_by_communication("PHONE", ["+79123456789"])
            by_mail = await crm.contacts_by_communication("EMAIL", ["anna@example.ru"])
            nobody = await crm.contacts_by_communication("PHONE", ["+70000000000"])
            many = await crm.contacts_by_communication("EMAIL", [f"x{index}@example.ru" for index in range(45)])
            return by_phone, by_mail, nobody, many

    assert run(scenario()) == ([found], [found], [], [])


def test_a_missing_record_is_not_found(box):
    async def scenario():
        async with client_for(box) as client:
            await Crm(client).get("deal", 404)

    with pytest.raises(errors.NotFoundError):
        run(scenario())
