"""The natural-language judge interface, and what to do when there is none.

An ``NL_ASSERTION`` check needs an LLM judge. The core defines only the interface; the LLM
gateway provides an implementation. Without a judge, NL checks are *not evaluated*: they are
recorded with ``met=None``, ``reward_info.info["not_evaluated"]`` lists ``"NL_ASSERTION"``, and the
reward is computed from the task's other bases. :func:`judge_warning` gives the batch layer the
sentence to show the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from runner.models.simulation import NLAssertionCheck
from runner.models.task import RewardType, Task


@runtime_checkable
class NLJudge(Protocol):
    """Judges whether a conversation satisfies natural-language assertions.

    ``judge`` returns one :class:`~runner.models.NLAssertionCheck` per assertion, in the order
    given, with ``met`` True or False and a short justification. It may raise
    :class:`runner.errors.InfrastructureError` when its provider fails (the simulation is then
    retried, not scored).
    """

    async def judge(
        self, task: Task, messages: list[Any], assertions: list[str]
    ) -> list[NLAssertionCheck]: ...


def nl_assertions_needed(task: Task) -> list[str]:
    """The assertions a judge must check for ``task`` (empty when NL is not in its basis)."""
    criteria = task.evaluation_criteria
    if criteria is None or RewardType.NL_ASSERTION not in criteria.reward_basis:
        return []
    return list(criteria.nl_assertions or [])


def needs_judge(task: Task) -> bool:
    """Whether the task's reward depends on NL assertions (so it needs a judge)."""
    return bool(nl_assertions_needed(task))


def tasks_needing_judge(tasks: Iterable[Task]) -> list[Task]:
    return [t for t in tasks if needs_judge(t)]


def judge_warning(tasks: Iterable[Task], judge: Any = None) -> str | None:
    """The warning to show when some tasks need a judge and none is configured, else None."""
    if judge is not None:
        return None
    needing = tasks_needing_judge(tasks)
    if not needing:
        return None
    n = len(needing)
    return (
        f"{n} task{'s' if n != 1 else ''} need{'s' if n == 1 else ''} an NL judge for "
        "NL_ASSERTION checks; without one those checks are not evaluated and the reward uses "
        "the other bases only. Pass --judge-llm MODEL to evaluate them."
    )


def unevaluated_checks(assertions: list[str]) -> list[NLAssertionCheck]:
    return [
        NLAssertionCheck(nl_assertion=a, met=None, justification="not evaluated: no NL judge")
        for a in assertions
    ]


def make_judge(model: str, llm_args: dict[str, Any] | None = None, gateway: Any = None) -> NLJudge:
    """The LLM judge for ``--judge-llm MODEL``, calling ``gateway`` (default: the process-wide
    one). Imported here: it lives with the LLM gateway, above evaluation, and loads nothing heavy
    until it first calls a model."""
    from runner.llm.judge import LLMJudge

    return LLMJudge(model, dict(llm_args or {}), gateway=gateway)
