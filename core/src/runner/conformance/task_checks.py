"""Conformance: the domain's tasks load, validate, and refer to things that exist."""

from __future__ import annotations

from typing import Any

from runner.conformance import FAIL, PASS, Subject, describe

#: Failures listed per check (the summary gives the total).
MAX_LISTED = 50


def check_tasks(subject: Subject) -> tuple[str, str, list[dict[str, Any]]]:
    """Every split's tasks load; ids are unique; each task survives a JSON round trip."""
    from runner.models.task import Task

    domain = subject.domain
    splits = list(domain.splits()) if subject.split is None else [subject.split]
    failures: list[dict[str, Any]] = []
    for split in splits:
        ids = [t.id for t in domain.tasks(split)]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            failures.append({"split": split, "problem": f"duplicate task ids {duplicates[:10]}"})
    tasks = subject.tasks()
    if not tasks:
        return FAIL, "the domain has no tasks", failures
    for task in tasks:
        if not isinstance(task, Task):
            failures.append(
                {
                    "task_id": getattr(task, "id", None),
                    "problem": f"tasks() returned a {type(task).__name__}, not a runner Task",
                }
            )
            continue
        try:
            again = Task.model_validate(task.to_json())
        except Exception as exc:
            failures.append({"task_id": task.id, "problem": f"does not validate: {describe(exc)}"})
            continue
        if again.id != task.id:
            failures.append({"task_id": task.id, "problem": "the id changes in a JSON round trip"})
    status = FAIL if failures else PASS
    where = f"split {subject.split!r}" if subject.split else f"splits {', '.join(splits)}"
    return (
        status,
        f"{len(tasks)} tasks ({where}); {len(failures)} problem(s)",
        failures[:MAX_LISTED],
    )


def check_references(subject: Subject) -> tuple[str, str, list[dict[str, Any]]]:
    """Expected actions name tools of their requestor's side with valid arguments; assertion and
    initialisation functions exist on their side; each task's initial state applies."""
    domain = subject.domain
    probe = domain.environment()
    failures: list[dict[str, Any]] = []
    tasks = subject.tasks()
    for task in tasks:
        problems = task_problems(task, probe)
        if not problems:
            try:
                domain.environment().apply_initial_state(task.initial_state)
            except Exception as exc:
                problems.append(f"its initial state cannot be applied: {describe(exc)}")
        failures.extend({"task_id": task.id, "problem": p} for p in problems)
    status = FAIL if failures else PASS
    return status, f"{len(tasks)} tasks; {len(failures)} problem(s)", failures[:MAX_LISTED]


def task_problems(task: Any, env: Any) -> list[str]:
    """What a task names that does not exist (tools, arguments, functions), each with its fix."""
    from runner.evaluation.state import expected_calls
    from runner.run.preflight import refused_arguments, unknown_tool

    problems = []
    for call in expected_calls(task):
        problem = unknown_tool(env, call)
        if problem is not None:
            problems.append(f"expected action {call.name!r}: {problem}. Fix the task's action name")
            continue
        problem = refused_arguments(env, call)
        if problem is not None:
            problems.append(
                f"expected action {call.name!r}: {problem}. Fix the task's arguments (or the "
                "tool's type hints)"
            )
    criteria = task.evaluation_criteria
    calls = list(criteria.env_assertions or []) if criteria else []
    initial = task.initial_state
    calls += list(initial.initialization_actions or []) if initial else []
    for call in calls:
        kit = env.toolkit_for(call.env_type)
        fn = getattr(kit, call.func_name, None) if kit is not None else None
        if fn is None or call.func_name.startswith("_") or not callable(fn):
            problems.append(
                f"function {call.func_name!r} does not exist on the {call.env_type} side: "
                "define it on that side's toolkit, or fix the task's func_name"
            )
    return problems
