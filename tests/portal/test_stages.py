"""Stage plans: a new or unused pipeline is reshaped; one with deals only gets what it lacks."""

from __future__ import annotations

import pytest

from dpo_desktop.portal.stages import PortalStage, plan_stages

DEFAULTS = [("NEW", "Новая", "process", True), ("PREPARATION", "Подготовка документов", "process", False),
            ("PREPAYMENT_INVOICE", "Счёт на предоплату", "process", False), ("EXECUTING", "В работе", "process", False),
            ("FINAL_INVOICE", "Финальный счёт", "process", False), ("WON", "Сделка успешна", "success", True),
            ("LOSE", "Сделка провалена", "failure", True), ("APOLOGY", "Анализ причины провала", "failure", False)]


def stages(rows) -> list[PortalStage]:
    return [PortalStage(100 + index, f"C3:{suffix}", name, (index + 1) * 10, semantics, system)
            for index, (suffix, name, semantics, system) in enumerate(rows)]


def test_a_new_pipeline_is_reshaped_to_the_dpo_stages():
    plan = plan_stages(stages(DEFAULTS), reshape=True)

    assert [(stage.status_id, spec.title) for stage, spec in plan.renames] == [
        ("C3:NEW", "Заявка"), ("C3:PREPARATION", "Сбор документов"), ("C3:PREPAYMENT_INVOICE", "Обучение"),
        ("C3:EXECUTING", "Итоговая аттестация"), ("C3:WON", "Документы выданы"), ("C3:LOSE", "Отказ")]
    assert [stage.status_id for stage in plan.deletes] == ["C3:FINAL_INVOICE", "C3:APOLOGY"]
    assert plan.adds == []


def test_a_short_pipeline_gets_the_missing_stages_before_the_final_ones():
    short = stages([DEFAULTS[0], DEFAULTS[5], DEFAULTS[6]])  # NEW 10, WON 20, LOSE 30
    plan = plan_stages(short, reshape=True)

    assert [spec.title for _stage, spec in plan.renames] == ["Заявка", "Документы выданы", "Отказ"]
    assert [(add.name, add.sort, add.semantics) for add in plan.adds] == [
        ("Сбор документов", 11, "process"), ("Обучение", 12, "process"), ("Итоговая аттестация", 13, "process")]
    assert plan.deletes == []


def test_system_stages_are_never_deleted():
    extra = stages([*DEFAULTS[:5], ("UC_1", "Ещё", "process", True), *DEFAULTS[5:]])
    plan = plan_stages(extra, reshape=True)
    assert "C3:UC_1" not in [stage.status_id for stage in plan.deletes]


def test_reshaping_what_is_already_right_plans_nothing():
    done = [PortalStage(1, "C3:NEW", "Заявка", 10, "process", True, "#39A8EF"),
            PortalStage(2, "C3:A", "Сбор документов", 20, "process", False, "#2FC6F6"),
            PortalStage(3, "C3:B", "Обучение", 30, "process", False, "#47E4C2"),
            PortalStage(4, "C3:C", "Итоговая аттестация", 40, "process", False, "#FFA900"),
            PortalStage(5, "C3:WON", "Документы выданы", 50, "success", True, "#7BD500"),
            PortalStage(6, "C3:LOSE", "Отказ", 60, "failure", True, "#ff5752")]
    assert not plan_stages(done, reshape=True)
    assert not plan_stages(done, reshape=False)


@pytest.mark.parametrize(("rows", "added"), [
    (DEFAULTS, ["Заявка", "Сбор документов", "Обучение", "Итоговая аттестация", "Отказ"]),
    ([("NEW", "заявка", "process", True), ("X", "Обучение", "process", False), ("WON", "Успех", "success", True),
      ("LOSE", "Отказ", "failure", True)], ["Сбор документов", "Итоговая аттестация"]),
])
def test_a_pipeline_in_use_is_only_completed(rows, added):
    plan = plan_stages(stages(rows), reshape=False)

    assert plan.renames == [] and plan.deletes == []
    assert [add.name for add in plan.adds] == added  # never a second success stage
