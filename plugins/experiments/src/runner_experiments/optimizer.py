"""Asking the optimizer model for a candidate policy, and checking it against the constraints.

The optimizer sees the incumbent policy, the constraints and the failed trajectories of the
incumbent's evaluation (reward breakdown, failed checks, the conversation), and answers with the
whole new policy between ``<policy>`` tags. A candidate that breaks a constraint is sent back
with the reason, up to ``optimizer.max_retries`` more times. Every call is recorded (prompt,
response, parsed candidate, validation error, tokens, latency, cost) before anything else
happens, and a recorded call is never made again: a resumed experiment replays it.
"""

from __future__ import annotations

import json
import re
import time
from importlib import resources
from typing import Any

from runner import SimulationRun

from runner_experiments.config import Constraints, ExperimentConfig
from runner_experiments.store import Store, micro

_POLICY = re.compile(r"<policy>\s*(.*?)\s*</policy>", re.DOTALL)


def system_prompt(exp: ExperimentConfig) -> str:
    """The optimizer's instructions: inline, from a file, or the built-in ones."""
    if exp.optimizer.system_prompt:
        return exp.optimizer.system_prompt
    if exp.optimizer.system_prompt_file:
        return exp.read_text("optimizer.system_prompt_file", exp.optimizer.system_prompt_file)
    return resources.files("runner_experiments").joinpath("prompts/optimizer.md").read_text()


def describe_constraints(constraints: Constraints) -> str:
    lines = []
    if constraints.max_length:
        lines.append(f"- at most {constraints.max_length} characters")
    for section in constraints.required_sections:
        lines.append(f"- must contain the section {section!r}")
    for phrase in constraints.forbidden_phrases:
        lines.append(f"- must not contain {phrase!r} (in any case)")
    if constraints.json_schema is not None:
        lines.append(
            "- must be a JSON document valid against this schema: "
            + json.dumps(constraints.json_schema)
        )
    return "\n".join(lines) or "- none"


def validate(candidate: str, constraints: Constraints) -> str | None:
    """Why ``candidate`` breaks the constraints (one line), or None when it meets them."""
    if not candidate.strip():
        return "the policy is empty"
    if constraints.max_length and len(candidate) > constraints.max_length:
        return f"the policy has {len(candidate)} characters; the limit is {constraints.max_length}"
    missing = [s for s in constraints.required_sections if s not in candidate]
    if missing:
        return "required sections missing: " + ", ".join(map(repr, missing))
    lowered = candidate.lower()
    found = [p for p in constraints.forbidden_phrases if p.lower() in lowered]
    if found:
        return "forbidden phrases present: " + ", ".join(map(repr, found))
    if constraints.json_schema is not None:
        import jsonschema

        try:
            jsonschema.validate(json.loads(candidate), constraints.json_schema)
        except json.JSONDecodeError as exc:
            return f"the policy must be JSON: {exc.msg} at character {exc.pos}"
        except jsonschema.ValidationError as exc:
            return f"the policy does not match the JSON schema: {exc.message}"
    return None


def parse_candidate(response: str | None) -> str | None:
    """The policy between ``<policy>`` tags in the response (None without them)."""
    match = _POLICY.search(response or "")
    return match.group(1) if match else None


def failure_digest(runs: list[SimulationRun], max_failures: int, max_chars: int) -> str:
    """The failed trajectories the optimizer learns from, worst first, each cut to
    ``max_chars``."""
    failed = sorted(
        (r for r in runs if r.reward_info is not None and (r.reward or 0.0) < 1.0),
        key=lambda r: (r.reward or 0.0, r.task_id, r.trial),
    )
    parts = []
    for run in failed[:max_failures]:
        parts.append(_trajectory(run)[:max_chars])
    return "\n\n".join(parts) or "(no failed conversation: every unit scored 1.0)"


