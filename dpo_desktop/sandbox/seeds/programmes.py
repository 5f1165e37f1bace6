"""ДПО programmes and their runs (events): code, name, type ПК/ПП, hours, dates.

Hours respect Приказ Минобрнауки № 499: at least 16 for повышение квалификации (ПК) and 250 for
профессиональная переподготовка (ПП).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .organisations import COLLEGE, HOSPITAL, INDUSTRY, MUNICIPAL, OFFICE, SCHOOL

PK, PP = "ПК", "ПП"

# (type, name, hours, kinds of clients it is sold to)
CATALOGUE: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (PK, "Охрана труда для руководителей и специалистов организаций", 40, (INDUSTRY, OFFICE, MUNICIPAL, SCHOOL)),
    (PK, "Пожарно-технический минимум для руководителей и ответственных за пожарную безопасность", 28,
     (INDUSTRY, SCHOOL, HOSPITAL, COLLEGE)),
    (PK, "Оказание первой помощи пострадавшим", 16, (SCHOOL, INDUSTRY, COLLEGE, HOSPITAL)),
    (PK, "Электробезопасность: подготовка на II–IV группы допуска", 72, (INDUSTRY,)),
    (PK, "Промышленная безопасность опасных производственных объектов", 72, (INDUSTRY,)),
    (PK, "Организация инклюзивного образования в условиях реализации ФГОС", 72, (SCHOOL, COLLEGE)),
    (PK, "Цифровые технологии в образовании: электронная информационно-образовательная среда", 36,
     (SCHOOL, COLLEGE, MUNICIPAL)),
    (PK, "Антитеррористическая защищённость объектов образования", 36, (SCHOOL, COLLEGE, MUNICIPAL)),
    (PK, "Контрактная система в сфере закупок товаров, работ, услуг (44-ФЗ)", 144, (MUNICIPAL, OFFICE, HOSPITAL)),
    (PK, "Сестринское дело в педиатрии", 144, (HOSPITAL,)),
    (PK, "Обучение педагогических работников навыкам оказания первой помощи", 16, (SCHOOL,)),
    (PP, "Педагогика профессионального образования", 256, (COLLEGE,)),
    (PP, "Специалист в области охраны труда", 256, (INDUSTRY, OFFICE)),
    (PP, "Менеджмент в образовании", 520, (SCHOOL, MUNICIPAL, COLLEGE)),
    (PP, "Бухгалтерский учёт, анализ и аудит", 260, (OFFICE, MUNICIPAL)),
    (PP, "Управление персоналом", 340, (OFFICE, INDUSTRY)),
    (PP, "Организация здравоохранения и общественное здоровье", 504, (HOSPITAL,)),
    (PP, "Логопедия: коррекционная работа с детьми", 1020, (SCHOOL,)),
)


@dataclass(frozen=True, slots=True)
class Event:
    code: str  # "ПК-2026-014"
    kind: str  # PK or PP
    name: str
    hours: int
    start: date
    end: date
    audiences: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}"


def duration_days(kind: str, hours: int) -> int:
    """Calendar days a run takes: short courses run full days, long ones part-time."""
    if kind == PK:
        return max(2, round(hours / 8 * 1.4))
    return round(hours / 4)


def make_event(rng: random.Random, programme: tuple[str, str, int, tuple[str, ...]], number: int,
               start: date) -> Event:
    kind, name, hours, audiences = programme
    if rng.random() < 0.25:  # offices sell the same programme in a longer or shorter version
        hours = max(16, hours // 2) if kind == PK else min(1020, hours * 2)
    end = start + timedelta(days=duration_days(kind, hours))
    return Event(f"{kind}-{start.year}-{number:03d}", kind, name, hours, start, end, audiences)
