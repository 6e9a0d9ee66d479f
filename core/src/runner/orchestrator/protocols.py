"""What an orchestrator is, and what it calls on a participant: structural types.

The base classes (:class:`~runner.HalfDuplexAgent`, :class:`~runner.FullDuplexUser`, ...) are a
convenience; any object with these methods takes part (a participant written without the
base classes, a wrapper around another SDK). The orchestrators accept that, and these
Protocols say it to a type checker. A participant may offer the synchronous twin
(``generate_next_message`` / ``get_next_chunk``) instead of the ``a``-prefixed coroutine: the
orchestrator then runs it in a worker thread (:mod:`runner.orchestrator.participant_calls`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from runner.models.simulation import SimulationRun


@runtime_checkable
class Participant(Protocol):
    """What both orchestrators call on an agent or a user."""

    def get_init_state(self, message_history: list[Any] | None = None) -> Any:
        """The state before the first turn (``message_history``: the task's earlier messages)."""
        ...

    def is_stop(self, message: Any) -> bool:
        """Whether ``message`` ends the conversation."""
        ...

    def set_seed(self, seed: int | None) -> None:
        """Receive the simulation's seed."""
        ...


@runtime_checkable
class HalfDuplexParticipant(Participant, Protocol):
    """A participant of turn-based conversations (:class:`~runner.HalfDuplexOrchestrator`)."""

    async def agenerate_next_message(self, message: Any, state: Any) -> tuple[Any, Any]:
        """The reply to ``message`` and the next state."""
        ...


@runtime_checkable
class FullDuplexParticipant(Participant, Protocol):
    """A streaming participant (the ``full_duplex`` orchestrator): one chunk per tick."""

    async def aget_next_chunk(self, state: Any, incoming_chunk: Any) -> tuple[Any, Any]:
        """This tick's outgoing chunk (or ``None``) and the next state."""
        ...


@runtime_checkable
class Orchestrator(Protocol):
    """What ``register_orchestrators`` registers builds: the class is called with the keyword
    arguments ``environment, agent, user, task, seed, max_steps, max_errors, timeout`` and the
    ``--orchestrator-option`` values, and the instance runs one conversation."""

    async def run(self) -> SimulationRun:
        """Run the conversation to its end; the (unevaluated) result."""
        ...
