"""``results.jsonl``: appending results durably, scanning and repairing the file.

Durability rules (why the code looks the way it does):

- ``results.jsonl`` is only ever appended to. Each result is one line written with a single
  ``os.write`` on an ``O_APPEND`` descriptor and then ``fsync``\\ ed, so a crash (even SIGKILL or
  a power cut) can tear at most the last line; resuming truncates that torn tail away.
- Scanning must start a resume fast over 100,000 results, so it first matches every line in
  place (:func:`runner.store.line.parse_lines`) and goes line by line only when that fails.

The layout of one line is :mod:`runner.store.line`; reading whole results back (validated
``SimulationRun``\\ s) is :mod:`runner.store.reader`; the run directory around the file is
:mod:`runner.store.directory`.
"""

from __future__ import annotations

import mmap
import os
import threading
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from runner.errors import RunnerError
from runner.models.record import ResultRecord
from runner.store.layout import newest_wins
from runner.store.line import parse_lines, parse_record, result_line

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun

UnitKey = tuple[str, int, "int | None"]
_unit = attrgetter("key")


# -- scanning and repairing results.jsonl ------------------------------------------------------
@dataclass
class ScanResult:
    """What a pass over ``results.jsonl`` found."""

    #: The newest result of each unit ``(task_id, trial, seed)``, in file order of the lines
    #: that won (:func:`~runner.store.layout.newest_wins`).
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
        newest_wins(fast, _unit, scan.latest)
        scan.lines = len(fast)
        scan.torn_bytes = size - end
        if repair and scan.torn_bytes:
            _truncate(path, end)
        return scan
    records, bad, good_end = _line_by_line(path)
    newest_wins(records, _unit, scan.latest)
    scan.lines = len(records)
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


def _line_by_line(path: Path) -> tuple[list[ResultRecord], list[tuple[int, int]], int]:
    """The slow path: each line parsed on its own. Returns the records, the bad lines
    (number, start offset) and the offset just past the last line that parsed."""
    records: list[ResultRecord] = []
    bad: list[tuple[int, int]] = []
    good_end = offset = 0
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
            records.append(record)
            good_end = offset
    return records, bad, good_end


def _truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as f:
        f.truncate(size)
        f.flush()
        os.fsync(f.fileno())


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
