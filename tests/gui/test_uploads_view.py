"""The upload queue screen against the demo sandbox: a queue made by add_files, states and reasons in Russian,
retry and cancel of the selected rows, totals and the ETA from the observed rate, and its place in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from dpo_desktop.domain.models import DocumentType
from dpo_desktop.sync.upload_queue import UploadRequest, add_files, prepare
from dpo_desktop.ui.gui import default_factories
from dpo_desktop.ui.main_window import MainWindow
from dpo_desktop.ui.models.uploads import DEAL, NAME, REASON, STATE, STATE_TITLES
from dpo_desktop.ui.views import uploads_view
from dpo_desktop.ui.views.queue_actions import uploader
from dpo_desktop.ui.views.uploads_view import RateMeter, UploadsView, eta_text, size_text, totals_of
from tests.sync.scans_support import make_scan

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def a_participant(context) -> tuple[int, int]:
    participant = next(item for item in context.reader.participants() if item.id is not None)
    return participant.deal_id, participant.contact_id


def queue(context, paths, *, upload: bool = True, doc_type: DocumentType | None = DocumentType.SNILS) -> list[int]:
    """The files queued for a participant of the demo office (and uploaded, with ``upload``), on the lane."""
    deal_id, contact_id = a_participant(context)
    request = UploadRequest(paths=list(paths), deal_id=deal_id, contact_id=contact_id, doc_type=doc_type,
                            duplicates="keep", batch="test")

    async def work(ctx):
        ids = add_files(ctx.store, request).ids
        if upload:
            await uploader(ctx).run(ids)
        return ids
    return context.lane.submit(work(context)).result(60)


def row_of(view: UploadsView, item_id: int) -> int:
    return next(row for row in range(view.model.rowCount()) if view.model.item(row).id == item_id)


def cell(view: UploadsView, item_id: int, column: int) -> str:
    return view.model.index(row_of(view, item_id), column).data()


@pytest.fixture
def view(qtbot, context):
    made = UploadsView(context)
    qtbot.addWidget(made)
    made.resize(900, 500)
    made.show()
    yield made
    made.detach()


def test_the_queue_shows_every_file_with_its_state_and_the_reason_of_a_failure(qtbot, qtmodeltester, view, context,
                                                                             tmp_path):
    good = make_scan(tmp_path / "СНИЛС Иванов.pdf", seed=7101)
    empty = tmp_path / "пустой.pdf"
    empty.write_bytes(b"")
    ids = queue(context, [good, empty])
    qtbot.waitUntil(lambda: view.model.rowCount() >= 2 and view.model.item_by_id(ids[1]) is not None
                    and view.model.item_by_id(ids[1]).state == "failed", timeout=10_000)
    assert cell(view, ids[0], NAME) == "СНИЛС Иванов.pdf"
    assert cell(view, ids[0], STATE) == STATE_TITLES["done"] == "загружен"
    assert cell(view, ids[1], STATE) == "ошибка"
    assert "пуст" in cell(view, ids[1], REASON).lower()
    deal = context.reader.deal(context.reader.upload(ids[0]).deal_id)
    assert cell(view, ids[0], DEAL) == deal.title  # the queue spans deals: each row names its own
    assert "Загружено 1 из 2" in view.summary.text() and "ждут решения: 1" in view.summary.text()
    assert view.progress.maximum() == 2 and view.progress.value() == 1
    qtmodeltester.check(view.model)
    fresh = UploadsView(context)  # a screen opened later reads the same queue from the cache
    qtbot.addWidget(fresh)
    assert {fresh.model.item(row).id for row in range(fresh.model.rowCount())} >= set(ids)
    fresh.detach()


def test_retry_sends_a_fixed_file_again_and_it_lands(qtbot, view, context, tmp_path):
    broken = tmp_path / "СНИЛС.pdf"
    broken.write_bytes("Это текст, а не PDF".encode())
    [item_id] = queue(context, [broken])
    qtbot.waitUntil(lambda: view.model.item_by_id(item_id) is not None
                    and view.model.item_by_id(item_id).state == "failed", timeout=10_000)
    assert not view.retry_button.isEnabled()  # nothing selected yet
    view.select_ids([item_id])
    assert view.retry_button.isEnabled() and view.cancel_button.isEnabled()
    make_scan(broken, seed=7202)  # the user fixed the file
    assert view.retry_selected() == [item_id]
    qtbot.waitUntil(lambda: view.model.item_by_id(item_id).state == "done", timeout=20_000)
    assert cell(view, item_id, STATE) == "загружен" and cell(view, item_id, REASON) == ""
    assert context.reader.upload(item_id).element_id is not None


def test_cancel_stops_the_selected_rows_only(qtbot, view, context, tmp_path):
    first, second = tmp_path / "договор.pdf", tmp_path / "заявление.pdf"
    for path in (first, second):
        path.write_bytes("не PDF".encode())
    ids = queue(context, [first, second])
    qtbot.waitUntil(lambda: all(view.model.item_by_id(item_id) is not None
                                and view.model.item_by_id(item_id).state == "failed" for item_id in ids),
                    timeout=10_000)
    view.select_ids([ids[0]])
    assert view.cancel_selected() == [ids[0]]
    qtbot.waitUntil(lambda: view.model.item_by_id(ids[0]).state == "cancelled", timeout=10_000)
    assert cell(view, ids[0], STATE) == "отменён"
    assert context.reader.upload(ids[1]).state == "failed"
    assert view.totals().files == len([row for row in view.items() if row.state != "cancelled"])


def test_the_eta_follows_the_rate_the_view_saw(qtbot, context, tmp_path):
    now = [100.0]
    view = UploadsView(context, clock=lambda: now[0])
    qtbot.addWidget(view)
    try:
        assert view.eta.text() == "осталось: ничего"
        first = make_scan(tmp_path / "СНИЛС 1.png", seed=7301, kind="png", size=300, noise=True)
        second = make_scan(tmp_path / "Паспорт 2.png", seed=7302, kind="png", size=300, noise=True)
        [landed] = queue(context, [first])
        [waiting] = queue(context, [second], upload=False, doc_type=DocumentType.PASSPORT)

        async def hash_only(ctx):
            return prepare(ctx.store, ctx.store.upload(waiting), ctx.mapping.documents)
        context.lane.submit(hash_only(context)).result(30)
        now[0] += 10.0  # ten seconds after the view first looked
        view.reload()
        done, left = context.reader.upload(landed).size, context.reader.upload(waiting).size
        assert done and left
        totals = view.totals()
        assert (totals.bytes_done, totals.bytes_left) == (done, left)
        assert view.meter.rate() == pytest.approx(done / 10.0)
        assert view.eta.text().endswith(eta_text(left, done / 10.0))
        assert view.eta.text().startswith(size_text(int(done / 10.0)) + "/с")
    finally:
        view.detach()


@pytest.mark.parametrize(("left", "rate", "expected"), [
    (0, None, "осталось: ничего"),
    (0, 100.0, "осталось: ничего"),
    (1000, None, "осталось: оценивается…"),
    (1000, 0.0, "осталось: оценивается…"),
    (5_000, 100.0, "осталось меньше минуты"),
    (60_000, 100.0, "осталось ≈ 10 мин"),
    (90_000, 1000.0, "осталось ≈ 2 мин"),
    (4_500_000, 1000.0, "осталось ≈ 1 ч 15 мин"),
])
def test_eta_text(left, rate, expected):
    assert eta_text(left, rate) == expected


@pytest.mark.parametrize(("size", "expected"), [
    (0, "0 Б"), (1023, "1023 Б"), (1024, "1,0 КБ"), (1536, "1,5 КБ"), (5 * 1024 ** 2, "5,0 МБ"),
    (3 * 1024 ** 3, "3,0 ГБ"),
])
def test_size_text(size, expected):
    assert size_text(size) == expected


@pytest.mark.parametrize(("samples", "expected"), [
    ([], None),
    ([(0.0, 0)], None),
    ([(0.0, 0), (4.0, 400)], 100.0),
    ([(0.0, 100), (2.0, 100)], None),  # nothing landed since: no rate yet
    ([(0.0, 500), (1.0, 0), (3.0, 300)], 150.0),  # the history was cleared: measured again from there
])
def test_rate_meter(samples, expected):
    moments = iter([moment for moment, _bytes in samples])
    meter = RateMeter(clock=lambda: next(moments))
    for _moment, landed in samples:
        meter.observe(landed)
    assert meter.rate() == expected


def test_totals_leave_cancelled_rows_out_and_count_waiting_ones(context, tmp_path):
    good = make_scan(tmp_path / "СНИЛС.pdf", seed=7401)
    bad = tmp_path / "скан.pdf"
    bad.write_bytes(b"")
    ids = queue(context, [good, bad])
    items = [context.reader.upload(item_id) for item_id in ids]
    totals = totals_of(items)
    assert (totals.files, totals.done, totals.waiting) == (2, 1, 1)
    assert totals.bytes_done == good.stat().st_size and totals.bytes_left == 0


def test_install_adds_the_queue_screen_behind_the_documents_menu(qtbot, context, tmp_path):
    window = MainWindow(context, *default_factories(),
                        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    try:
        uploads_view.install(window)
        menu = uploads_view.find_menu(window, "Документы")
        action = next(item for item in menu.actions() if item.text() == "Очередь загрузки")
        assert action.shortcut().toString() == "Ctrl+Shift+U"
        scan = make_scan(tmp_path / "СНИЛС.pdf", seed=7501)
        [item_id] = queue(context, [scan])
        action.trigger()
        assert window.stack.currentWidget() is window.uploads_view
        assert window.uploads_view.model.item_by_id(item_id) is not None
        assert window.actions.back.isEnabled()
        window.actions.back.trigger()
        assert window.stack.currentWidget() is window.browser
    finally:
        window.close()
    assert window.uploads_view._closed  # closing the window detached the screen from the bridge
