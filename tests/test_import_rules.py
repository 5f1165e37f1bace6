"""DESIGN §1 import rules, checked on the source: layers do not reach where they must not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dpo_desktop"
QT_FREE = ("b24", "sandbox", "domain", "rules", "portal", "store", "sync", "secrets", "scans")
COMPOSITION_ROOTS = {"app.py", "cli.py", "__main__.py"}


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def modules_of(layer: str) -> list[Path]:
    target = PACKAGE / layer
    return sorted(target.rglob("*.py")) if target.is_dir() else [target]


@pytest.mark.parametrize("layer", QT_FREE)
def test_core_layers_never_import_qt(layer):
    for path in modules_of(layer):
        offending = {name for name in imported_modules(path) if name.split(".")[0] in ("PySide6", "shiboken6")}
        assert not offending, f"{path.relative_to(PACKAGE)} imports {offending}"


@pytest.mark.parametrize("module", ["runtime/lane.py"])
def test_the_lane_is_plain_python(module):
    """The lane runs the network on asyncio alone: testable without Qt, and it never touches widgets."""
    offending = {name for name in imported_modules(PACKAGE / module) if name.split(".")[0] in ("PySide6", "shiboken6")}
    assert not offending, f"{module} imports {offending}"


def test_only_the_demo_mode_of_the_ui_reaches_the_sandbox():
    reaching = {path.relative_to(PACKAGE).as_posix() for path in modules_of("ui")
                if any(name.startswith("dpo_desktop.sandbox") for name in imported_modules(path))}
    assert reaching <= {"ui/demo.py"}


def test_ui_never_imports_httpx_or_sqlite():
    for path in modules_of("ui"):
        offending = {name for name in imported_modules(path) if name.split(".")[0] in ("httpx", "sqlite3")}
        assert not offending, f"{path.relative_to(PACKAGE)} imports {offending}"


def test_sandbox_is_reached_only_from_demo_command_and_itself():
    allowed = {"cli.py", "app.py", "__main__.py", "ui/demo.py"}  # ui/demo.py: the demo mode (DESIGN §1)
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "sandbox" or relative.as_posix() in allowed:
            continue
        offending = {name for name in imported_modules(path) if name.startswith("dpo_desktop.sandbox")}
        assert not offending, f"{relative} imports the sandbox: {offending}"


def test_client_does_not_depend_on_the_sandbox_it_is_checked_against():
    for path in modules_of("b24"):
        assert not {name for name in imported_modules(path) if "sandbox" in name}, path


def test_the_checker_sees_relative_imports():
    names = imported_modules(PACKAGE / "sandbox" / "portal.py")
    assert "dpo_desktop.sandbox.wire" in names
