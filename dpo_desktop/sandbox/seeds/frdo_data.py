"""What the office keeps for ФИС ФРДО on its portal: the programme's data on each deal and, for a few
issued documents, the status block of a duplicate.

Both are the JSON texts DPO Desk writes into the «Данные ФИС ФРДО» fields (keys as in
``dpo_desktop.domain.frdo``; the seed spells them out rather than import the app's models).
"""

from __future__ import annotations

import json
from datetime import date

from .programmes import PK, Event

# Programme name -> (область профессиональной деятельности, квалификация for ПП or "" for ПК).
PROGRAMME_DATA: dict[str, tuple[str, str]] = {
    "Охрана труда для руководителей и специалистов организаций": ("Обеспечение безопасности", ""),
    "Пожарно-технический минимум для руководителей и ответственных за пожарную безопасность":
        ("Обеспечение безопасности", ""),
    "Оказание первой помощи пострадавшим": ("Здравоохранение", ""),
    "Электробезопасность: подготовка на II–IV группы допуска": ("Электроэнергетика", ""),
    "Промышленная безопасность опасных производственных объектов": ("Обеспечение безопасности", ""),
    "Организация инклюзивного образования в условиях реализации ФГОС": ("Образование и наука", ""),
    "Цифровые технологии в образовании: электронная информационно-образовательная среда":
        ("Образование и наука", ""),
    "Антитеррористическая защищённость объектов образования": ("Образование и наука", ""),
    "Контрактная система в сфере закупок товаров, работ, услуг (44-ФЗ)": ("Финансы и экономика", ""),
    "Сестринское дело в педиатрии": ("Здравоохранение", ""),
    "Обучение педагогических работников навыкам оказания первой помощи": ("Образование и наука", ""),
    "Педагогика профессионального образования": ("Образование и наука", "Педагог профессионального обучения"),
    "Специалист в области охраны труда": ("Обеспечение безопасности", "Специалист в области охраны труда"),
    "Менеджмент в образовании": ("Образование и наука", "Менеджер в образовании"),
    "Бухгалтерский учёт, анализ и аудит": ("Финансы и экономика", "Бухгалтер"),
    "Управление персоналом": ("Административно-управленческая и офисная деятельность",
                              "Специалист по управлению персоналом"),
    "Организация здравоохранения и общественное здоровье": ("Здравоохранение",
                                                          "Врач-организатор здравоохранения"),
    "Логопедия: коррекционная работа с детьми": ("Образование и наука", "Учитель-логопед"),
}


def programme_json(event: Event) -> str:
    """The deal's «Данные ФИС ФРДО»: the programme as the ФИС wants it named."""
    field, qualification = PROGRAMME_DATA.get(event.name, ("Образование и наука", ""))
    values = {
        "name": event.name.replace("–", "-"),  # the ФИС allows no en dash in a programme's name
        "activity_field": field, "qualification": qualification,
        "start_year": event.start.year, "end_year": event.end.year,
        "study_form": "Очно-заочная (вечерняя)" if event.kind != PK else "Очная",
        "funding": "Платное обучение",  # the office's courses are paid for by clients
        "study_place": "в образовательной организации",
    }
    return json.dumps({key: value for key, value in values.items() if value}, ensure_ascii=False)


def duplicate_json(kind: str, series: str, number: str, registration: str, issued: date,
                   name: tuple[str, str, str]) -> str:
    """A duplicate's «Данные ФИС ФРДО»: the lost original it replaces and the proof of loss."""
    last_name, first_name, patronymic = name
    original = {"kind": kind, "series": series, "number": number, "registration_number": registration,
                "issue_date": issued.isoformat(), "last_name": last_name, "name": first_name,
                "second_name": patronymic}
    values = {"status": "Дубликат", "loss_proof": "Объявление в газете", "exchange_proof": "Нет",
              "destroyed": "Нет", "original": original}
    return json.dumps(values, ensure_ascii=False)
