"""`runner run --orchestrator full_duplex` from the command line: the issue's own command scores
1.0 with its ticks saved and voice metrics shown; mistakes stop the run before it starts."""

from __future__ import annotations

import json

from click.testing import CliRunner
from runner.cli.app import cli

ENV = {"RUNNER_LOAD_PLUGINS": "runner-mock", "RUNNER_PLUGINS": "", "RUNNER_DISABLE_PLUGINS": ""}


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)


def run(tmp_path, *extra: str):
    out = ["--output-dir", str(tmp_path), "--run-name", "fd", "--no-progress"]
    return invoke(
        "run", "--domain", "mock", "--agent", "replay", "--user", "scripted", *out, *extra
    )


def test_replay_and_scripted_score_under_full_duplex_with_ticks_and_voice(tmp_path) -> None:
    result = run(tmp_path, "--orchestrator", "full_duplex", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["metrics"]["avg_reward"] == 1.0
    assert summary["metrics"]["termination_reasons"] == {"user_stop": 15}
    voice = summary["metrics"]["voice"]
    assert voice["simulations"] == 15 and voice["response_latency"]["count"] >= 14
    lines = (tmp_path / "fd" / "results.jsonl").read_text().splitlines()
    for line in map(json.loads, lines):
        assert line["ticks"] and line["voice"]["ticks"] == len(line["ticks"])
    shown = invoke("show", str(tmp_path / "fd"))
    assert shown.exit_code == 0
    assert "agent response latency" in shown.output and "barge-ins" in shown.output


def test_a_streaming_user_under_half_duplex_is_one_error_before_the_run(tmp_path) -> None:
    result = run(tmp_path, "--user", "scripted_streaming")
    assert result.exit_code != 0
    assert "is a streaming (full-duplex) participant" in result.output
    assert "--orchestrator full_duplex" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "fd").exists()


def test_an_unknown_orchestrator_option_is_one_error_before_the_run(tmp_path) -> None:
    for extra in (
        ["--orchestrator", "full_duplex", "--orchestrator-option", "tick_seconds=0.1"],
        ["--realtime"],  # a half-duplex run has no ticks to pace
    ):
        result = run(tmp_path, *extra)
        assert result.exit_code != 0, extra
        assert "no such option" in result.output and "Its options:" in result.output
        assert not (tmp_path / "fd").exists()
    typo = run(tmp_path, "--orchestrator", "full_duplex", "--orchestrator-option", "tick_seconds=1")
    assert "Did you mean 'tick_duration_seconds'" in typo.output
    bad = run(tmp_path, "--orchestrator", "full_duplex", "--orchestrator-option", "max_ticks=0")
    assert "max_ticks=0: expected a number of at least 1" in bad.output
