"""Checkpoint cost: appending one result to results.jsonl holding 1,000 vs 100,000 results.

Each append is what a run does per finished simulation: serialise the SimulationRun
(``result_line``), one ``os.write`` on an O_APPEND descriptor, ``fsync``. The file is opened once
per run, so the cost must not grow with the file. Target: the 100,000-line figure within 2x of
the 1,000-line one.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def _sample_run():
    from runner.models.config import RunConfig
    from runner.plugins import PluginOptions, load_plugins
    from runner.run.batch import run_single_task
    from runner.run.build import select_tasks

    plugins = load_plugins(PluginOptions(only=("runner-mock",)))
    config = RunConfig(domain="mock", progress=False)
    task = select_tasks(config, plugins)[4]  # a multi-step task
    return run_single_task(config, task, plugins=plugins)


def _append_cost(path: Path, lines: int, line: bytes, run, samples: int) -> tuple[float, float]:
    from runner.store import ResultsWriter

    with open(path, "wb") as f:
        f.write(line * lines)
    times = []
    with ResultsWriter(path) as writer:
        for _ in range(samples):
            start = time.perf_counter()
            writer.append(run)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, statistics.quantiles(times, n=20)[-1] * 1e3


def main(samples: int = 300) -> dict[str, float]:
    from runner.store import result_line

    run = _sample_run()
    line = result_line(run)
    with tempfile.TemporaryDirectory() as tmp:
        small, small_p95 = _append_cost(Path(tmp) / "small.jsonl", 1_000, line, run, samples)
        large, large_p95 = _append_cost(Path(tmp) / "large.jsonl", 100_000, line, run, samples)
    start = time.perf_counter()
    for _ in range(samples):
        result_line(run)
    serialise = (time.perf_counter() - start) / samples * 1e3
    figures = {
        "line_bytes": len(line),
        "append_ms_at_1k_lines_median": round(small, 3),
        "append_ms_at_100k_lines_median": round(large, 3),
        "append_ms_at_1k_lines_p95": round(small_p95, 3),
        "append_ms_at_100k_lines_p95": round(large_p95, 3),
        "ratio_100k_to_1k": round(large / small, 2),
        "serialise_ms": round(serialise, 3),
    }
    figures["targets_met"] = figures["ratio_100k_to_1k"] <= 2.0
    for name, value in figures.items():
        print(f"{name:32s} {value}")
    return figures


if __name__ == "__main__":
    main()
