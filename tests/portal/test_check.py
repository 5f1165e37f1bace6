"""The ``portal check`` report: plain words for a person, a dict for ``--json``, never the webhook."""

from __future__ import annotations

import json

from dpo_desktop.portal.check import CheckReport, check

from .conftest import run, with_client


def test_report_of_a_complete_portal(demo_box):
    report: CheckReport = run(with_client(demo_box, check))

    text = report.text()
    assert report.complete
    assert text.splitlines()[0] == "Портал https://sandbox.bitrix24.test"
    assert "✓ Воронка «ДПО»: ID 7 (по названию)" in text
    assert "✓ Поле «Тип документа» списка «Документы участника»" in text
    assert text.splitlines()[-1] == "Итог: схема ДПО на портале найдена полностью."
    data = report.as_dict()
    assert data["complete"] is True and data["problems"] == []
    assert data["mapping"]["pipeline_id"] == 7
    assert data["summary"] == {"complete": True, "found": len(data["found"]), "problems": 0, "blocking": 0,
                               "fixable": 0, "requests": 2}
    code = demo_box.webhook.rstrip("/").rsplit("/", 1)[1]
    assert code not in text and code not in json.dumps(data, ensure_ascii=False)


def test_report_of_a_bare_portal_says_what_is_missing_and_what_fixes_it(empty_box):
    report = run(with_client(empty_box, check))

    lines = report.text().splitlines()
    assert not report.complete
    assert "Не хватает (без этого программа не может работать с порталом):" in lines
    assert "Замечания:" in lines
    assert any(line.startswith("  ✗ На портале нет воронки сделок «ДПО»") for line in lines)
    assert any(line.startswith("  ! На общем диске нет папки «ДПО»") for line in lines)
    assert lines[-1] == ("Итог: схема ДПО на портале неполная, проблем: 22. "
                         "«dpo-desktop portal provision» исправит 22 из 22.")
    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    assert data["mapping"] is None
    assert {problem["key"] for problem in data["problems"] if not problem["blocking"]} == {"archive"}
    assert all(problem["fixable"] for problem in data["problems"])
