"""Batch throughput: the whole runner stack on one core, replay agent + scripted user on mock.

Unlike ``bench_orchestrator`` (the conversation loop alone), this goes through ``run_tasks``:
building every part from the registries, the local executor, evaluation, appending and fsyncing
each result, metrics and summary. Figures: simulations and orchestrator steps (messages) per
second of CPU time, and the wall-clock rate.
"""

from __future__ import annotations

import tempfile
import time


def main(trials: int = 40, concurrency: int = 10) -> dict[str, float]:
    from runner.models.config import RunConfig
    from runner.plugins import PluginOptions, load_plugins
    from runner.run.batch import run_tasks
    from runner.run.build import select_tasks
    from runner.run.progress import NullProgress
    from runner.store import read_results

    plugins = load_plugins(PluginOptions(only=("runner-mock",)))
    with tempfile.TemporaryDirectory() as tmp:
        config = RunConfig(
            domain="mock",
            num_trials=trials,
            max_concurrency=concurrency,
            output_dir=tmp,
            run_name="bench",
            progress=False,
        )
        tasks = select_tasks(config, plugins)
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_tasks(config, tasks, plugins=plugins, progress=NullProgress(), argv=[])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        steps = sum(len(r.messages) for r in read_results(result.run_dir))
    sims = result.num_units
    figures = {
        "simulations": sims,
        "avg_reward": result.metrics.avg_reward,
        "simulations_per_cpu_second": round(sims / cpu, 1),
        "steps_per_cpu_second": round(steps / cpu),
        "simulations_per_wall_second": round(sims / wall, 1),
    }
    for name, value in figures.items():
        print(f"{name:30s} {value}")
    return figures


if __name__ == "__main__":
    main()
