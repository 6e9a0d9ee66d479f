"""The run directory: ``run.json``, ``results.jsonl``, ``summary.json``; what a resume compares.

- ``run.json`` is written once when the run starts; ``summary.json`` is replaced atomically
  (temporary file + ``os.replace``) whenever it is rewritten.
- ``results.jsonl`` is appended to and scanned by :mod:`runner.results_jsonl` (one line's
  layout: :mod:`runner.result_line`).
- A resume refuses a configuration that differs from the stored one (:func:`config_diff`);
  secrets are masked before they reach ``run.json`` (:mod:`runner.secrets`).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.errors import RunnerError
from runner.results_jsonl import RESULTS_FILE, ResultsWriter, ScanResult, scan_results

RUN_FILE = "run.json"
SUMMARY_FILE = "summary.json"


# -- the directory ----------------------------------------------------------------------------
def write_json_atomic(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON so that readers see the old or the new file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes it private; run files are meant to be shared
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@dataclass
class RunDirectory:
    """``<output_dir>/<run_name>/`` and its three files."""

    path: Path

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


# -- comparing configurations ---------------------------------------------------------------
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
