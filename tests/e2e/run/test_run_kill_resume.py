"""SIGKILL `runner run` at random moments, resume each time: every unit ends up exactly once."""

from __future__ import annotations

import json
import random
import subprocess
import time
from pathlib import Path

import pytest
from runner.models import SimulationRun

TASKS, TRIALS = 15, 30  # the mock domain's 15 tasks x 30 trials = 450 simulations


def complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.slow
def test_sigkill_ten_times_then_resume(tmp_path, runner_exe, run_env):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    results = tmp_path / "k" / "results.jsonl"
    cmd = [
        runner_exe,
        "run",
        "--domain",
        "mock",
        "--num-trials",
        str(TRIALS),
        "--max-concurrency",
        "4",
        "--output-dir",
        str(tmp_path),
        "--run-name",
        "k",
        "--no-progress",
    ]
    total = TASKS * TRIALS
    killed_mid_run = 0
    for _ in range(10):
        before = complete_lines(results)
        proc = subprocess.Popen(cmd, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if rng.random() < 0.3:
            # during start-up (about 0.15-0.3 s): a later deadline could let a fast machine
            # finish the whole run before the kill
            target, deadline = None, time.monotonic() + rng.uniform(0.0, 0.2)
        else:
            # at most a sixth of what is left: after ten kills a third of the run still remains,
            # so even the last runs are killed mid-run rather than allowed to finish
            target, deadline = before + rng.randint(1, max(1, (total - before) // 6)), None
        while proc.poll() is None:
            if target is not None and complete_lines(results) >= target:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            time.sleep(0.001)
        if proc.poll() is None:
            killed_mid_run += 1
        proc.kill()
        _, err = proc.communicate(timeout=30)
        assert b"Traceback" not in err, (seed, err.decode())
    assert killed_mid_run >= 5, f"the run finished too early to be killed (seed {seed})"

    final = subprocess.run(cmd + ["--json"], env=run_env, capture_output=True, timeout=120)
    assert final.returncode == 0, (seed, final.stderr.decode())
    summary = json.loads(final.stdout)
    assert summary["complete"] and summary["num_units"] == total

    raw = results.read_bytes()
    assert raw.endswith(b"\n")
    units = []
    for line in raw.splitlines():
        run = SimulationRun.model_validate_json(line)  # every line parses
        units.append((run.task_id, run.trial))
    assert len(units) == total, f"duplicates or gaps (seed {seed})"
    assert len(set(units)) == total
    assert {trial for _, trial in units} == set(range(TRIALS))

    changed = subprocess.run(
        cmd[:-1] + ["--no-progress", "--seed", "1"], env=run_env, capture_output=True, timeout=60
    )
    assert changed.returncode == 1
    err = changed.stderr.decode()
    assert "seed: 300 (stored) -> 1 (now)" in err and "Traceback" not in err
