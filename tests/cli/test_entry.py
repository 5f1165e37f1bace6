"""The entry point's conventions: exit codes 0, 1, 2, and help rather than a traceback."""

from __future__ import annotations

import pytest

from dpo_desktop.cli import main


@pytest.mark.parametrize(("arguments", "code"), [
    ([], 1),  # no command: the GUI, which says no profile exists yet
    (["--version"], 0),
    (["frobnicate"], 2),
    (["profile"], 2),  # an action is required
    (["portal", "repair"], 2),
    (["participants", "add", "--contact", "5"], 2),  # --deal is required
    (["missing", "--deal", "x"], 2),
    (["sync", "--help"], 0),
])
def test_exit_codes(cli, arguments, code):
    result = cli(*arguments)
    assert result.code == code
    assert "Traceback" not in result.err


def test_the_help_lists_the_commands(cli):
    out = cli("--help").out
    for command in ("profile", "portal", "sync", "missing", "participants", "sandbox"):
        assert command in out


def test_main_returns_instead_of_exiting(capsys):
    assert main(["--version"]) == 0
    assert "dpo-desktop" in capsys.readouterr().out


def test_a_command_with_no_profile_is_one_line(cli):
    for command in (["sync"], ["portal", "check"], ["participants", "remove", "--deal", "1", "--contact", "2"]):
        result = cli(*command)
        assert result.code == 1 and len(result.lines()) == 1 and "Профилей нет" in result.err
