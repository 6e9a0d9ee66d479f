"""Re-scoring the simulations of a results file (what ``runner evaluate`` does).

Each simulation is evaluated again with :func:`runner.aevaluate_simulation` against its task and
a fresh environment of the domain; no participant runs and no LLM is called unless an NL judge
is given. Tasks come from the file when it embeds them (τ²-bench does), else from the domain.
The reward the file recorded is kept next to the new one, so the two can be compared.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from runner.errors import RunnerError
from runner.store import ResultsFile
from runner.store.reader import TAU2_FORMAT

__all__ = ["Rescored", "data_mismatch_warning", "evaluation_row", "rescore", "resolve_tasks"]


@dataclass
class Rescored:
    """One simulation with its new score and the score the file recorded."""

    run: Any  # SimulationRun, reward_info replaced by the new one
    recorded: Any  # RewardInfo | None


def resolve_tasks(results: ResultsFile, domain: Any) -> dict[str, Any]:
    """The task of every simulation of ``results``: embedded ones first, then the domain's."""
    wanted = {run.task_id for run in results.runs}
    found = {t.id: t for t in results.tasks or [] if t.id in wanted}
    missing = wanted - set(found)
    if missing:
        for split in _splits_to_search(results, domain):
            try:
                tasks = domain.tasks(split)
            except RunnerError:
                continue
            for task in tasks:
                if task.id in missing:
                    found[task.id] = task
            missing = wanted - set(found)
            if not missing:
                break
    if missing:
        listed = ", ".join(repr(t) for t in sorted(missing)[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise RunnerError(
            f"{results.path} has results for tasks that domain {domain.name!r} (as configured) "
            f"does not have: {listed}{more}. Point the domain at the data the results were "
            "produced with (--domain-option data_dir=PATH or task_file=PATH)."
        )
    return found


def _splits_to_search(results: ResultsFile, domain: Any) -> list[str | None]:
    splits: list[str | None] = [results.task_split] if results.task_split else []
    splits.append(None)
    try:
        splits.extend(domain.splits())
    except RunnerError:
        pass
    return list(dict.fromkeys(splits))


def data_mismatch_warning(results: ResultsFile, domain: Any) -> str | None:
    """A warning when the file's embedded tasks are not the configured domain's tasks.

    The DB check replays trajectories on the domain's data, so re-scoring τ²-bench results on a
    plugin's own data (instead of τ²-bench's) gives meaningless DB checks. Compared: the task ids
    and, for the tasks both have, their expected actions.
    """
    if not results.tasks:
        return None
    try:
        own = {t.id: t for t in domain.tasks(None)}
        for split in domain.splits():
            own.update({t.id: t for t in domain.tasks(split)})
    except RunnerError:
        return None
    embedded = results.tasks
    differ = [t.id for t in embedded if t.id not in own or _actions(t) != _actions(own[t.id])]
    if not differ:
        return None
    hint = ""
    if results.format == TAU2_FORMAT:
        hint = (
            f" For τ²-bench results pass --domain-option data_dir=<τ²-bench>/data/tau2/domains/"
            f"{domain.name}."
        )
    return (
        f"{len(differ)} of the {len(embedded)} tasks in {results.path} are not tasks of domain "
        f"{domain.name!r} as configured (e.g. {differ[0]!r}); its DB checks replay the "
        f"trajectories on that domain's data, which may not be the data they were produced "
        f"with.{hint}"
    )


def _actions(task: Any) -> list[tuple[str, Any]]:
    return [(a.name, a.arguments) for a in task.expected_actions()]


def rescore(
    results: ResultsFile, domain: Any, judge: Any = None, max_concurrency: int = 10
) -> list[Rescored]:
    """Evaluate every simulation of ``results`` again (synchronous; runs its own event loop)."""
    return asyncio.run(arescore(results, domain, judge, max_concurrency))


async def arescore(
    results: ResultsFile, domain: Any, judge: Any = None, max_concurrency: int = 10
) -> list[Rescored]:
    """Evaluate every simulation again; with a judge, up to ``max_concurrency`` at a time.

    A judge that fails on one simulation leaves its NL assertions not evaluated there (the
    error is kept in ``reward_info.info["judge_error"]``); a judge whose provider refuses the
    request (bad key, unknown model) stops everything with a :class:`ConfigError`.
    """
    tasks = resolve_tasks(results, domain)
    factory = domain.environment
    gate = asyncio.Semaphore(max_concurrency)

    async def one(run: Any) -> Rescored:
        async with gate:
            new = run.model_copy()
            new.reward_info = await _evaluate(run, tasks[run.task_id], factory, judge)
            return Rescored(run=new, recorded=run.reward_info)

    return list(await asyncio.gather(*(one(run) for run in results.runs)))


async def _evaluate(run: Any, task: Any, factory: Any, judge: Any) -> Any:
    from runner.evaluation import aevaluate_simulation
    from runner.orchestrator.failures import access_refused, describe_error

    try:
        return await aevaluate_simulation(run, task, factory, judge)
    except Exception as exc:
        if judge is None:
            raise
        refused = access_refused("judge", exc)
        if refused is not None:
            raise refused from None
        info = await aevaluate_simulation(run, task, factory)
        info.info = {**(info.info or {}), "judge_error": describe_error(exc)}
        return info


def evaluation_row(item: Rescored) -> dict[str, Any]:
    """The ``runner evaluate --json`` object of one simulation."""
    run, info = item.run, item.run.reward_info
    db = info.db_check
    extra = info.info or {}
    return {
        "id": run.id,
        "task_id": run.task_id,
        "trial": run.trial,
        "reward": info.reward,
        "reward_breakdown": info.reward_breakdown,
        "db_match": None if db is None else db.db_match,
        "action_checks": _dump(info.action_checks),
        "communicate_checks": _dump(info.communicate_checks),
        "env_assertion_checks": _dump(info.env_assertions),
        "nl_assertion_checks": _dump(info.nl_assertions),
        "not_evaluated": extra.get("not_evaluated", []),
        "termination_reason": getattr(run.termination_reason, "value", run.termination_reason),
        "note": extra.get("note"),
        "judge_error": extra.get("judge_error"),
        "recorded_reward": None if item.recorded is None else item.recorded.reward,
    }


def _dump(checks: list[Any] | None) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in checks or []]
