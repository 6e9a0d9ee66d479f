"""What a run directory holds: its file names, "the newest line of a unit wins", atomic writes.

Defined once here because every reader and writer of a run directory (resume, ``runner show``,
``runner evaluate``, ``read_results``) must agree on them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

#: Written once when the run starts: the configuration (secrets masked), plugins, tasks.
RUN_FILE = "run.json"
#: One simulation result per line, appended as each finishes.
RESULTS_FILE = "results.jsonl"
#: The run's metrics, replaced whenever an invocation of the run ends.
SUMMARY_FILE = "summary.json"
#: τ²-bench's results file, and the folder of its "dir" format (read, never written).
TAU2_RESULTS_FILE = "results.json"
TAU2_SIMULATIONS_DIR = "simulations"

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def newest_wins(
    items: Iterable[V], key: Callable[[V], K], into: dict[K, V] | None = None
) -> dict[K, V]:
    """The newest item of each key, in the order of their newest items (``into`` is updated).

    A unit re-run after an infrastructure error appends a second line; the later line is the
    unit's result. Keys move to the end when they are seen again, so the order is that of the
    lines that won.
    """
    latest: dict[K, V] = {} if into is None else into
    pop = latest.pop
    for item in items:
        k = key(item)
        pop(k, None)
        latest[k] = item
    return latest


def results_path(path: Path) -> Path:
    """``results.jsonl`` of a run directory, or ``path`` itself when it is a file."""
    return path / RESULTS_FILE if path.is_dir() else path


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
