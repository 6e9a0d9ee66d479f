"""Conformance: the replay oracle with the scripted user scores 1.0 on every non-LLM check.

Each task is simulated by the built-in ``replay`` agent and ``scripted`` user with the
half-duplex orchestrator, and scored without an NL judge. A correct domain passes every DB,
action, communicate and env-assertion check of every task. The evidence of a failing task is
each failing check's own evidence (hashes, the closest call, the assertion and its error).

Two findings only warn, because they are about the task data rather than the domain's code:

- a task whose env assertions fail on its *own expected state* (its initial state plus its
  expected actions) cannot be passed by any oracle: its data contradict themselves (two of
  τ²-bench's mock tasks are like that, and τ²-bench scores their gold trajectories 0 too);
- expected actions that return an error (τ²-bench's retail tasks expect 15 failing lookups).
"""

from __future__ import annotations

import asyncio
from typing import Any

from runner.conformance import FAIL, PASS, SKIP, WARN, Subject, describe


def check_oracle(subject: Subject) -> tuple[str, str, list[dict[str, Any]]]:
    from runner.conformance.task_checks import task_problems

    tasks = subject.tasks()
    probe = subject.domain.environment()  # a domain that cannot build one fails here, once
    failures: list[dict[str, Any]] = []
    inconsistent: list[dict[str, Any]] = []
    failing_calls: list[dict[str, Any]] = []
    unjudged: list[dict[str, Any]] = []
    results = _run(_simulate_all(subject.domain, tasks))
    for task, outcome in zip(tasks, results, strict=True):
        if task_problems(task, probe):  # told once, by the references check, with its fix
            unjudged.append(
                {
                    "task_id": task.id,
                    "note": "not judged: it names a tool or function that does not exist (see "
                    "the references check); fix that first",
                }
            )
            continue
        if isinstance(outcome, list):
            failures.append({"task_id": task.id, "failed_checks": outcome})
            continue
        calls = _failed_expected_calls(outcome, task)
        if calls:
            failing_calls.append({"task_id": task.id, "failing_expected_actions": calls})
        problems = failed_checks(outcome)
        if not problems:
            continue
        entry = {"task_id": task.id, "failed_checks": problems}
        if _only_contradicted_assertions(problems, task, subject.domain):
            entry["note"] = (
                "its env assertions fail on its own expected state (initial state "
                "+ expected actions): the task data contradict themselves"
            )
            inconsistent.append(entry)
        else:
            failures.append(entry)
    passed = len(tasks) - len(failures) - len(inconsistent) - len(unjudged)
    summary = f"{passed} of {len(tasks)} tasks score 1.0"
    notes = []
    if unjudged:
        notes.append(f"{len(unjudged)} not judged (broken references)")
    if inconsistent:
        ids = ", ".join(e["task_id"] for e in inconsistent)
        notes.append(f"{len(inconsistent)} contradict themselves ({ids})")
    if failing_calls:
        notes.append(f"{len(failing_calls)} have expected actions that return an error")
    if failures:
        evidence = failures + inconsistent + failing_calls + unjudged
        return FAIL, summary + f"; {len(failures)} fail", evidence
    if notes and not (inconsistent or failing_calls):  # only unjudged tasks: said elsewhere
        return SKIP, summary + "; " + "; ".join(notes), unjudged
    if notes:
        return WARN, summary + "; " + "; ".join(notes), inconsistent + failing_calls + unjudged
    return PASS, summary, []


