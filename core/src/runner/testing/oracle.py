"""Scripted models that solve a domain's tasks: a responder for :class:`LLMTestServer`.

End-to-end tests and benchmarks of LLM participants need a "model" that behaves sensibly
without a provider. :class:`OracleResponder` answers chat requests deterministically, from the
conversation in the request alone, as one of three roles chosen by the request's model name:

* **agent** (``llm_agent``, ``llm_gt_agent``, ``llm_solo_agent``): recognises the task from the
  conversation (its ticket, instructions or message history), performs the task's next
  expected action (a tool call, or a request naming the tool for a user-side action), and
  finally states every ``communicate_info`` item. In solo mode it performs every action itself
  and then calls ``done``.
* **user** (``user_simulator``): recognises the task from its system prompt (the instructions),
  opens with the ticket, performs its expected user actions when the agent names them, and
  answers ``###STOP###`` after the agent's answer.
* **judge**: every NL assertion met, with a reason.

Tasks are told apart by text only: two tasks with the same ticket and instructions (τ²-bench
telecom has such pairs, differing only in their initial state) cannot be, and the first one
listed is played for both. With the mock, retail and airline tasks it solves every task whose
reward needs no more than its expected actions and what it must communicate.

``failing`` names tasks (or ``"*"`` for all) on which the agent makes a mistake: a string
argument of its first write-like action is altered (so the DB and action checks fail with
evidence), or, when no action has one, its answer omits what it must communicate, and the judge
finds nothing met. Usage::

    with LLMTestServer(responder=OracleResponder(domain.tasks())) as server:
        ...  # --agent-llm openai/agent --user-llm openai/user --judge-llm openai/judge
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from runner.builtins.replay import CLOSING, final_answer, user_action_request
from runner.constants import STOP_TOKEN
from runner.models.task import Action, Task
from runner.testing import replies

DEFAULT_ROLES = {"agent": "agent", "user": "user", "judge": "judge"}
UNKNOWN_TASK = "Sorry, I cannot tell which request this is."


class OracleResponder:
    """A :class:`~runner.testing.LLMTestServer` responder playing agent, user and judge.

    ``roles`` maps a request's model name (the part after the provider prefix: ``agent`` for
    ``openai/agent``) to ``"agent"``, ``"user"`` or ``"judge"``. Requests for other models fall
    through (``None``) to the server's script or default.
    """

    def __init__(
        self,
        tasks: Iterable[Task],
        *,
        failing: Iterable[str] = (),
        roles: dict[str, str] | None = None,
    ) -> None:
        self.tasks = list(tasks)
        self.failing = frozenset(failing)
        self.roles = dict(roles or DEFAULT_ROLES)
        self._signatures = sorted(
            ((text, task) for task in self.tasks for text in _signatures(task)),
            key=lambda pair: -len(pair[0]),
        )

    def __call__(self, body: dict[str, Any]) -> replies.Reply | None:
        role = self.roles.get(str(body.get("model", "")).split("/")[-1])
        messages = body.get("messages") or []
        if role == "agent":
            return self.agent(messages, _tool_names(body))
        if role == "user":
            return self.user(messages)
        if role == "judge":
            return self.judge(messages)
        return None

    # -- recognising the task -------------------------------------------------------------------
    def find_task(self, texts: Iterable[str]) -> Task | None:
        """The task whose ticket, instructions or history text appears in one of ``texts``."""
        texts = [t for t in texts if t]
        for signature, task in self._signatures:
            if any(signature in text for text in texts):
                return task
        return None

    def fails(self, task: Task) -> bool:
        return "*" in self.failing or task.id in self.failing

    # -- agent ----------------------------------------------------------------------------------
    def agent(self, messages: list[dict[str, Any]], tools: set[str]) -> replies.Reply:
        task = self.find_task(m.get("content") or "" for m in messages if m.get("role") == "user")
        if task is None:
            return replies.text(UNKNOWN_TASK)
        solo = "done" in tools
        calls = _own_calls(messages)
        said = [m.get("content") or "" for m in messages if m.get("role") == "assistant"]
        for index, action in enumerate(task.expected_actions()):
            action = self._maybe_wrong(task, action, index)
            if action.requestor == "user" and not solo:
                request = user_action_request(action)
                if not any(request in text for text in said):
                    return replies.text(request)
            elif not _consume(calls, action):
                return replies.tool_calls([(action.name, action.arguments)])
        if solo:
            return replies.tool_calls([("done", {})])
        answer = self._answer(task)
        if any(answer == text for text in said):
            return replies.text(CLOSING)
        return replies.text(answer)

    def _maybe_wrong(self, task: Task, action: Action, index: int) -> Action:
        if not self.fails(task) or index != _first_with_text(task):
            return action
        arguments = dict(action.arguments)
        key = next(k for k, v in arguments.items() if isinstance(v, str))
        arguments[key] = arguments[key] + " (wrong)"
        return action.model_copy(update={"arguments": arguments})

    def _answer(self, task: Task) -> str:
        criteria = task.evaluation_criteria
        infos = list(criteria.communicate_info or []) if criteria else []
        if self.fails(task) and _first_with_text(task) is None:
            infos = []
        return final_answer(infos)

    # -- user -----------------------------------------------------------------------------------
    def user(self, messages: list[dict[str, Any]]) -> replies.Reply:
        system = " ".join(m.get("content") or "" for m in messages if m.get("role") == "system")
        task = self.find_task([system])
        if task is None:
            return replies.text(STOP_TOKEN)
        history = (task.initial_state.message_history if task.initial_state else None) or []
        own = [m for m in messages if m.get("role") == "assistant"]
        spoke_before = sum(1 for m in history if m.role == "user")
        if len(own) <= spoke_before and not (history and history[-1].role == "user"):
            return replies.text(task.ticket or task.user_scenario.instructions_text())
        last = messages[-1] if messages else {}
        if last.get("role") == "tool":
            name = _call_name(messages, last.get("tool_call_id"))
            return replies.text(f"Done: I performed {name}. The result was: {last.get('content')}")
        calls = _own_calls(messages)
        pending = [a for a in task.expected_actions("user") if not _consume(calls, a)]
        text = last.get("content") or "" if last.get("role") == "user" else ""
        if pending and pending[0].name in text:
            return replies.tool_calls([(pending[0].name, pending[0].arguments)])
        return replies.text(STOP_TOKEN)

    # -- judge ----------------------------------------------------------------------------------
    def judge(self, messages: list[dict[str, Any]]) -> replies.Reply:
        prompt = messages[-1].get("content") or "" if messages else ""
        outcomes = prompt.split("<expected_outcomes>")[-1].split("</expected_outcomes>")[0]
        count = sum(1 for line in outcomes.splitlines() if line.strip()[:1].isdigit())
        task = self.find_task([prompt])
        met = task is None or not self.fails(task)
        results = [
            {
                "index": i,
                "reasoning": "The conversation shows it." if met else "Nothing in it shows that.",
                "met": met,
            }
            for i in range(1, count + 1)
        ]
        return replies.text(json.dumps({"results": results}))


def _signatures(task: Task) -> list[str]:
    texts = [task.ticket or "", task.user_scenario.instructions_text()]
    history = (task.initial_state.message_history if task.initial_state else None) or []
    texts += [m.content or "" for m in history if m.role == "user"]
    return [t for t in texts if len(t) >= 8]


def _tool_names(body: dict[str, Any]) -> set[str]:
    return {t.get("function", {}).get("name", "") for t in body.get("tools") or []}


def _own_calls(messages: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The tool calls of the side asking (its ``assistant`` messages), as (name, arguments)."""
    calls = []
    for m in messages:
        if m.get("role") == "assistant":
            for call in m.get("tool_calls") or []:
                function = call.get("function") or {}
                try:
                    arguments = json.loads(function.get("arguments") or "{}")
                except ValueError:
                    arguments = None
                calls.append((str(function.get("name") or ""), arguments))
    return calls


def _consume(calls: list[tuple[str, Any]], action: Action) -> bool:
    """Whether a call matching ``action`` was made (it is then used up)."""
    for i, (name, arguments) in enumerate(calls):
        if name == action.name and arguments == action.arguments:
            del calls[i]
            return True
    return False


def _call_name(messages: list[dict[str, Any]], call_id: Any) -> str:
    for m in messages:
        for call in m.get("tool_calls") or []:
            if call.get("id") == call_id:
                return (call.get("function") or {}).get("name", "the action")
    return "the action"


def _first_with_text(task: Task) -> int | None:
    """The index of the first expected action with a string argument (the one to get wrong)."""
    for index, action in enumerate(task.expected_actions()):
        if action.compare_args != [] and any(isinstance(v, str) for v in action.arguments.values()):
            return index
    return None
