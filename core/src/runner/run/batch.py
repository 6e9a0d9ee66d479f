"""Many simulations: the third runner layer.

``run_domain(config)`` selects the tasks and calls ``run_tasks(config, tasks)``, which runs
tasks × trials *units* through the configured executor, appends every result to the run
directory's ``results.jsonl`` as it finishes, resumes a run directory that already exists, shows
progress and writes ``summary.json``. ``run_single_task(config, task)`` runs one unit in memory
(no run directory). Each has an ``a``-prefixed coroutine twin for callers already inside an event
loop.

Ctrl+C: the executor stops launching and cancels what is in flight; every finished result is
already on disk; ``summary.json`` is written for the partial run and ``KeyboardInterrupt``
propagates (the CLI turns it into exit code 130 and prints the command that resumes).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.errors import ConfigError, RunnerError
from runner.evaluation.metrics import Metrics, compute_metrics
from runner.models.config import RunConfig
from runner.models.record import ResultRecord
from runner.run import build
from runner.run.executor import WorkUnit, run_unit, unit_keys
from runner.run.progress import Progress, make_progress
from runner.store import RunDirectory, run_json, summary_json, with_run_name

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun
    from runner.models.task import Task
    from runner.plugins import Plugins

Log = Callable[[str], None]
#: Allocations between two young-generation collections during a run (Python's default: 700).
GC_YOUNG_THRESHOLD = 50_000


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(repr=False)
class RunResult:
    """What ``run_tasks`` / ``run_domain`` return."""

    config: RunConfig
    run_dir: Path
    metrics: Metrics
    #: The newest result of each unit of this run (all invocations), as metric records.
    records: list[ResultRecord]
    num_units: int
    #: Units found finished in ``results.jsonl`` and skipped by this invocation.
    resumed: int = 0
    #: Units run by this invocation.
    ran: int = 0
    interrupted: bool = False
    warnings: list[str] = field(default_factory=list)
    #: This invocation's process CPU time and wall time, and its LLM calls by transport.
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    llm_calls: dict[str, int] = field(default_factory=dict)

    def __repr__(self) -> str:  # short: the records of a big run would take seconds to print
        return (
            f"RunResult(run_dir={str(self.run_dir)!r}, num_units={self.num_units}, "
            f"results={len(self.records)}, resumed={self.resumed}, ran={self.ran}, "
            f"interrupted={self.interrupted}, avg_reward={self.metrics.avg_reward})"
        )

    @property
    def complete(self) -> bool:
        """Every unit has a result and none of them is an infrastructure error."""
        return not self.metrics.missing and not self.metrics.infrastructure_errors

    def results(self) -> list[SimulationRun]:
        """Every unit's newest result, fully validated (reads ``results.jsonl``)."""
        keys = {r.key for r in self.records}
        runs = RunDirectory(self.run_dir).read_results()
        return [r for r in runs if (r.task_id, r.trial, r.seed) in keys]


def _run_facts(config: RunConfig) -> dict[str, Any]:
    """What ``run.json`` records that only this layer knows; the store lays out and masks the
    rest (:func:`runner.store.run_json`)."""
    return {
        "llm_transports": build.llm_routes(config),
    }


# -- running ---------------------------------------------------------------------------------
def _preflight(config: RunConfig, unit: WorkUnit, plugins: Plugins) -> None:
    """Build one unit's parts before anything is written, so that a bad option (an unknown
    ``--agent-option``, say) fails fast with its own message. Other failures are left to the
    unit itself, where they become a result."""
    try:
        build.build_orchestrator(config, unit.task, unit.seed, plugins)
    except RunnerError:
        raise
    except Exception:
        pass


def _io_error(path: Path, exc: OSError) -> RunnerError:
    return RunnerError(
        f"Cannot write the run directory {path}: {exc.strerror or exc}"
        f"{f' ({exc.filename})' if exc.filename else ''}. Check that --output-dir is writable "
        "and that the disk has space; finished results are kept, so the same command resumes."
    )


def _summary(run: RunResult) -> dict[str, Any]:
    return summary_json(
        run.config.run_name,
        run.num_units,
        complete=run.complete,
        interrupted=run.interrupted,
        metrics=run.metrics.to_json(),
        cpu_seconds=run.cpu_seconds,
        wall_seconds=run.wall_seconds,
        llm_calls=run.llm_calls,
    )


