"""Reading results back: runner's ``results.jsonl`` and τ²-bench's ``results.json``.

One reader for ``results.jsonl`` with a ``strict`` flag, because its two users want opposite
things from a bad line:

- **lenient** (:func:`read_results`' default): what a resume sees. Torn and unparseable lines
  are skipped; their units run again.
- **strict** (:func:`read_results_file`'s default, what ``runner evaluate`` uses): every line
  is a result or a :class:`~runner.errors.RunnerError` naming the file, the line and the field;
  only an unparseable last line without its newline (a crash while writing) is skipped, with a
  warning.

Either way, when a unit was re-run (an infrastructure error retried) its newest line wins.
``runner evaluate`` re-scores results that runner or τ²-bench wrote, so both formats are read
into the same :class:`ResultsFile`:

- **runner**: a run directory (``run.json`` + ``results.jsonl``) or a ``results.jsonl`` file. The
  domain and its options come from ``run.json`` (next to the file) when it is there; the tasks
  come from the domain.
- **τ²-bench**: a ``results.json`` (``Results``: ``info``, ``tasks``, ``simulations``), or the
  folder of its "dir" format (``results.json`` + ``simulations/*.json``). The domain is
  ``info.environment_info.domain_name`` and the tasks are embedded in the file; τ²-bench files
  are always read strictly (one JSON document has no torn lines).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from runner.errors import RunnerError
from runner.store.layout import (
    RESULTS_FILE,
    RUN_FILE,
    TAU2_RESULTS_FILE,
    TAU2_SIMULATIONS_DIR,
    newest_wins,
    results_path,
)
from runner.store.locations import at, problem, read_text

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun

RUNNER_FORMAT = "runner"
TAU2_FORMAT = "tau2"


@dataclass
class ResultsFile:
    """The simulations of a results file, and what it says about how they were produced."""

    path: Path
    format: str
    runs: list[Any]
    #: The domain named by the file (``run.json`` / τ²-bench ``info``), or None.
    domain: str | None = None
    domain_options: dict[str, Any] = field(default_factory=dict)
    task_split: str | None = None
    #: Tasks embedded in the file (τ²-bench), else None: take them from the domain.
    tasks: list[Any] | None = None
    #: Things worth telling the user that do not stop the evaluation (a torn last line).
    warnings: list[str] = field(default_factory=list)


def read_results(
    path: Path | str, latest_only: bool = True, strict: bool = False
) -> list[SimulationRun]:
    """Every result of a ``results.jsonl`` (or a run directory) as validated ``SimulationRun``\\ s.

    Lenient by default (torn or unparseable lines are skipped); see the module docstring for
    ``strict``. With ``latest_only`` (default) an earlier result of a unit that was later re-run
    is dropped.
    """
    return _runner_runs(results_path(Path(path)), strict, latest_only, [])


def read_results_file(path: str | Path, strict: bool = True) -> ResultsFile:
    """Read a runner or τ²-bench results file (or folder); the format is detected."""
    path = Path(path)
    if path.is_dir():
        if (path / RESULTS_FILE).is_file():
            return _read_runner(path / RESULTS_FILE, strict)
        if (path / TAU2_RESULTS_FILE).is_file():
            return _read_tau2(path / TAU2_RESULTS_FILE)
        raise RunnerError(
            f"{path} holds neither {RESULTS_FILE} (a runner run directory) nor "
            f"{TAU2_RESULTS_FILE} (τ²-bench results). Pass a run directory, a results.jsonl or "
            "a τ²-bench results.json."
        )
    if not path.is_file():
        raise RunnerError(f"Results file {path} does not exist. Check the path.")
    if path.suffix == ".jsonl":
        return _read_runner(path, strict)
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if not exc.msg.startswith("Extra data") and path.suffix == ".json":
            raise RunnerError(
                f"{path}, line {exc.lineno}, column {exc.colno}: invalid JSON "
                f"({exc.msg}). A τ²-bench results.json is one JSON object."
            ) from None
        data = None  # several JSON values, one per line: runner's results.jsonl
    if isinstance(data, dict) and ("simulations" in data or "info" in data):
        return _read_tau2(path, text, data)
    return _read_runner(path, strict, text)


# -- runner: results.jsonl -------------------------------------------------------------------
def _read_runner(path: Path, strict: bool, text: str | None = None) -> ResultsFile:
    out = ResultsFile(path=path, format=RUNNER_FORMAT, runs=[])
    _read_run_json(path.parent / RUN_FILE, out)
    out.runs = _runner_runs(path, strict, True, out.warnings, text)
    return out


def _runner_runs(
    path: Path, strict: bool, latest_only: bool, warnings: list[str], text: str | None = None
) -> list[SimulationRun]:
    """The one reader of ``results.jsonl`` lines (``text``: the file, when already read)."""
    runs = _strict_lines(path, text, warnings) if strict else _lenient_lines(path)
    if not latest_only:
        return list(runs)
    return list(newest_wins(runs, _unit).values())


def _unit(run: SimulationRun) -> tuple[str, int, int | None]:
    return (run.task_id, run.trial, run.seed)


def _lenient_lines(path: Path) -> Iterator[SimulationRun]:
    from runner.models.simulation import SimulationRun

    with open(path, "rb") as f:
        for line in f:
            if not line.endswith(b"\n") or not line.strip():
                continue
            try:
                yield SimulationRun.model_validate_json(line)
            except ValueError:
                continue


def _strict_lines(path: Path, text: str | None, warnings: list[str]) -> Iterator[SimulationRun]:
    from runner.models.simulation import SimulationRun

    text = read_text(path) if text is None else text
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        last = number == len(lines)  # no newline after it: possibly torn by a crash
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            if last:
                warnings.append(
                    f"{path}, line {number} is incomplete (the run was still "
                    "writing it, or crashed); it was skipped."
                )
                continue
            raise RunnerError(
                f"{path}, line {number}, column {exc.colno}: invalid JSON ({exc.msg}). Each line "
                "of a results.jsonl must be one simulation result as a JSON object; fix or remove "
                "that line."
            ) from None
        if not isinstance(data, dict):
            raise RunnerError(
                f"{path}, line {number}: expected a simulation result (a JSON "
                f"object), found {type(data).__name__}."
            )
        try:
            yield SimulationRun.model_validate(data)
        except ValidationError as exc:
            raise RunnerError(f"{path}, line {number}{problem(exc, data)}") from None


def _read_run_json(path: Path, out: ResultsFile) -> None:
    if not path.is_file():
        return
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise RunnerError(
            f"{path}, line {exc.lineno}, column {exc.colno}: invalid JSON "
            f"({exc.msg}). Fix it, or pass --domain to evaluate without it."
        ) from None
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        return
    domain = config.get("domain")
    out.domain = domain if isinstance(domain, str) else None
    options = config.get("domain_options")
    out.domain_options = dict(options) if isinstance(options, dict) else {}
    split = config.get("task_split")
    out.task_split = split if isinstance(split, str) else None


# -- τ²-bench: results.json ------------------------------------------------------------------
def _read_tau2(path: Path, text: str | None = None, data: Any = None) -> ResultsFile:
    from runner.models.simulation import SimulationRun
    from runner.models.task import Task

    text = read_text(path) if text is None else text
    if data is None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RunnerError(
                f"{path}, line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})."
            ) from None
    if not isinstance(data, dict):
        raise RunnerError(
            f"{path}: expected a τ²-bench Results object, found {type(data).__name__}."
        )
    out = ResultsFile(path=path, format=TAU2_FORMAT, runs=[])
    info = data.get("info")
    env_info = info.get("environment_info") if isinstance(info, dict) else None
    name = env_info.get("domain_name") if isinstance(env_info, dict) else None
    out.domain = name if isinstance(name, str) else None

    raw_tasks = data.get("tasks")
    if raw_tasks is not None:
        if not isinstance(raw_tasks, list):
            raise RunnerError(
                f"{at(path, text, ['tasks'])}, field tasks: expected a list of tasks."
            )
        tasks = []
        for i, item in enumerate(raw_tasks):
            try:
                tasks.append(Task.model_validate(item))
            except ValidationError as exc:
                tid = item.get("id") if isinstance(item, dict) else None
                label = f"tasks[{i}]" + (f" (id {tid!r})" if tid is not None else "")
                raise RunnerError(
                    f"{at(path, text, ['tasks', i])}, {label}{problem(exc, item)}"
                ) from None
        out.tasks = tasks

    sims = data.get("simulations")
    sources: list[tuple[Any, Path, str | None, list[Any]]] = []
    if isinstance(sims, list) and sims:
        sources = [(s, path, text, ["simulations", i]) for i, s in enumerate(sims)]
    elif (path.parent / TAU2_SIMULATIONS_DIR).is_dir():  # τ²-bench's "dir" format
        for file in sorted((path.parent / TAU2_SIMULATIONS_DIR).glob("*.json")):
            sim_text = read_text(file)
            try:
                sources.append((json.loads(sim_text), file, sim_text, []))
            except json.JSONDecodeError as exc:
                raise RunnerError(
                    f"{file}, line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})."
                ) from None
    elif sims is not None and not isinstance(sims, list):
        raise RunnerError(f"{at(path, text, ['simulations'])}, field simulations: expected a list.")
    for raw, file, file_text, where in sources:
        if not isinstance(raw, dict):
            raise RunnerError(f"{at(file, file_text, where)}: expected a simulation object.")
        if raw.get("messages") is None and raw.get("ticks"):
            raise RunnerError(
                f"{at(file, file_text, where)}: simulation {raw.get('id')!r} is a τ²-bench "
                "full-duplex run (ticks, no messages); runner evaluate re-scores half-duplex "
                "τ²-bench simulations only."
            )
        item = dict(raw)
        if item.get("trial") is None:
            item["trial"] = 0
        if item.get("messages") is None:
            item["messages"] = []
        try:
            out.runs.append(SimulationRun.model_validate(item))
        except ValidationError as exc:
            label = f"simulation {raw.get('id')!r}" if raw.get("id") is not None else "simulation"
            raise RunnerError(f"{at(file, file_text, where)}, {label}{problem(exc, raw)}") from None
    return out
