"""Orchestrators: they drive a conversation between an agent, a user and an environment.

``half_duplex`` (:class:`HalfDuplexOrchestrator`) passes one message at a time; see
``docs/orchestrator.md`` for routing, termination reasons and limits.
"""

from runner.orchestrator.half_duplex import HalfDuplexOrchestrator

__all__ = ["HalfDuplexOrchestrator"]
