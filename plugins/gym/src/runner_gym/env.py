"""Gymnasium environments in which the caller plays one side of a runner conversation.

The conversation is an ordinary half-duplex simulation (the registered domain, the other side's
registered participant, the task's evaluation), run on its own thread with its own event loop;
the caller's side is a participant that hands each incoming message to :meth:`step`'s caller
and waits for the action. So every rule of a run holds (routing, tool execution, limits,
scoring), and the reward is the task's reward at the end.

Actions: a ``str`` (a plain message), a dict ``{"name": ..., "arguments": {...}}`` (one tool
call) or a list of such dicts (parallel calls). Observations: the new messages since the last
step, as text (tool results included); ``info`` carries them structured (``messages``), the
caller's tools with their schemas (``tools``) and the ``policy``; the final ``info`` has the
``reward_breakdown`` and the ``termination_reason``. ``truncated`` is true when the run hit
``max_steps``.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
from typing import Any

import gymnasium as gym
from runner import (
    AssistantMessage,
    ConfigError,
    MultiToolMessage,
    RunConfig,
    ToolCall,
    ToolMessage,
    UserMessage,
    build_environment,
    build_orchestrator,
    load_plugins,
    run_simulation,
)

#: How long a step waits for the other side (an LLM participant may be slow), in seconds.
STEP_TIMEOUT = 300.0
_END = object()


class MessageSpace(gym.Space[str]):
    """Observations: any text."""

    def __init__(self) -> None:
        super().__init__(dtype=str)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str)

    def sample(self, mask: Any = None, probability: Any = None) -> str:
        return "hello"


class ActionSpace(gym.Space[Any]):
    """Actions: a message, one tool call ``{"name", "arguments"}``, or a list of tool calls."""

    def __init__(self) -> None:
        super().__init__(dtype=object)

    def contains(self, x: Any) -> bool:
        if isinstance(x, str):
            return True
        calls = x if isinstance(x, list) else [x]
        return bool(calls) and all(
            isinstance(c, dict)
            and isinstance(c.get("name"), str)
            and isinstance(c.get("arguments", {}), dict)
            for c in calls
        )

    def sample(self, mask: Any = None, probability: Any = None) -> str:
        return "Could you tell me more, please?"


class _Caller:
    """The side the gym caller plays: each turn goes out through ``outbox`` and its answer
    comes back through ``inbox`` (the orchestrator runs this sync method in a worker thread)."""

    def __init__(self, side: str, solo: bool = False) -> None:
        self.side = side
        self.solo = solo
        self.outbox: queue.Queue[Any] = queue.Queue()
        self.inbox: queue.Queue[Any] = queue.Queue()

    def get_init_state(self, message_history: list[Any] | None = None) -> None:
        return None

    def set_seed(self, seed: int | None) -> None:
        pass

    def is_stop(self, message: Any) -> bool:
        from runner import STOP_TOKEN

        return STOP_TOKEN in (getattr(message, "content", None) or "")

    def generate_next_message(self, message: Any, state: None) -> tuple[Any, None]:
        self.outbox.put(("turn", message))
        action = self.inbox.get(timeout=STEP_TIMEOUT)
        if action is _END:
            raise RuntimeError("the environment was closed or reset")
        return action, state


class _RunnerEnv(gym.Env[str, Any]):
    """What both environments share (see the module docstring)."""

    metadata = {"render_modes": ["ansi"]}
    side = "agent"

    def __init__(
        self,
        domain: str,
        task_id: str | None = None,
        *,
        agent: str | None = None,
        user: str | None = None,
        agent_llm: str | None = None,
        agent_llm_args: dict[str, Any] | None = None,
        user_llm: str | None = None,
        user_llm_args: dict[str, Any] | None = None,
        domain_options: dict[str, Any] | None = None,
        task_split: str | None = None,
        max_steps: int = 100,
        solo: bool = False,
        render_mode: str | None = None,
    ) -> None:
        self.config = RunConfig(
            domain=domain,
            agent=agent or ("llm_agent" if agent_llm else "replay"),
            user=user or ("user_simulator" if user_llm else "scripted"),
            agent_llm=agent_llm,
            agent_llm_args=dict(agent_llm_args or {}),
            user_llm=user_llm,
            user_llm_args=dict(user_llm_args or {}),
            domain_options=dict(domain_options or {}),
            task_split=task_split,
            max_steps=max_steps,
            orchestrator_options={"solo": True} if solo else {},
        )
        if solo and self.side != "agent":
            raise ConfigError("solo mode has no user: only AgentGymEnv plays it.")
        self.solo = solo
        self.plugins = load_plugins()
        found = self.plugins.registry("domains").get(domain).obj
        self.domain = found.configure(dict(domain_options)) if domain_options else found
        self.tasks = {t.id: t for t in self.domain.tasks(task_split)}
        if task_id is not None and task_id not in self.tasks:
            raise ConfigError(
                f"Domain {domain!r} has no task {task_id!r}; see `runner tasks --domain {domain}`."
            )
        self.task_id = task_id or next(iter(self.tasks))
        self.observation_space = MessageSpace()
        self.action_space = ActionSpace()
        self.render_mode = render_mode
        self._thread: threading.Thread | None = None
        self._caller: _Caller | None = None
        self._seen = 0
        self._messages: list[Any] = []
        self._last = ""
        #: The finished conversation of the last episode (a ``runner.SimulationRun``).
        self.last_run: Any = None

    # -- gymnasium ---------------------------------------------------------------------------
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        self.close()
        task_id = (options or {}).get("task_id", self.task_id)
        if task_id not in self.tasks:
            raise ConfigError(f"reset(options={{'task_id': {task_id!r}}}): no such task.")
        self.task_id = task_id
        episode_seed = seed if seed is not None else int(self.np_random.integers(2**31 - 1))
        self._start(self.tasks[task_id], episode_seed)
        observation = self._wait()[0]
        if self.solo:  # no user: the agent works from the task's ticket
            task = self.tasks[task_id]
            ticket = task.ticket or task.user_scenario.instructions_text()
            observation = "\n".join(filter(None, [f"ticket: {ticket}", observation]))
            self._last = observation
        return observation, self._info

    def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self._caller is None:
            raise RuntimeError("call reset() before step()")
        if not self.action_space.contains(action):
            raise ValueError(
                "An action is a str, a dict {'name': ..., 'arguments': {...}}, or a list of them."
            )
        self._caller.inbox.put(self._message(action))
        observation, reward, terminated, truncated = self._wait()
        return observation, reward, terminated, truncated, self._info

    def render(self) -> str | None:
        return self._last if self.render_mode == "ansi" else None

    def close(self) -> None:
        if self._caller is not None and self._thread is not None and self._thread.is_alive():
            self._caller.inbox.put(_END)
            self._thread.join(timeout=STEP_TIMEOUT)
        self._caller = None
        self._thread = None

    # -- the conversation --------------------------------------------------------------------
    def _start(self, task: Any, seed: int) -> None:
        caller = self._caller = _Caller(self.side, solo=self.solo)
        environment = build_environment(self.config, self.plugins)
        self._tools = [
            t.openai_schema()
            for t in (environment.tools() if self.side == "agent" else environment.user_tools())
        ]
        self._policy = str(environment.policy or "")
        parts = {self.side: caller}
        orchestrator = build_orchestrator(
            self.config, task, seed, self.plugins, environment=environment, **parts
        )
        factory = self.domain.environment

        def conversation() -> None:
            try:
                run = asyncio.run(run_simulation(orchestrator, environment_factory=factory))
                caller.outbox.put(("end", run))
            except BaseException as exc:  # reported to the caller, never lost in the thread
                caller.outbox.put(("error", exc))

        self._seen = 0
        self._thread = threading.Thread(target=conversation, daemon=True, name="runner-gym")
        self._thread.start()
        self._orchestrator: Any = orchestrator

    def _wait(self) -> tuple[str, float, bool, bool]:
        assert self._caller is not None
        kind, payload = self._caller.outbox.get(timeout=STEP_TIMEOUT)
        messages = self._orchestrator.messages
        new = messages[self._seen :]
        self._seen = len(messages)
        # (no timestamps: seeded episodes must give equal observations and info)
        self._messages = [
            m.model_dump(mode="json", exclude_none=True, exclude={"timestamp"}) for m in new
        ]
        self._info: dict[str, Any] = {
            "messages": self._messages,
            "tools": self._tools,
            "policy": self._policy,
            "task_id": self.task_id,
        }
        self._last = render(new, self.side)
        if kind == "turn":
            return self._last, 0.0, False, False
        if kind == "error":
            raise payload
        run = self.last_run = payload
        reason = getattr(run.termination_reason, "value", run.termination_reason)
        info = run.reward_info
        self._info.update(
            termination_reason=reason,
            reward_breakdown=info.reward_breakdown if info else None,
            error=run.error,
        )
        self._caller = None
        reward = float(run.reward or 0.0)
        return self._last, reward, reason != "max_steps", reason == "max_steps"

    def _message(self, action: Any) -> Any:
        kind = AssistantMessage if self.side == "agent" else UserMessage
        if isinstance(action, str):
            return kind(content=action)
        calls = action if isinstance(action, list) else [action]
        requestor = "assistant" if self.side == "agent" else "user"
        return kind(
            tool_calls=[
                ToolCall(
                    id=f"gym_{self._seen}_{i}",
                    name=c["name"],
                    arguments=dict(c.get("arguments") or {}),
                    requestor=requestor,
                )
                for i, c in enumerate(calls)
            ]
        )


class AgentGymEnv(_RunnerEnv):
    """The caller plays the agent against the domain's user (``user``, default ``scripted``, or
    ``user_simulator`` when ``user_llm`` is given) and environment."""

    side = "agent"


class UserGymEnv(_RunnerEnv):
    """The caller plays the user against an agent (``agent``, default ``replay``, or
    ``llm_agent`` when ``agent_llm`` is given)."""

    side = "user"


def render(messages: list[Any], side: str) -> str:
    """Messages as the text a player reads: the other side's words, tool results, calls."""
    lines = []
    for message in messages:
        if isinstance(message, MultiToolMessage):
            lines.extend(render(list(message.tool_messages), side).splitlines())
            continue
        if isinstance(message, ToolMessage):
            lines.append(f"tool result: {message.content}")
            continue
        role = getattr(message, "role", "?")
        for call in getattr(message, "tool_calls", None) or []:
            lines.append(f"{role} calls {call.name} {json.dumps(call.arguments, sort_keys=True)}")
        if getattr(message, "content", None):
            lines.append(f"{role}: {message.content}")
    return "\n".join(lines)
