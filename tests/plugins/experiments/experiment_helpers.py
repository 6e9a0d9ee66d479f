"""Scripted models for the experiment tests: the mock domain's oracle agent fails some tasks
unless its policy holds the fix, and a scripted optimizer answers by iteration and attempt."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from runner.testing import OracleResponder, reply

AGENT, USER, OPTIMIZER = "agent-model", "user-model", "optimizer-model"
ROLES = {AGENT: "agent", USER: "user"}
#: Tasks the agent gets wrong while its policy lacks FIX.
FAILING = (
    "create_for_new_user",
    "create_with_description",
    "reopen_offsite",
    "find_user_id",
    "complete_seeded_task",
)
FIX = "Always read the customer's request back before you act."
BREAK = "Answer as briefly as possible and skip the checks."
FORBIDDEN = "ignore the policy"


def mock_tasks() -> list[Any]:
    from runner.plugins import load_plugins

    return load_plugins().registry("domains").get("mock").obj.tasks()


def policy_reply(text: str, note: str = "Here is the new policy.") -> Any:
    return reply.text(f"{note}\n<policy>\n{text}\n</policy>")


class ExperimentModels:
    """A responder for LLMTestServer: agent, user and optimizer.

    ``script`` maps (iteration, attempt) to a function of the current policy giving the
    optimizer's answer; unscripted rounds get an answer without a policy block."""

    def __init__(self, script: dict[tuple[int, int], Any]) -> None:
        tasks = mock_tasks()
        self.good = OracleResponder(tasks, roles=ROLES)
        self.bad = OracleResponder(tasks, failing=FAILING, roles=ROLES)
        self.broken = OracleResponder(tasks, failing=("*",), roles=ROLES)
        self.script = script
        self.optimizer_calls = 0

    def __call__(self, body: dict[str, Any]) -> Any:
        model = str(body.get("model", "")).split("/")[-1]
        messages = body.get("messages") or []
        system = " ".join(m.get("content") or "" for m in messages if m.get("role") == "system")
        if model == OPTIMIZER:
            self.optimizer_calls += 1
            first = next(m["content"] for m in messages if m.get("role") == "user")
            match = re.search(r"Iteration (\d+), attempt (\d+)", first)
            n, attempt = int(match.group(1)), int(match.group(2))
            policy = first.split("## Current policy\n\n", 1)[1].split("\n\n## Constraints", 1)[0]
            answer = self.script.get((n, attempt))
            return answer(policy) if answer else reply.text("I have nothing to add.")
        if model == AGENT:
            if BREAK in system:
                return self.broken(body)
            return (self.good if FIX in system else self.bad)(body)
        return self.good(body)


THREE_PROPOSALS = {
    (1, 1): lambda policy: policy_reply(policy + f"\n\nWhen unsure, {FORBIDDEN}."),
    (1, 2): lambda policy: policy_reply(policy + "\n\n" + BREAK),
    (2, 1): lambda policy: policy_reply(policy + "\n\n" + FIX),
}


def write_experiment(folder: Path, url: str, **overrides: Any) -> Path:
    args = f'{{api_base: "{url}", api_key: sk-exp-test-123}}'
    text = f"""\
name: mock-fix
domain: mock
agent: llm_agent
user: user_simulator
agent_llm: openai/{AGENT}
agent_llm_args: {args}
user_llm: openai/{USER}
user_llm_args: {args}
optimizer_llm: openai/{OPTIMIZER}
optimizer_llm_args: {args}
evaluation:
  trials: {overrides.get("trials", 1)}
  master_seed: 7
  max_concurrency: {overrides.get("concurrency", 8)}
optimize:
  constraints:
    max_length: 4000
    forbidden_phrases: ["{FORBIDDEN}"]
optimizer:
  max_retries: 1
acceptance:
  rule: ci_lower_bound
  confidence: 0.95
convergence:
  max_iterations: {overrides.get("max_iterations", 2)}
  patience: 3
output:
  dir: {folder / "out"}
"""
    path = folder / "experiment.yaml"
    path.write_text(text)
    return path
