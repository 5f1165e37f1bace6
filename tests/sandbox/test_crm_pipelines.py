"""Pipelines and stages: ``crm.category.*`` (camelCase, numbers), the legacy ``crm.dealcategory.*``
(``SORT`` an integer in stage lists), and ``crm.status.*`` (``C{N}:`` stage IDs)."""

from __future__ import annotations

from .portal_fixtures import Sandbox, make_sandbox


def test_a_fresh_portal_has_the_default_pipeline_only(sandbox: Sandbox):
    answer = sandbox.call("crm.category.list", {"entityTypeId": 2}).json()
    assert answer["result"] == {"categories": [{"id": 0, "name": "Общая", "sort": 100, "entityTypeId": 2,
                                                "isDefault": "Y"}]}
    assert answer["total"] == 1


def test_category_add_get_and_the_new_pipelines_stages(sandbox: Sandbox):
    added = sandbox.result("crm.category.add", {"entityTypeId": 2, "fields": {"name": "ДПО", "sort": 50}})
    category = added["category"]
    assert category == {"id": category["id"], "name": "ДПО", "sort": 50, "entityTypeId": 2, "isDefault": "N",
                        "originId": "", "originatorId": ""}
    assert isinstance(category["id"], int) and category["id"] > 0
    assert sandbox.result("crm.category.get", {"entityTypeId": 2, "id": category["id"]}) == {"category": category}
    listed = sandbox.result("crm.category.list", {"entityTypeId": "2"})["categories"]
    assert [item["id"] for item in listed] == [category["id"], 0]  # by sort
    stages = sandbox.result("crm.dealcategory.stage.list", {"id": category["id"]})
    prefix = f"C{category['id']}:"
    assert [stage["STATUS_ID"] for stage in stages][:2] == [f"{prefix}NEW", f"{prefix}PREPARATION"]
    assert {f"{prefix}WON", f"{prefix}LOSE"} <= {stage["STATUS_ID"] for stage in stages}
    assert all(set(stage) == {"NAME", "SORT", "STATUS_ID"} and isinstance(stage["SORT"], int) for stage in stages)


def test_stage_list_of_the_default_pipeline_and_of_an_unknown_one(sandbox: Sandbox):
    default = sandbox.result("crm.dealcategory.stage.list", {"id": 0})
    assert default[0] == {"NAME": "Новая", "SORT": 10, "STATUS_ID": "NEW"}
    assert sandbox.result("crm.dealcategory.stage.list") == default
    assert sandbox.result("crm.dealcategory.stage.list", {"id": ""}) == default
    assert sandbox.result("crm.dealcategory.stage.list", {"id": 42}) == []
    assert sandbox.result("crm.dealcategory.stage.list", {"id": "x"}) == default


def test_legacy_category_list_leaves_the_default_out(sandbox: Sandbox):
    """(unconfirmed) the default pipeline is served by crm.dealcategory.default.get."""
    sandbox.state.crm.add_category("ДПО")
    rows = sandbox.result("crm.dealcategory.list", {"select": ["ID", "NAME"]})
    assert rows == [{"ID": "1", "NAME": "ДПО"}]
    full = sandbox.result("crm.dealcategory.list")[0]
    assert set(full) == {"ID", "CREATED_DATE", "NAME", "IS_LOCKED", "SORT"} and full["SORT"] == "500"


