"""Scans with visible Russian text: JPEG "phone photos" and PDF "scanner output" of a person's documents.

A scan is described by a small picklable recipe — ``(kind, fmt, variant, lines)`` — and rendered from
it alone, so the disk family can keep it as ``LazyContent`` (``generators.SCAN_GENERATOR``) and make
the bytes on first read. The
same recipe gives the same bytes in every process: the paper texture comes from ``random.Random``
(never Pillow's C-level noise), PDFs carry fixed dates, and nothing reads the clock.

Rendering is kept cheap (a few milliseconds) because a demo portal has about 1,500 scans: each kind's
page — paper, title, fixed wording — is drawn once per process and cached, and a scan only adds the
person's lines, a slight tilt and the JPEG encoding.
"""

from __future__ import annotations

import io
import random
import time
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ...paths import resources_dir

JPEG, PDF = "jpg", "pdf"

# kind -> (title, subtitle, fixed wording printed under the person's lines)
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "passport": ("ПАСПОРТ ГРАЖДАНИНА", "РОССИЙСКОЙ ФЕДЕРАЦИИ",
                 "Паспорт действителен при наличии отметки о регистрации по месту жительства. "
                 "Личная подпись владельца обязательна."),
    "foreign_passport": ("ПАСПОРТ", "PASSPORT",
                         "Паспорт иностранного гражданина. Перевод на русский язык заверен нотариально."),
    "snils": ("СТРАХОВОЕ СВИДЕТЕЛЬСТВО", "обязательного пенсионного страхования",
              "Страховой номер индивидуального лицевого счёта в системе индивидуального "
              "(персонифицированного) учёта. Фонд пенсионного и социального страхования Российской Федерации."),
    "diploma": ("ДИПЛОМ", "Российская Федерация",
                "Настоящий диплом свидетельствует о том, что его обладатель освоил образовательную "
                "программу и успешно прошёл государственную итоговую аттестацию. Решением государственной "
                "экзаменационной комиссии присвоена квалификация, указанная выше."),
    "study_certificate": ("СПРАВКА", "об обучении в образовательной организации",
                          "Справка выдана для предъявления по месту требования. Обучающийся проходит "
                          "обучение по очной форме, срок окончания обучения указан выше."),
    "consent": ("СОГЛАСИЕ", "на обработку персональных данных",
                "В соответствии со статьёй 9 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных "
                "данных» даю согласие образовательной организации на обработку моих персональных данных: "
                "фамилии, имени, отчества, даты рождения, паспортных данных, СНИЛС, сведений об "
                "образовании — в целях обучения по дополнительной профессиональной программе и внесения "
                "сведений в ФИС ФРДО. Согласие действует до достижения целей обработки и может быть "
                "отозвано мной письменным заявлением."),
    "marriage": ("СВИДЕТЕЛЬСТВО", "о заключении брака",
                 "Запись акта о заключении брака составлена органом записи актов гражданского "
                 "состояния. Место государственной регистрации указано в записи акта."),
    "application": ("ЗАЯВЛЕНИЕ", "о зачислении на обучение",
                    "С уставом, лицензией на осуществление образовательной деятельности, учебным планом "
                    "и правилами внутреннего распорядка ознакомлен(а). Достоверность сведений "
                    "подтверждаю."),
    "contract": ("ДОГОВОР", "об оказании платных образовательных услуг",
                 "1. Исполнитель обязуется предоставить образовательную услугу, а Заказчик обязуется "
                 "оплатить её. 2. Форма обучения — очно-заочная с применением дистанционных "
                 "образовательных технологий. 3. После освоения программы и успешного прохождения итоговой "
                 "аттестации выдаётся документ установленного образца. 4. Договор вступает в силу со дня "
                 "подписания сторонами."),
    "other": ("ДОКУМЕНТ", "копия", "Копия верна."),
}

