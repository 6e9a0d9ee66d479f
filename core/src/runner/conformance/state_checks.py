"""Conformance: environment state: stable hashes, no shared state, errors instead of exceptions.

- ``state_hash``: two fresh environments hash alike; the same state (fresh, after a task's
  initial state, after its expected actions) hashes alike when built twice and when built by
  a second Python process with a different ``PYTHONHASHSEED`` (so tools are deterministic: the
  DB check compares two replays and assumes it); and read-only tool calls (the expected read
  actions of the tasks, and read tools without required arguments) leave the hash unchanged.
- ``isolation``: a write in one environment changes neither another environment nor the
  environments created afterwards (the domain's pristine data are not shared by reference).
- ``bad_arguments``: every tool, given an unknown argument, missing required arguments or an
  argument of the wrong type, and an unknown tool name, comes back as a ``ToolMessage`` with
  ``error=True`` instead of raising.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from runner.conformance import FAIL, PASS, SKIP, WARN, Subject, describe
from runner.models.messages import ToolMessage

#: Tasks whose initial state the second process hashes too, and read calls replayed.
MAX_TASKS = 30
MAX_READ_CALLS = 60
CHILD_TIMEOUT = 300


def _call(name: str, arguments: dict[str, Any], requestor: str, i: int = 0) -> Any:
    from runner.models.messages import ToolCall

    return ToolCall(id=f"check_{i}", name=name, arguments=arguments, requestor=requestor)


# -- state_hash --------------------------------------------------------------------------------
def check_state_hash(subject: Subject) -> tuple[str, str, list[dict[str, Any]]]:
    domain = subject.domain
    failures: list[dict[str, Any]] = []
    fresh = domain.environment().state_hash()
    again = domain.environment().state_hash()
    if fresh != again:
        failures.append(
            {"problem": "two fresh environments hash differently", "hashes": [fresh, again]}
        )
    here = hashes_in_this_process(domain, subject.tasks())
    for key, value in hashes_in_this_process(domain, subject.tasks()).items():
        if here.get(key) != value:
            failures.append(
                {
                    "problem": "the same steps on two fresh environments give two "
                    "hashes (a tool is not deterministic)",
                    "state": key,
                    "first": here.get(key),
                    "second": value,
                }
            )
    notes = []
    try:
        there = hashes_in_child(subject)
    except _ChildUnavailable as why:
        there = None
        notes.append(f"second process skipped: {why}")
    if there is not None:
        for key in sorted(set(here) | set(there)):
            if here.get(key) != there.get(key):
                failures.append(
                    {
                        "problem": "another process computes another hash",
                        "state": key,
                        "this_process": here.get(key),
                        "other_process": there.get(key),
                    }
                )
    reads = 0
    for task, call in _read_calls(subject):
        env = domain.environment()
        env.apply_initial_state(task.initial_state if task is not None else None)
        before = env.state_hash()
        result = env.execute(call)
        after = env.state_hash()
        reads += 1
        if before != after:
            failures.append(
                {
                    "problem": f"tool {call.name!r} is not marked as a write tool but changed the "
                    "state: mark it `@tool(write=True)` (the evaluator replays only write "
                    "tools), or make it read only",
                    "task_id": getattr(task, "id", None),
                    "tool": call.name,
                    "requestor": call.requestor,
                    "arguments": call.arguments,
                    "result": (result.content or "")[:200],
                }
            )
    summary = (
        f"{len(here)} states twice here and in a second process, {reads} read calls; "
        f"{len(failures)} problem(s)"
    )
    if notes:
        summary += f" ({'; '.join(notes)})"
    if failures:
        return FAIL, summary, failures
    return (WARN if notes else PASS), summary, []


def hashes_in_this_process(domain: Any, tasks: list[Any]) -> dict[str, str]:
    """``{"fresh": h, "task:<id>": h after its initial state, "gold:<id>": h after its initial
    state and expected actions, ...}`` for the first :data:`MAX_TASKS` tasks that have either."""
    out = {"fresh": domain.environment().state_hash()}
    chosen = [t for t in tasks if t.initial_state is not None or t.expected_actions()]
    for task in chosen[:MAX_TASKS]:
        env = domain.environment()
        try:
            env.apply_initial_state(task.initial_state)
            out[f"task:{task.id}"] = env.state_hash()
            for i, action in enumerate(task.expected_actions()):
                env.execute(_call(action.name, dict(action.arguments), action.requestor, i))
            out[f"gold:{task.id}"] = env.state_hash()
        except Exception as exc:
            out[f"task:{task.id}"] = f"error: {describe(exc)}"
    return out


class _ChildUnavailable(Exception):
    """The domain cannot be rebuilt in another process (so that part is skipped)."""


def hashes_in_child(subject: Subject) -> dict[str, str]:
    """The same hashes computed by a fresh Python process with a different hash seed."""
    domain = subject.domain
    spec: dict[str, Any] = {
        "options": dict(getattr(domain, "options", {}) or {}),
        "split": subject.split,
    }
    if subject.name:
        spec.update(name=subject.name, modules=list(subject.plugin_modules))
    else:
        cls = type(domain)
        if "<locals>" in cls.__qualname__ or cls.__module__ == "__main__":
            raise _ChildUnavailable(
                f"class {cls.__qualname__} cannot be imported by another process"
            )
        spec["class"] = f"{cls.__module__}:{cls.__qualname__}"
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "2424"
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    code = "import sys, runner.conformance.state_checks as s; s.child_main(sys.argv[1])"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, json.dumps(spec)],
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"the second process did not finish in {CHILD_TIMEOUT} s") from None
    if proc.returncode != 0:
        tail = " ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
        raise RuntimeError(f"the second process failed: {tail[-500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_main(spec_json: str) -> None:
    """Entry point of the second process: rebuild the domain, print its hashes as JSON."""
    from runner.conformance import Subject
    from runner.environment.domain import resolve

    spec = json.loads(spec_json)
    if "class" in spec:
        domain = resolve(spec["class"])()
    else:
        from runner.plugins import PluginOptions, load_plugins

        plugins = load_plugins(PluginOptions.from_env(modules=spec.get("modules", [])))
        domain = plugins.registry("domains").get(spec["name"]).obj
    if spec["options"]:
        domain = domain.configure(spec["options"])
    subject = Subject(domain=domain, split=spec.get("split"))
    print(json.dumps(hashes_in_this_process(domain, subject.tasks())))


def _read_calls(subject: Subject) -> list[tuple[Any, Any]]:
    """Read-only calls to replay: the tasks' expected read actions, then argument-free reads."""
    probe = subject.domain.environment()
    calls: list[tuple[Any, Any]] = []
    seen: set[str] = set()
    for task in subject.tasks():
        for action in task.expected_actions():
            call = _call(action.name, dict(action.arguments), action.requestor, len(calls))
            key = json.dumps(
                [call.requestor, call.name, call.arguments], sort_keys=True, default=str
            )
            kit = probe.toolkit_for(call.requestor)
            if key in seen or kit is None or not kit.has_tool(call.name) or kit.is_write(call.name):
                continue
            seen.add(key)
            calls.append((task, call))
            if len(calls) >= MAX_READ_CALLS:
                return calls
    for side, tools in (("assistant", probe.tools()), ("user", probe.user_tools())):
        for tool in tools:
            if not tool.write and not tool.parameters.get("required"):
                calls.append((None, _call(tool.name, {}, side, len(calls))))
    return calls


