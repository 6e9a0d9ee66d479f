"""runner-users: runner LLM user simulator."""