# (width, height) of the drawn page; a phone photo adds a border of table around a tilted page.
_PAGE = {JPEG: (560, 760), PDF: (744, 1052)}  # PDF: A4 at 90 dpi
_PHOTO_MARGIN = 36
_FIXED_DATE = time.struct_time((2026, 1, 1, 0, 0, 0, 3, 1, 0))
_INK = 28


def render(kind: str, fmt: str, variant: int, lines: tuple[str, ...]) -> bytes:
    """The bytes of one scan: ``fmt`` is ``"jpg"`` or ``"pdf"``; ``variant`` picks tilt and framing."""
    page = _template(kind, fmt).copy()
    draw = ImageDraw.Draw(page)
    width, _ = page.size
    body = _font(24 if fmt == PDF else 18)
    y = 170 if fmt == PDF else 128
    for line in lines:
        for piece in _wrap(line, body, width - 120):
            draw.text((60, y), piece, font=body, fill=_INK)
            y += body.size + 10
    rng = random.Random(variant)
    if fmt == PDF:
        out = io.BytesIO()
        page.save(out, "PDF", resolution=90.0, quality=72, title="Scan", producer="Scanner",
                  creationDate=_FIXED_DATE, modDate=_FIXED_DATE)
        return out.getvalue()
    return _photo(page, rng)


def _photo(page: Image.Image, rng: random.Random) -> bytes:
    """The page lying on a desk, shot slightly askew with a phone."""
    table = (rng.randrange(70, 120), rng.randrange(60, 95), rng.randrange(45, 70))
    tilted = page.convert("RGB").rotate(rng.uniform(-4.0, 4.0), expand=True, fillcolor=table)
    width, height = page.size
    photo = Image.new("RGB", (width + 2 * _PHOTO_MARGIN, height + 2 * _PHOTO_MARGIN), table)
    offset = (_PHOTO_MARGIN + rng.randrange(-12, 12) - (tilted.width - width) // 2,
              _PHOTO_MARGIN + rng.randrange(-12, 12) - (tilted.height - height) // 2)
    photo.paste(tilted, offset)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=rng.randrange(74, 84))
    return out.getvalue()


@lru_cache(maxsize=64)
def _template(kind: str, fmt: str) -> Image.Image:
    """Paper with the kind's fixed wording; drawn once per process."""
    title, subtitle, wording = TEMPLATES[kind]
    width, height = _PAGE[fmt]
    page = _paper(width, height, seed=hash_text(kind + fmt))
    draw = ImageDraw.Draw(page)
    big, small = _font(40 if fmt == PDF else 30, bold=True), _font(22 if fmt == PDF else 17)
    draw.text((width // 2, 50), title, font=big, fill=_INK, anchor="mt")
    draw.text((width // 2, 50 + big.size + 12), subtitle, font=small, fill=_INK + 20, anchor="mt")
    y = int(height * 0.62)
    for piece in _wrap(wording, small, width - 120):
        draw.text((60, y), piece, font=small, fill=_INK + 30)
        y += small.size + 8
    draw.line((60, height - 110, width // 2 - 40, height - 110), fill=_INK + 40, width=2)
    draw.text((60, height - 100), "подпись", font=_font(14), fill=_INK + 40)
    draw.rectangle((24, 24, width - 24, height - 24), outline=_INK + 80, width=3)
    return page


def _paper(width: int, height: int, seed: int) -> Image.Image:
    """Off-white paper with a faint grain (deterministic: our own random bytes, not Pillow's noise)."""
    rng = random.Random(seed)
    grain = Image.frombytes("L", (width // 4, height // 4), rng.randbytes((width // 4) * (height // 4)))
    lut = [236 + value * 9 // 255 for value in range(256)]
    return grain.point(lut).resize((width, height), Image.Resampling.BILINEAR)


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(resources_dir() / "fonts" / name), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    if font.getlength(text) <= width:
        return [text]
    pieces: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            pieces.append(current)
            current = word
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def hash_text(text: str) -> int:
    """A stable small integer for text (Python's own ``hash`` of str changes between processes)."""
    value = 0
    for char in text:
        value = (value * 131 + ord(char)) % 2_147_483_647
    return value
