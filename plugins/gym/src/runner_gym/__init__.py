"""runner-gym: Gymnasium environments over runner's domains (see ``docs/gym.md``).

Importing the package registers ``runner/AgentEnv-v0`` (the caller plays the agent) and
``runner/UserEnv-v0`` (the caller plays the user), so
``gym.make("runner_gym:runner/AgentEnv-v0", domain="mock", task_id=...)`` works. (``runner play``
lives in ``runner_gym_plugin``, so that loading runner's plugins never imports Gymnasium.)
"""

import gymnasium as gym

from runner_gym.env import ActionSpace, AgentGymEnv, MessageSpace, UserGymEnv, render

for _name, _entry in (
    ("runner/AgentEnv-v0", "runner_gym.env:AgentGymEnv"),
    ("runner/UserEnv-v0", "runner_gym.env:UserGymEnv"),
):
    if _name not in gym.registry:
        gym.register(id=_name, entry_point=_entry)

__all__ = ["ActionSpace", "AgentGymEnv", "MessageSpace", "UserGymEnv", "render"]
