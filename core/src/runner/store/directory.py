"""The run directory: one object for ``<output_dir>/<run_name>/`` from its creation to its reading.

- **Open or resume** (:meth:`RunDirectory.open`): the directory is named after the run
  (:func:`with_run_name`); a new one gets ``run.json``, written once; an existing one is resumed
  only when its stored configuration matches (:meth:`RunDirectory.check_resumable`) and after
  its ``results.jsonl`` is scanned and a torn tail repaired.
- **Append** (:meth:`RunDirectory.writer`), **scan** (:meth:`RunDirectory.scan`) and **read**
  (:meth:`RunDirectory.read_results`, :meth:`RunDirectory.read`): :mod:`runner.store.jsonl`
  and :mod:`runner.store.reader` do the work.
- **Summary**: ``summary.json`` is replaced atomically whenever an invocation of the run ends.

Secrets are masked on the way out (:mod:`runner.secrets`): ``run.json`` holds the configuration
and the command line with ``***`` for every secret, and a resume compares configurations without
them. What only the run layer knows (the LLM transport of each model, say) comes in as ``facts``,
so the store never imports the layers above it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from runner.errors import ConfigError, RunnerError
from runner.models.config import RESUME_IGNORED, RunConfig
from runner.secrets import mask_argv, mask_secrets, without_secrets
from runner.store.jsonl import ResultsWriter, ScanResult, scan_results
from runner.store.layout import RESULTS_FILE, RUN_FILE, SUMMARY_FILE, write_json_atomic

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun
    from runner.store.reader import ResultsFile

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class PluginRecord(Protocol):
    """What ``run.json`` records of each loaded plugin."""

    name: str
    distribution: str | None
    version: str | None
    builtin: bool
    status: str


# -- naming ---------------------------------------------------------------------------------
def default_run_name(config: RunConfig, now: datetime | None = None) -> str:
    """``<domain>_<agent>_<user>_<YYYYmmdd-HHMMSS>`` with unsafe characters replaced."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    raw = f"{config.domain}_{config.agent}_{config.user}_{stamp}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", raw)


def with_run_name(config: RunConfig) -> RunConfig:
    """``config`` with ``run_name`` filled (the default name when it was not given)."""
    if config.run_name:
        return config
    return config.model_copy(update={"run_name": default_run_name(config)})


