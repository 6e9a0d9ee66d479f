"""Resume cost: starting `runner run` again over a results.jsonl of 100,000 finished results.

Builds a run directory for the mock domain whose results.jsonl holds one realistic line per
unit (15 tasks x 6,667 trials = 100,005 lines, ~250 MB), then times (1) scanning the file as a
resume does and (2) the whole `runner run` command that resumes it (nothing left to run: start-up,
plugin loading, configuration check, scan, metrics, summary). Target: < 3 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRIALS = 6667


def build_run_dir(root: Path, trials: int = TRIALS) -> tuple[Path, list[str]]:
    """A finished-looking mock run: template lines from a real run, one per unit."""
    from runner.models.config import RunConfig
    from runner.plugins import PluginOptions, load_plugins
    from runner.run.batch import run_tasks
    from runner.run.build import select_tasks
    from runner.run.executor import derive_seed
    from runner.run.progress import NullProgress
    from runner.store import RESULTS_FILE

    plugins = load_plugins(PluginOptions(only=("runner-mock",)))
    args = [
        "--domain",
        "mock",
        "--num-trials",
        str(trials),
        "--output-dir",
        str(root),
        "--run-name",
        "big",
        "--no-progress",
    ]
    config = RunConfig(
        domain="mock", num_trials=trials, output_dir=str(root), run_name="big", progress=False
    )
    tasks = select_tasks(config, plugins)
    # One real trial per task gives the templates; run.json is written as `runner run` would.
    run_tasks(
        config.model_copy(update={"num_trials": 1}),
        tasks,
        plugins=plugins,
        progress=NullProgress(),
        argv=["runner", "run", *args],
    )
    run_dir = root / "big"
    meta = json.loads((run_dir / "run.json").read_text())
    meta["config"]["num_trials"] = trials
    (run_dir / "run.json").write_text(json.dumps(meta))
    templates = {}
    for line in (run_dir / RESULTS_FILE).read_text().splitlines():
        data = json.loads(line)
        templates[data["task_id"]] = data
    with open(run_dir / RESULTS_FILE, "w") as f:
        for trial in range(trials):
            for task in tasks:
                data = templates[task.id]
                data["trial"], data["seed"] = trial, derive_seed(config.seed, task.id, trial)
                data["id"] = f"{task.id}-{trial}"
                f.write(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
    return run_dir, args


def main() -> dict[str, float]:
    from runner.store import scan_results

    with tempfile.TemporaryDirectory() as tmp:
        run_dir, args = build_run_dir(Path(tmp))
        results = run_dir / "results.jsonl"
        size_mb = results.stat().st_size / 1e6
        start = time.perf_counter()
        scan = scan_results(results)
        scan_s = time.perf_counter() - start
        runner = str(Path(sys.executable).parent / "runner")
        env = dict(os.environ, RUNNER_LOAD_PLUGINS="runner-mock")
        start = time.perf_counter()
        proc = subprocess.run(
            [runner, "run", *args, "--json"], env=env, capture_output=True, text=True
        )
        resume_s = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"resume failed: {proc.stderr}")
        out = json.loads(proc.stdout)
        assert out["ran"] == 0 and out["resumed"] == len(scan.latest), out
        figures = {
            "results_lines": len(scan.latest),
            "results_file_mb": round(size_mb, 1),
            "scan_seconds": round(scan_s, 3),
            "resume_command_seconds": round(resume_s, 3),
            "targets_met": resume_s < 3.0,
        }
    for name, value in figures.items():
        print(f"{name:28s} {value}")
    return figures


if __name__ == "__main__":
    main()
