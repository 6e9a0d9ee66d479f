"""runner-users: the LLM user simulator (``user_simulator``).

``runner_users.simulator.UserSimulator`` is the participant; its prompt template is
``runner_users/prompts/user_simulator.md``. See ``docs/llm-participants.md``.
"""
