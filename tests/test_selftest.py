"""``dpo-desktop --self-test`` from the source tree: the same checks the built bundle runs in CI.

A bundle with a missing or damaged resource is made the way PyInstaller makes one: ``sys._MEIPASS``
names the folder that holds ``resources/``.
"""

from __future__ import annotations

import logging
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dpo_desktop import cli, paths
from dpo_desktop.logs import RecentLines
from dpo_desktop.selftest import SelfTestFailure, check_qt_quiet
from dpo_desktop.ui.gui import qt_log

ROOT = Path(__file__).resolve().parent.parent
LRELEASE = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))


def facts(line: str) -> dict[str, str]:
    assert line.startswith("SELFTEST OK "), line
    return dict(item.split("=", 1) for item in line.removeprefix("SELFTEST OK ").split())


def test_the_self_test_passes_in_the_source_tree_and_writes_nothing_outside_its_own_folder(qapp, capsys):
    untouched = paths.data_dir().parent
    before = sorted(untouched.rglob("*"))
    assert cli.main(["--self-test"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 1 and captured.err == ""
    found = facts(lines[0])
    assert found["frozen"] == "no" and found["platform"] == "offscreen" and found["font"] == "DejaVu_Sans"
    assert int(found["screens"]) >= 3 and int(found["fonts"]) >= 1 and int(found["ca"]) > 0
    assert found["keyring"] == "tests.secrets.memory_keyring.MemoryKeyring"
    assert sorted(untouched.rglob("*")) == before


@pytest.mark.slow
def test_with_no_display_it_goes_offscreen_by_itself(tmp_path):
    """A separate process with no Qt platform and no display, as on a headless build machine."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(tmp_path), LANG="C.UTF-8", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    result = subprocess.run([sys.executable, "-m", "dpo_desktop", "--self-test"], cwd=tmp_path, env=env,
                            capture_output=True, encoding="utf-8", timeout=240)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    found = facts(result.stdout.strip())
    assert found["platform"] == "offscreen" and found["keyring"] == "keyring.backends.null.Keyring"
    assert not list(tmp_path.iterdir())  # nothing left in the working folder or the home


@pytest.fixture
def bundle(tmp_path, monkeypatch) -> Path:
    """A copy of resources/ inside a fake bundle folder that ``paths.resources_dir()`` now points at."""
    shutil.copytree(ROOT / "resources", tmp_path / "resources", ignore=shutil.ignore_patterns("*.ts", "*.qm"))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    return tmp_path / "resources"


def run_failing(capsys) -> str:
    assert cli.main(["--self-test"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("SELFTEST FAILED "), captured.err
    return lines[0]


def test_certificates_that_cannot_be_read_fail_in_one_line(qapp, tmp_path, monkeypatch, capsys):
    """httpx verifies portals against certifi's bundle, or the one SSL_CERT_FILE names."""
    (tmp_path / "empty.pem").write_text("", encoding="utf-8")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "empty.pem"))
    assert run_failing(capsys).startswith("SELFTEST FAILED imports: SSLError")


def test_a_bundle_without_fonts_fails_in_one_line(qapp, bundle, capsys):
    shutil.rmtree(bundle / "fonts")
    assert run_failing(capsys).startswith("SELFTEST FAILED resources: нет шрифтов")


def test_a_damaged_rules_file_fails_in_one_line(qapp, bundle, capsys):
    (bundle / "rules" / "required_documents.json").write_text('{"required": [', encoding="utf-8")
    assert run_failing(capsys).startswith("SELFTEST FAILED resources: RulesFileError")


def test_a_translation_left_uncompiled_fails(qapp, bundle, capsys):
    (bundle / "translations").mkdir(exist_ok=True)
    (bundle / "translations" / "dpo_en.ts").write_text("<TS/>", encoding="utf-8")
    assert "переводы не скомпилированы: dpo_en.ts" in run_failing(capsys)


def test_a_damaged_translation_fails(qapp, bundle, capsys):
    (bundle / "translations").mkdir(exist_ok=True)
    (bundle / "translations" / "dpo_en.qm").write_bytes(b"not a Qt translation")
    assert "перевод dpo_en.qm не загружается" in run_failing(capsys)


@pytest.mark.skipif(LRELEASE is None, reason="pyside6-lrelease comes with PySide6")
def test_compiled_translations_are_loaded_and_named(qapp, bundle, tmp_path, capsys):
    folder = bundle / "translations"
    folder.mkdir(exist_ok=True)
    source = tmp_path / "dpo_en.ts"
    source.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en" '
                      'sourcelanguage="ru"><context><name>Selftest</name><message><source>Сделки</source>'
                      '<translation>Deals</translation></message></context></TS>', encoding="utf-8")
    subprocess.run([LRELEASE, "-silent", str(source), "-qm", str(folder / "dpo_en.qm")], check=True, timeout=60)
    assert cli.main(["--self-test"]) == 0
    assert facts(capsys.readouterr().out.strip())["translations"] == "dpo_en"


def test_the_portable_hook_keeps_the_data_beside_the_executable(monkeypatch, tmp_path):
    executable = tmp_path / "dist" / "dpo-desktop" / "dpo-desktop"
    monkeypatch.setattr(sys, "executable", str(executable))
    monkeypatch.setattr(sys, "argv", [str(executable), "sync"])
    hook = runpy.run_path(str(ROOT / "packaging" / "portable_hook.py"))
    assert sys.argv == [str(executable), "--basedir", str(executable.parent / "DPO Desk Data"), "sync"]
    chosen = ["x", "--basedir=/elsewhere", "missing"]
    assert hook["portable_arguments"](chosen, str(executable)) == chosen


def test_a_warning_from_qt_fails_the_self_test_and_the_app_s_own_are_only_counted():
    warnings = RecentLines()
    root = logging.getLogger()
    root.addHandler(warnings)
    try:
        logging.getLogger("dpo.secrets").warning("no system keyring")
        assert check_qt_quiet(warnings) == {}
        qt_log.warning("QPainter::begin: Paint device returned engine == 0, type: 2")
        with pytest.raises(SelfTestFailure, match="Qt предупреждает: QPainter::begin"):
            check_qt_quiet(warnings)
    finally:
        root.removeHandler(warnings)
