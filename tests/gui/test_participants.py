"""The «Участники» tab driven through its widgets against the demo sandbox: what the user sees, and what
reaches the portal."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QDialogButtonBox

from dpo_desktop.app import build_context, close_context
from dpo_desktop.b24.client import RetryPolicy
from dpo_desktop.domain.models import participant_code
from dpo_desktop.profiles import Profile
from dpo_desktop.sandbox.transport import SandboxTransport
from dpo_desktop.secrets import MemorySecretStore, webhook_key
from dpo_desktop.sync.engine import SyncEngine
from dpo_desktop.ui.dialogs.paste_people import parse_people
from dpo_desktop.ui.models.participants import PENDING, ParticipantsModel, load_rows, shown_snils
from dpo_desktop.ui.views.participants import ParticipantsView
from tests.gui.helpers import drop_files, type_text
from tests.sync.conftest import discovered

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen's harmless note on shown windows

SNILS_OK = "112-233-445 95"
SNILS_BAD = "112-233-445 96"


def portal_codes(sandbox) -> set[str]:
    lists = sandbox.state.lists
    iblock = next(block for block in lists.iblocks.values() if block.code == "dpo_participants")
    return {lists.element(iblock.id, element_id)["CODE"] for element_id in iblock.elements.ids()}


def busiest_deal(context) -> int:
    deals = context.reader.deals()
    return max(deals, key=lambda deal: len(context.reader.participants(deal_id=deal.id))).id


def free_contact(context, deal_id: int):
    taken = {participant.contact_id for participant in context.reader.participants(deal_id=deal_id)}
    contacts = context.reader.contacts(context.reader.ids("contacts"))
    return next(contact for contact in contacts if contact.id not in taken and contact.last_name)


@pytest.fixture
def view(qtbot, context) -> Iterator[ParticipantsView]:
    made = ParticipantsView(context)
    qtbot.addWidget(made)
    made.show()
    made.show_deal(busiest_deal(context))
    yield made
    made.detach()


def snapshots(model: ParticipantsModel) -> list[dict[int, bool]]:
    """Every state the table was reset to: contact ID -> pending mark."""
    seen: list[dict[int, bool]] = []
    model.modelReset.connect(lambda: seen.append({row.contact_id: row.pending for row in model.rows()}))
    return seen


def test_participants_model_passes_the_model_tester(qtmodeltester, context):
    deal = context.reader.deal(busiest_deal(context))
    model = ParticipantsModel()
    model.set_rows(load_rows(context.reader, deal, context.rules))
    assert model.rowCount() == len(context.reader.participants(deal_id=deal.id)) > 0
    qtmodeltester.check(model, force_py=True)


def test_an_existing_contact_is_found_added_marked_and_pushed(qtbot, view, context, sandbox):
    contact = free_contact(context, view.deal_id)
    seen = snapshots(view.model)
    type_text(view.search.edit, contact.last_name + " " + contact.name)
    qtbot.waitUntil(lambda: view.search.results.count() > 0, timeout=3000)
    item = next(view.search.results.item(row) for row in range(view.search.results.count())
                if view.search.results.item(row).data(Qt.ItemDataRole.UserRole) == contact.id)
    assert contact.full_name in item.text()
    view.search.results.setCurrentItem(item)
    qtbot.mouseClick(view.search.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(state.get(contact.id) is True for state in seen), timeout=10_000)
    code = participant_code(view.deal_id, contact.id)
    qtbot.waitUntil(lambda: code in portal_codes(sandbox), timeout=10_000)
    qtbot.waitUntil(lambda: seen and seen[-1].get(contact.id) is False, timeout=10_000)
    row = view.model.position_of(contact.id)
    assert view.model.index(row, 6).data() == ""
    assert context.reader.pending_count() == 0


def test_search_flags_a_look_alike_contact(qtbot, view, context, sandbox):
    original = free_contact(context, view.deal_id)

    type_text(view.search.edit, original.last_name)
    qtbot.waitUntil(lambda: view.search.results.count() > 0, timeout=3000)
    texts = [view.search.results.item(row).text() for row in range(view.search.results.count())]
    assert not any("похожий контакт уже есть" in text for text in texts)

    async def twin(ctx):  # the same person entered twice in the CRM, as the cache now knows
        with ctx.store.write() as tx:
            tx.upsert_contacts([original.model_copy(update={"id": 990001, "phones": (), "emails": ()})])

    context.lane.submit(twin(context)).result(30)
    view.search.edit.clear()
    type_text(view.search.edit, original.last_name)

    def flagged() -> int:
        return sum("похожий контакт уже есть" in view.search.results.item(row).text()
                   for row in range(view.search.results.count()))

    qtbot.waitUntil(lambda: flagged() == 2, timeout=3000)  # the original and its twin, each pointing at the other


def test_a_new_contact_form_shows_the_reason_at_the_field_and_holds_ok(qtbot, view, context, sandbox):
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    form = view.dialog
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    type_text(form.fields["last_name"].edit, "Журавлёва")
    type_text(form.fields["name"].edit, "Алёна")
    type_text(form.fields["birth_date"].edit, "12.04.1990")
    type_text(form.fields["snils"].edit, SNILS_BAD)
    snils = form.fields["snils"]
    assert "контрольная сумма" in snils.reason_text() and snils.reason.isVisible()
    assert not ok.isEnabled()
    snils.edit.clear()
    type_text(snils.edit, SNILS_OK)
    assert snils.reason_text() == "" and not snils.reason.isVisible()
    assert ok.isEnabled()
    before = len(sandbox.state.crm.contacts.table)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(sandbox.state.crm.contacts.table) == before + 1, timeout=10_000)
    qtbot.waitUntil(lambda: context.reader.pending_count() == 0, timeout=10_000)
    created = max(sandbox.state.crm.contacts.table.values(), key=lambda row: int(row["ID"]))
    assert created["LAST_NAME"] == "Журавлёва"
    assert created[context.mapping.contact_field("snils").code] == SNILS_OK
    assert participant_code(view.deal_id, int(created["ID"])) in portal_codes(sandbox)


@pytest.mark.parametrize(("text", "expected"), [
    ("Фамилия\tИмя\tОтчество\tДата рождения\tТелефон\tE-mail\tСНИЛС\n"
     f"Орлов\tПётр\tИванович\t01.02.1980\t8 912 345-67-89\torlov@mail.ru\t{SNILS_OK}",
     [("Орлов", "Пётр", "+79123456789", "orlov@mail.ru", SNILS_OK)]),
    ("СНИЛС\tИмя\tФамилия\n" f"{SNILS_OK}\tПётр\tОрлов", [("Орлов", "Пётр", None, None, SNILS_OK)]),
    (f"orlov@mail.ru\tОрлов\tПётр\t{SNILS_OK}\t+7 912 345 67 89",
     [("Орлов", "Пётр", "+79123456789", "orlov@mail.ru", SNILS_OK)]),
    ("Орлов\tПётр\nСидорова\t\n", [("Орлов", "Пётр", None, None, None), None]),
    ("", []),
])
def test_pasted_columns_are_recognised(text, expected):
    got = []
    for row in parse_people(text):
        person = row.person
        got.append(None if person is None else (
            person.last_name, person.name, person.phones[0] if person.phones else None,
            person.emails[0] if person.emails else None, dict(person.extra).get("snils")))
    assert got == expected


def test_paste_three_rows_one_bad_adds_two(qtbot, view, context, sandbox):
    text = ("Фамилия\tИмя\tДата рождения\tСНИЛС\n"
            f"Киселёв\tАнтон\t03.03.1985\t{SNILS_OK}\n"
            f"Белова\tИрина\t04.04.1992\t{SNILS_BAD}\n"
            "Гусев\tОлег\t05.05.1979\t\n")
    before = len(view.model.rows())
    view.paste_people(text)
    dialog = view.dialog
    assert dialog.summary.text() == "Можно добавить: 2 из 3"
    assert "контрольная сумма" in dialog.table.item(1, 7).text()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(view.model.rows()) == before + 2, timeout=10_000)
    qtbot.waitUntil(lambda: context.reader.pending_count() == 0, timeout=10_000)
    names = {row["LAST_NAME"] for row in sandbox.state.crm.contacts.table.values()}
    assert {"Киселёв", "Гусев"} <= names and "Белова" not in names


def test_remove_then_undo_keeps_the_participant_on_the_portal(qtbot, view, context, sandbox):
    row = view.model.row_at(0)
    code = participant_code(view.deal_id, row.contact_id)
    before = len(view.model.rows())
    view.table.selectRow(0)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(view.model.rows()) == before - 1, timeout=10_000)
    assert context.reader.pending_count() == 1 and view.undo_button.isEnabled()
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(view.model.rows()) == before, timeout=10_000)
    assert context.reader.pending_count() == 0 and not view.undo_button.isEnabled()
    view.push()  # nothing is left to send: the portal still has the participant
    qtbot.wait(200)
    assert code in portal_codes(sandbox)


def test_editing_snils_reaches_the_portal(qtbot, view, context, sandbox):
    view.table.selectRow(0)
    contact_id = view.current_contact_id()
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    dialog.fields["snils"].edit.clear()
    type_text(dialog.fields["snils"].edit, "112 233 445 9")
    assert not dialog.ok_button.isEnabled()
    type_text(dialog.fields["snils"].edit, "5")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    code = context.mapping.contact_field("snils").code
    qtbot.waitUntil(lambda: sandbox.state.crm.contacts.table.get(contact_id)[code] == SNILS_OK, timeout=10_000)
    qtbot.waitUntil(lambda: view.model.index(0, 2).data() == SNILS_OK, timeout=10_000)


def test_files_dropped_on_a_row_name_its_person(qtbot, view, tmp_path):
    scan = tmp_path / "Паспорт.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    rect = view.table.visualRect(view.model.index(0, 0))
    with qtbot.waitSignal(view.files_dropped, timeout=3000) as dropped:
        assert drop_files(view.table.viewport(), [scan], at=QPointF(rect.center()))
    assert dropped.args == [view.model.row_at(0).contact_id, [str(scan)]]


class Unreachable(httpx.AsyncBaseTransport):
    """The sandbox until ``online`` is switched off; then every request fails to connect."""

    def __init__(self, inner: SandboxTransport) -> None:
        self.inner, self.online = inner, True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.online:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def flaky(qapp, sandbox) -> Iterator[tuple]:
    secrets = MemorySecretStore()
    profile = Profile(name="office", portal=sandbox.webhook, mapping=discovered(sandbox), rate_plan="off")
    secrets.set(webhook_key(profile.name), sandbox.webhook)
    transport = Unreachable(SandboxTransport(sandbox.portal))
    made = build_context(profile, secrets, transport=transport,
                         retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002))

    async def full(ctx):
        return await SyncEngine(ctx.client, ctx.store, ctx.mapping).sync(full=True)

    made.lane.submit(full(made)).result(120)
    yield made, transport
    close_context(made)


def test_connection_lost_mid_action_leaves_the_change_waiting_and_marked(qtbot, flaky, sandbox):
    context, transport = flaky
    view = ParticipantsView(context)
    qtbot.addWidget(view)
    view.show_deal(busiest_deal(context))
    contact = free_contact(context, view.deal_id)
    transport.online = False
    try:
        with qtbot.waitSignal(context.messages.message, timeout=10_000,
                              check_params_cb=lambda level, text: level == "warning") as shown:
            view.add_contact(contact.id)
        assert "ждут отправки" in shown.args[1]
        position = view.model.position_of(contact.id)
        assert view.model.index(position, 6).data() == PENDING
        assert context.reader.pending_count() == 1
        assert participant_code(view.deal_id, contact.id) not in portal_codes(sandbox)
    finally:
        view.detach()


@pytest.mark.parametrize(("stored", "shown"), [("11223344595", "112-233-445 95"), ("112-233-445 95", "112-233-445 95"),
                                               ("112 233 445 95", "112-233-445 95"), ("", ""), ("12345", "12345")])
def test_snils_is_shown_one_way_whatever_the_portal_keeps(stored, shown):
    assert shown_snils(stored) == shown
