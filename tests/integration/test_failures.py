"""What goes wrong in an office, and what the command line does about it: bad input refused before
anything is touched, a portal without the schema, a revoked webhook, old and damaged caches — each with
one clear line, no traceback, and nothing lost on the portal."""

from __future__ import annotations

import pytest

from dpo_desktop.rules import load_rules
from dpo_desktop.sandbox import seeds
from dpo_desktop.store import Store
from tests.cli.harness import LoopbackPortal, add_profile
from tests.integration.portal_truth import PortalView, expected_missing, portal_records
from tests.store.test_migrations import write_v1


def a_deal(portal: LoopbackPortal) -> int:
    return min(PortalView(portal.state).deals())


def outbox(cli) -> list[str]:
    with Store.open(cli.cache()) as store:
        return [item.state for item in store.outbox_items()]


@pytest.mark.parametrize(("option", "value", "reason"), [
    ("--snils", "123-456-789 00", "СНИЛС 123-456-789 00: неверная контрольная сумма (должна быть 64)"),
    ("--snils", "123-456-78", "нужно 11 цифр"),
    ("--birth-date", "31.02.1990", "Дата «31.02.1990»: такой даты нет"),
    ("--birth-date", "1990/02/01", "нужна в виде ДД.ММ.ГГГГ"),
    ("--birth-date", "01.01.2099", "ещё не наступила"),
    ("--email", "ivanov@@mail.ru", "нужен ровно один знак @"),
    ("--email", "ivanov@mail", "в домене нет точки"),
    ("--phone", "8 (012) 345-67-89", "не может начинаться с 0"),
    ("--phone", "12345", "нужно 10 цифр"),
    ("--last-name", "Иванoв", "смешаны русские и латинские буквы"),
])
def test_bad_person_data_is_refused_and_nothing_is_queued(cli, office, option, value, reason):
    assert cli("sync").code == 0
    before = portal_records(office.state)
    person = {"--last-name": "Иванов", "--name": "Пётр", "--snils": "112-233-445 95", "--birth-date": "01.02.1990",
              "--email": "ivanov@mail.ru", "--phone": "+7 912 345-67-89", option: value}
    refused = cli("participants", "add", "--deal", str(a_deal(office)), *(item for pair in person.items()
                                                                          for item in pair))
    assert refused.code == 2 and refused.out == ""
    assert refused.lines() == [f"dpo-desktop: {refused.err.strip().removeprefix('dpo-desktop: ')}"]
    assert reason in refused.err
    assert outbox(cli) == []
    assert portal_records(office.state) == before


@pytest.mark.parametrize(("arguments", "reason"), [
    (["--contact", "5", "--last-name", "Иванов"], "либо --contact, либо данные человека"),
    (["--name", "Пётр"], "хотя бы --last-name и --name"),
])
def test_a_contact_or_a_person_but_not_both(cli, office, arguments, reason):
    assert cli("sync").code == 0
    refused = cli("participants", "add", "--deal", str(a_deal(office)), *arguments)
    assert refused.code == 2 and reason in refused.err
    assert outbox(cli) == []


def without_lists():
    state = seeds.build("demo")
    for code in ("dpo_participants", "dpo_documents"):
        del state.lists.iblocks[state.lists.find_list(code)]
    return state


@pytest.mark.parametrize(("build", "reasons"), [
    (seeds.build_empty, ["На портале нет воронки сделок «ДПО»"]),
    (without_lists, ["На портале нет списка «Участники» (код dpo_participants)",
                     "На портале нет списка «Документы участника» (код dpo_documents)"]),
])
def test_a_portal_without_the_pipeline_or_the_lists_is_named_not_synced(cli, build, reasons):
    portal = LoopbackPortal(build()).start()
    try:
        add_profile(cli, portal)
        before = portal_records(portal.state)
        for command in (["sync"], ["portal", "check"]):
            failed = cli(*command)
            assert failed.code == 1 and len(failed.lines()) == 1, failed.err
            assert all(reason in failed.err for reason in reasons), failed.err
            assert "dpo-desktop portal check" in failed.err and "Traceback" not in failed.err
        assert cli("sync").out == ""
        assert portal_records(portal.state) == before
        assert cli("profile", "list", "--json").json()[0]["mapping"] is False
    finally:
        portal.stop()


