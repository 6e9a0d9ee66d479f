"""Orchestrators: they drive a conversation between an agent, a user and an environment.

``half_duplex`` (:class:`HalfDuplexOrchestrator`) passes one message at a time; ``full_duplex``
streams chunks tick by tick. What both share: ``base`` (keyword arguments, the run under its
timeout, the result), ``participant_calls`` (calling a participant), ``failures`` (what a
failure means for the run), ``sides``, ``history`` (continuing a task's message history) and
``solo`` (no user); full duplex alone: ``streaming`` (a turn-based participant spoken over
ticks) and ``transcript`` (the chunks folded into messages for evaluation). See ``docs/orchestrator.md`` for routing, termination
reasons and limits.
"""

from runner.orchestrator.full_duplex import FullDuplexOrchestrator
from runner.orchestrator.half_duplex import HalfDuplexOrchestrator
from runner.orchestrator.streaming import StreamingAdapter, StreamState

__all__ = ["FullDuplexOrchestrator", "HalfDuplexOrchestrator", "StreamState", "StreamingAdapter"]
