"""Entry point of runner-agents (``[project.entry-points.runner] agents``).

It registers nothing yet: the SDK (``Agent``, ``Runner``, ...) is a library imported from
``runner_agents``; the simulation agents built on it (``llm_agent``, ``llm_gt_agent``,
``llm_solo_agent``) will register here. Keep this module free of heavy imports: it is loaded
by every ``runner`` command.
"""