# -- isolation -----------------------------------------------------------------------------
def check_isolation(subject: Subject) -> tuple[str, str, list[dict[str, Any]]]:
    domain = subject.domain
    pristine = domain.environment().state_hash()
    failures: list[dict[str, Any]] = []
    tried = []
    for side in ("assistant", "user"):
        found = _changing_write(subject, side)
        if found is None:
            continue
        task, call = found
        tried.append(f"{side}: {call.name}")
        one, other = domain.environment(), domain.environment()
        one.apply_initial_state(task.initial_state)
        other.apply_initial_state(task.initial_state)
        other_before = other.state_hash()
        one.execute(call)
        evidence = {
            "task_id": task.id,
            "tool": call.name,
            "requestor": side,
            "arguments": call.arguments,
        }
        if other.state_hash() != other_before:
            failures.append({**evidence, "problem": "a write in one environment changed another"})
        if domain.environment().state_hash() != pristine:
            failures.append(
                {
                    **evidence,
                    "problem": "a write changed the state of environments "
                    "created afterwards (the pristine data are shared)",
                }
            )
    if not tried:
        return SKIP, "no expected write action of any task changes the state", []
    return (FAIL if failures else PASS), f"wrote with {', '.join(tried)}", failures


def _changing_write(subject: Subject, side: str) -> tuple[Any, Any] | None:
    """The first expected write action on ``side`` that changes the state, with its task."""
    domain = subject.domain
    for task in subject.tasks():
        for action in task.expected_actions(side):
            probe = domain.environment()
            if not probe.is_write(_call(action.name, {}, side)):
                continue
            probe.apply_initial_state(task.initial_state)
            before = probe.state_hash()
            call = _call(action.name, dict(action.arguments), side)
            result = probe.execute(call)
            if not result.error and probe.state_hash() != before:
                return task, call
    return None


