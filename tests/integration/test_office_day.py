"""Issue 8's office day, small: two managers' day on a faulty portal with two kills ends as the script meant.

The full day (more deals and files, five kills) is ``python -m bench.office_day`` (and part of ``bench.chaos``).
"""

from __future__ import annotations

import pytest

from bench.office_day import run_day


@pytest.mark.slow
@pytest.mark.timeout(900)  # some 40 command runs, each a fresh interpreter: minutes on a busy 2-core machine
def test_a_small_office_day_with_faults_and_kills_leaves_the_portal_as_meant(tmp_path):
    outcome = run_day(tmp_path, deals=2, files=2, kills=2, faults=0.1, seed=8)
    verdict = outcome.verdict
    assert len(outcome.log.kills) == 2, outcome.log  # both kills came while a command was at work
    assert outcome.log.reruns >= 2, outcome.log  # each killed command was run again
    assert verdict.documents >= 10 and verdict.edits == 8, verdict
    assert verdict.failures() == [], verdict
    assert verdict.folders >= 6, verdict
    assert outcome.pending_left == 0 and outcome.queue_left == 0, outcome
    assert outcome.unchanged_push_requests and all(0 <= requests <= 2 for requests in
                                                   outcome.unchanged_push_requests), outcome
