"""The lane, the bridge and the context against the demo sandbox: work on the lane, results on the GUI thread."""

from __future__ import annotations

import threading

from dpo_desktop.runtime.cpu import run_task


def test_lane_work_comes_back_on_the_gui_thread(qtbot, context):
    gui = threading.current_thread()
    seen = {}

    async def count_deals(ctx):
        seen["lane"] = threading.current_thread()
        params = {"filter": {"CATEGORY_ID": ctx.mapping.pipeline_id}, "select": ["ID"]}
        answer = await ctx.client.call("crm.deal.list", params)
        return answer.total

    def done(total):
        seen["done"] = (threading.current_thread(), total)

    with qtbot.waitSignal(context.bridge.finished, timeout=10_000):
        context.run(count_deals, done)
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["lane"] is not gui and seen["done"][0] is gui
    assert seen["done"][1] == len(context.reader.deals())


def test_a_failure_reaches_the_message_bridge(qtbot, context):
    async def broken(ctx):
        await ctx.client.call("crm.deal.get", {"id": 99999999})

    with qtbot.waitSignal(context.messages.message, timeout=10_000) as shown:
        context.run(broken)
    level, text = shown.args
    assert level == "error" and text


def test_store_writes_on_the_lane_are_announced_to_the_gui(qtbot, context):
    async def write(ctx):
        with ctx.store.write() as tx:
            tx.set_meta("probe", 1)

    with qtbot.waitSignal(context.bridge.store_changed, timeout=10_000,
                          check_params_cb=lambda table, keys: table == "meta") as changed:
        context.run(write)
    assert "probe" in changed.args[1]


def test_cpu_tasks_deliver_on_the_gui_thread(qtbot):
    gui = threading.current_thread()
    results = []
    run_task(lambda: threading.current_thread() is not gui, lambda result, error: results.append(
        (result, error, threading.current_thread() is gui)))
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [(True, None, True)]
