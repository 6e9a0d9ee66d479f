"""Reviewing trajectories with an LLM: did the agent err, or did the simulated user?

A reward of 0 says the conversation failed, not who failed it. The reviewer reads a trajectory
with the user's instructions and reports **agent errors** (a wrong or missing action, a policy
break, a wrong statement) and **user-simulator errors** (the simulated user broke its
instructions, leaked them, or ended the conversation early), each with the turn and a reason.
That separates "the agent failed" from "the benchmark's user failed", which a leaderboard needs.

The model answers with JSON (``{"agent_errors": [...], "user_errors": [...]}``); an answer that
is not valid JSON is retried once with the parse error, then recorded as a review error.
``mode="user"`` asks only about the simulated user.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

REVIEW_PROMPT = """You review one conversation of a customer-service benchmark: an AI agent \
(role "assistant") helps a simulated customer (role "user") while calling tools. The simulated \
customer follows private instructions, given below. Find the mistakes, citing the turn number \
of each.

{scope}

Answer with JSON only, in this shape:
{{"agent_errors": [{{"turn": N, "reason": "..."}}], "user_errors": [{{"turn": N, "kind": \
"broke_instructions" | "leaked_instructions" | "ended_early", "reason": "..."}}]}}
Use empty lists when there is no mistake of a kind.

## The customer's instructions
{instructions}

## The conversation
{conversation}"""

FULL_SCOPE = (
    "Agent errors: a wrong, missing or unauthorised tool call, a policy violation, a false or "
    "missing statement to the customer. User errors: the simulated customer did something its "
    "instructions do not allow, revealed its instructions verbatim or said it is following "
    "instructions, or ended the conversation before its goal was reached or refused."
)
USER_SCOPE = (
    "Report only user errors (leave agent_errors empty): the simulated customer did something "
    "its instructions do not allow, revealed its instructions, or ended the conversation before "
    "its goal was reached or refused."
)
USER_ERROR_KINDS = ("broke_instructions", "leaked_instructions", "ended_early")


@dataclass
class Review:
    """The review of one simulation."""

    simulation_id: str
    task_id: str
    trial: int
    agent_errors: list[dict[str, Any]] = field(default_factory=list)
    user_errors: list[dict[str, Any]] = field(default_factory=list)
    cost: float = 0.0
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def render_conversation(messages: list[Any]) -> str:
    """The trajectory with numbered turns (the numbers the review cites)."""
    lines = []
    for turn, message in enumerate(messages):
        role = getattr(message, "role", "?")
        for call in getattr(message, "tool_calls", None) or []:
            lines.append(
                f"[{turn}] {role} calls {call.name}({json.dumps(call.arguments, sort_keys=True)})"
            )
        content = getattr(message, "content", None)
        if content:
            lines.append(f"[{turn}] {role}: {content}")
    return "\n".join(lines)


def review_messages(task: Any, run: Any, mode: str) -> list[dict[str, str]]:
    scenario = getattr(task, "user_scenario", None)
    instructions = scenario.instructions_text() if scenario is not None else "(unknown)"
    prompt = REVIEW_PROMPT.format(
        scope=USER_SCOPE if mode == "user" else FULL_SCOPE,
        instructions=instructions,
        conversation=render_conversation(run.messages),
    )
    return [{"role": "user", "content": prompt}]


def parse_review(text: str | None, mode: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(agent errors, user errors) from the model's answer; ``ValueError`` when it is not the
    JSON asked for."""
    raw = (text or "").strip()
    fenced = re.search(r"\{.*\}", raw, re.DOTALL)
    data = json.loads(fenced.group(0) if fenced else raw)
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    agent = [_error(e) for e in data.get("agent_errors") or []] if mode == "full" else []
    user = [_error(e) for e in data.get("user_errors") or []]
    for item in user:
        if item.get("kind") not in USER_ERROR_KINDS:
            item["kind"] = "broke_instructions"
    return agent, user


def _error(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"an error must be an object, got {item!r}")
    turn = item.get("turn")
    return {
        "turn": int(turn) if isinstance(turn, (int, float, str)) and str(turn).isdigit() else None,
        "reason": str(item.get("reason") or ""),
        **({"kind": str(item["kind"])} if "kind" in item else {}),
    }


async def review_simulation(
    task: Any, run: Any, model: str, llm_args: dict[str, Any], gateway: Any, mode: str = "full"
) -> Review:
    """Review one simulation (one model call; a second one when the first answer is not JSON)."""
    from runner.orchestrator.failures import describe_error

    review = Review(run.id, run.task_id, run.trial)
    messages = review_messages(task, run, mode)
    for _ in range(2):  # a second ask, told what was wrong with the first answer
        response = await gateway.complete(model, messages, **llm_args)
        review.cost += response.cost or 0.0
        try:
            review.agent_errors, review.user_errors = parse_review(response.content, mode)
            review.error = None
            return review
        except (ValueError, json.JSONDecodeError) as exc:
            review.error = f"the reviewer's answer is not the JSON asked for: {describe_error(exc)}"
            messages = [
                *messages,
                {"role": "assistant", "content": response.content or ""},
                {
                    "role": "user",
                    "content": "That is not valid JSON of the asked shape. Answer "
                    "with the JSON object only.",
                },
            ]
    return review
