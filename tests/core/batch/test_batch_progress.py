"""Progress: the figures, and which display is chosen."""

from __future__ import annotations

import io

from runner.models.record import ResultRecord
from runner.run.progress import LineProgress, NullProgress, RichProgress, make_progress


def rec(reason="user_stop", reward=1.0):
    return ResultRecord("t", 0, 0, reason, reward)


def test_stats_count_rewards_and_errors_including_resumed_results():
    p = NullProgress()
    p.start(10, [rec(), rec(reward=0.0)])
    p.advance(rec("agent_error", 0.0))
    p.advance(rec("infrastructure_error", None))
    s = p.stats
    assert (s.total, s.done, s.done_before) == (10, 4, 2)
    assert (s.errors, s.infrastructure_errors) == (2, 1)
    assert s.avg_reward == 1 / 3  # the infrastructure error is not scored


def test_plain_lines_when_not_a_terminal():
    out = io.StringIO()
    p = make_progress(True, stream=out, interval=0.0)
    assert isinstance(p, LineProgress)
    p.start(2)
    p.advance(rec())
    p.advance(rec("user_error", 0.0))
    p.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[runner] 0/2 done (0.0%)")
    assert "2/2 done (100.0%)" in lines[-1]
    assert "avg reward 0.500, errors 1 (infrastructure 0)" in lines[-1]


def test_choice_of_display():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert isinstance(make_progress(False, stream=Tty()), NullProgress)
    assert isinstance(make_progress(True, stream=Tty()), RichProgress)
    rich = make_progress(True, stream=Tty())
    rich.start(3)
    rich.advance(rec())
    rich.close()
    assert rich.stats.done == 1
