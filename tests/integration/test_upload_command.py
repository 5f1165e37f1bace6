"""``upload`` and ``queue`` through the command line against the demo portal on loopback."""

from __future__ import annotations

import pypdfium2

from dpo_desktop.store import Store
from tests.integration.portal_truth import PortalView
from tests.sync.scans_support import deal_with_people, make_scan


def people(cli):
    with Store.open(cli.cache()) as store:
        return deal_with_people(store)


def documents_on_portal(office) -> int:
    return len(PortalView(office.state).elements("dpo_documents"))


def test_upload_then_the_same_command_again_uploads_nothing(cli, office, tmp_path):
    assert cli("sync").code == 0
    deal = people(cli)
    person = deal.people[0]
    files = [str(make_scan(tmp_path / f"{person.last_name} паспорт {n}.pdf", seed=n)) for n in range(3)]
    before = documents_on_portal(office)
    first = cli("upload", "--deal", str(deal.deal_id), "--contact", str(person.id), "--type", "Паспорт", *files)
    assert first.code == 0, first.err
    line = first.json()
    assert (line["files"], line["done"], line["failed"]) == (3, 3, 0)
    assert {item["state"] for item in line["items"]} == {"done"}
    assert {item["type"] for item in line["items"]} == {"Паспорт"}
    assert documents_on_portal(office) == before + 3
    again = cli("upload", "--deal", str(deal.deal_id), "--contact", str(person.id), "--type", "passport", *files)
    assert again.code == 0, again.err
    assert again.json()["done"] == 0 and documents_on_portal(office) == before + 3
    assert cli("queue", "list").out.strip() == "Очередь загрузки пуста."


def test_what_cannot_be_placed_waits_in_the_queue_until_the_user_answers(cli, office, tmp_path):
    assert cli("sync").code == 0
    deal = people(cli)
    unknown = make_scan(tmp_path / "Scan_20240305_0001.pdf", seed=70)
    named = make_scan(tmp_path / f"{deal.people[1].last_name}_СНИЛС.pdf", seed=71)
    result = cli("upload", "--deal", str(deal.deal_id), str(unknown), str(named))
    assert result.code == 1 and len(result.lines()) == 1
    assert "требует внимания: 1" in result.err and "queue list" in result.err
    states = {item["name"]: item["state"] for item in result.json()["items"]}
    assert states == {unknown.name: "attention", named.name: "done"}
    listed = cli("queue", "list", "--json").json()
    assert [item["name"] for item in listed] == [unknown.name]
    retried = cli("queue", "retry", str(listed[0]["id"]), "--type", "Согласие на обработку ПД", "--contact",
                  str(deal.people[0].id))
    assert retried.code == 0, retried.err
    assert retried.json()["done"] == 1
    assert cli("queue", "list", "--json").json() == []


def test_duplicates_are_skipped_unless_kept(cli, office, tmp_path):
    assert cli("sync").code == 0
    deal = people(cli)
    person = deal.people[0]
    scan = make_scan(tmp_path / "диплом.pdf", seed=80)
    args = ["--deal", str(deal.deal_id), "--contact", str(person.id)]
    assert cli("upload", *args, "--type", "diploma", str(scan)).code == 0
    twin = tmp_path / "копия.pdf"
    twin.write_bytes(scan.read_bytes())
    skipped = cli("upload", *args, "--type", "application", str(twin))
    assert skipped.code == 0, skipped.err
    assert skipped.json()["items"][0]["state"] == "cancelled"
    kept = cli("upload", *args, "--type", "contract", "--keep-duplicates", str(twin))
    assert kept.code == 0 and kept.json()["done"] == 1


def test_usage_errors_and_failures_say_one_line(cli, office, tmp_path):
    scan = str(make_scan(tmp_path / "a.pdf", seed=90))
    empty_cache = cli("upload", "--deal", "1", scan)
    assert empty_cache.code == 1 and "sync" in empty_cache.err and len(empty_cache.lines()) == 1
    assert cli("sync").code == 0
    wrong_type = cli("upload", "--deal", "1", "--type", "Справка с работы", scan)
    assert wrong_type.code == 2 and "Паспорт" in wrong_type.err
    no_deal = cli("upload", "--deal", "999999", scan)
    assert no_deal.code == 1 and "999999" in no_deal.err
    assert cli("queue", "cancel").code == 2
    assert cli("queue", "retry", "4242").code == 2


def test_offline_the_files_wait_and_land_when_the_portal_is_back(cli, office, tmp_path):
    assert cli("sync").code == 0
    deal = people(cli)
    files = [str(make_scan(tmp_path / f"o{n}.pdf", seed=100 + n)) for n in range(2)]
    args = ["upload", "--deal", str(deal.deal_id), "--contact", str(deal.people[0].id), "--type", "other", *files]
    before = documents_on_portal(office)
    office.stop()
    offline = cli(*args)
    assert offline.code == 1 and "Нет связи" in offline.err and len(offline.lines()) == 1
    assert len(cli("queue", "list", "--json").json()) == 2
    office.start()
    back = cli(*args)
    assert back.code == 0, back.err
    assert back.json()["done"] == 2 and documents_on_portal(office) == before + 2


def test_merge_glues_phone_photos_into_one_pdf_document(cli, office, tmp_path):
    assert cli("sync").code == 0
    deal = people(cli)
    person = deal.people[0]
    pages = [str(make_scan(tmp_path / f"{person.last_name} паспорт стр {n}.jpg", seed=200 + n, kind="jpeg"))
             for n in (1, 2)]
    before = documents_on_portal(office)
    merged = cli("upload", "--deal", str(deal.deal_id), "--merge", *pages)
    assert merged.code == 0, merged.err
    (item,) = merged.json()["items"]
    assert (item["state"], item["type"], item["contact_id"]) == ("done", "Паспорт", person.id)
    assert item["name"].endswith(".pdf") and documents_on_portal(office) == before + 1
    landed = next(record for record in office.state.disk.objects.values()
                  if record["TYPE"] == "file" and record["NAME"].startswith(f"{person.id} Паспорт"))
    data = office.state.disk.read_bytes(landed["ID"])
    assert data.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(data)
    assert len(document) == 2
    document.close()
    bad = cli("upload", "--deal", str(deal.deal_id), "--merge", pages[0], str(tmp_path))
    assert bad.code == 1 and "Склеить" in bad.err and len(bad.lines()) == 1
