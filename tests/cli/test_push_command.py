"""``dpo-desktop push`` in-process against the demo portal served on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from dpo_desktop.sandbox import seeds
from dpo_desktop.store import Store

from .harness import Cli, LoopbackPortal


@pytest.fixture
def office(cli: Cli) -> Iterator[LoopbackPortal]:
    """The demo office's portal, a profile «office» for it, and a synced cache.

    The profile's rate plan is off: a push of a whole stage copies hundreds of files, and at the standard
    plan's two requests a second the test would measure the limiter, not the push.
    """
    portal = LoopbackPortal(seeds.build("demo")).start()
    added = cli("profile", "add", "office", "--webhook-stdin", "--rate-plan", "off", stdin=f"{portal.webhook}\n")
    assert added.code == 0, added.err
    synced = cli("sync")
    assert synced.code == 0, synced.err
    yield portal
    portal.stop()


def a_participant(cli: Cli) -> tuple[int, int, str]:
    """(deal, contact, event code) of a participant with documents, from the command's own cache."""
    with Store.open(cli.cache()) as store:
        for participant in store.participants():
            if len(store.documents(deal_id=participant.deal_id, contact_id=participant.contact_id)) >= 4:
                return participant.deal_id, participant.contact_id, store.deal(participant.deal_id).event_code
    raise AssertionError("no participant with documents in the demo seed")


def live_names(portal: LoopbackPortal, folder_id: int) -> set[str]:
    return {item["NAME"] for item in portal.state.disk.live_children(folder_id)}


def test_a_participant_pushed_twice_copies_once_and_the_second_costs_two_requests(cli, office):
    deal_id, contact_id, _event = a_participant(cli)

    first = cli("push", "--deal", str(deal_id), "--contact", str(contact_id))
    assert first.code == 0, first.err
    assert first.err == "" and len(first.out.splitlines()) == 1
    line = first.json()
    (result,) = line["results"]
    assert (result["deal_id"], result["contact_id"], result["problems"]) == (deal_id, contact_id, [])
    assert line["totals"]["copied"] == len(result["copied"]) >= 4 and result["manifest_written"]
    assert set(result["copied"]) | {"Опись документов.txt"} <= live_names(office, result["folder_id"])
    assert result["link"].endswith(result["path"]) and not line["offline"]

    again = cli("push", "--deal", str(deal_id), "--contact", str(contact_id)).json()
    assert again["totals"]["copied"] == 0 and again["totals"]["manifests"] == 0
    assert again["totals"]["requests"] == 2 and sorted(again["results"][0]["skipped"]) == sorted(result["copied"])


def test_a_deal_and_an_event_push_every_participant(cli, office):
    deal_id, _contact_id, event = a_participant(cli)
    with Store.open(cli.cache()) as store:
        in_deal = {item.contact_id for item in store.participants(deal_id=deal_id)}
        in_event = {(deal.id, item.contact_id) for deal in store.deals(event_code=event)
                    for item in store.participants(deal_id=deal.id)}

    by_deal = cli("push", "--deal", str(deal_id))
    assert by_deal.code == 0, by_deal.err
    assert {result["contact_id"] for result in by_deal.json()["results"]} == in_deal

    by_event = cli("push", "--event", event.lower())
    assert by_event.code == 0, by_event.err
    results = by_event.json()["results"]
    assert {(result["deal_id"], result["contact_id"]) for result in results} == in_event
    assert all(result["copied"] == [] for result in results if result["deal_id"] == deal_id)


def test_the_automatic_push_for_a_scheduler(cli, office):
    deal_id, _contact_id, _event = a_participant(cli)
    with Store.open(cli.cache()) as store:
        stage = store.deal(deal_id).stage_id
        in_stage = {(deal.id, item.contact_id) for deal in store.deals(stage_id=stage)
                    for item in store.participants(deal_id=deal.id)}

    unset = cli("push", "--auto")
    assert unset.code == 0 and unset.json()["results"] == [] and "не настроена" in unset.err

    configured = cli("push", "--configure", "--template", "Архив/{event_code}/{full_name} [{contact_id}]",
                     "--auto-stage", stage)
    assert configured.code == 0, configured.err
    assert configured.json()["auto_stages"] == [stage]

    first = cli("push", "--auto")
    assert first.code == 0, first.err
    assert {(result["deal_id"], result["contact_id"]) for result in first.json()["results"]} == in_stage
    assert all(result["path"].startswith("Архив/") for result in first.json()["results"])
    again = cli("push", "--auto")
    assert again.code == 0 and again.json()["results"] == []


def test_configure_keeps_the_settings_in_the_profile(cli, office):
    changed = cli("push", "--configure", "--template", "Архив/{deal_id}", "--auto-on-complete",
                  "--bizproc-template", "7")
    assert changed.code == 0, changed.err
    saved = json.loads((cli.basedir / "config" / "profiles.json").read_text(encoding="utf-8"))
    push = saved["profiles"]["office"]["push"]
    assert (push["path_template"], push["auto_on_complete"], push["bizproc_template_id"]) == ("Архив/{deal_id}", True,
                                                                                              7)
    shown = cli("push", "--configure")
    assert shown.code == 0 and shown.json() == changed.json()
    cleared = cli("push", "--configure", "--no-auto-on-complete", "--bizproc-template", "none", "--auto-stage")
    assert (cleared.json()["auto_on_complete"], cleared.json()["bizproc_template_id"],
            cleared.json()["auto_stages"]) == (False, None, [])


@pytest.mark.parametrize(("args", "says"), [
    (["push", "--configure", "--template", "ДПО/{фамилия}"], "неизвестная подстановка"),
    (["push", "--configure", "--auto-stage", "C99:NOPE"], "C99:NOPE"),
    (["push", "--configure", "--bizproc-template", "первый"], "--bizproc-template"),
])
def test_bad_settings_are_usage_errors(cli, office, args, says):
    refused = cli(*args)
    assert refused.code == 2 and says in refused.err and refused.out == ""


@pytest.mark.parametrize("args", [
    ["push"],
    ["push", "--deal", "1", "--event", "ПК-1"],
    ["push", "--event", "ПК-1", "--contact", "5"],
    ["push", "--deal", "1", "--template", "А/{deal_id}"],
    ["push", "--auto", "--configure"],
])
def test_usage_errors(cli, args):
    refused = cli(*args)
    assert refused.code == 2 and refused.out == "" and refused.err


def test_a_deal_not_in_the_cache_fails_with_one_line(cli, office):
    missing = cli("push", "--deal", "999999")
    assert missing.code == 1 and len(missing.lines()) == 1 and "нет в кэше" in missing.err


def test_without_the_portal_the_push_fails_with_one_line(cli, office):
    deal_id, contact_id, _event = a_participant(cli)
    office.stop()
    offline = cli("push", "--deal", str(deal_id), "--contact", str(contact_id))
    assert offline.code == 1 and len(offline.lines()) == 1 and "Нет связи с порталом" in offline.err
    assert offline.json()["offline"] is True and offline.json()["results"] == []
