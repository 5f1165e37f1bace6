"""Legacy ``crm.deal.*``: strings for numbers and IDs, Y/N flags, ISO datetimes with the server's
offset, date-only fields as midnight UTC, pipelines and stages, what a write ignores."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dpo_desktop.sandbox.state import PortalState

from .portal_fixtures import Sandbox, make_sandbox

NOW = datetime(2026, 5, 14, 10, 26, 32, tzinfo=UTC).timestamp()  # 13:26:32 in Moscow


@pytest.fixture
def box() -> Sandbox:
    sandbox = make_sandbox()
    sandbox.state.time_source = lambda: NOW
    return sandbox


def test_add_answers_an_integer_and_get_answers_strings(box: Sandbox):
    deal_id = box.result("crm.deal.add", {"fields": {"TITLE": "Повышение квалификации", "OPPORTUNITY": 1000000,
                                                     "PROBABILITY": 40}})
    assert deal_id == 1 and isinstance(deal_id, int)
    deal = box.result("crm.deal.get", {"id": deal_id})
    assert deal["ID"] == "1" and deal["CATEGORY_ID"] == "0" and deal["ASSIGNED_BY_ID"] == "1"
    assert deal["OPPORTUNITY"] == "1000000.00" and deal["PROBABILITY"] == "40" and deal["CURRENCY_ID"] == "RUB"
    assert deal["LEAD_ID"] is None and deal["CONTACT_ID"] is None  # absent links are null
    assert deal["STAGE_ID"] == "NEW" and deal["STAGE_SEMANTIC_ID"] == "P"
    assert (deal["OPENED"], deal["CLOSED"], deal["IS_NEW"], deal["IS_RECURRING"]) == ("Y", "N", "Y", "N")
    assert deal["CREATED_BY_ID"] == deal["MODIFY_BY_ID"] == "1"


def test_datetimes_carry_the_servers_offset(box: Sandbox):
    box.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    deal = box.result("crm.deal.get", {"id": 1})
    assert deal["DATE_CREATE"] == deal["DATE_MODIFY"] == deal["MOVED_TIME"] == "2026-05-14T13:26:32+03:00"


def test_date_only_fields_are_midnight_utc_in_the_servers_offset(box: Sandbox):
    box.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    deal = box.result("crm.deal.get", {"id": 1})
    assert deal["BEGINDATE"] == "2026-05-14T03:00:00+03:00"  # today
    assert deal["CLOSEDATE"] == "2026-05-21T03:00:00+03:00"  # today + 7
    for given in ("11.11.1999", "1999-11-11", "1999-11-11T23:30:00+03:00", "1999-11-11 08:00:00"):
        box.result("crm.deal.update", {"id": 1, "fields": {"BEGINDATE": given}})
        assert box.result("crm.deal.get", {"id": 1})["BEGINDATE"] == "1999-11-11T03:00:00+03:00", given


def test_another_servers_offset():
    state = PortalState(offset_minutes=120)
    state.time_source = lambda: NOW
    box = make_sandbox(state)
    contact = box.result("crm.contact.add", {"fields": {"NAME": "Анна", "BIRTHDATE": "2001-11-11"}})
    record = box.result("crm.contact.get", {"id": contact})
    assert record["BIRTHDATE"] == "2001-11-11T02:00:00+02:00"  # the reference's own example
    assert record["DATE_CREATE"] == "2026-05-14T12:26:32+02:00"


def test_an_unreadable_or_impossible_date_leaves_the_field_empty(box: Sandbox):
    box.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    for given in ("31.02.2024", "soon", "0001-01-01", "0999-12-31", 12, {"a": 1}):
        box.result("crm.deal.update", {"id": 1, "fields": {"CLOSEDATE": given}})
        assert box.result("crm.deal.get", {"id": 1})["CLOSEDATE"] == "", given


@pytest.mark.parametrize(("given", "stored"), [("Y", "Y"), ("N", "N"), ("y", "Y"), (True, "Y"), (False, "N"),
                                               ("1", "Y"), (1, "Y"), ("0", "N"), ("True", "N"), ("yes", "N")])
def test_flags_are_y_or_n(box: Sandbox, given, stored: str):
    """(unconfirmed) only Y, 1 and true mean yes: fast_bitrix24's "True" does not (reference §16.7)."""
    box.result("crm.deal.add", {"fields": {"TITLE": "x", "OPENED": given}})
    assert box.result("crm.deal.get", {"id": 1})["OPENED"] == stored


