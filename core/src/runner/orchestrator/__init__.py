"""Orchestrators: they drive a conversation between an agent, a user and an environment.

``half_duplex`` (:class:`HalfDuplexOrchestrator`) passes one message at a time; ``full_duplex``
streams chunks tick by tick. What both share: ``base`` (keyword arguments, the run under its
timeout, the result), ``participant_calls`` (calling a participant), ``failures`` (what a
failure means for the run), ``sides``; half duplex alone: ``history`` (continuing a task's
message history) and ``solo`` (no user). See ``docs/orchestrator.md`` for routing, termination
reasons and limits.
"""

from runner.orchestrator.half_duplex import HalfDuplexOrchestrator

__all__ = ["HalfDuplexOrchestrator"]