# -- the directory --------------------------------------------------------------------------
@dataclass
class RunDirectory:
    """``<output_dir>/<run_name>/`` and its three files."""

    path: Path

    @classmethod
    def of(cls, config: RunConfig) -> RunDirectory:
        """The directory of ``config``'s run (named by :func:`with_run_name`)."""
        return cls(Path(config.output_dir) / str(with_run_name(config).run_name))

    @classmethod
    def open(
        cls, config: RunConfig, run_info: dict[str, Any], log: Log = _stderr
    ) -> tuple[RunDirectory, ScanResult]:
        """Create the run directory with ``run_info`` as its ``run.json`` (:func:`run_json`), or
        check and repair an existing one for resuming; the scan says which units are done."""
        run_dir = cls.of(config)
        if not run_dir.exists():
            run_dir.write_run(run_info)
            return run_dir, ScanResult()
        if not config.resume:
            raise ConfigError(
                f"The run directory {run_dir.path} already exists and --no-resume was given. "
                "Drop --no-resume to continue that run, pick another --run-name (or "
                "--output-dir) for a new run, or delete the folder to start it over."
            )
        run_dir.check_resumable(config)
        scan = run_dir.scan(repair=True)
        if scan.torn_bytes:
            log(
                f"warning: cut a torn last line ({scan.torn_bytes} bytes) from "
                f"{run_dir.results_file}; its unit runs again."
            )
        if scan.bad_lines:
            shown = ", ".join(map(str, scan.bad_lines[:10]))
            log(
                f"warning: {len(scan.bad_lines)} line(s) of {run_dir.results_file} are not valid "
                f"results (line {shown}); their units run again."
            )
        return run_dir, scan

    @property
    def run_file(self) -> Path:
        return self.path / RUN_FILE

    @property
    def results_file(self) -> Path:
        return self.path / RESULTS_FILE

    @property
    def summary_file(self) -> Path:
        return self.path / SUMMARY_FILE

    def exists(self) -> bool:
        return self.run_file.exists() or self.results_file.exists()

    def check_resumable(self, config: RunConfig) -> None:
        """Refuse to resume a run whose stored configuration differs (unless ``force_resume``)."""
        stored = self.read_run()
        diff = config_diff(
            without_secrets(stored_comparable(stored["config"])),
            without_secrets(config.comparable()),
        )
        if diff and not config.force_resume:
            lines = "\n".join(f"  {line}" for line in diff)
            raise ConfigError(
                f"The run directory {self.path} holds a run with a different configuration:\n"
                f"{lines}\n"
                "Run the same command as before to resume it, pass --force-resume to continue it "
                "with the new configuration anyway, or pick another --run-name to start a new run."
            )

    def read_run(self) -> dict[str, Any]:
        try:
            data = json.loads(self.run_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RunnerError(
                f"{self.path} has no {RUN_FILE}, so it is not a run directory (or its run never "
                "started). Pass the folder that `runner run` created, e.g. runs/<run-name>."
            ) from None
        except ValueError as exc:
            raise RunnerError(
                f"{self.run_file} is not valid JSON ({exc}). Restore it or start a "
                "new run with another --run-name."
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("config"), dict):
            raise RunnerError(
                f"{self.run_file} has no 'config' object; it was not written by "
                "`runner run`. Start a new run with another --run-name."
            )
        return data

    def write_run(self, data: dict[str, Any]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.run_file, data)

    def write_audio(self, run: SimulationRun) -> dict[str, str] | None:
        """Write a voice run's tracks as ``audio/<result id>/<side>.wav``; their paths, relative
        to the run directory (what the result's ``audio`` records), or None without tracks."""
        tracks = getattr(run, "audio_tracks", None)
        if not tracks:
            return None
        from runner.voice import write_wav

        paths = {}
        for side, track in sorted(tracks.items()):
            relative = Path("audio") / run.id / f"{side}.wav"
            write_wav(self.path / relative, track)
            paths[side] = relative.as_posix()
        return paths

    def read_summary(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.summary_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def write_summary(self, data: dict[str, Any]) -> None:
        write_json_atomic(self.summary_file, data)

    def scan(self, repair: bool = False) -> ScanResult:
        return scan_results(self.results_file, repair=repair)

    def writer(self, background_sync: bool = True) -> ResultsWriter:
        self.path.mkdir(parents=True, exist_ok=True)
        return ResultsWriter(self.results_file, background_sync=background_sync)

    def read_results(self, latest_only: bool = True, strict: bool = False) -> list[SimulationRun]:
        """The results as validated ``SimulationRun``\\ s (:func:`runner.store.read_results`)."""
        from runner.store.reader import read_results

        return read_results(self.path, latest_only=latest_only, strict=strict)

    def read(self, strict: bool = True) -> ResultsFile:
        """The directory as a :class:`~runner.store.ResultsFile`: a runner run directory or a
        τ²-bench results folder (:func:`runner.store.read_results_file`)."""
        from runner.store.reader import read_results_file

        return read_results_file(self.path, strict=strict)


# -- what run.json and summary.json hold ---------------------------------------------------
def run_json(
    config: RunConfig,
    task_ids: Sequence[str],
    num_units: int,
    *,
    plugins: Iterable[PluginRecord],
    argv: Sequence[str],
    facts: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``run.json`` of a new run, secrets masked; ``facts`` come last (e.g. LLM transports)."""
    from runner import __version__

    return {
        "run_name": config.run_name,
        "runner_version": __version__,
        "start_time": datetime.now().isoformat(),
        "command_line": mask_argv(list(argv)),
        "config": mask_secrets(config.model_dump(mode="json")),
        "plugins": [
            {
                "name": i.name,
                "distribution": i.distribution,
                "version": i.version,
                "builtin": i.builtin,
            }
            for i in plugins
            if i.status == "ok"
        ],
        "task_ids": list(task_ids),
        "num_units": num_units,
        **mask_secrets(dict(facts or {})),
    }


def summary_json(
    run_name: str | None,
    num_units: int,
    *,
    complete: bool,
    interrupted: bool,
    metrics: Mapping[str, Any],
    cpu_seconds: float,
    wall_seconds: float,
    llm_calls: Mapping[str, int],
) -> dict[str, Any]:
    """``summary.json``: the run's metrics and what its last invocation cost the client."""
    return {
        "run_name": run_name,
        "updated": datetime.now().isoformat(),
        "num_units": num_units,
        "complete": complete,
        "interrupted": interrupted,
        "metrics": dict(metrics),
        "client": {
            "cpu_seconds": round(cpu_seconds, 3),
            "wall_seconds": round(wall_seconds, 3),
            "llm_calls": dict(llm_calls),
        },
    }


# -- comparing configurations ---------------------------------------------------------------
def stored_comparable(stored_config: dict[str, Any]) -> dict[str, Any]:
    """The stored configuration's fields that a resume compares."""
    return {k: v for k, v in stored_config.items() if k not in RESUME_IGNORED}


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: value}


def config_diff(stored: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """One line per differing field: ``field: stored -> now``."""
    old, new = _flatten(stored), _flatten(current)
    lines = []
    for key in sorted(set(old) | set(new)):
        if old.get(key, "<unset>") != new.get(key, "<unset>"):
            lines.append(
                f"{key}: {json.dumps(old.get(key, '<unset>'))} (stored) -> "
                f"{json.dumps(new.get(key, '<unset>'))} (now)"
            )
    return lines
