"""The report is one self-contained file, and result text cannot inject markup."""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from runner import ConfigError, read_results
from runner_viewer.data import summarize
from runner_viewer.report import build_report, histogram_svg, line_chart_svg
from viewer_helpers import XSS, edit_run


def test_report_is_self_contained(base_run: Path, tmp_path: Path) -> None:
    from runner_viewer.cli import report_cmd

    out = tmp_path / "r.html"
    res = CliRunner().invoke(report_cmd, [str(base_run), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "http://" not in html and "https://" not in html
    assert html.count('type="application/octet-stream"') == 15
    assert "<svg" in html and "pass^1" in html


def test_payloads_are_escaped(hostile_run: Path) -> None:
    html = build_report(hostile_run)
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned" in html  # the task id, escaped in the table
    # Only our own scripts exist: the data blocks and the one inline program.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('type="application/octet-stream"' in s for s in scripts[:-1]) and scripts[-1] == ""
    blob = re.search(r'id="t0">([^<]*)</script>', html)
    assert blob is not None
    sim = json.loads(gzip.decompress(base64.b64decode(blob.group(1))))
    assert XSS in sim["messages"][1]["content"]  # kept verbatim for textContent rendering
    assert "innerHTML" not in html


def test_not_a_run_dir(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        build_report(tmp_path)


def test_figures_are_the_runs_metrics(base_run: Path, tmp_path: Path) -> None:
    """The report's summary is the core's metrics (what ``runner show`` prints): an
    infrastructure error is left out of every score, a failure counts."""
    run = edit_run(base_run, tmp_path / "r", {1: 0.0})
    lines = [json.loads(x) for x in (run / "results.jsonl").read_text().splitlines()]
    lines[0].update(termination_reason="infrastructure_error", reward_info=None)
    (run / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    summary = summarize(read_results(run))
    assert summary["num"] == 15 and summary["infrastructure_errors"] == 1
    assert summary["avg_reward"] == 13 / 14  # 14 scored, one failed
    assert summary["pass_hat_k"] == {1: 13 / 14}
    assert summary["termination"]["infrastructure_error"] == 1
    html = build_report(run)
    assert "infrastructure errors (not scored) <b>1</b>" in html
    assert "average reward <b>0.929</b>" in html


def test_charts() -> None:
    assert "<polyline" in line_chart_svg({1: 0.75, 2: 0.5})
    assert histogram_svg([0.1, 0.2, 0.2]).count("<rect") == 20


def test_the_output_folder_is_created(base_run: Path, tmp_path: Path) -> None:
    from runner_viewer.cli import report_cmd

    out = tmp_path / "new" / "folder" / "r.html"
    res = CliRunner().invoke(report_cmd, [str(base_run), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
