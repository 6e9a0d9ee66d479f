"""Start-up time: ``runner --help`` and ``runner list-plugins`` with every workspace plugin.

Both commands load every installed plugin (``--help`` lists plugin commands), so they measure
what a plugin's entry-point module costs at import. Each command runs in a fresh process, after
two warm-up runs, ``RUNS`` times; the figure is the median wall-clock time (the CPU time is
reported too: it does not grow when other work shares the machine).
Target: median under 0.3 s for each.

Measure in the state ``make sync`` leaves: this project's shells set PYTHONDONTWRITEBYTECODE=1,
so nothing is compiled on the fly, and ``make sync`` precompiles the dependencies
(``uv sync --compile-bytecode``) and our own sources (``compileall``). ``bytecode_precompiled``
says whether that was done; without it every start pays for compiling runner's modules.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RUNS = 15
WARMUP = 2
TARGET_S = 0.3

COMMANDS = {
    "help": ["--help"],
    "list_plugins": ["list-plugins"],
}


def _env() -> dict[str, str]:
    # the installed plugins as they are: no RUNNER_* selection from the calling shell
    return {k: v for k, v in os.environ.items() if not k.startswith("RUNNER_")}


def time_command(
    argv: list[str], runs: int = RUNS, warmup: int = WARMUP
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of ``runs`` fresh runs of ``argv``, after
    ``warmup`` untimed ones. CPU time is what the start-up costs even when the machine is busy
    with other work; wall time is what a person waits."""
    env = _env()
    walls, cpus = [], []
    for i in range(warmup + runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr.strip()}")
        if i >= warmup:
            walls.append(elapsed)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def bytecode_precompiled() -> bool:
    """Whether runner's own modules have up-to-date compiled bytecode next to them."""
    import runner

    package = Path(runner.__file__).parent
    sources = list(package.rglob("*.py"))
    for source in sources:
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists() or cached.stat().st_mtime < source.stat().st_mtime:
            return False
    return bool(sources)


def installed_plugins(runner: str) -> list[str]:
    out = subprocess.run(
        [runner, "list-plugins", "--json"], env=_env(), capture_output=True, text=True, check=True
    )
    return [f"{p['distribution'] or p['name']} ({p['status']})" for p in json.loads(out.stdout)]


def main(runs: int = RUNS) -> dict[str, Any]:
    runner = str(Path(sys.executable).parent / "runner")
    figures: dict[str, Any] = {}
    baseline, _ = time_command([sys.executable, "-c", "pass"], runs=runs)
    figures["python_bare_median_s"] = round(statistics.median(baseline), 4)
    for name, args in COMMANDS.items():
        walls, cpus = time_command([runner, *args], runs=runs)
        figures[f"{name}_median_s"] = round(statistics.median(walls), 4)
        figures[f"{name}_min_s"] = round(min(walls), 4)
        figures[f"{name}_max_s"] = round(max(walls), 4)
        figures[f"{name}_cpu_median_s"] = round(statistics.median(cpus), 4)
    figures["runs_per_command"] = runs
    figures["plugins"] = installed_plugins(runner)
    figures["bytecode_precompiled"] = bytecode_precompiled()
    figures["targets_met"] = all(figures[f"{n}_median_s"] < TARGET_S for n in COMMANDS)
    for key, value in figures.items():
        print(f"{key:28s} {value}")
    if not figures["bytecode_precompiled"]:
        print(
            "note: runner's bytecode is missing or stale; run `make sync` first for representative figures"
        )
    return figures


if __name__ == "__main__":
    main()
