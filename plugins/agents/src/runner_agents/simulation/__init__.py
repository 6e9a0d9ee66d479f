"""The simulation agents of runner-agents: ``llm_agent``, ``llm_gt_agent``, ``llm_solo_agent``.

They are half-duplex participants (:class:`runner.HalfDuplexAgent`) that play the support agent
of a simulation with a real model. Unlike :class:`runner_agents.Runner`, which runs tools
itself, each of their turns is **one** model call: the tool calls the model makes go back to the
orchestrator, which executes them on the environment and records them in the trajectory (the
evaluation replays them from there). The guide is ``docs/llm-participants.md``.
"""

from runner_agents.simulation.llm_agent import (
    LLMAgent,
    LLMGTAgent,
    LLMSoloAgent,
    build_llm_agent,
    build_llm_gt_agent,
    build_llm_solo_agent,
)

__all__ = [
    "LLMAgent",
    "LLMGTAgent",
    "LLMSoloAgent",
    "build_llm_agent",
    "build_llm_gt_agent",
    "build_llm_solo_agent",
]