def test_status_list_items_and_filters(sandbox: Sandbox):
    category = sandbox.state.crm.add_category("ДПО")
    stages = sandbox.result("crm.status.list", {"filter": {"ENTITY_ID": f"DEAL_STAGE_{category}"},
                                                "order": {"SORT": "ASC"}})
    first = stages[0]
    assert set(first) == {"ID", "ENTITY_ID", "STATUS_ID", "NAME", "NAME_INIT", "SORT", "SYSTEM", "CATEGORY_ID",
                          "COLOR", "SEMANTICS", "EXTRA"}
    assert first["STATUS_ID"] == f"C{category}:NEW" and first["SORT"] == "10" and first["SYSTEM"] == "Y"
    assert first["EXTRA"] == {"SEMANTICS": "process", "COLOR": first["COLOR"]} and first["SEMANTICS"] is None
    won = next(stage for stage in stages if stage["STATUS_ID"].endswith(":WON"))
    assert won["SEMANTICS"] == "S" and won["EXTRA"]["SEMANTICS"] == "success"
    default = sandbox.result("crm.status.list", {"filter": {"ENTITY_ID": "DEAL_STAGE"}})
    assert default[0]["STATUS_ID"] == "NEW" and default[0]["CATEGORY_ID"] is None
    sources = sandbox.result("crm.status.list", {"filter": {"ENTITY_ID": "SOURCE"}})
    assert "EXTRA" not in sources[0] and sources[0]["ID"].isdigit()


def test_status_add_prefixes_a_stage_of_a_pipeline(sandbox: Sandbox):
    category = sandbox.state.crm.add_category("ДПО")
    status_id = sandbox.result("crm.status.add", {"fields": {"ENTITY_ID": f"DEAL_STAGE_{category}",
                                                             "STATUS_ID": "DECISION", "NAME": "Решение", "SORT": 25}})
    assert isinstance(status_id, int)
    stages = sandbox.result("crm.dealcategory.stage.list", {"id": category})
    assert {"NAME": "Решение", "SORT": 25, "STATUS_ID": f"C{category}:DECISION"} in stages
    deal = sandbox.result("crm.deal.add", {"fields": {"CATEGORY_ID": category, "STAGE_ID": f"C{category}:DECISION"}})
    assert sandbox.result("crm.deal.get", {"id": deal})["STAGE_ID"] == f"C{category}:DECISION"
    twice = sandbox.call("crm.status.add", {"fields": {"ENTITY_ID": f"DEAL_STAGE_{category}", "STATUS_ID": "DECISION",
                                                       "NAME": "x"}})
    assert twice.status_code == 400


def test_pipeline_changes_are_for_administrators():
    box = make_sandbox(admin=False)
    assert box.call("crm.category.add", {"entityTypeId": 2, "fields": {"name": "x"}}).status_code == 403
    assert box.call("crm.status.add", {"fields": {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "X", "NAME": "x"}}) \
        .status_code == 403
    assert box.call("crm.category.list", {"entityTypeId": 2}).status_code == 200


def test_status_update_renames_and_delete_removes_unused_custom_stages(sandbox: Sandbox):
    category = sandbox.result("crm.category.add", {"entityTypeId": 2, "fields": {"name": "ДПО"}})["category"]["id"]
    stages = {item["STATUS_ID"]: item for item in sandbox.result("crm.status.list", {
        "filter": {"ENTITY_ID": f"DEAL_STAGE_{category}"}})}
    new = stages[f"C{category}:NEW"]
    assert sandbox.result("crm.status.update", {"id": new["ID"], "fields": {"NAME": "Заявка", "COLOR": "#00AAFF"}})
    renamed = sandbox.result("crm.dealcategory.stage.list", {"id": category})[0]
    assert renamed == {"NAME": "Заявка", "SORT": 10, "STATUS_ID": f"C{category}:NEW"}
    system = sandbox.call("crm.status.delete", {"id": new["ID"]})
    assert system.status_code == 400 and system.json()["error"] == ""
    executing = stages[f"C{category}:EXECUTING"]
    sandbox.result("crm.deal.add", {"fields": {"CATEGORY_ID": category, "STAGE_ID": executing["STATUS_ID"]}})
    assert sandbox.call("crm.status.delete", {"id": executing["ID"]}).status_code == 400  # a deal is in it
    assert sandbox.result("crm.status.delete", {"id": stages[f"C{category}:APOLOGY"]["ID"]}) is True
    left = {item["STATUS_ID"] for item in sandbox.result("crm.dealcategory.stage.list", {"id": category})}
    assert f"C{category}:APOLOGY" not in left and f"C{category}:EXECUTING" in left
    assert sandbox.call("crm.status.update", {"id": 999999, "fields": {"NAME": "x"}}).status_code == 400
