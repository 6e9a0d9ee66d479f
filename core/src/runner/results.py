"""Reading results files of both formats: runner's and τ²-bench's.

``runner evaluate`` re-scores results that either tool wrote, so both are read into the same
:class:`ResultsFile`:

- **runner**: a run directory (``run.json`` + ``results.jsonl``) or a ``results.jsonl`` file. The
  domain and its options come from ``run.json`` (next to the file) when it is there; the tasks
  come from the domain. When a unit was re-run (an infrastructure error retried), its newest
  line wins, as in ``runner show``.
- **τ²-bench**: a ``results.json`` (``Results``: ``info``, ``tasks``, ``simulations``), or the
  folder of its "dir" format (``results.json`` + ``simulations/*.json``). The domain is
  ``info.environment_info.domain_name`` and the tasks are embedded in the file.

Every problem is a :class:`~runner.errors.RunnerError` naming the file, the line and the field,
because a results file is often large and hand-inspected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from runner.errors import RunnerError

RUNNER_FORMAT = "runner"
TAU2_FORMAT = "tau2"
RESULTS_JSONL = "results.jsonl"
RUN_JSON = "run.json"
TAU2_RESULTS = "results.json"
TAU2_SIMULATIONS_DIR = "simulations"


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


def read_results_file(path: str | Path) -> ResultsFile:
    """Read a runner or τ²-bench results file (or folder); the format is detected."""
    path = Path(path)
    if path.is_dir():
        if (path / RESULTS_JSONL).is_file():
            return _read_runner(path / RESULTS_JSONL)
        if (path / TAU2_RESULTS).is_file():
            return _read_tau2(path / TAU2_RESULTS)
        raise RunnerError(
            f"{path} holds neither {RESULTS_JSONL} (a runner run directory) nor {TAU2_RESULTS} "
            "(τ²-bench results). Pass a run directory, a results.jsonl or a τ²-bench results.json."
        )
    if not path.is_file():
        raise RunnerError(f"Results file {path} does not exist. Check the path.")
    if path.suffix == ".jsonl":
        return _read_runner(path)
    text = _read_text(path)
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
    return _read_runner(path, text)


# -- runner: results.jsonl -------------------------------------------------------------------
def _read_runner(path: Path, text: str | None = None) -> ResultsFile:
    from runner.models.simulation import SimulationRun

    text = _read_text(path) if text is None else text
    out = ResultsFile(path=path, format=RUNNER_FORMAT, runs=[])
    _read_run_json(path.parent / RUN_JSON, out)
    latest: dict[tuple[str, int, int | None], Any] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        last = number == len(lines)  # no newline after it: possibly torn by a crash
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            if last:
                out.warnings.append(
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
            run = SimulationRun.model_validate(data)
        except ValidationError as exc:
            raise RunnerError(f"{path}, line {number}{_problem(exc, data)}") from None
        key = (run.task_id, run.trial, run.seed)
        latest.pop(key, None)
        latest[key] = run
    out.runs = list(latest.values())
    return out


def _read_run_json(path: Path, out: ResultsFile) -> None:
    if not path.is_file():
        return
    try:
        data = json.loads(_read_text(path))
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

    text = _read_text(path) if text is None else text
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
                f"{_at(path, text, ['tasks'])}, field tasks: expected a list of tasks."
            )
        tasks = []
        for i, item in enumerate(raw_tasks):
            try:
                tasks.append(Task.model_validate(item))
            except ValidationError as exc:
                tid = item.get("id") if isinstance(item, dict) else None
                label = f"tasks[{i}]" + (f" (id {tid!r})" if tid is not None else "")
                raise RunnerError(
                    f"{_at(path, text, ['tasks', i])}, {label}{_problem(exc, item)}"
                ) from None
        out.tasks = tasks

    sims = data.get("simulations")
    sources: list[tuple[Any, Path, str | None, list[Any]]] = []
    if isinstance(sims, list) and sims:
        sources = [(s, path, text, ["simulations", i]) for i, s in enumerate(sims)]
    elif (path.parent / TAU2_SIMULATIONS_DIR).is_dir():  # τ²-bench's "dir" format
        for file in sorted((path.parent / TAU2_SIMULATIONS_DIR).glob("*.json")):
            sim_text = _read_text(file)
            try:
                sources.append((json.loads(sim_text), file, sim_text, []))
            except json.JSONDecodeError as exc:
                raise RunnerError(
                    f"{file}, line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})."
                ) from None
    elif sims is not None and not isinstance(sims, list):
        raise RunnerError(
            f"{_at(path, text, ['simulations'])}, field simulations: expected a list."
        )
    for raw, file, file_text, where in sources:
        if not isinstance(raw, dict):
            raise RunnerError(f"{_at(file, file_text, where)}: expected a simulation object.")
        if raw.get("messages") is None and raw.get("ticks"):
            raise RunnerError(
                f"{_at(file, file_text, where)}: simulation {raw.get('id')!r} is a τ²-bench "
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
            raise RunnerError(
                f"{_at(file, file_text, where)}, {label}{_problem(exc, raw)}"
            ) from None
    return out


# -- error locations -------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RunnerError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise RunnerError(f"{path} is not a UTF-8 text file; a results file is JSON.") from None


def _problem(exc: ValidationError, data: Any) -> str:
    """``, field messages[3].content: Input should be a valid string`` for the deepest error."""
    err = max(exc.errors(), key=lambda e: len(e["loc"]))
    more = exc.error_count() - 1
    extra = f" ({more} more problem(s))" if more else ""
    return f", field {field_path(err['loc'], data)}: {err['msg']}{extra}."


def field_path(loc: tuple[Any, ...], data: Any) -> str:
    """A pydantic error location as the user wrote it (union branch names and tags dropped)."""
    out = ""
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(part, int) and isinstance(node, list):
            out += f"[{part}]"
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict) and (part in node or last):
            out += ("." if out else "") + str(part)
            node = node.get(part)
    return out or "(top level)"


def _at(path: Path, text: str | None, where: list[Any]) -> str:
    """``FILE, line N`` where the value at JSON path ``where`` starts (just ``FILE`` if unknown)."""
    line = line_of(text, where) if text is not None and where else None
    return f"{path}, line {line}" if line else str(path)


def line_of(text: str, where: list[Any]) -> int | None:
    """The 1-based line on which the value at ``where`` (keys and list indices) starts.

    Walks the JSON text, decoding only the keys on the way and skipping other values with the
    standard decoder, so it costs about one parse of the file (and runs only to report an error).
    """
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    try:
        for step in where:
            if isinstance(step, int):
                if text[pos] != "[":
                    return None
                pos = _skip_ws(text, pos + 1)
                for _ in range(step):
                    _, pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    if text[pos] != ",":
                        return None
                    pos = _skip_ws(text, pos + 1)
            else:
                if text[pos] != "{":
                    return None
                pos = _skip_ws(text, pos + 1)
                while True:
                    key, pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, _skip_ws(text, pos) + 1)  # past the colon
                    if key == step:
                        break
                    _, pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    if text[pos] != ",":
                        return None
                    pos = _skip_ws(text, pos + 1)
    except (ValueError, IndexError):
        return None
    return text.count("\n", 0, pos) + 1


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
