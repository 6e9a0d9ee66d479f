"""The report is one self-contained file, and result text cannot inject markup."""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from runner import ConfigError
from runner_viewer.report import build_report, histogram_svg, line_chart_svg
from runner_viewer.stats import pass_hat_k
from viewer_helpers import XSS


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


def test_charts_and_pass_hat_k() -> None:
    assert pass_hat_k({"a": [1.0, 1.0], "b": [1.0, 0.0]}) == {1: 0.75, 2: 0.5}
    assert "<polyline" in line_chart_svg({1: 0.75, 2: 0.5})
    assert histogram_svg([0.1, 0.2, 0.2]).count("<rect") == 20