def _trajectory(run: SimulationRun) -> str:
    info = run.reward_info
    lines = [
        f"### Task {run.task_id}, trial {run.trial}: reward {run.reward or 0.0:.2f}, "
        f"ended {getattr(run.termination_reason, 'value', run.termination_reason)}",
        f"Reward breakdown: {json.dumps(info.reward_breakdown if info else None)}",
    ]
    if info is not None:
        for check in info.action_checks or []:
            if not check.action_match:
                lines.append(
                    f"Missing or wrong action: {check.action.name} "
                    f"{json.dumps(check.action.arguments, sort_keys=True)}"
                )
        for comm in info.communicate_checks or []:
            if not comm.met:
                lines.append(f"Not communicated: {comm.info!r}")
        for nl in info.nl_assertions or []:
            if nl.met is False:
                lines.append(f"Assertion not met: {nl.nl_assertion}")
        if info.db_check is not None and not info.db_check.db_match:
            lines.append("The final database differs from the expected one.")
    lines.append("Conversation:")
    for message in run.messages:
        role = getattr(message, "role", "?")
        content = getattr(message, "content", None)
        calls = getattr(message, "tool_calls", None) or []
        if calls:
            rendered = "; ".join(
                f"{c.name}({json.dumps(c.arguments, sort_keys=True)})" for c in calls
            )
            lines.append(f"{role} calls: {rendered}")
        if content:
            lines.append(f"{role}: {content}")
    return "\n".join(lines)


def prompt_messages(
    exp: ExperimentConfig,
    policy: str,
    failures: str,
    n: int,
    attempt: int,
    error: str | None,
    previous: str | None,
) -> list[dict[str, str]]:
    """The optimizer's messages for iteration ``n``, attempt ``attempt``."""
    user = (
        f"Iteration {n}, attempt {attempt}.\n\n## Current policy\n\n{policy}\n\n"
        f"## Constraints on the new policy\n\n{describe_constraints(exp.optimize.constraints)}\n\n"
        f"## Failed conversations of the current policy\n\n{failures}"
    )
    messages = [
        {"role": "system", "content": system_prompt(exp)},
        {"role": "user", "content": user},
    ]
    if error is not None:
        messages.append({"role": "assistant", "content": previous or ""})
        messages.append(
            {
                "role": "user",
                "content": f"That policy was refused: {error}. Answer again with the complete "
                "policy between <policy> and </policy>, meeting every constraint.",
            }
        )
    return messages


async def propose(
    exp: ExperimentConfig,
    store: Store,
    experiment_id: str,
    n: int,
    policy: str,
    failures: str,
    gateway: Any,
) -> str | None:
    """A valid candidate for iteration ``n``, or None when every attempt broke a constraint.
    Recorded attempts are replayed, not asked again."""
    recorded = {row["attempt"]: row for row in store.interactions(experiment_id, n, n)}
    error: str | None = None
    previous: str | None = None
    for attempt in range(1, exp.optimizer.max_retries + 2):
        row = recorded.get(attempt)
        if row is None:
            messages = prompt_messages(exp, policy, failures, n, attempt, error, previous)
            started = time.perf_counter()
            args = {"temperature": exp.optimizer.temperature, **exp.optimizer_llm_args}
            response = await gateway.complete(exp.optimizer_llm, messages, **args)
            candidate = parse_candidate(response.content)
            problem = (
                "the answer has no <policy>...</policy> block"
                if candidate is None
                else validate(candidate, exp.optimize.constraints)
            )
            store.add_interaction(
                experiment_id,
                n,
                attempt,
                prompt=messages,
                response=response.content,
                candidate=candidate,
                validation_error=problem,
                prompt_tokens=response.usage.prompt_tokens,
                completion_tokens=response.usage.completion_tokens,
                latency=round(time.perf_counter() - started, 4),
                cost_micro=micro(response.cost),
            )
            store.event(
                experiment_id, "proposal", n, attempt=attempt, valid=problem is None, error=problem
            )
        else:
            candidate, problem, response_text = (
                row["candidate"],
                row["validation_error"],
                row["response"],
            )
        if problem is None and candidate is not None:
            return candidate
        error = problem
        previous = response.content if row is None else response_text
    return None
