"""The checks on the environment's final state: the DB check and the env assertions.

As in τ²-bench, the *predicted* state comes from replaying the trajectory's write-tool calls
(both requestors; unknown tools skipped) on a fresh environment with the task's initial state,
and the *expected* state from the task's initial state, the write calls of its message history
and then its expected actions (a failing expected action is skipped). The DB check compares the
agent-side and user-side database hashes; env assertions run on the predicted state.

Two savings keep this cheap on large databases: the expected state (hashes, the successful write
calls that produced it, and the env assertions' results on it) is computed once per task and
environment factory and cached; and when the trajectory's successful write calls are exactly
the expected ones, with no failed write call on either side, the predicted state *is* the
expected state (tools are deterministic), so nothing is replayed.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from runner.evaluation.checks import calls_with_results
from runner.models.messages import ToolCall
from runner.models.simulation import DBCheck, EnvAssertionCheck
from runner.models.task import EnvAssertion, Task

#: (requestor, name, canonical JSON of the arguments) of a successful write call. The JSON text
#: is type-strict on purpose: ``1`` and ``1.0`` are equal as dict values but a tool may record
#: them differently ("1 GB" vs "1.0 GB"), so only identical text may skip the replay.
WriteCall = tuple[str, str, str]


def _write_call(call: ToolCall) -> WriteCall:
    return (call.requestor, call.name, json.dumps(call.arguments, sort_keys=True, default=str))


CACHE_SIZE = 4096


@dataclass
class ExpectedState:
    task: Task  # kept so the cache entry can be checked against the task it was made for
    agent_hash: str | None
    user_hash: str | None
    #: Successful write calls that lead to this state; None if a write call failed on the way.
    writes: list[WriteCall] | None
    assertions: list[EnvAssertionCheck]


@dataclass
class StateResult:
    db_check: DBCheck
    env_assertions: list[EnvAssertionCheck]
    replayed: bool


_cache: OrderedDict[Any, ExpectedState] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached expected state (tests; a domain whose tools changed)."""
    with _lock:
        _cache.clear()


def check_state(
    messages: list[Any], task: Task, environment_factory: Callable[[], Any]
) -> StateResult:
    expected = expected_state(task, environment_factory)
    writes, clean = successful_writes(messages, environment_factory, expected)
    if clean and expected.writes is not None and writes == expected.writes:
        agent_hash, user_hash = expected.agent_hash, expected.user_hash
        assertions = expected.assertions
        replayed = False
    else:
        predicted = environment_factory()
        predicted.apply_initial_state(_init_only(task))
        replay_writes(predicted, messages)
        agent_hash, user_hash = predicted.db_hash(), predicted.user_db_hash()
        assertions = run_assertions(predicted, _assertions(task))
        replayed = True
    match = agent_hash == expected.agent_hash and user_hash == expected.user_hash
    db = DBCheck(
        db_match=match,
        db_reward=1.0 if match else 0.0,
        agent_db_hash=agent_hash,
        expected_db_hash=expected.agent_hash,
        agent_user_db_hash=user_hash,
        expected_user_db_hash=expected.user_hash,
    )
    if not match and replayed:
        db.differences = _differences(predicted, task, environment_factory)
    return StateResult(db_check=db, env_assertions=assertions, replayed=replayed)


def expected_state(task: Task, environment_factory: Callable[[], Any]) -> ExpectedState:
    """The gold state of ``task`` (cached per factory and task)."""
    try:
        key: Any = (environment_factory, task.id)
        hash(key)
    except TypeError:
        key = None
    if key is not None:
        with _lock:
            hit = _cache.get(key)
            if hit is not None and (hit.task is task or hit.task == task):
                _cache.move_to_end(key)
                return hit
    state = _compute_expected(task, environment_factory)
    if key is not None:
        with _lock:
            _cache[key] = state
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return state


def start_of_expected(
    task: Task, environment_factory: Callable[[], Any]
) -> tuple[Any, list[WriteCall] | None]:
    """A fresh environment in the state a task's expected actions start from (its initial state,
    then the write calls of its message history), and those writes (``None`` when one failed)."""
    env = environment_factory()
    env.apply_initial_state(_init_only(task))
    writes: list[WriteCall] | None = []
    history = _history(task)
    if history:
        clean = _execute_writes(env, [c for c, _ in calls_with_results(history)], writes or [])
        if not clean:
            writes = None
    return env, writes


