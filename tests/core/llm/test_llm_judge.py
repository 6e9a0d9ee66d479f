"""The LLM judge of NL assertions: its request, how its answer is read, its cost in results,
and how its failures end a simulation."""

from __future__ import annotations

import json

import pytest
from runner import AssistantMessage, ToolCall, ToolMessage, UserMessage
from runner.errors import RunnerError
from runner.evaluation.judge import make_judge
from runner.llm.judge import JudgeAnswerError, LLMJudge, verdicts
from runner.testing import reply

MODEL = "openai/gpt-4o-mini"
ASSERTIONS = ["The agent compliments the user", "The agent tells the user the task id"]
CONVERSATION = [
    AssistantMessage(content="Hi! How can I help you today?"),
    UserMessage(content="Create 'Celebrate launch' for user_1, and say something nice."),
    AssistantMessage(tool_calls=[ToolCall(id="c1", name="create_task", arguments={"title": "x"})]),
    ToolMessage(id="c1", content='{"task_id": "task_5"}'),
    AssistantMessage(content="Created task_5. Great work on the launch!"),
]


def answer(*items: dict) -> str:
    return json.dumps({"results": list(items)})


async def test_one_call_one_verdict_per_assertion(
    llm_server, gateway, server_args, api_key
) -> None:
    llm_server.add(
        reply.text(
            "```json\n"
            + answer(
                {"index": 1, "reasoning": "It says 'Great work'.", "met": True},
                {"index": 2, "reasoning": "task_5 is not stated... wait, it is.", "met": False},
            )
            + "\n```"
        )
    )
    judge = LLMJudge(MODEL, {**server_args, "temperature": 0}, gateway=gateway)
    checks = await judge.judge(None, CONVERSATION, ASSERTIONS)
    assert [(c.nl_assertion, c.met) for c in checks] == [
        (ASSERTIONS[0], True),
        (ASSERTIONS[1], False),
    ]
    assert checks[0].justification == "It says 'Great work'."
    assert judge.calls == 1 and judge.cost > 0 and judge.usage["prompt_tokens"] > 0
    assert api_key not in repr(judge)

    body = llm_server.requests[0].body
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system" and '"met"' in system["content"]
    prompt = user["content"]
    assert "1. The agent compliments the user\n2. The agent tells the user the task id" in prompt
    assert 'assistant calls create_task({"title": "x"})' in prompt
    assert 'tool: {"task_id": "task_5"}' in prompt
    assert "assistant: Created task_5. Great work on the launch!" in prompt


def test_verdicts_are_matched_by_index_text_or_position() -> None:
    by_text = verdicts(
        answer({"assertion": ASSERTIONS[1], "met": True, "reasoning": "b"}), ASSERTIONS
    )
    assert [c.met for c in by_text] == [None, True]  # no verdict for the first: not met
    assert by_text[0].justification == "The judge gave no verdict for this assertion."
    by_position = verdicts(
        'Here you go: {"results": [{"met": "yes"}, {"metExpectation": false}]} Hope it helps.',
        ASSERTIONS,
    )
    assert [c.met for c in by_position] == [True, False]
    with pytest.raises(JudgeAnswerError, match="not JSON"):
        verdicts("All assertions are met.", ASSERTIONS)
    with pytest.raises(JudgeAnswerError, match="no list of results"):
        verdicts('{"verdict": true}', ASSERTIONS)


def test_make_judge_builds_the_llm_judge() -> None:
    judge = make_judge("openai/judge", {"temperature": 0})
    assert isinstance(judge, LLMJudge) and judge.model == "openai/judge"


async def _simulate_with(judge: LLMJudge):
    from runner import run_simulation
    from runner.models.config import RunConfig
    from runner.plugins import PluginOptions, load_plugins
    from runner.run.build import build_orchestrator, environment_factory

    plugins = load_plugins(PluginOptions(only=("runner-mock",)))
    config = RunConfig(domain="mock")
    domain = plugins.registry("domains").get("mock").obj
    task = next(t for t in domain.tasks() if t.id == "compliment_after_create")
    orchestrator = build_orchestrator(config, task, 1, plugins)
    return await run_simulation(
        orchestrator, environment_factory=environment_factory(config, plugins), judge=judge
    )


async def test_judge_cost_and_tokens_are_recorded_on_the_run(
    llm_server, gateway, server_args
) -> None:
    llm_server.add(reply.text(answer({"index": 1, "met": False, "reasoning": "No compliment."})))
    run = await _simulate_with(LLMJudge(MODEL, server_args, gateway=gateway))
    assert run.termination_reason == "user_stop"
    assert run.reward_info.reward == 0.0 and run.reward_info.reward_breakdown["NL_ASSERTION"] == 0.0
    check = run.reward_info.nl_assertions[0]
    assert (check.nl_assertion, check.met, check.justification) == (
        "The agent compliments the user",
        False,
        "No compliment.",
    )
    assert run.judge_cost > 0 and run.usage["judge"]["prompt_tokens"] > 0


async def test_judge_failures(llm_server, gateway, server_args, api_key) -> None:
    llm_server.default = reply.text("I think it is fine.")  # not JSON: retried as infrastructure
    run = await _simulate_with(LLMJudge(MODEL, server_args, gateway=gateway))
    assert run.termination_reason == "infrastructure_error" and "not JSON" in run.error

    llm_server.default = reply.auth_error()
    with pytest.raises(RunnerError) as error:
        await _simulate_with(LLMJudge(MODEL, server_args, gateway=gateway))
    assert "judge's LLM refused" in str(error.value) and "--judge-llm" in str(error.value)
    assert api_key not in str(error.value)
