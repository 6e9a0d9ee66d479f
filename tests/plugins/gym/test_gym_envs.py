"""The Gymnasium environments: Gymnasium's own checker passes on mock and retail for both sides,
a scripted policy playing the agent reaches reward 1.0 on every mock task, and seeds make
episodes reproducible."""

from __future__ import annotations

import warnings
from typing import Any

import gymnasium as gym
import pytest
import runner_gym  # noqa: F401  (registers the environments)
from gymnasium.utils.env_checker import check_env
from repo_paths import TAU2_DATA
from runner.builtins.replay import ReplayAgent, ReplayState
from runner.plugins import load_plugins
from runner_gym import AgentGymEnv, UserGymEnv


@pytest.mark.parametrize("env_class", [AgentGymEnv, UserGymEnv])
@pytest.mark.parametrize("domain", ["mock", "retail"])
def test_gymnasiums_checker_passes(env_class: Any, domain: str) -> None:
    options = {"data_dir": str(TAU2_DATA / "retail")} if domain == "retail" else None
    env = env_class(domain=domain, domain_options=options)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            check_env(env, skip_render_check=True)  # raises on a broken contract
    finally:
        env.close()
    # ... and warns on a doubtful one (spaces, seeding, determinism): none may remain
    assert [str(w.message) for w in caught if "WARN:" in str(w.message)] == []


def action_of(message: Any) -> Any:
    if message.tool_calls:
        return [{"name": c.name, "arguments": c.arguments} for c in message.tool_calls]
    return message.content


def test_a_scripted_policy_reaches_reward_one_on_every_mock_task() -> None:
    tasks = load_plugins().registry("domains").get("mock").obj.tasks()
    env = gym.make("runner_gym:runner/AgentEnv-v0", domain="mock")
    try:
        for task in tasks:
            observation, info = env.reset(seed=3, options={"task_id": task.id})
            assert isinstance(observation, str) and info["policy"] and info["tools"]
            policy, state = ReplayAgent(task), ReplayState()
            reward, terminated, truncated, steps = 0.0, False, False, 0
            while not (terminated or truncated):
                steps += 1
                assert steps < 30, task.id
                action = action_of(policy.next_message(state))
                observation, reward, terminated, truncated, info = env.step(action)
            assert reward == 1.0, (task.id, info.get("reward_breakdown"), info.get("error"))
            assert info["termination_reason"] in ("user_stop", "agent_stop")
    finally:
        env.close()


def test_seeds_reproduce_episodes_and_tasks_switch_on_reset() -> None:
    env = AgentGymEnv(domain="mock", task_id="create_for_new_user")
    try:
        first, _ = env.reset(seed=5)
        second, _ = env.reset(seed=5)
        assert first == second and "Jonas Weber" in first
        other, info = env.reset(seed=5, options={"task_id": "find_user_id"})
        assert other != first and info["task_id"] == "find_user_id"
        with pytest.raises(ValueError, match="An action is a str"):
            env.step({"arguments": {}})
        observation, reward, terminated, truncated, info = env.step(
            {"name": "nope", "arguments": {}}
        )
        assert "tool result: Error" in observation and not terminated
    finally:
        env.close()


def test_playing_the_user_against_the_replay_agent() -> None:
    env = UserGymEnv(domain="mock", task_id="create_for_new_user")
    try:
        observation, info = env.reset(seed=1)
        assert observation == "assistant: Hi! How can I help you today?"
        observation, reward, terminated, _, info = env.step(
            "Jonas Weber (user_4) wants a new task titled 'Prepare demo slides'."
        )
        assert "task_5" in observation and not terminated
        observation, reward, terminated, truncated, info = env.step("Thanks! ###STOP###")
        assert terminated and not truncated and reward == 1.0
    finally:
        env.close()


def test_solo_mode_the_agent_works_alone() -> None:
    env = AgentGymEnv(domain="mock", task_id="create_with_description", solo=True)
    try:
        observation, info = env.reset(seed=2)
        assert observation.startswith("ticket: ")  # no greeting, no user: the ticket
        task = env.tasks["create_with_description"]
        for action in task.expected_actions():
            observation, reward, terminated, _, info = env.step(
                {"name": action.name, "arguments": action.arguments}
            )
            assert not terminated
        observation, reward, terminated, truncated, info = env.step("###STOP###")
        assert terminated and info["termination_reason"] == "agent_stop" and reward == 1.0
    finally:
        env.close()