# -- bad arguments -------------------------------------------------------------------------
WRONG_TYPE_CASE = " of the wrong type"
WRONG_TYPE = {
    "string": [[1]],
    "integer": "not a number",
    "number": "not a number",
    "boolean": [1],
    "array": 5,
    "object": 5,
}


def check_bad_arguments(subject: Subject) -> tuple[str, str, list[dict[str, Any]]]:
    domain = subject.domain
    probe = domain.environment()
    failures: list[dict[str, Any]] = []
    lenient: list[dict[str, Any]] = []
    calls = 0
    for side, tools in (("assistant", probe.tools()), ("user", probe.user_tools())):
        cases = [("an unknown tool", _call("no_such_tool_xyz", {}, side))]
        for tool in tools:
            cases.extend(
                (f"{tool.name}: {what}", _call(tool.name, args, side))
                for what, args in bad_arguments(tool)
            )
        for what, call in cases:
            calls += 1
            evidence = {"side": side, "case": what, "arguments": call.arguments}
            try:
                result = domain.environment().execute(call)
            except Exception as exc:
                failures.append({**evidence, "problem": f"raised {describe(exc)}"})
                continue
            if not isinstance(result, ToolMessage):
                failures.append(
                    {**evidence, "problem": f"returned {type(result).__name__}, not a ToolMessage"}
                )
            elif result.error is not True:
                item = {
                    **evidence,
                    "problem": "accepted (no error ToolMessage)",
                    "result": (result.content or "")[:200],
                }
                # A domain may call its tools with unvalidated arguments, as τ²-bench does; a
                # wrongly typed value is then the tool's business. Anything else must error.
                (lenient if what.endswith(WRONG_TYPE_CASE) else failures).append(item)
    summary = f"{calls} bad calls; {len(failures)} problem(s)"
    if failures:
        return FAIL, summary, failures + lenient
    if lenient:
        return WARN, summary + f"; {len(lenient)} wrongly typed argument(s) accepted", lenient
    return PASS, summary, []


def bad_arguments(tool: Any) -> list[tuple[str, dict[str, Any]]]:
    """Argument sets the tool must reject: unknown, missing required, wrongly typed."""
    params = tool.parameters or {}
    props = params.get("properties") or {}
    required = list(params.get("required") or [])
    cases = [("an unknown argument", {"not_an_argument_xyz": 1})]
    if required:
        cases.append(("no arguments (some are required)", {}))
    for name in required:
        wrong = WRONG_TYPE.get(str((props.get(name) or {}).get("type")))
        if wrong is not None:
            args = {r: _valid_example(props.get(r) or {}) for r in required}
            args[name] = wrong
            cases.append((f"{name}{WRONG_TYPE_CASE}", args))
            break
    return cases


def _valid_example(schema: dict[str, Any]) -> Any:
    return {
        "string": "x",
        "integer": 1,
        "number": 1.0,
        "boolean": True,
        "array": [],
        "object": {},
    }.get(str(schema.get("type")), "x")
