"""Seeds are deterministic: two builds — even in another process with another hash seed — read the same."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from dpo_desktop.sandbox.seeds import build
from dpo_desktop.sandbox.seeds.large import build_large

from .portal_fixtures import Sandbox, make_sandbox
from .test_seeds_demo import fetch_all

ROOT = Path(__file__).resolve().parents[2]
# Values that are not data: signed links carry the moment they were made.
VOLATILE = ("DOWNLOAD_URL",)


def _clean(value):
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def portal_fingerprint(box: Sandbox) -> str:
    """A digest of everything the app can read: CRM, schema, both lists and the drive tree."""
    ordered = {"order": {"ID": "ASC"}}
    data: dict[str, object] = {
        "categories": box.result("crm.category.list", {"entityTypeId": 2}),
        "statuses": box.result("crm.status.list", {}),
        "deal_fields": box.result("crm.deal.userfield.list", {"filter": {"LANG": "ru"}}),
        "contact_fields": box.result("crm.contact.userfield.list", {"filter": {"LANG": "ru"}}),
        "deals": fetch_all(box, "crm.deal.list", {**ordered, "select": ["*", "UF_*"]}),
        "contacts": fetch_all(box, "crm.contact.list", {**ordered, "select": ["*", "UF_*", "PHONE", "EMAIL"]}),
        "companies": fetch_all(box, "crm.company.list", {**ordered, "select": ["*", "PHONE", "EMAIL"]}),
        "templates": box.result("bizproc.workflow.template.list", {"SELECT": ["ID", "NAME", "ENTITY", "MODIFIED"]}),
    }
    data["bindings"] = [box.result("crm.deal.contact.items.get", {"id": deal["ID"]}) for deal in data["deals"]]
    for code in ("dpo_participants", "dpo_documents"):
        ids = {"IBLOCK_TYPE_ID": "lists", "IBLOCK_CODE": code}
        data[f"{code}_fields"] = box.result("lists.field.get", ids)
        data[code] = fetch_all(box, "lists.element.get", {**ids, "ELEMENT_ORDER": {"ID": "ASC"}})
    common = box.result("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})[0]
    tree, pending = [], [("storage", common["ID"])]
    while pending:
        kind, object_id = pending.pop()
        method = "disk.storage.getchildren" if kind == "storage" else "disk.folder.getchildren"
        for child in fetch_all(box, method, {"id": object_id}):
            tree.append(child)
            if child["TYPE"] == "folder":
                pending.append(("folder", child["ID"]))
    data["drive"] = sorted(tree, key=lambda item: int(item["ID"]))
    text = json.dumps(_clean(data), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def fresh_demo_fingerprint() -> str:
    """Run in a child process: a demo built from scratch, read over REST."""
    from dpo_desktop.sandbox.seeds.demo import build_demo

    box = make_sandbox(build_demo())
    try:
        return portal_fingerprint(box)
    finally:
        box.client.close()


def test_demo_is_the_same_in_another_process():
    environment = {**os.environ, "PYTHONHASHSEED": "4242", "QT_QPA_PLATFORM": "offscreen"}
    script = "from tests.sandbox.test_seeds_determinism import fresh_demo_fingerprint as f; print(f())"
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    box = make_sandbox(build("demo"))
    try:
        here = portal_fingerprint(box)
    finally:
        box.client.close()
    output, errors = child.communicate(timeout=240)
    assert child.returncode == 0, errors
    assert output.strip() == here


def test_large_builds_repeat_exactly():
    prints = []
    for _ in range(2):
        box = make_sandbox(build_large(scale=0.005))
        try:
            prints.append(portal_fingerprint(box))
        finally:
            box.client.close()
    assert prints[0] == prints[1]
