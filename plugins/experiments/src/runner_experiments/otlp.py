"""Conversations to learn from, read from OpenTelemetry traces (OTLP JSON, OpenInference names).

What Arize Phoenix and similar tools store is spans: one trace per conversation, with LLM spans
carrying the chat messages as OpenInference attributes. :func:`read_traces` turns each trace into
a :class:`~runner.SimulationRun` that ``runner improve`` treats like a past result. The mapping
(also in ``docs/experiments.md``):

- the file: OTLP/JSON as exported (``{"resourceSpans": [{"scopeSpans": [{"spans": [...]}]}]}``),
  one document or one per line; attribute values are OTLP ``AnyValue`` objects;
- one trace (``traceId``) is one conversation; its **task** is the attribute ``runner.task_id``
  (or ``task.id``, or ``task_id`` inside a JSON ``metadata`` attribute) of any of its spans, its
  trial ``runner.trial`` (default: the trace's rank among the task's traces);
- the **messages** are those of the trace's last LLM span (``openinference.span.kind`` = ``LLM``):
  ``llm.input_messages.<i>.message.role`` / ``.content`` / ``.tool_calls.<j>.tool_call.function.
  name`` / ``.arguments``, then ``llm.output_messages.<i>...`` (roles ``system``, ``user``,
  ``assistant``, ``tool``);
- the **score**: ``eval.<name>.score`` attributes (0..1) are the reward breakdown; the reward is
  ``eval.reward.score`` when present, else their product (τ²-bench multiplies its components);
  a trace without any is skipped (nothing to learn from, nothing to compare with).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from runner import (
    AssistantMessage,
    ConfigError,
    RewardInfo,
    SimulationRun,
    SystemMessage,
    ToolCall,
    ToolMessage,
    UserMessage,
)


def read_traces(paths: list[Path]) -> list[SimulationRun]:
    """Every scored trace of the files, as results (task id, trial, messages, reward)."""
    spans: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in paths:
        for document in _documents(path):
            for resource in document.get("resourceSpans") or []:
                for scope in resource.get("scopeSpans") or []:
                    for span in scope.get("spans") or []:
                        span = dict(span)
                        span["attrs"] = _attributes(span.get("attributes") or [])
                        spans[str(span.get("traceId", ""))].append(span)
    runs: list[SimulationRun] = []
    trials: dict[str, int] = defaultdict(int)
    for trace_id, trace in spans.items():
        run = _conversation(trace_id, trace, trials)
        if run is not None:
            runs.append(run)
    return runs


def _documents(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot read the trace file {path}: {exc.strerror or exc}.") from None
    try:
        whole = json.loads(text)
        return whole if isinstance(whole, list) else [whole]
    except json.JSONDecodeError:
        pass
    documents = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            documents.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"{path}:{number}: not OTLP JSON ({exc.msg}). Give an OTLP/JSON export: one "
                "document, or one per line (docs/experiments.md, 'Traces')."
            ) from None
    return documents


def _value(value: dict[str, Any]) -> Any:
    for key in ("stringValue", "boolValue", "doubleValue"):
        if key in value:
            return value[key]
    if "intValue" in value:
        return int(value["intValue"])
    if "arrayValue" in value:
        return [_value(v) for v in value["arrayValue"].get("values") or []]
    return None


def _attributes(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {item["key"]: _value(item.get("value") or {}) for item in items if "key" in item}


def _task_of(trace: list[dict[str, Any]]) -> tuple[str | None, int | None]:
    task: str | None = None
    trial: int | None = None
    for span in trace:
        attrs = span["attrs"]
        task = task or attrs.get("runner.task_id") or attrs.get("task.id")
        if task is None and isinstance(attrs.get("metadata"), str):
            try:
                task = json.loads(attrs["metadata"]).get("task_id")
            except (json.JSONDecodeError, AttributeError):
                pass
        if trial is None and attrs.get("runner.trial") is not None:
            trial = int(attrs["runner.trial"])
    return (str(task) if task is not None else None), trial


def _conversation(
    trace_id: str, trace: list[dict[str, Any]], trials: dict[str, int]
) -> SimulationRun | None:
    task, trial = _task_of(trace)
    scores = {
        key[len("eval.") : -len(".score")]: float(value)
        for span in trace
        for key, value in span["attrs"].items()
        if key.startswith("eval.") and key.endswith(".score") and value is not None
    }
    if task is None or not scores:
        return None
    reward = scores.pop("reward", None)
    if reward is None:
        reward = 1.0
        for value in scores.values():
            reward *= value
    llm = [s for s in trace if s["attrs"].get("openinference.span.kind") == "LLM"]
    last = max(llm, key=lambda s: int(s.get("endTimeUnixNano") or 0), default=None)
    messages = _messages(last["attrs"]) if last is not None else []
    if trial is None:
        trial = trials[task]
        trials[task] += 1
    return SimulationRun(
        id=trace_id,
        task_id=task,
        trial=trial,
        termination_reason="user_stop",
        messages=messages,
        reward_info=RewardInfo(reward=reward, reward_breakdown=scores or None),
    )


def _messages(attrs: dict[str, Any]) -> list[Any]:
    messages = []
    for prefix in ("llm.input_messages", "llm.output_messages"):
        index = 0
        while f"{prefix}.{index}.message.role" in attrs:
            base = f"{prefix}.{index}.message"
            messages.append(_message(attrs, base))
            index += 1
    return [m for m in messages if m is not None]


def _message(attrs: dict[str, Any], base: str) -> Any:
    role = attrs.get(f"{base}.role")
    content = attrs.get(f"{base}.content")
    calls = []
    j = 0
    while f"{base}.tool_calls.{j}.tool_call.function.name" in attrs:
        raw = attrs.get(f"{base}.tool_calls.{j}.tool_call.function.arguments") or "{}"
        try:
            arguments = json.loads(raw) if isinstance(raw, str) else dict(raw)
        except (json.JSONDecodeError, TypeError, ValueError):
            arguments = {"raw": raw}
        name = str(attrs[f"{base}.tool_calls.{j}.tool_call.function.name"])
        calls.append(ToolCall(id=f"call_{j}", name=name, arguments=arguments))
        j += 1
    if role == "system":
        return SystemMessage(content=content)
    if role == "user":
        return UserMessage(content=content)
    if role == "assistant":
        return AssistantMessage(content=content, tool_calls=calls or None)
    if role == "tool":
        return ToolMessage(content=content)
    return None