def test_a_revoked_webhook_stops_with_one_line_and_every_edit_kept(cli, office):
    assert cli("sync").code == 0
    deal_id = a_deal(office)
    queued = cli("participants", "add", "--deal", str(deal_id), "--last-name", "Лаптева", "--name", "Нина",
                 "--offline")
    assert queued.code == 0 and queued.json()["state"] == "queued" and queued.err == ""
    office.state.revoke_webhook(office.code)
    before = portal_records(office.state)

    refused = cli("sync")
    assert refused.code == 1 and refused.out == "" and len(refused.lines()) == 1
    assert refused.err.startswith(f"dpo-desktop: Вебхук не принят порталом http://127.0.0.1:{office.port}")
    assert "dpo-desktop profile add office --webhook-stdin" in refused.err
    assert office.code not in refused.err

    pushed_now = cli("participants", "add", "--deal", str(deal_id), "--last-name", "Жукова", "--name", "Ия")
    assert pushed_now.code == 1 and len(pushed_now.lines()) == 1 and "Вебхук не принят" in pushed_now.err
    assert pushed_now.json()["state"] == "waiting"
    assert outbox(cli) == ["pending", "pending"]
    assert portal_records(office.state) == before
    assert cli("missing", "--deal", str(deal_id), "--format", "json").code == 0  # the cache still serves

    renewed = cli("profile", "add", "office", "--webhook-stdin", stdin=office.new_webhook())
    assert renewed.code == 0
    back = cli("sync")
    assert back.code == 0, back.err
    assert (back.json()["pushed"], back.json()["pending"]) == (2, 0)
    names = {record["LAST_NAME"] for record in office.state.crm.contacts.table.values()}
    assert {"Лаптева", "Жукова"} <= names


def test_a_cache_of_an_older_schema_is_migrated_silently_with_a_backup(cli, office):
    write_v1(cli.cache())
    synced = cli("sync")
    assert synced.code == 0 and synced.err == ""
    assert synced.json()["mode"] == "full"
    # The copy made before migrating is plain: it is removed once the values are sealed (152-ФЗ).
    assert not cli.cache().with_name("cache.sqlite3.v1.bak").exists()
    report = cli("missing", "--format", "json")
    assert report.json() == expected_missing(office.state, load_rules().rules)
    assert 101 not in {row["deal_id"] for row in report.json()}  # the old file's deal is not the portal's


def test_a_damaged_cache_is_moved_aside_and_rebuilt_by_a_full_sync(cli, office):
    assert cli("sync").code == 0
    before = portal_records(office.state)
    cli.cache().write_bytes(b"this is not a database " * 200)

    report = cli("missing", "--format", "json")
    assert report.code == 1 and report.out == ""
    assert "был повреждён" in report.err and "выполните «dpo-desktop sync»" in report.err
    assert len(list(cli.cache().parent.glob("cache.sqlite3.corrupt-*"))) == 1

    cli.cache().write_bytes(b"damaged again " * 300)
    synced = cli("sync")
    assert synced.code == 0
    assert len(synced.lines()) == 1 and "Файл кэша cache.sqlite3 был повреждён" in synced.err
    assert "полной синхронизацией" in synced.err
    assert synced.json()["mode"] == "full"
    aside = sorted(cli.cache().parent.glob("cache.sqlite3.corrupt-*"))
    assert len(aside) == 2 and aside[-1].read_bytes().startswith(b"damaged again")
    assert cli("missing", "--format", "json").json() == expected_missing(office.state, load_rules().rules)
    assert portal_records(office.state) == before
