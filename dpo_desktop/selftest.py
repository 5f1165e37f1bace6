"""``dpo-desktop --self-test``: does this installation — the PyInstaller bundle above all — hold what the app needs?

The checks run in order and stop at the first failure:

- ``imports``: the libraries loaded lazily or through plugins, each made to do a little real work
  (the CA certificates httpx verifies portals with, cryptography's compiled core, Pillow's codecs,
  pdfium's binary, openpyxl, the keyring backends with their entry points and this platform's native one);
- ``resources``: the bundled fonts, the rules file (parsed) and the compiled translations;
- ``fonts``: the bundled fonts load in Qt and cover Cyrillic;
- ``demo``: the demo portal's main screens rendered into a temporary folder, as ``--demo --screenshot``
  does (offscreen when there is no display).

One line on stdout, ``SELFTEST OK key=value ...`` and exit 0; or ``SELFTEST FAILED <check>: <reason>``
on stderr and exit 1. A warning from Qt during the checks is a failure too; the app's own warnings
(say, no system keyring on a build machine) are only counted. Nothing is written outside a temporary
folder, which is removed afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

from . import __version__, paths
from .logs import RecentLines, redact

EXPECTED_SCREENS = 3  # the deal browser, a deal and its documents: the demo always has these
FONT_PROBE = "Жё₽«»"
# The native keyring of each platform: its backend module and the module that backend needs.
NATIVE_KEYRING = {
    "linux": ("keyring.backends.SecretService", "secretstorage"),
    "win32": ("keyring.backends.Windows", "win32ctypes.pywin32.win32cred"),
    "darwin": ("keyring.backends.macOS", "keyring.backends.macOS.api"),
}


class SelfTestFailure(Exception):
    """A check found something missing or broken; the text says what, in one line."""


def run_selftest() -> int:
    """Run every check; print the one line; 0 when all passed, 1 otherwise."""
    started = time.monotonic()
    facts: dict[str, str] = {"version": __version__, "frozen": "yes" if getattr(sys, "frozen", False) else "no",
                             "python": ".".join(map(str, sys.version_info[:3]))}
    warnings = RecentLines()
    warnings.setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="dpo-selftest-") as scratch, _logged_to(warnings):
        paths.set_basedir(Path(scratch) / "base")  # the user's own folders are never touched
        checks: list[tuple[str, Callable[[], dict[str, str]]]] = [
            ("imports", check_imports),
            ("resources", check_resources),
            ("fonts", check_fonts),
            ("demo", lambda: check_demo(Path(scratch))),
            ("qt", lambda: check_qt_quiet(warnings)),
        ]
        for name, check in checks:
            try:
                facts.update(check())
            except Exception as error:  # every failure, expected or not, is the one-line report
                reason = str(error) if isinstance(error, SelfTestFailure) else f"{type(error).__name__}: {error}"
                print(f"SELFTEST FAILED {name}: {redact(' '.join(reason.split()))}", file=sys.stderr, flush=True)
                return 1
    facts["warnings"] = str(len(warnings.lines))
    facts["seconds"] = f"{time.monotonic() - started:.1f}"
    print("SELFTEST OK " + " ".join(f"{key}={value}" for key, value in facts.items()), flush=True)
    return 0


def check_imports() -> dict[str, str]:
    import httpx
    import pydantic

    authorities = httpx.create_ssl_context().cert_store_stats()["x509_ca"]  # what verify=True trusts
    if not authorities:
        raise SelfTestFailure("httpx: нет корневых сертификатов (certifi) — HTTPS-порталы не откроются")
    _check_cryptography()
    _check_images_and_pdf()
    _check_workbook()
    return {"httpx": httpx.__version__, "pydantic": pydantic.VERSION, "ca": str(authorities),
            "keyring": _check_keyring()}


def _check_cryptography() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    cipher = AESGCM(key)
    if cipher.decrypt(nonce, cipher.encrypt(nonce, b"selftest", None), None) != b"selftest":
        raise SelfTestFailure("cryptography: AES-GCM не расшифровал то, что зашифровал")


def _check_images_and_pdf() -> None:
    import pypdfium2
    from PIL import Image

    page = pypdfium2.PdfDocument.new().new_page(200, 100)
    image = page.render(scale=1).to_pil()
    for codec in ("PNG", "JPEG", "TIFF"):
        out = io.BytesIO()
        image.convert("RGB").save(out, codec)
        out.seek(0)
        if Image.open(out).size != (200, 100):
            raise SelfTestFailure(f"Pillow: кодек {codec} исказил изображение")


def _check_workbook() -> None:
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    book.active.append(["Фамилия", "СНИЛС"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    if load_workbook(out).active["A1"].value != "Фамилия":
        raise SelfTestFailure("openpyxl: записанная книга читается иначе")


def _check_keyring() -> str:
    """keyring finds its backends through entry points (package metadata) and imports them lazily:
    both must be in the bundle, with this platform's native backend and what it needs."""
    import keyring

    declared = list(entry_points(group="keyring.backends"))
    if not declared:
        raise SelfTestFailure("keyring: нет описаний бэкендов (метаданные пакета keyring не включены в сборку)")
    for entry in declared:
        entry.load()
    native = NATIVE_KEYRING.get(sys.platform)
    if native:
        for module in native:
            try:
                importlib.import_module(module)
            except ImportError as error:
                raise SelfTestFailure(f"keyring: системное хранилище паролей недоступно: нет модуля {module} "
                                      f"({error})") from None
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def check_resources() -> dict[str, str]:
    from .rules import load_rules

    root = paths.resources_dir()
    fonts = sorted((root / "fonts").glob("*.ttf"))
    if not fonts:
        raise SelfTestFailure(f"нет шрифтов в {root / 'fonts'}")
    rules = load_rules().rules
    if not any(rules.required.values()):
        raise SelfTestFailure("в файле правил нет обязательных документов")
    return {"fonts": str(len(fonts)), "translations": _check_translations(root / "translations")}


