"""The run directory: ``run.json``, ``results.jsonl``, ``summary.json``; checkpoint and resume.

Durability rules (why the code looks the way it does):

- ``results.jsonl`` is only ever appended to. Each result is one line written with a single
  ``os.write`` on an ``O_APPEND`` descriptor and then ``fsync``\\ ed, so a crash (even SIGKILL or
  a power cut) can tear at most the last line; resuming truncates that torn tail away.
- ``run.json`` is written once when the run starts; ``summary.json`` is replaced atomically
  (temporary file + ``os.replace``) whenever it is rewritten.
- Resuming must start fast over 100,000 results, so lines are written with the small fields
  first (id, task, trial, seed, termination reason, costs, usage, reward) and the trajectory
  after them; :func:`parse_record` decodes only that head and falls back to the whole line when
  the line was written by something else.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.errors import RunnerError
from runner.evaluation.metrics import ResultRecord, tokens_by_side, usage_tokens

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun

RUN_FILE = "run.json"
RESULTS_FILE = "results.jsonl"
SUMMARY_FILE = "summary.json"

#: Top-level keys written first, in this order: everything a resume or the metrics need, and
#: nothing large. ``reward_info`` (with ``reward`` as its first key) and the trajectory follow.
HEAD_KEYS = (
    "id",
    "task_id",
    "trial",
    "seed",
    "termination_reason",
    "duration",
    "attempts",
    "agent_cost",
    "user_cost",
    "judge_cost",
    "usage",
    "start_time",
    "end_time",
    "error",
)
_HEAD_END = b',"reward_info":'
_NUM = rb"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
#: A line exactly as :func:`result_line` writes it, up to the reward: the fast path of a resume
#: (anything else falls back to ``json.loads``). Ids without escapes; ``usage`` nests one level.
#: Every head field is matched in turn, so a ``usage`` nested deeper than the pattern allows (or
#: any other layout) makes the line take the slow path.
_LINE = re.compile(
    rb'^\{"id":"([^"\\\n]*)","task_id":"([^"\\\n]*)","trial":(\d+),'
    rb'"seed":(-?\d+|null),"termination_reason":"([a-z_]+)",'
    rb'"duration":(' + _NUM + rb")"
    rb'(?:,"attempts":\d+)?'
    rb'(?:,"agent_cost":(' + _NUM + rb"))?"
    rb'(?:,"user_cost":(' + _NUM + rb"))?"
    rb'(?:,"judge_cost":(' + _NUM + rb"))?"
    rb'(?:,"usage":(\{[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}))?'
    rb'(?:,"start_time":"[^"\\\n]*")?(?:,"end_time":"[^"\\\n]*")?'
    rb'(?:,"error":"(?:[^"\\\n]|\\.)*")?'
    rb',"reward_info":(?:null|\{"reward":(' + _NUM + rb")[,}])",
    re.MULTILINE,
)

_SECRET_KEY = re.compile(
    r"(api[_-]?key|secret|token|password|passwd|authorization|credential)", re.IGNORECASE
)
_TOKEN_COUNT_KEY = re.compile(r"_tokens$|^max_tokens$|^tokens$", re.IGNORECASE)
MASK = "***"

UnitKey = tuple[str, int, "int | None"]


# -- secrets -------------------------------------------------------------------------------
def is_secret_key(key: str) -> bool:
    """Whether a dict key names a secret (``api_key``, ``x-api-token`` ...; not ``max_tokens``)."""
    return bool(_SECRET_KEY.search(key)) and not _TOKEN_COUNT_KEY.search(key)


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` with the values of secret-looking keys replaced by ``***``."""
    if isinstance(value, dict):
        return {
            k: (
                MASK
                if isinstance(k, str) and is_secret_key(k) and v not in (None, "")
                else mask_secrets(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def without_secrets(value: Any) -> Any:
    """A copy of ``value`` without its secret-looking keys: what a resume compares (a new key
    for the same provider changes nothing that a run computes)."""
    if isinstance(value, dict):
        return {
            k: without_secrets(v)
            for k, v in value.items()
            if not (isinstance(k, str) and is_secret_key(k))
        }
    if isinstance(value, list):
        return [without_secrets(v) for v in value]
    return value


def mask_argv(argv: list[str]) -> list[str]:
    """The command line with secrets masked: JSON arguments and ``key=value`` options."""
    out: list[str] = []
    for arg in argv:
        stripped = arg.strip()
        if stripped.startswith("{"):
            try:
                out.append(json.dumps(mask_secrets(json.loads(stripped))))
                continue
            except ValueError:
                pass
        key, eq, _ = arg.partition("=")
        if eq and not key.startswith("-") and is_secret_key(key):
            out.append(f"{key}={MASK}")
        else:
            out.append(arg)
    return out


# -- one result line -----------------------------------------------------------------------
def result_line(run: SimulationRun) -> bytes:
    """The ``results.jsonl`` line of ``run``: compact JSON, small fields first, newline-ended."""
    data = run.model_dump(mode="json", exclude_unset=True)
    reason = run.termination_reason
    out: dict[str, Any] = {
        "id": run.id,
        "task_id": run.task_id,
        "trial": run.trial,
        "seed": run.seed,
        "termination_reason": getattr(reason, "value", reason),
        "duration": run.duration,
    }
    for key in HEAD_KEYS:
        value = data.pop(key, None)
        if key not in out and value is not None:
            out[key] = value
    reward_info = data.pop("reward_info", None)
    if isinstance(reward_info, dict):  # reward first: a resume reads it without parsing the rest
        reward_info = {"reward": reward_info.pop("reward", None), **reward_info}
    out["reward_info"] = reward_info
    out["messages"] = data.pop("messages", [])
    out.update(data)
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def parse_record(line: bytes) -> ResultRecord:
    """The :class:`ResultRecord` of one line, decoding only its small head when possible.

    Lines in :func:`result_line`'s layout are read with one regular expression (id, task,
    trial, seed, termination, duration, costs, usage, reward); any other JSON object falls back
    to ``json.loads`` of the whole line. Raises ``ValueError`` for a line that is not a complete
    result.
    """
    match = _LINE.match(line)
    if match is not None and line.endswith(b"}\n"):
        return _record(match)
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("a result line must be a JSON object")
    return ResultRecord.from_dict(data)


_names: dict[bytes, str] = {}  # task ids and termination reasons repeat on every line


def _name(raw: bytes) -> str:
    name = _names.get(raw)
    if name is None:
        name = _names[raw] = raw.decode()
    return name


def _record(match: re.Match[bytes]) -> ResultRecord:
    id_, task, trial, seed, reason, duration, agent, user, judge, usage, reward = match.groups()
    parsed = json.loads(usage) if usage is not None else None
    prompt, completion = usage_tokens(parsed)
    names = _names
    return ResultRecord(
        names.get(task) or _name(task),
        int(trial),
        None if seed == b"null" else int(seed),
        names.get(reason) or _name(reason),
        None if reward is None else float(reward),
        float(duration),
        None if agent is None else float(agent),
        None if user is None else float(user),
        None if judge is None else float(judge),
        prompt,
        completion,
        id_.decode(),
        tokens_by_side(parsed),
    )


def _fast_scan(buf: Any, end: int) -> list[ResultRecord] | None:
    """Every line of ``buf[:end]``, matched in place (no copy of the line), or ``None`` as soon
    as a line is not in :func:`result_line`'s layout (the caller then goes line by line)."""
    records = []
    append, match_at, find = records.append, _LINE.match, buf.find
    pos = 0
    while pos < end:
        match = match_at(buf, pos)
        if match is None:
            return None
        pos = find(b"\n", match.end(), end) + 1
        if pos == 0 or buf[pos - 2] != 0x7D:  # every line ends with "}\n"
            return None
        append(_record(match))
    return records


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
            fast = _fast_scan(buf, end)
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


def iter_lines(path: Path) -> Iterator[bytes]:
    """Complete lines of a results file (for tools that want raw access)."""
    with open(path, "rb") as f:
        for line in f:
            if line.endswith(b"\n") and line.strip():
                yield line
