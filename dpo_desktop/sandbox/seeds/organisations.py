"""Client organisations that send their staff to training, and the partners who bring them."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Kinds of client organisation: they decide which programmes the staff take and what jobs they hold.
INDUSTRY, SCHOOL, HOSPITAL, COLLEGE = "industry", "school", "hospital", "college"
OFFICE, MUNICIPAL = "office", "municipal"

POSTS = {
    INDUSTRY: ("Инженер по охране труда", "Мастер участка", "Начальник цеха", "Электромонтёр", "Инженер-энергетик",
               "Главный инженер", "Прораб", "Механик"),
    SCHOOL: ("Учитель начальных классов", "Учитель математики", "Учитель русского языка и литературы",
             "Педагог-психолог", "Заместитель директора по УВР", "Воспитатель", "Учитель-логопед",
             "Социальный педагог"),
    HOSPITAL: ("Медицинская сестра", "Старшая медицинская сестра", "Врач-терапевт участковый", "Фельдшер",
               "Заведующий отделением", "Медицинская сестра процедурной"),
    COLLEGE: ("Преподаватель", "Мастер производственного обучения", "Методист", "Заместитель директора",
              "Преподаватель-организатор"),
    OFFICE: ("Бухгалтер", "Главный бухгалтер", "Менеджер по персоналу", "Специалист по закупкам", "Юрисконсульт",
             "Офис-менеджер"),
    MUNICIPAL: ("Главный специалист", "Ведущий специалист", "Специалист по закупкам", "Начальник отдела"),
}

HR_POSTS = ("Специалист по кадрам", "Начальник отдела кадров", "Специалист по охране труда",
            "Менеджер по персоналу", "Специалист по обучению персонала")

# The demo office's regular clients: (title, kind).
DEMO_COMPANIES = (
    ("ООО «Стройресурс»", INDUSTRY),
    ("АО «Уралтрансмаш»", INDUSTRY),
    ("АО «Теплосеть»", INDUSTRY),
    ("ООО «ТехноЛогистик»", INDUSTRY),
    ("ГБУЗ «Городская клиническая больница № 12»", HOSPITAL),
    ("ГБУЗ «Детская городская поликлиника № 8»", HOSPITAL),
    ("МБОУ «Средняя общеобразовательная школа № 45»", SCHOOL),
    ("МАОУ «Гимназия № 2»", SCHOOL),
    ("МБДОУ «Детский сад № 117 „Солнышко“»", SCHOOL),
    ("ГАПОУ «Колледж связи № 54»", COLLEGE),
    ("ГБПОУ «Медицинский колледж № 3»", COLLEGE),
    ("ООО «Медтехника-Сервис»", OFFICE),
    ("ООО «Бухгалтерия Плюс»", OFFICE),
    ("МКУ «Управление образования администрации г. Подольска»", MUNICIPAL),
)

# Partners (agents, methodological centres) who bring clients; their codes go into the deal.
PARTNERS = ("P-003", "P-007", "P-011", "P-017", "P-021", "P-024", "P-030", "P-042")

_WORDS = ("Строй", "Техно", "Энерго", "Мед", "Агро", "Транс", "Урал", "Сибирь", "Волга", "Нева", "Металл", "Инвест",
          "Проект", "Сервис", "Альянс", "Вектор", "Гарант", "Ресурс", "Профи", "Лидер")
_TAILS = ("ресурс", "сервис", "монтаж", "комплекс", "снаб", "пром", "торг", "систем", "групп", "логистик")


@dataclass(frozen=True, slots=True)
class Company:
    title: str
    kind: str


def generated_company(rng: random.Random, number: int) -> Company:
    """A plausible client for the large portal; ``number`` keeps titles unique."""
    kind = rng.choice((INDUSTRY, INDUSTRY, OFFICE, SCHOOL, SCHOOL, HOSPITAL, COLLEGE, MUNICIPAL))
    if kind in (INDUSTRY, OFFICE):
        form = rng.choice(("ООО", "ООО", "АО", "ПАО"))
        return Company(f"{form} «{rng.choice(_WORDS)}{rng.choice(_TAILS)}-{number}»", kind)
    if kind == SCHOOL:
        return Company(f"{rng.choice(('МБОУ', 'МАОУ', 'ГБОУ'))} «Средняя общеобразовательная школа № {number}»", kind)
    if kind == HOSPITAL:
        return Company(f"ГБУЗ «Городская больница № {number}»", kind)
    if kind == COLLEGE:
        return Company(f"ГБПОУ «Колледж № {number}»", kind)
    return Company(f"МКУ «Центр обеспечения деятельности № {number}»", kind)