def _check_translations(folder: Path) -> str:
    """The compiled translations (``.qm``) present, each loadable; every ``.ts`` source here has its ``.qm``.

    A bundle ships only ``.qm`` files; ``dev.py bundle`` compares this list with the sources.
    """
    from PySide6.QtCore import QTranslator

    sources = sorted(folder.glob("*.ts"))
    uncompiled = [source.name for source in sources if not source.with_suffix(".qm").exists()]
    if uncompiled:
        raise SelfTestFailure(f"переводы не скомпилированы: {', '.join(uncompiled)} (pyside6-lrelease)")
    compiled = sorted(folder.glob("*.qm"))
    for file in compiled:
        if not QTranslator().load(str(file)):
            raise SelfTestFailure(f"перевод {file.name} не загружается")
    _check_qt_catalogue()
    return ",".join(file.stem for file in compiled) or "none"


def _check_qt_catalogue() -> None:
    """Qt's own Russian catalogue, which speaks for the standard buttons and dialogs (``ui/i18n.py``)."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from .ui.i18n import QT_CATALOGUES, SOURCE_LANGUAGE

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not any(QTranslator().load(f"{catalogue}_{SOURCE_LANGUAGE}", folder) for catalogue in QT_CATALOGUES):
        raise SelfTestFailure(f"нет перевода Qt {QT_CATALOGUES[0]}_{SOURCE_LANGUAGE}.qm в {folder}")


def check_fonts() -> dict[str, str]:
    _ensure_platform()
    from PySide6.QtGui import QFontDatabase, QFontMetrics, QGuiApplication

    from .ui.gui import load_fonts, setup_application

    app = setup_application()
    family = load_fonts(paths.resources_dir() / "fonts")
    if family is None:
        raise SelfTestFailure("Qt не загрузил ни одного шрифта из resources/fonts")
    if QFontDatabase.WritingSystem.Cyrillic not in QFontDatabase.writingSystems(family):
        raise SelfTestFailure(f"шрифт {family} без кириллицы")
    font = app.font()
    missing = [char for char in FONT_PROBE if not QFontMetrics(font).inFontUcs4(ord(char))]
    if font.family() != family or missing:
        raise SelfTestFailure(f"шрифт программы {font.family()} не показывает {''.join(missing) or family}")
    return {"qt": _qt_version(), "platform": QGuiApplication.platformName(), "font": family.replace(" ", "_")}


def check_demo(scratch: Path) -> dict[str, str]:
    """The demo portal's screens, rendered by the same code as ``--demo --screenshot``, into ``scratch``."""
    from PySide6.QtGui import QImage

    from .ui.gui import run_gui

    shots = scratch / "screens"
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        code = run_gui(argparse.Namespace(demo=True, screenshot=str(shots), profile=None))
    if code != 0:
        raise SelfTestFailure(f"демо не отрисовано (код {code}): {said.getvalue().strip()}")
    rendered = sorted(shots.glob("*.png"))
    blank = [file.name for file in rendered if QImage(str(file)).isNull()]
    if len(rendered) < EXPECTED_SCREENS or blank:
        raise SelfTestFailure(f"демо: {len(rendered)} экранов, пустые: {', '.join(blank) or 'нет'}")
    return {"screens": str(len(rendered))}


def check_qt_quiet(warnings: RecentLines) -> dict[str, str]:
    """Qt warned of nothing while the checks ran (a plugin, a font, a paint failing); the harmless remarks
    it always makes are logged at DEBUG by ``ui/gui.py`` and do not count."""
    from .ui.gui import qt_log

    said = [line for line in warnings.lines if f" {qt_log.name}: " in line]
    if said:
        raise SelfTestFailure(f"Qt предупреждает: {said[0].split(f' {qt_log.name}: ', 1)[1]}")
    return {}


@contextlib.contextmanager
def _logged_to(handler: logging.Handler):
    """The run's log records go to ``handler`` (and not, through logging's last resort, to stderr)."""
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


def _ensure_platform() -> None:
    """Offscreen when there is no display: a bundle must check itself on a headless build machine too."""
    from .ui.gui import has_display

    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()
