"""What both orchestrators share: their keyword arguments, one run under the wall-clock timeout
in which every failure becomes a termination reason, and the :class:`~runner.SimulationRun` they
return.

A subclass implements ``_conversation`` (it sets ``termination_reason`` when the conversation
ends, or raises :class:`~runner.orchestrator.failures.ParticipantFailure`) and may add fields to
the result with ``_result_fields``. See ``docs/orchestrator.md`` for the termination reasons.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from runner.errors import ConfigError, RunnerError, did_you_mean
from runner.models.simulation import SimulationRun, TerminationReason
from runner.orchestrator.failures import ParticipantFailure, describe_error
from runner.orchestrator.protocols import Participant

if TYPE_CHECKING:
    from runner.environment.environment import Environment
    from runner.models.task import Task


def now() -> str:
    """The current local time, ISO formatted (message timestamps, start and end times)."""
    return datetime.now().isoformat()


class BaseOrchestrator:
    """The state and the run shared by the half- and full-duplex orchestrators.

    ``max_steps`` and ``max_errors`` are enforced by the subclass's loop; ``timeout`` is
    wall-clock seconds for the whole conversation. Extra keyword ``options`` are kept in
    ``self.options``; a name the class's :attr:`OPTIONS` does not list is a
    :class:`~runner.ConfigError` (``OPTIONS = None`` accepts any), so a mistyped
    ``--orchestrator-option`` stops the run before its first simulation instead of being
    silently ignored.
    """

    #: The orchestrator's own options, name → one line of help (``runner`` shows them in errors).
    OPTIONS: ClassVar[dict[str, str] | None] = None
    #: The name it is registered under, for error messages.
    NAME: ClassVar[str] = ""

    def __init__(
        self,
        *,
        environment: Environment,
        agent: Participant,
        user: Participant,
        task: Task,
        seed: int | None = None,
        max_steps: int = 100,
        max_errors: int = 10,
        timeout: float | None = None,
        **options: Any,
    ) -> None:
        self.environment = environment
        self.agent = agent
        self.user = user
        self.task = task
        self.seed = seed
        self.max_steps = max_steps
        self.max_errors = max_errors
        self.timeout = timeout
        self.options = options
        self._check_options()
        self.messages: list[Any] = []
        self.num_errors = 0
        self.termination_reason: TerminationReason | None = None
        self.error: str | None = None

    async def run(self) -> SimulationRun:
        """Run the conversation to its end and return the (unevaluated) result."""
        start_time = now()
        started = time.perf_counter()
        timer = asyncio.timeout(self.timeout) if self.timeout is not None else None
        try:
            if timer is None:
                await self._conversation()
            else:
                async with timer:
                    await self._conversation()
        except ParticipantFailure as failure:
            self.termination_reason = failure.reason
            self.error = failure.error
        except RunnerError:  # a configuration every simulation would repeat: stop the run
            raise
        except TimeoutError as exc:
            if timer is not None and timer.expired():
                self.termination_reason = TerminationReason.TIMEOUT
                self.error = f"The simulation exceeded its timeout of {self.timeout:g} s."
            else:
                self._unexpected(exc)
        except Exception as exc:  # a bug of the orchestrator or the environment
            self._unexpected(exc)
        return self._result(start_time, time.perf_counter() - started)

    async def _conversation(self) -> None:
        raise NotImplementedError

    def _check_options(self) -> None:
        known = type(self).OPTIONS
        if known is None:
            return
        for name in self.options:
            if name not in known:
                listed = "; ".join(f"{k}: {v}" for k, v in known.items()) or "none"
                raise ConfigError(
                    f"--orchestrator-option {name}: the {self.NAME or type(self).__name__} "
                    f"orchestrator has no such option.{did_you_mean(name, known)} Its options: "
                    f"{listed}. Options of another orchestrator need --orchestrator NAME."
                )

    def _unexpected(self, exc: BaseException) -> None:
        self.termination_reason = TerminationReason.UNEXPECTED_ERROR
        self.error = describe_error(exc)

    def _result(self, start_time: str, duration: float) -> SimulationRun:
        agent_cost, user_cost, usage = message_totals(self.messages)
        return SimulationRun(
            id=uuid.uuid4().hex,
            task_id=self.task.id,
            seed=self.seed,
            start_time=start_time,
            end_time=now(),
            duration=duration,
            termination_reason=self.termination_reason or TerminationReason.UNEXPECTED_ERROR,
            messages=self.messages,
            agent_cost=agent_cost,
            user_cost=user_cost,
            error=self.error,
            **self._result_fields(usage),
        )

    def _result_fields(self, usage: dict[str, dict[str, float]]) -> dict[str, Any]:
        """The result's fields particular to this orchestrator; ``usage``: the messages' summed
        ``usage`` by side (empty when no message had any)."""
        return {"usage": usage or None}


def message_totals(messages: list[Any]) -> tuple[float, float, dict[str, dict[str, float]]]:
    """The agent's and the user's summed ``cost``, and the numeric fields of their messages'
    ``usage`` summed by side (``agent``/``user``)."""
    agent_cost = user_cost = 0.0
    usage: dict[str, dict[str, float]] = {}
    for m in messages:
        cost = getattr(m, "cost", None)
        if cost:
            if m.role == "assistant":
                agent_cost += cost
            else:
                user_cost += cost
        used = getattr(m, "usage", None)
        if used:
            bucket = usage.setdefault("agent" if m.role == "assistant" else "user", {})
            for key, value in used.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    bucket[key] = bucket.get(key, 0) + value
    return agent_cost, user_cost, usage
