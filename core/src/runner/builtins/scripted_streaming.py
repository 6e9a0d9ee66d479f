"""The ``scripted_streaming`` user: the ``scripted`` user, streamed, with turn-taking on a schedule.

It says what the ``scripted`` user says (the ticket, the expected user actions, the stop), over
ticks through :class:`~runner.StreamingAdapter`, and on top follows a *schedule*: at given ticks
it says something of its own (over the agent if the agent is talking: an interruption),
back-channels, or waits longer before its next turn. Deterministic, for tests and demos of
barge-in and back-channels. The schedule comes from ``--user-option schedule=JSON`` or from the
task's ``user_scenario.schedule``; each event names its ``tick`` (the orchestrator's
``tick_id``) and one of:

- ``"say": TEXT`` (or ``"interrupt": TEXT``): start saying TEXT at that tick;
- ``"backchannel": TEXT``: one back-channel chunk (``"mm-hm"`` when TEXT is empty) unless the
  user is speaking then;
- ``"wait": N``: wait N more ticks of silence than usual before the next turn.
"""

from __future__ import annotations

import json
from typing import Any

from runner.builtins.scripted import ScriptedUser
from runner.errors import ConfigError
from runner.models.messages import UserMessage
from runner.models.task import Task
from runner.orchestrator.sides import USER
from runner.orchestrator.streaming import StreamingAdapter, StreamState

ACTIONS = ("say", "interrupt", "backchannel", "wait")
BACKCHANNEL = "mm-hm"


class ScriptedStreamingUser(StreamingAdapter):
    """The scripted user spoken over ticks, plus a schedule of turn-taking events."""

    def __init__(self, task: Task, schedule: list[dict[str, Any]]) -> None:
        super().__init__(ScriptedUser(task), USER)
        self.schedule = {int(event["tick"]): event for event in schedule}

    async def react(self, state: StreamState, incoming: Any) -> Any:
        event = self.schedule.get(state.ticks - 1)
        if event is None:
            return await super().react(state, incoming)
        if "wait" in event:
            state.hold += int(event["wait"])
            return await super().react(state, incoming)
        text = event.get("say", event.get("interrupt"))
        if text is not None:
            heard = self.hear(incoming)
            state.other_speaking = heard is not None
            if heard is not None:
                state.heard.append(heard)
            return await self.say(state, UserMessage(content=str(text)))
        chunk = await super().react(state, incoming)
        if chunk is not None:  # speaking: no back-channel over its own words
            return chunk
        return UserMessage(content=str(event.get("backchannel") or BACKCHANNEL), backchannel=True)


def parse_schedule(value: Any, where: str) -> list[dict[str, Any]]:
    """A schedule from an option's JSON text or a task's list, checked event by event."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"{where}: not valid JSON ({exc.msg} at character {exc.pos}). Give a list such "
                'as [{"tick": 40, "say": "wait, one more thing"}, {"tick": 60, "backchannel": '
                '"mm-hm"}].'
            ) from None
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of events, got {type(value).__name__}.")
    for i, event in enumerate(value):
        actions = [a for a in ACTIONS if isinstance(event, dict) and a in event]
        tick = event.get("tick") if isinstance(event, dict) else None
        if len(actions) != 1 or not isinstance(tick, int) or tick < 0:
            raise ConfigError(
                f"{where}: event {i} ({event!r}) needs a non-negative integer 'tick' and exactly "
                f"one of {', '.join(ACTIONS)}."
            )
        if actions[0] == "wait" and not (isinstance(event["wait"], int) and event["wait"] >= 0):
            raise ConfigError(f"{where}: event {i}: 'wait' must be a non-negative integer.")
    return value


def build_scripted_streaming_user(ctx: Any) -> ScriptedStreamingUser:
    """Factory registered as ``scripted_streaming`` (takes a :class:`runner.BuildContext`)."""
    if ctx.task is None:
        raise ConfigError("The scripted_streaming user needs a task (it follows its script).")
    unknown = sorted(set(ctx.options) - {"schedule"})
    if unknown:
        raise ConfigError(
            f"The scripted_streaming user's only option is schedule; got {', '.join(unknown)}."
        )
    if "schedule" in ctx.options:
        schedule = parse_schedule(ctx.options["schedule"], "--user-option schedule")
    else:
        from_task = getattr(ctx.task.user_scenario, "schedule", None) or []
        schedule = parse_schedule(from_task, f"task {ctx.task.id}: user_scenario.schedule")
    return ScriptedStreamingUser(ctx.task, schedule)
