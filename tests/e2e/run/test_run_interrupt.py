"""Ctrl+C (SIGINT) during `runner run`: exit 130, results kept, the printed command resumes."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest


def complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.slow
def test_sigint_keeps_results_and_prints_the_resume_command(tmp_path, runner_exe, run_env):
    results = tmp_path / "i" / "results.jsonl"
    cmd = [
        runner_exe,
        "-p",
        "batch_chaos_plugin",
        "run",
        "--domain",
        "mock",
        "--agent",
        "bt_slow",
        "--num-trials",
        "4",
        "--max-concurrency",
        "4",
        "--output-dir",
        str(tmp_path),
        "--run-name",
        "i",
        "--no-progress",
    ]
    proc = subprocess.Popen(
        cmd, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while complete_lines(results) < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    kept = complete_lines(results)
    assert 5 <= kept < 60
    assert f"{kept} of 60 simulations are finished" in err
    lines = results.read_text().splitlines()
    assert all(json.loads(line)["task_id"] for line in lines)
    summary = json.loads((tmp_path / "i" / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["metrics"]["num_results"] == kept

    resume = err.split("Resume with:")[1].strip().splitlines()[0]
    args = shlex.split(resume)
    assert args[0] == "runner" and "--run-name" in args and "-p" in args
    done = subprocess.run(
        [runner_exe, *args[1:], "--json"], env=run_env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert (info["resumed"], info["ran"], info["complete"]) == (kept, 60 - kept, True)
    units = [
        (json.loads(x)["task_id"], json.loads(x)["trial"]) for x in results.read_text().splitlines()
    ]
    assert len(units) == len(set(units)) == 60
