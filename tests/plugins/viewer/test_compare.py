"""runner compare: paired deltas and a Student-t interval checked by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

from click.testing import CliRunner
from runner import t_quantile
from runner_viewer.cli import compare_cmd
from runner_viewer.compare import compare_runs
from viewer_helpers import edit_run


def test_t_quantile_matches_tables() -> None:
    for df, expected in [(1, 12.7062), (2, 4.3027), (5, 2.5706), (14, 2.1448), (100, 1.9840)]:
        assert abs(t_quantile(0.975, df) - expected) < 1e-3


def test_paired_delta_and_ci(base_run: Path, tmp_path: Path) -> None:
    a = edit_run(base_run, tmp_path / "a", {0: 0.0, 1: 0.0, 2: 1.0})
    b = edit_run(base_run, tmp_path / "b", {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.5})
    result = compare_runs([a, b])
    comp = result["comparisons"][0]
    deltas = [1.0, 0.0, -1.0, -0.5] + [0.0] * 11  # 15 paired units
    n = len(deltas)
    mean = sum(deltas) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in deltas) / (n - 1))
    half = 2.1448 * sd / math.sqrt(n)  # t(0.975, 14)
    assert comp["paired_units"] == n
    assert abs(comp["mean_delta"] - mean) < 1e-12
    assert abs(comp["ci95"][0] - (mean - half)) < 1e-4
    assert abs(comp["ci95"][1] - (mean + half)) < 1e-4
    assert result["runs"][str(a)]["pass_hat_k"] == {1: 13 / 15}

    html = tmp_path / "c.html"
    res = CliRunner().invoke(compare_cmd, [str(a), str(b), "--json", "--html", str(html)])
    assert res.exit_code == 0, res.output
    assert abs(json.loads(res.output)["comparisons"][0]["mean_delta"] - mean) < 1e-12
    assert "vs baseline" in html.read_text()
    text = CliRunner().invoke(compare_cmd, [str(a), str(b), str(a)])
    assert text.exit_code == 0 and text.output.count("vs baseline") == 2


def test_compare_needs_two_runs(base_run: Path) -> None:
    res = CliRunner().invoke(compare_cmd, [str(base_run)])
    assert res.exit_code != 0


def test_text_output_is_not_markup(base_run: Path, tmp_path: Path) -> None:
    a = edit_run(base_run, tmp_path / "a", {})
    b = edit_run(base_run, tmp_path / "b", {0: 0.0})
    for path in (a, b):
        recs = [json.loads(x) for x in (path / "results.jsonl").read_text().splitlines()]
        recs[0]["task_id"] = "[bold red]x[/bold red]"
        (path / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    res = CliRunner().invoke(compare_cmd, [str(a), str(b)])
    assert res.exit_code == 0, res.output
    assert "[bold red]x[/bold red]" in res.output


def test_infrastructure_errors_are_left_out_of_the_pairs(base_run: Path, tmp_path: Path) -> None:
    """A unit that one run could not simulate measured nothing: it is not a regression."""
    a = edit_run(base_run, tmp_path / "a", {})
    b = edit_run(base_run, tmp_path / "b", {2: 0.0})
    lines = [json.loads(x) for x in (b / "results.jsonl").read_text().splitlines()]
    lines[0].update(termination_reason="infrastructure_error", reward_info=None)
    (b / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    comp = compare_runs([a, b])["comparisons"][0]
    assert comp["paired_units"] == 14
    assert abs(comp["mean_delta"] - (-1 / 14)) < 1e-12
    assert compare_runs([a, b])["runs"][str(b)]["infrastructure_errors"] == 1
