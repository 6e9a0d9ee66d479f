"""One line of ``results.jsonl``: how a ``SimulationRun`` is written, and how it is read back fast.

Resuming must start fast over 100,000 results, so lines are written with the small fields first
(id, task, trial, seed, termination reason, costs, usage, reward) and the trajectory after them;
:func:`parse_record` decodes only that head and falls back to the whole line when the line was
written by something else. The file these lines go to (appending, scanning, repairing) is
:mod:`runner.store.jsonl`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from runner.models.record import ResultRecord, tokens_by_side, usage_tokens

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun

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
    "voice",
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
    rb'(?:,"voice":(\{[^\n]*?\}))?'
    rb',"reward_info":(?:null|\{"reward":(' + _NUM + rb")[,}])",
    re.MULTILINE,
)


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
    id_, task, trial, seed, reason, duration, agent, user, judge, usage, voice, reward = (
        match.groups()
    )
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
        None if voice is None else json.loads(voice),
    )


def parse_lines(buf: Any, end: int) -> list[ResultRecord] | None:
    """Every line of ``buf[:end]``, matched in place (no copy of the line), or ``None`` as soon
    as a line is not in :func:`result_line`'s layout (the caller then goes line by line)."""
    records: list[ResultRecord] = []
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
