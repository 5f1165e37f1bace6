"""The benchmark table: figures recorded by benchmarks, merged run by run into ``docs/BENCHMARKS.md``."""

from __future__ import annotations

import json

from bench import report
from bench.figures import FIGURES_VARIABLE, record
from bench.targets import TARGETS


def _figures(path, monkeypatch, calls) -> list[dict]:
    monkeypatch.setenv(FIGURES_VARIABLE, str(path))
    for args, options in calls:
        record(*args, **options)
    return report.read_figures(path)


def test_nothing_is_written_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(FIGURES_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    record("sandbox.batch_median", "batch", 12.0, "ms", target=50)
    assert list(tmp_path.iterdir()) == []


def test_a_figure_is_judged_against_its_target_in_the_direction_it_should_go(tmp_path, monkeypatch):
    figures = _figures(tmp_path / "f.jsonl", monkeypatch, [
        (("ui.key_median", "keystroke", 50.0, "ms"), {"target": 50, "strict": True}),
        (("chaos.day_edits_lost", "edits lost", 0, ""), {"target": 0}),
        (("upload.ratio", "ratio", 0.69, ""), {"target": 0.7, "better": "higher"}),
        (("sync.quiet_requests", "quiet", 3, ""), {}),
    ])
    assert [figure["met"] for figure in figures] == [False, True, False, None]
    assert figures[0]["bench"] == "ui" and figures[0]["command"].startswith("python -m bench.ui")


def test_a_subset_run_replaces_its_sections_and_keeps_the_others(tmp_path, monkeypatch):
    first = _figures(tmp_path / "1.jsonl", monkeypatch, [
        (("frdo.total", "ФРДО", 8.5, "s"), {"target": 10, "strict": True}),
        (("ui.rss", "RSS", 450.0, "MB"), {"target": 500, "strict": True}),
    ])
    data = report.merge({"runs": {}, "figures": []}, first, ["frdo", "ui"])
    document = tmp_path / "BENCHMARKS.md"
    document.write_text(report.render(data), encoding="utf-8")

    second = _figures(tmp_path / "2.jsonl", monkeypatch, [(("frdo.total", "ФРДО", 12.0, "s"),
                                                           {"target": 10, "strict": True})])
    merged = report.merge(report.load_document(document), second, ["frdo"])
    values = {figure["key"]: figure["value"] for figure in merged["figures"]}
    assert values == {"frdo.total": 12.0, "ui.rss": 450.0}
    text = report.render(merged)
    assert "| ФРДО | 12 s | < 10 s | **NOT MET** |" in text
    assert "| RSS | 450 MB | < 500 MB | met |" in text
    closing = text.split("## Closing note", 1)[1]
    assert "**Not met:** ФРДО" in closing
    # Every target is in the table: by its figure when measured, else by its description.
    labels = {figure["key"]: figure["label"] for figure in merged["figures"]}
    assert all(f"| {labels.get(key, description)} |" in text for key, description in TARGETS.items())
    assert json.loads(report._DATA.search(text).group(1))["figures"] == merged["figures"]


def test_a_named_benchmark_that_recorded_nothing_keeps_its_old_figures_and_says_it_failed(tmp_path, monkeypatch):
    old = report.merge({"runs": {}, "figures": []}, _figures(tmp_path / "1.jsonl", monkeypatch, [
        (("frdo.total", "ФРДО", 8.5, "s"), {"target": 10, "strict": True})]), ["frdo"])
    merged = report.merge(old, [], ["frdo"])
    assert [figure["value"] for figure in merged["figures"]] == [8.5]
    assert "recorded no figures (it failed)" in report.render(merged)


def test_peers_are_shown_with_the_ratio_to_ours(tmp_path, monkeypatch):
    figures = _figures(tmp_path / "f.jsonl", monkeypatch, [
        (("pull.deals_seconds", "deals: wall time", 6.0, "s"), {"peers": {"b24pysdk": 12.0}})])
    assert "b24pysdk: 12 (ours/peer 0.50)" in report.render(report.merge({"runs": {}, "figures": []}, figures,
                                                                          ["pull"]))
