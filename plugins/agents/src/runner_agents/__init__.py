"""runner-agents: runner agent SDK (Agent, Runner, tools, handoffs, guardrails) and the llm_agent family."""