async def arun_tasks(
    config: RunConfig,
    tasks: Sequence[Task],
    *,
    plugins: Plugins | None = None,
    progress: Progress | None = None,
    argv: list[str] | None = None,
    log: Log = _stderr,
) -> RunResult:
    """Run ``tasks`` × ``config.num_trials`` into ``<output_dir>/<run_name>/`` (resuming it when
    it exists); see the module docstring."""
    from runner.plugins import default_plugins

    plugins = plugins or default_plugins()
    config = with_run_name(config)
    if not tasks:
        raise ConfigError("No tasks to run: the task selection is empty.")
    build.check_names(config, plugins)
    _check_tasks(config, tasks, plugins, log)
    gateway = build.run_gateway(config)
    keys = unit_keys(config, tasks)
    task_by_id = {task.id: task for task in tasks}
    if len(task_by_id) != len(tasks):
        raise ConfigError("The task list holds the same task id twice; task ids must be unique.")
    executor = plugins.registry("executors").get(config.executor).obj(config)
    _preflight(config, WorkUnit(config, tasks[0], *keys[0][1:]), plugins)
    try:
        info = run_json(
            config,
            [t.id for t in tasks],
            len(keys),
            plugins=plugins.infos,
            argv=sys.argv if argv is None else argv,
            facts=_run_facts(config),
        )
        run_dir, scan = RunDirectory.open(config, info, log)
        writer = run_dir.writer()
    except OSError as exc:
        raise _io_error(RunDirectory.of(config).path, exc) from None

    latest = scan.latest  # the newest result of each unit seen so far (this run's and others)
    pending = [
        WorkUnit(config, task_by_id[task_id], trial, seed)
        for task_id, trial, seed in keys
        if (r := latest.get((task_id, trial, seed))) is None or r.is_infrastructure_error
    ]
    if not config.judge_llm and pending:
        from runner.evaluation.judge import judge_warning

        warning = judge_warning(tasks)
        if warning:
            log(f"warning: {warning}")
    progress = progress or make_progress(config.progress)
    progress.start(len(keys), (latest[k] for k in keys if k in latest))
    plugins.notify("runner_run_start", config=config, tasks=list(tasks))

    result = RunResult(
        config=config,
        run_dir=run_dir.path,
        metrics=Metrics(),
        records=[],
        num_units=len(keys),
        resumed=len(keys) - len(pending),
    )

    def on_result(run: SimulationRun) -> None:
        if run.audio_tracks:  # a voice run: its audio goes beside the results, by reference
            run.audio = run_dir.write_audio(run)
        writer.append(run)
        record = ResultRecord.from_run(run)
        latest[record.key] = record
        result.ran += 1
        progress.advance(record)
        plugins.notify("runner_simulation_end", config=config, result=run)

    calls_before = dict(gateway.stats.transports)
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    try:
        if pending:
            with _collector_tuned():
                await executor.run(pending, plugins, on_result)
    except (asyncio.CancelledError, KeyboardInterrupt):
        result.interrupted = True
        raise
    except OSError as exc:  # a full disk, a folder removed under our feet
        raise _io_error(run_dir.path, exc) from None
    finally:
        progress.close()
        _measure_client(result, gateway.stats.transports, calls_before, cpu_before, wall_before)
        result.records = [latest[k] for k in keys if k in latest]
        result.metrics = compute_metrics(result.records, config.num_trials, len(keys))
        try:
            writer.close()
            run_dir.write_summary(_summary(result))
        except OSError as exc:
            log(f"warning: {_io_error(run_dir.path, exc)}")
    plugins.notify("runner_run_end", config=config, results=result.records, metrics=result.metrics)
    return result


def _measure_client(
    result: RunResult,
    calls: dict[str, int],
    calls_before: dict[str, int],
    cpu_before: float,
    wall_before: float,
) -> None:
    """Record what this invocation cost the client, and say so when litellm's CPU held it back."""
    from runner.llm.routing import litellm_cpu_note

    result.cpu_seconds = time.process_time() - cpu_before
    result.wall_seconds = time.perf_counter() - wall_before
    result.llm_calls = {
        t: n - calls_before.get(t, 0) for t, n in calls.items() if n > calls_before.get(t, 0)
    }
    note = litellm_cpu_note(result.llm_calls, result.cpu_seconds, result.wall_seconds)
    if note:
        result.warnings.append(note)


def _check_tasks(config: RunConfig, tasks: Sequence[Task], plugins: Plugins, log: Log) -> None:
    """Replay the tasks' expected actions before anything is written (:mod:`.preflight`)."""
    from runner.run.preflight import check_tasks, strict_error

    warnings = check_tasks(tasks, build.environment_factory(config, plugins))
    if warnings and config.strict_tasks:
        raise strict_error(warnings)
    for warning in warnings:
        log(f"warning: {warning}")


@contextlib.contextmanager
def _collector_tuned() -> Iterator[None]:
    """Garbage collection tuned for a run, restored afterwards.

    Everything that exists when the run starts (modules, plugin data, tasks: often millions of
    objects) is frozen out of the collector's sight, and young objects are collected less often.
    Without this, collections took most of the client CPU of many concurrent LLM simulations
    (``bench/bench_llm_simulations.py``; the figures are in ``docs/performance.md``).
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], GC_YOUNG_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


async def arun_domain(
    config: RunConfig,
    *,
    plugins: Plugins | None = None,
    progress: Progress | None = None,
    argv: list[str] | None = None,
    log: Log = _stderr,
) -> RunResult:
    """Run the domain's selected tasks (``task_split``, ``task_ids``, ``num_tasks``)."""
    from runner.plugins import default_plugins

    plugins = plugins or default_plugins()
    tasks = build.select_tasks(config, plugins)
    return await arun_tasks(config, tasks, plugins=plugins, progress=progress, argv=argv, log=log)


async def arun_single_task(
    config: RunConfig, task: Task, trial: int = 0, *, plugins: Plugins | None = None
) -> SimulationRun:
    """One unit in memory, with the retries of a batch run; no run directory is touched."""
    from runner.plugins import default_plugins
    from runner.run.executor import derive_seed

    plugins = plugins or default_plugins()
    unit = WorkUnit(config, task, trial, derive_seed(config.seed, task.id, trial))
    return await run_unit(unit, plugins)


def run_tasks(config: RunConfig, tasks: Sequence[Task], **kwargs: Any) -> RunResult:
    """Synchronous :func:`arun_tasks` (not callable from inside a running event loop)."""
    return asyncio.run(arun_tasks(config, tasks, **kwargs))


def run_domain(config: RunConfig, **kwargs: Any) -> RunResult:
    """Synchronous :func:`arun_domain`."""
    return asyncio.run(arun_domain(config, **kwargs))


def run_single_task(config: RunConfig, task: Task, trial: int = 0, **kwargs: Any) -> SimulationRun:
    """Synchronous :func:`arun_single_task`."""
    return asyncio.run(arun_single_task(config, task, trial, **kwargs))
