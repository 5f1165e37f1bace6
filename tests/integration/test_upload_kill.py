"""Issue 5's kill test, small: uploads SIGKILLed at random moments end with every file on the portal once.

The full run (300 files, five kills, with and without 10 % faults) is ``python -m bench.chaos``.
"""

from __future__ import annotations

import pytest

from tests.integration.upload_kill import run_kill_scenario


@pytest.mark.parametrize("faults", [None, "mixed=0.1,slow_seconds=0.2,seed=5"], ids=["clean", "faults"])
def test_killed_uploads_resume_with_no_loss_and_no_duplicate(tmp_path, faults):
    outcome = run_kill_scenario(tmp_path, files=40, kills=2, seed=3, faults=faults)
    assert outcome.landed == outcome.distinct_contents == 40, outcome
    assert outcome.drive_files == 40, outcome  # no second copy of any file's bytes on the Drive
    assert outcome.active_queue == 0, outcome
    # Killed mid-way: after some files had landed, while the command was still at work. (A faulted run that
    # stops by itself is run again, as a user would; it may then finish before a second kill comes.)
    assert outcome.kills and all(0 < landed <= 40 for landed in outcome.landed_at_kills), outcome
    assert min(outcome.landed_at_kills) < 40, outcome