@pytest.mark.parametrize(("given", "stored"), [(1500.5, "1500.50"), ("1500,5", "1500.50"), ("1e3", "1000.00"),
                                               ("", None), ("inf", None), ("много", None)])
def test_money_is_a_two_decimal_string(box: Sandbox, given, stored):
    box.result("crm.deal.add", {"fields": {"TITLE": "x", "OPPORTUNITY": given}})
    assert box.result("crm.deal.get", {"id": 1})["OPPORTUNITY"] == stored


def test_an_empty_title_gets_the_default(box: Sandbox):
    box.result("crm.deal.add", {"fields": {}})
    box.result("crm.deal.add", {"fields": {"TITLE": "  "}})
    assert [row["TITLE"] for row in box.result("crm.deal.list", {"select": ["TITLE"]})] == ["Сделка #1", "Сделка #2"]


def test_update_answers_true_and_moves_the_modification_stamp(box: Sandbox):
    box.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    box.state.time_source = lambda: NOW + 3600
    assert box.result("crm.deal.update", {"id": 1, "fields": {"TITLE": "y"}}) is True
    deal = box.result("crm.deal.get", {"id": 1})
    assert deal["TITLE"] == "y" and deal["DATE_MODIFY"] == "2026-05-14T14:26:32+03:00"
    assert deal["DATE_CREATE"] == "2026-05-14T13:26:32+03:00"


def test_read_only_and_unknown_fields_are_ignored(box: Sandbox):
    box.result("crm.deal.add", {"fields": {"TITLE": "x", "ID": 77, "DATE_CREATE": "2000-01-01T00:00:00+03:00",
                                           "CREATED_BY_ID": 5, "STAGE_SEMANTIC_ID": "S", "NOPE": 1}})
    deal = box.result("crm.deal.get", {"id": 1})
    assert deal["ID"] == "1" and deal["DATE_CREATE"].startswith("2026-05-14") and deal["CREATED_BY_ID"] == "1"
    assert deal["STAGE_SEMANTIC_ID"] == "P" and "NOPE" not in deal


def test_a_pipeline_decides_the_stages(box: Sandbox):
    category = box.state.crm.add_category("ДПО")
    deal = box.result("crm.deal.add", {"fields": {"TITLE": "x", "CATEGORY_ID": category}})
    assert box.result("crm.deal.get", {"id": deal})["STAGE_ID"] == f"C{category}:NEW"
    second = box.result("crm.deal.add", {"fields": {"TITLE": "y", "CATEGORY_ID": category,
                                                    "STAGE_ID": f"C{category}:PREPARATION"}})
    record = box.result("crm.deal.get", {"id": second})
    assert record["STAGE_ID"] == f"C{category}:PREPARATION" and record["IS_NEW"] == "N"


def test_a_stage_of_another_pipeline_is_silently_ignored_on_update(box: Sandbox):
    category = box.state.crm.add_category("ДПО")
    box.result("crm.deal.add", {"fields": {"TITLE": "x", "STAGE_ID": "EXECUTING"}})
    assert box.result("crm.deal.update", {"id": 1, "fields": {"STAGE_ID": f"C{category}:WON"}}) is True
    assert box.result("crm.deal.get", {"id": 1})["STAGE_ID"] == "EXECUTING"
    assert box.result("crm.deal.update", {"id": 1, "fields": {"STAGE_ID": "NO_SUCH"}}) is True
    assert box.result("crm.deal.get", {"id": 1})["STAGE_ID"] == "EXECUTING"


def test_a_final_stage_closes_the_deal(box: Sandbox):
    box.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    box.state.time_source = lambda: NOW + 60
    box.result("crm.deal.update", {"id": 1, "fields": {"STAGE_ID": "WON"}})
    deal = box.result("crm.deal.get", {"id": 1})
    assert (deal["STAGE_SEMANTIC_ID"], deal["CLOSED"], deal["IS_NEW"]) == ("S", "Y", "N")
    assert deal["MOVED_TIME"] == "2026-05-14T13:27:32+03:00"
    box.result("crm.deal.update", {"id": 1, "fields": {"STAGE_ID": "LOSE"}})
    assert box.result("crm.deal.get", {"id": 1})["STAGE_SEMANTIC_ID"] == "F"


