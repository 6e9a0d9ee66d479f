"""`runner review` with a scripted reviewer on the local test server: it finds the agent and
user-simulator errors planted in a results file, resumes without reviewing twice, and
`runner show` reports the counts."""

from __future__ import annotations

import json
import re
from typing import Any

from click.testing import CliRunner
from runner.cli.app import cli
from runner.testing import LLMTestServer, reply

ENV = {"RUNNER_LOAD_PLUGINS": "runner-mock", "RUNNER_PLUGINS": "", "RUNNER_DISABLE_PLUGINS": ""}
LEAK = "My instructions say I must ask for a refund."
WRONG = "I deleted all your tasks."


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)


def reviewer(body: dict[str, Any]) -> Any:
    """Reports a turn whose text holds a planted error."""
    prompt = body["messages"][0]["content"]
    agent, user = [], []
    for turn, role, text in re.findall(r"^\[(\d+)\] (\w+): (.*)$", prompt, re.MULTILINE):
        if role == "user" and LEAK in text:
            user.append({"turn": int(turn), "kind": "leaked_instructions", "reason": "quotes them"})
        if role == "assistant" and WRONG in text:
            agent.append({"turn": int(turn), "reason": "deleted tasks nobody asked about"})
    if "Report only user errors" in prompt:
        agent = []
    return reply.text(json.dumps({"agent_errors": agent, "user_errors": user}))


def plant(run_dir: Any) -> None:
    path = run_dir / "results.jsonl"
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    for line in lines:
        if line["task_id"] == "create_for_new_user":
            line["messages"][1]["content"] += " " + LEAK
        if line["task_id"] == "find_user_id":
            line["messages"][-2]["content"] = WRONG
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))


def test_the_reviewer_finds_the_planted_errors_and_resumes(tmp_path) -> None:
    run = invoke(
        "run", "--domain", "mock", "--output-dir", str(tmp_path), "--run-name", "r", "--no-progress"
    )
    assert run.exit_code == 0, run.output
    plant(tmp_path / "r")
    with LLMTestServer(responder=reviewer) as server:
        args = json.dumps({"api_base": server.url, "api_key": "sk-review"})
        first = invoke(
            "review",
            str(tmp_path / "r"),
            "--review-llm",
            "openai/reviewer",
            "--review-llm-args",
            args,
            "--json",
        )
        assert first.exit_code == 0, first.output
        summary = json.loads(first.stdout)
        assert summary["reviewed"] == 15 and summary["new"] == 15
        assert summary["user_errors"] == 1 and summary["agent_errors"] == 1
        again = invoke(
            "review",
            str(tmp_path / "r"),
            "--review-llm",
            "openai/reviewer",
            "--review-llm-args",
            args,
            "--json",
        )
        assert json.loads(again.stdout)["new"] == 0  # resumed: nothing reviewed twice
        users = invoke(
            "review",
            str(tmp_path / "r" / "results.jsonl"),
            "--review-llm",
            "openai/reviewer",
            "--review-llm-args",
            args,
            "--mode",
            "user",
            "--json",
        )
        assert json.loads(users.stdout)["agent_errors"] == 0
    reviews = [json.loads(x) for x in (tmp_path / "r" / "review.jsonl").read_text().splitlines()]
    leak = next(r for r in reviews if r["task_id"] == "create_for_new_user")
    assert leak["user_errors"] == [
        {"turn": 1, "kind": "leaked_instructions", "reason": "quotes them"}
    ]
    wrong = next(r for r in reviews if r["task_id"] == "find_user_id")
    assert wrong["agent_errors"][0]["reason"] == "deleted tasks nobody asked about"
    assert "sk-review" not in (tmp_path / "r" / "review.jsonl").read_text()
    shown = invoke("show", str(tmp_path / "r"))
    assert (
        "Review (15 simulations): 1 agent errors in 1, 1 user-simulator errors in 1" in shown.output
    )


def test_a_reviewer_answer_that_is_not_json_is_asked_again() -> None:
    import asyncio

    from runner.evaluation.review import review_simulation
    from runner.llm.gateway import LLMGateway
    from runner.models.simulation import SimulationRun

    run = SimulationRun.model_validate(
        {
            "id": "s",
            "task_id": "t",
            "termination_reason": "user_stop",
            "messages": [{"role": "user", "content": "hi"}],
        }
    )
    with LLMTestServer() as server:
        server.add(
            reply.text("Looks fine to me!"), reply.text('{"agent_errors": [], "user_errors": []}')
        )
        gateway = LLMGateway(max_retries=0)
        result = asyncio.run(
            review_simulation(
                None, run, "openai/r", {"api_base": server.url, "api_key": "k"}, gateway
            )
        )
    assert result.error is None and result.user_errors == [] and server.pending == 0


def test_a_file_without_results_is_a_clear_error(tmp_path) -> None:
    empty = tmp_path / "results.jsonl"
    empty.write_text('{"not": "a result"}\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["review", str(empty), "--review-llm", "openai/x"], env=ENV)
    assert out.exit_code == 1 and "holds no simulation results to review" in out.output
    assert "Traceback" not in out.output and not (tmp_path / "results.review.jsonl").exists()