def expected_calls(task: Task) -> list[ToolCall]:
    """The task's expected actions as tool calls, in order."""
    return [
        ToolCall(id=f"expected_{i}", name=a.name, arguments=a.arguments, requestor=a.requestor)
        for i, a in enumerate(task.expected_actions())
    ]


def _differences(predicted: Any, task: Task, environment_factory: Callable[[], Any]) -> Any:
    """Where the conversation's databases differ from the expected ones (a failed check only)."""
    from runner.evaluation.db_diff import db_difference

    gold, _ = _expected_env(task, environment_factory)
    out = {"agent": db_difference(predicted.toolkit.db, gold.toolkit.db)}
    if predicted.user_toolkit is not None and gold.user_toolkit is not None:
        out["user"] = db_difference(predicted.user_toolkit.db, gold.user_toolkit.db)
    return {side: diff for side, diff in out.items() if diff}


def _expected_env(
    task: Task, environment_factory: Callable[[], Any]
) -> tuple[Any, list[WriteCall] | None]:
    """A fresh environment after the task's expected actions, and their successful writes."""
    env, writes = start_of_expected(task, environment_factory)
    for call in expected_calls(task):
        result = env.execute(call)
        if writes is not None and env.is_write(call):
            if result.error:
                writes = None
            else:
                writes.append(_write_call(call))
    return env, writes


def _compute_expected(task: Task, environment_factory: Callable[[], Any]) -> ExpectedState:
    env, writes = _expected_env(task, environment_factory)
    return ExpectedState(
        task=task,
        agent_hash=env.db_hash(),
        user_hash=env.user_db_hash(),
        writes=writes,
        assertions=run_assertions(env, _assertions(task)),
    )


def _execute_writes(env: Any, calls: list[ToolCall], writes: list[WriteCall]) -> bool:
    clean = True
    for call in calls:
        if env.is_write(call):
            result = env.execute(call)
            if result.error:
                clean = False
            else:
                writes.append(_write_call(call))
    return clean


def successful_writes(
    messages: list[Any], environment_factory: Callable[[], Any], expected: ExpectedState
) -> tuple[list[WriteCall], bool]:
    """The trajectory's successful write calls, and whether no write call failed.

    Which tools write is asked of a probe environment only when the expected state can be
    short-cut at all (it is built once per factory and reused).
    """
    if expected.writes is None:
        return [], False
    probe = _probe(environment_factory)
    writes: list[WriteCall] = []
    for call, result in calls_with_results(messages):
        if probe.is_write(call):
            if result is None or result.error:
                return writes, False
            writes.append(_write_call(call))
    return writes, True


_probes: dict[Any, Any] = {}


def _probe(environment_factory: Callable[[], Any]) -> Any:
    """An environment used only to ask which tools write (never executed on)."""
    try:
        probe = _probes.get(environment_factory)
    except TypeError:
        return environment_factory()
    if probe is None:
        probe = environment_factory()
        with _lock:
            if len(_probes) > 64:
                _probes.clear()
            _probes[environment_factory] = probe
    return probe


def replay_writes(env: Any, messages: list[Any]) -> None:
    """Re-run the trajectory's write calls (both sides, in order; unknown tools are skipped)."""
    for call, _ in calls_with_results(messages):
        if env.is_write(call):
            env.execute(call)


def run_assertions(env: Any, assertions: list[EnvAssertion]) -> list[EnvAssertionCheck]:
    checks = []
    for assertion in assertions:
        try:
            met = env.check(assertion)
            error = None
        except Exception as exc:  # a failing assertion function is a failed check, with the reason
            met, error = False, f"{type(exc).__name__}: {exc}"
        check = EnvAssertionCheck(env_assertion=assertion, met=met, reward=1.0 if met else 0.0)
        if error is not None:
            check.error = error  # type: ignore[attr-defined]  # extra field: the evidence
        checks.append(check)
    return checks


def _init_only(task: Task) -> Any:
    """The initial state without its message history (replayed separately)."""
    initial = task.initial_state
    if initial is None or not initial.message_history:
        return initial
    return initial.model_copy(update={"message_history": None})


def _history(task: Task) -> list[Any]:
    initial = task.initial_state
    return list(initial.message_history or []) if initial is not None else []


def _assertions(task: Task) -> list[EnvAssertion]:
    criteria = task.evaluation_criteria
    return list(criteria.env_assertions or []) if criteria is not None else []
