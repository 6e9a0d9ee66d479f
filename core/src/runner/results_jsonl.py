"""``results.jsonl``: appending results durably, scanning and repairing the file, reading it back.

Durability rules (why the code looks the way it does):

- ``results.jsonl`` is only ever appended to. Each result is one line written with a single
  ``os.write`` on an ``O_APPEND`` descriptor and then ``fsync``\\ ed, so a crash (even SIGKILL or
  a power cut) can tear at most the last line; resuming truncates that torn tail away.
- Scanning must start a resume fast over 100,000 results, so it first matches every line in
  place (:func:`runner.result_line.parse_lines`) and goes line by line only when that fails.

The layout of one line is :mod:`runner.result_line`; the run directory around the file is
:mod:`runner.checkpoint`.
"""

from __future__ import annotations

import mmap
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.errors import RunnerError
from runner.evaluation.metrics import ResultRecord
from runner.result_line import parse_lines, parse_record, result_line

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun

RESULTS_FILE = "results.jsonl"

UnitKey = tuple[str, int, "int | None"]


# -- scanning and repairing results.jsonl ------------------------------------------------------
@dataclass
class ScanResult:
    """What a pass over ``results.jsonl`` found."""

    #: The newest result of each unit ``(task_id, trial, seed)``, in file order of first sight.
    latest: dict[UnitKey, ResultRecord] = field(default_factory=dict)
    lines: int = 0
    #: Bytes of a torn last line (cut away when repairing).
    torn_bytes: int = 0
    #: 1-based numbers of complete lines that do not parse (skipped; their units run again).
    bad_lines: list[int] = field(default_factory=list)

    def done(self) -> set[UnitKey]:
        """Units that need no more work: finished with anything but an infrastructure error."""
        return {k for k, r in self.latest.items() if not r.is_infrastructure_error}


def scan_results(path: Path, repair: bool = False) -> ScanResult:
    """Read ``results.jsonl``; with ``repair``, truncate a torn or unparseable tail.

    A missing file is an empty scan. The newest line for a unit wins, so a unit re-run after an
    infrastructure error replaces its older result.
    """
    scan = ScanResult()
    if not path.exists():
        return scan
    size = path.stat().st_size
    fast = None
    if size:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            end = buf.rfind(b"\n") + 1
            fast = parse_lines(buf, end)
    if fast is not None:
        for record in fast:
            scan.latest.pop(record.key, None)
            scan.latest[record.key] = record
        scan.lines = len(fast)
        scan.torn_bytes = size - end
        if repair and scan.torn_bytes:
            _truncate(path, end)
        return scan
    good_end = 0  # byte offset just past the last line that parsed
    offset = 0
    bad: list[tuple[int, int]] = []  # (line number, start offset)
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            start, offset = offset, offset + len(line)
            if not line.endswith(b"\n"):
                break  # torn: the crash came before the newline
            if line.strip() == b"":
                continue
            try:
                record = parse_record(line)
            except ValueError:
                bad.append((number, start))
                continue
            scan.lines += 1
            good_end = offset
            scan.latest.pop(record.key, None)
            scan.latest[record.key] = record
    # Whatever follows the last good line (a partial line, zero-filled blocks, garbage) is the
    # remains of a crash; unparseable lines before it are reported and their units re-run.
    scan.bad_lines = [n for n, start in bad if start < good_end]
    tail_lines = [n for n, start in bad if start >= good_end]
    scan.torn_bytes = path.stat().st_size - good_end
    if repair and len(tail_lines) > 1:
        # A crash tears one line; many bad lines at the end mean something else wrote the file.
        raise RunnerError(
            f"{path} ends with {len(tail_lines)} lines that are not simulation results (from line "
            f"{tail_lines[0]}). Refusing to cut them away: check the file, remove those lines "
            "yourself, or start a new run with another --run-name."
        )
    if repair and scan.torn_bytes:
        _truncate(path, good_end)
    return scan


def _truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as f:
        f.truncate(size)
        f.flush()
        os.fsync(f.fileno())


def read_results(path: Path | str, latest_only: bool = True) -> list[SimulationRun]:
    """Every result of a ``results.jsonl`` (or a run directory) as validated ``SimulationRun``\\ s.

    Torn or unparseable lines are skipped. With ``latest_only`` (default) an earlier result of a
    unit that was later re-run is dropped.
    """
    from runner.models.simulation import SimulationRun

    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    runs: dict[Any, SimulationRun] = {}
    with open(path, "rb") as f:
        for i, line in enumerate(f):
            if not line.endswith(b"\n") or not line.strip():
                continue
            try:
                run = SimulationRun.model_validate_json(line)
            except ValueError:
                continue
            key = (run.task_id, run.trial, run.seed) if latest_only else i
            runs.pop(key, None)
            runs[key] = run
    return list(runs.values())


def iter_lines(path: Path) -> Iterator[bytes]:
    """Complete lines of a results file (for tools that want raw access)."""
    with open(path, "rb") as f:
        for line in f:
            if line.endswith(b"\n") and line.strip():
                yield line


# -- appending -------------------------------------------------------------------------------
class ResultsWriter:
    """Appends results to ``results.jsonl``: one ``write`` per line, every line fsynced.

    The ``write`` happens in the caller's thread, so once :meth:`append` returns the line is in
    the operating system's cache and survives the process being killed. With
    ``background_sync`` (what a run uses) the ``fsync`` that makes it survive a power cut runs
    in a helper thread, a few milliseconds later, so that a slow disk never stalls the event
    loop that drives the simulations; one ``fsync`` covers every line written before it, and
    :meth:`close` waits for the last one. Without it, each append waits for its ``fsync``.
    """

    def __init__(self, path: Path, background_sync: bool = False) -> None:
        self.path = path
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._syncer: threading.Thread | None = None
        self._dirty = threading.Event()
        self._closing = False
        self._sync_error: OSError | None = None
        if background_sync:
            self._syncer = threading.Thread(
                target=self._sync_loop, name="runner-results-fsync", daemon=True
            )
            self._syncer.start()

    def append(self, run: SimulationRun) -> None:
        self.append_line(result_line(run))

    def append_line(self, data: bytes) -> None:
        if self._fd is None:
            raise RuntimeError(f"{self.path} is closed")
        if self._sync_error is not None:
            raise self._sync_error
        view = memoryview(data)
        while view:  # a regular file takes it in one call; a full disk may not
            written = os.write(self._fd, view)
            view = view[written:]
        if self._syncer is None:
            os.fsync(self._fd)
        else:
            self._dirty.set()

    def _sync_loop(self) -> None:
        while True:
            self._dirty.wait()
            self._dirty.clear()
            fd = self._fd
            if fd is not None:
                try:
                    os.fsync(fd)
                except OSError as exc:  # reported by the next append or by close
                    self._sync_error = exc
            if self._closing and not self._dirty.is_set():
                return

    def close(self) -> None:
        if self._fd is None:
            return
        if self._syncer is not None:
            self._closing = True
            self._dirty.set()
            self._syncer.join()
        os.close(self._fd)
        self._fd = None
        if self._sync_error is not None:
            raise self._sync_error

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