def test_the_pipeline_cannot_change_through_crm_deal_update(box: Sandbox):
    category = box.state.crm.add_category("ДПО")
    box.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    assert box.result("crm.deal.update", {"id": 1, "fields": {"CATEGORY_ID": category,
                                                              "STAGE_ID": f"C{category}:NEW"}}) is True
    deal = box.result("crm.deal.get", {"id": 1})
    assert deal["CATEGORY_ID"] == "0" and deal["STAGE_ID"] == "NEW"
    fields = box.result("crm.deal.fields")
    assert fields["CATEGORY_ID"]["isImmutable"] is True and fields["ID"]["isReadOnly"] is True


def test_contact_ids_write_the_bindings_but_are_never_read(box: Sandbox):
    first = box.result("crm.contact.add", {"fields": {"NAME": "Иван"}})
    second = box.result("crm.contact.add", {"fields": {"NAME": "Пётр"}})
    deal = box.result("crm.deal.add", {"fields": {"TITLE": "x", "CONTACT_IDS": [second, first, 999]}})
    items = box.result("crm.deal.contact.items.get", {"id": deal})
    assert [(item["CONTACT_ID"], item["IS_PRIMARY"]) for item in items] == [(second, "Y"), (first, "N")]
    record = box.result("crm.deal.get", {"id": deal})
    assert "CONTACT_IDS" not in record and record["CONTACT_ID"] == str(second)
    rows = box.result("crm.deal.list", {"select": ["ID", "CONTACT_IDS", "CONTACT_ID"]})
    assert rows == [{"ID": str(deal), "CONTACT_ID": str(second)}]
    box.result("crm.deal.update", {"id": deal, "fields": {"CONTACT_IDS": [first]}})
    assert [item["CONTACT_ID"] for item in box.result("crm.deal.contact.items.get", {"id": deal})] == [first]


def test_delete_answers_true_and_the_deal_is_gone(box: Sandbox):
    box.result("crm.deal.add", {"fields": {"TITLE": "x"}})
    box.result("crm.deal.add", {"fields": {"TITLE": "y"}})
    assert box.result("crm.deal.delete", {"id": 1}) is True
    assert box.call("crm.deal.get", {"id": 1}).json()["error_description"] == "Not found"
    assert [row["ID"] for row in box.result("crm.deal.list", {"select": ["ID"]})] == ["2"]
    assert box.call("crm.deal.delete", {"id": 1}).status_code == 400


def test_get_returns_every_standard_field_and_every_user_field(box: Sandbox):
    box.state.crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "HOURS", "USER_TYPE_ID": "integer"})
    box.state.crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "TAGS", "USER_TYPE_ID": "string", "MULTIPLE": "Y"})
    box.result("crm.deal.add", {"fields": {"TITLE": "x", "UF_CRM_HOURS": "72", "UF_CRM_TAGS": ["a", "b"]}})
    deal = box.result("crm.deal.get", {"id": 1})
    standard = {code for code, field in box.result("crm.deal.fields").items()
                if not field["isMultiple"] and not field["isDynamic"]}
    assert standard <= set(deal)
    assert deal["UF_CRM_HOURS"] == "72" and deal["UF_CRM_TAGS"] == ["a", "b"]


def test_state_with_crm_data_survives_a_save_and_load(box: Sandbox, tmp_path):
    box.state.crm.add_userfield("CRM_DEAL", {"FIELD_NAME": "DAY", "USER_TYPE_ID": "date"})
    contact = box.result("crm.contact.add", {"fields": {"NAME": "Иван", "PHONE": [{"VALUE": "+79991234567"}]}})
    box.result("crm.deal.add", {"fields": {"TITLE": "x", "UF_CRM_DAY": "01.09.2026", "CONTACT_IDS": [contact]}})
    box.state.save(tmp_path / "portal.state")
    loaded = make_sandbox(PortalState.load(tmp_path / "portal.state"))
    assert loaded.result("crm.deal.get", {"id": 1}) == box.result("crm.deal.get", {"id": 1})
    found = loaded.result("crm.contact.list", {"filter": {"PHONE": "+79991234567"}, "select": ["ID"]})
    assert found == [{"ID": str(contact)}]
    assert loaded.result("crm.deal.list", {"filter": {">=UF_CRM_DAY": "2026-09-01"}, "select": ["ID"]}) == [{"ID": "1"}]
