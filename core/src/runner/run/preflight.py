"""Before a run: replay each task's expected actions, so a task that cannot be solved is said.

A task whose expected actions no agent can perform (a tool name with a typo, arguments its tool
refuses) cannot tell a good agent from a bad one: every score on it is meaningless, and before
this check only ``runner check-plugin`` said so. ``runner run`` and ``runner tasks`` replay the
selected tasks' expected actions on fresh environments, as the evaluator does anyway, and warn
once per task; ``--strict-tasks`` (``RunConfig.strict_tasks``) makes that an error before
anything is written. An expected action that runs and answers with an error is not a defect:
τ²-bench's tasks have such actions on purpose (a lookup by a wrong e-mail before the right one),
and an agent that makes the same call matches it. On the way, the first call of each tool not
marked ``@tool(write=True)`` is checked for changing a database: the evaluator replays only
write tools, so such a tool makes the DB check wrong. Both checks cost milliseconds per task
(docs/performance.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from runner.errors import ConfigError, did_you_mean
from runner.evaluation.state import expected_calls, start_of_expected
from runner.models.messages import ToolCall
from runner.models.task import Task

#: Tasks named in full in a ``--strict-tasks`` error (the warnings list every one).
MAX_NAMED = 10


def check_tasks(tasks: Iterable[Task], environment_factory: Callable[[], Any]) -> list[str]:
    """One warning per task whose expected actions fail, and one per tool that changed a
    database without ``write=True`` (the first time it does); empty when all is well."""
    warnings: list[str] = []
    probed: set[tuple[str, str]] = set()
    for task in tasks:
        env, _ = start_of_expected(task, environment_factory)
        failures: list[str] = []
        for number, call in enumerate(expected_calls(task), start=1):
            failure = unknown_tool(env, call) or refused_arguments(env, call)
            if failure is not None:
                failures.append(f"action {number} {_describe(call)}: {failure}")
                continue
            side = (call.requestor, call.name)
            probe = side not in probed and not env.is_write(call)
            before = _hashes(env) if probe else None
            result = env.execute(call)
            if probe and not result.error:
                probed.add(side)
                if _hashes(env) != before:
                    warnings.append(_unmarked_write(task, call))
        if failures:
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            warnings.append(
                f"task {task.id!r}: expected {failures[0]}{more}. No agent can match these "
                "actions, so scores on this task mean nothing: fix the task (or the tool), and "
                "run `runner check-plugin` for the details."
            )
    return warnings


def strict_error(warnings: list[str]) -> ConfigError:
    """The ``--strict-tasks`` error for ``warnings``."""
    shown = "\n  ".join(warnings[:MAX_NAMED])
    more = f"\n  ... and {len(warnings) - MAX_NAMED} more" if len(warnings) > MAX_NAMED else ""
    return ConfigError(
        f"--strict-tasks: {len(warnings)} problem(s) with the selected tasks, so nothing was "
        f"run:\n  {shown}{more}\nFix them, or drop --strict-tasks to run with warnings."
    )


def unknown_tool(env: Any, call: ToolCall) -> str | None:
    """Why ``call`` names no tool of its requestor's side (with a did-you-mean and the real
    tools), or ``None``; shared with ``runner check-plugin``."""
    kit = env.toolkit_for(call.requestor)
    if kit is None:
        return f"the domain has no {call.requestor} tools"
    if kit.has_tool(call.name):
        return None
    names = kit.tool_names()
    hint = did_you_mean(call.name, names)
    return (
        f"{call.name!r} is not a{'n' if call.requestor == 'assistant' else ''} "
        f"{call.requestor} tool.{hint} The {call.requestor} tools are: {', '.join(names)}"
    )


def refused_arguments(env: Any, call: ToolCall) -> str | None:
    """Why ``call``'s tool refuses its arguments, or ``None``."""
    try:
        env.toolkit_for(call.requestor).get_tool(call.name).validate(dict(call.arguments))
    except Exception as exc:
        return f"its tool refuses the arguments ({exc})"
    return None


def _hashes(env: Any) -> tuple[Any, Any]:
    return env.db_hash(), env.user_db_hash()


def _unmarked_write(task: Task, call: ToolCall) -> str:
    return (
        f"tool {call.name!r} ({call.requestor} side) changed the database in task {task.id!r} "
        "but is not marked as a write tool: the evaluator replays only write tools, so the DB "
        f"check is wrong for every task that calls it. Mark it `@tool(write=True)`."
    )


def _describe(call: ToolCall) -> str:
    arguments = json.dumps(call.arguments, default=str, ensure_ascii=False)
    if len(arguments) > 80:
        arguments = arguments[:77] + "..."
    return f"{call.name}({arguments})"
