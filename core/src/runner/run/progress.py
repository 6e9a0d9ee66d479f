"""Progress of a run on stderr: a rich bar on a terminal, periodic plain lines otherwise.

Shown: done/total, rate, time left, the running average reward and the number of errors. The
figures are kept by :class:`ProgressStats`, which knows nothing about display, so that both
displays (and tests) read the same numbers. Progress never writes to stdout: ``--json`` output
stays machine-readable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import IO, Any, Protocol

from runner.models.record import ResultRecord

#: Terminations counted as errors in the progress display.
ERROR_REASONS = frozenset({"agent_error", "user_error", "infrastructure_error", "unexpected_error"})


class ProgressStats:
    """Counts of one run as results arrive (including results found when resuming)."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.done_before = 0
        self.errors = 0
        self.infrastructure_errors = 0
        self._reward_sum = 0.0
        self._scored = 0
        self.started = time.monotonic()

    def start(self, total: int, previous: Iterable[ResultRecord] = ()) -> None:
        self.total = total
        for record in previous:
            self.add(record)
        self.done_before = self.done
        self.started = time.monotonic()

    def add(self, record: ResultRecord) -> None:
        self.done += 1
        if record.termination_reason in ERROR_REASONS:
            self.errors += 1
        if record.is_infrastructure_error:
            self.infrastructure_errors += 1
            return
        self._scored += 1
        self._reward_sum += record.reward or 0.0

    @property
    def avg_reward(self) -> float | None:
        return self._reward_sum / self._scored if self._scored else None

    @property
    def rate(self) -> float:
        """Simulations per second finished by this invocation."""
        elapsed = time.monotonic() - self.started
        return (self.done - self.done_before) / elapsed if elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None

    def line(self) -> str:
        pct = 100.0 * self.done / self.total if self.total else 100.0
        reward = "-" if self.avg_reward is None else f"{self.avg_reward:.3f}"
        eta = "-" if self.eta is None else _clock(self.eta)
        return (
            f"{self.done}/{self.total} done ({pct:.1f}%), {self.rate:.2f} sim/s, ETA {eta}, "
            f"avg reward {reward}, errors {self.errors} "
            f"(infrastructure {self.infrastructure_errors})"
        )


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress(Protocol):
    """What the batch layer calls; implementations only display."""

    stats: ProgressStats

    def start(self, total: int, previous: Iterable[ResultRecord] = ()) -> None: ...

    def advance(self, record: ResultRecord) -> None: ...

    def close(self) -> None: ...


class NullProgress:
    """Keeps the figures, shows nothing (``--no-progress`` or the Python API's default)."""

    def __init__(self) -> None:
        self.stats = ProgressStats()

    def start(self, total: int, previous: Iterable[ResultRecord] = ()) -> None:
        self.stats.start(total, previous)

    def advance(self, record: ResultRecord) -> None:
        self.stats.add(record)

    def close(self) -> None:
        pass


class LineProgress(NullProgress):
    """A plain line every ``interval`` seconds (and at the end), for logs and CI."""

    def __init__(self, stream: IO[str] | None = None, interval: float = 10.0) -> None:
        super().__init__()
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0

    def start(self, total: int, previous: Iterable[ResultRecord] = ()) -> None:
        super().start(total, previous)
        self._last = time.monotonic()
        self._emit()

    def advance(self, record: ResultRecord) -> None:
        super().advance(record)
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._emit()

    def close(self) -> None:
        self._emit()

    def _emit(self) -> None:
        print(f"[runner] {self.stats.line()}", file=self.stream, flush=True)


class RichProgress(NullProgress):
    """A live bar on a terminal's stderr."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichBar

        console = Console(file=stream or sys.stderr)
        self._bar = RichBar(
            TextColumn("[bold]simulations"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[stats]}"),
            console=console,
            transient=False,
            refresh_per_second=4,
        )
        self._task: Any = None

    def start(self, total: int, previous: Iterable[ResultRecord] = ()) -> None:
        super().start(total, previous)
        self._bar.start()
        self._task = self._bar.add_task(
            "run", total=total, completed=self.stats.done, rate="", stats=self._fields()
        )

    def _fields(self) -> str:
        reward = "-" if self.stats.avg_reward is None else f"{self.stats.avg_reward:.3f}"
        return f"avg reward {reward} · errors {self.stats.errors}"

    def advance(self, record: ResultRecord) -> None:
        super().advance(record)
        if self._task is not None:
            self._bar.update(
                self._task,
                completed=self.stats.done,
                rate=f"{self.stats.rate:.1f} sim/s",
                stats=self._fields(),
            )

    def close(self) -> None:
        self._bar.stop()


def make_progress(enabled: bool, stream: IO[str] | None = None, interval: float = 10.0) -> Progress:
    """The display that fits: rich on a terminal, plain lines otherwise, nothing if disabled."""
    if not enabled:
        return NullProgress()
    stream = stream or sys.stderr
    if getattr(stream, "isatty", lambda: False)():
        return RichProgress(stream)
    return LineProgress(stream, interval)
