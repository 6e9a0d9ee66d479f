"""Entry point of runner-agents (hook implementations)."""