def _run(coroutine: Any) -> Any:
    """``asyncio.run``, in a worker thread when called from a running event loop (an async test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _simulate_all(domain: Any, tasks: list[Any]) -> list[Any]:
    return [await _simulate(domain, task) for task in tasks]


async def simulate_oracle(
    domain: Any,
    task: Any,
    *,
    script: Any = None,
    plugins: Any = None,
    seed: int = 0,
    max_errors: int = 1000,
    orchestrator: str = "half_duplex",
) -> Any:
    """The scored run of the registered ``replay`` agent and ``scripted`` user on ``task`` with
    the ``half_duplex`` orchestrator (or ``orchestrator``: ``full_duplex`` speaks the same
    conversation over ticks), without an NL judge (a domain author's oracle test).

    ``script``: the task the participants follow, when it differs from the one judged (to check
    that a deliberately wrong trajectory fails). The built-ins are looked up by their qualified
    names, so a plugin registering another ``replay`` cannot make them ambiguous.
    """
    from runner.models.context import BuildContext
    from runner.plugins import default_plugins
    from runner.run.simulation import run_simulation

    plugins = plugins or default_plugins()
    followed = script or task
    env = domain.environment()
    ctx = BuildContext(
        environment=env,
        tools=env.tools(),
        user_tools=env.user_tools(),
        policy=env.policy,
        task=followed,
        seed=seed,
    )
    agent = plugins.registry("agents").get("runner-core:replay").obj(ctx)
    user = plugins.registry("users").get("runner-core:scripted").obj(ctx)
    built = (
        plugins.registry("orchestrators")
        .get(f"runner-core:{orchestrator}")
        .obj(
            environment=env,
            agent=agent,
            user=user,
            task=task,
            seed=seed,
            max_steps=4 * len(followed.expected_actions()) + 20,
            max_errors=max_errors,
            timeout=None,
        )
    )
    return await run_simulation(built, environment_factory=domain.environment)


async def _simulate(domain: Any, task: Any) -> Any:
    """The scored run of the oracle on ``task``, or a list with what went wrong."""
    try:
        return await simulate_oracle(domain, task)
    except Exception as exc:
        return [{"check": "simulation", "error": describe(exc)}]


def failed_checks(run: Any) -> list[dict[str, Any]]:
    """Every non-LLM check the oracle's run failed, with its evidence."""
    reason = getattr(run.termination_reason, "value", run.termination_reason)
    if reason not in ("user_stop", "agent_stop"):
        return [{"check": "termination", "termination_reason": reason, "error": run.error}]
    info = run.reward_info
    out: list[dict[str, Any]] = []
    db = info.db_check
    if db is not None and not db.db_match:
        out.append({"check": "db", **db.model_dump(mode="json", exclude={"db_match", "db_reward"})})
    for c in info.action_checks or []:
        if not c.action_match:
            out.append(
                {
                    "check": "action",
                    "action": c.action.name,
                    "arguments": c.action.arguments,
                    "requestor": c.action.requestor,
                    "closest_call": c.closest_call,
                }
            )
    for c in info.communicate_checks or []:
        if not c.met:
            out.append({"check": "communicate", "info": c.info, "justification": c.justification})
    for c in info.env_assertions or []:
        if not c.met:
            out.append(
                {
                    "check": "env_assertion",
                    "function": c.env_assertion.func_name,
                    "env_type": c.env_assertion.env_type,
                    "arguments": c.env_assertion.arguments,
                    "error": getattr(c, "error", None),
                }
            )
    return out


def _failed_expected_calls(run: Any, task: Any) -> list[dict[str, Any]]:
    """The oracle's own tool calls (its expected actions, both sides) that returned an error.

    Not a failure by itself: τ²-bench's tasks expect some failing calls (a lookup of a wrong
    e-mail address, an exchange the balance cannot pay). But a gold action that fails passes
    the DB check vacuously (the expected state skipped the same failure), so many of them mean
    the domain lacks the data its tasks refer to: the check warns and lists them."""
    from runner.evaluation.checks import calls_with_results

    initial = task.initial_state
    history = len(initial.message_history or []) if initial is not None else 0
    out = []
    for call, result in calls_with_results(list(run.messages)[history:]):
        if result is not None and result.error:
            out.append(
                {
                    "check": "expected_action",
                    "action": call.name,
                    "requestor": call.requestor,
                    "arguments": call.arguments,
                    "error": (result.content or "")[:300],
                }
            )
    return out


def _only_contradicted_assertions(problems: list[dict[str, Any]], task: Any, domain: Any) -> bool:
    """Whether every failure is an env assertion that also fails on the task's expected state."""
    if any(p["check"] != "env_assertion" for p in problems):
        return False
    try:
        from runner.evaluation.state import expected_state

        gold = expected_state(task, domain.environment)
    except Exception:
        return False
    failing_on_gold = {
        (c.env_assertion.func_name, repr(c.env_assertion.arguments))
        for c in gold.assertions
        if not c.met
    }
    return all((p["function"], repr(p["arguments"])) in failing_on_gold for p in problems)
