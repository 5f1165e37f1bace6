"""Editing a participant's issued document and its ФИС ФРДО data: through the outbox to the portal and
back by a fresh sync, other values untouched, never over someone else's change."""

from __future__ import annotations

import time
from datetime import date

import pytest

from dpo_desktop.b24.lists import Lists
from dpo_desktop.domain.frdo import FrdoIssue, FrdoProgramme, OriginalDocument
from dpo_desktop.sync.frdo_edit import KIND, IssuedEditError, edit_issued
from dpo_desktop.sync.push import Pusher

from .conftest import run


def _push(office):
    async def scenario():
        async with office.client() as client:
            return await Pusher(client, office.store, office.mapping).push()
    return run(scenario())


def _properties(office, element_id: int) -> dict:
    return dict(office.box.state.lists.iblocks[office.mapping.participants.iblock_id].elements.get(element_id)["P"])


def _an_issued_participant(office):
    return next(item for item in office.store.participants() if item.id is not None and item.issued.number
                and not item.issued.frdo.status)


def _as_duplicate(participant):
    original = OriginalDocument(kind=participant.issued.kind, series=participant.issued.series,
                                number=participant.issued.number,
                                registration_number=participant.issued.registration_number,
                                issue_date=participant.issued.issue_date, last_name="Громова", name="Анна")
    frdo = FrdoIssue(status="Дубликат", loss_proof="Справка из органов внутренних дел", original=original,
                     programme=FrdoProgramme(hours=72))
    return participant.issued.model_copy(update={"number": "9123456", "series": "",
                                                 "issue_date": date(2026, 10, 1), "frdo": frdo})


def test_an_issued_document_goes_to_the_portal_and_comes_back_by_a_fresh_sync(office):
    office.sync()
    participant = _an_issued_participant(office)
    before = _properties(office, participant.id)
    issued = _as_duplicate(participant)
    edit = edit_issued(office.store, participant.code, issued)
    assert office.store.participant_by_code(participant.code).issued == issued  # shown before it is pushed
    assert office.store.pending()[0].kind == KIND and edit.participant.issued == issued
    stats = _push(office)
    assert (stats.done, stats.conflicts, stats.messages) == (1, 0, [])
    assert office.store.participant_by_code(participant.code).issued == issued
    after = _properties(office, participant.id)
    touched = {int(office.mapping.participants.fields[name].code.removeprefix("PROPERTY_"))
               for name in ("issued_kind", "issued_series", "issued_number", "issued_reg_number", "issued_date",
                            "frdo")}
    assert {key: value for key, value in after.items() if key not in touched} == \
        {key: value for key, value in before.items() if key not in touched}
    fresh = office.fresh_store("again.sqlite3")
    try:
        again = fresh.participant_by_code(participant.code).issued
        assert again == issued and again.series == "" and again.frdo.programme.hours == 72
    finally:
        fresh.close()


def test_no_change_or_an_unknown_participant_is_refused_before_the_outbox(office):
    office.sync()
    participant = _an_issued_participant(office)
    with pytest.raises(IssuedEditError, match="не изменились"):
        edit_issued(office.store, participant.code, participant.issued)
    with pytest.raises(IssuedEditError, match="нет в кэше"):
        edit_issued(office.store, "p-1-2", participant.issued)
    assert office.store.pending_count() == 0


def test_a_participant_changed_on_the_portal_is_a_conflict_and_the_cache_shows_the_portal(office):
    office.sync()
    participant = _an_issued_participant(office)
    edit_issued(office.store, participant.code, _as_duplicate(participant))
    office.box.state.time_source = lambda: time.time() + 120  # someone edits it later on the portal
    participants = office.mapping.participants

    async def someone_else():
        async with office.client() as client:
            await Lists(client, participants.iblock_type).update_element(
                participants.iblock_id, participant.id, {participants.fields["issued_reg_number"].code: "ИСПР-1"})
    run(someone_else())
    stats = _push(office)
    assert stats.conflicts == 1 and "изменён на портале" in stats.messages[0]
    cached = office.store.participant_by_code(participant.code).issued
    assert cached.registration_number == "ИСПР-1" and cached.number == participant.issued.number
    assert cached.frdo == participant.issued.frdo
