"""Input and output guardrails with tripwires, against the local server."""

from __future__ import annotations

import pytest
from runner.testing import reply
from runner_agents import (
    Agent,
    GuardrailFunctionOutput,
    InputGuardrail,
    InputGuardrailTripwireTriggered,
    OutputGuardrailTripwireTriggered,
    RunConfig,
    Runner,
    UserError,
    input_guardrail,
    output_guardrail,
)

MODEL = "openai/test-model"


@input_guardrail
def no_homework(ctx, agent, input) -> GuardrailFunctionOutput:
    text = input if isinstance(input, str) else input[-1]["content"]
    return GuardrailFunctionOutput(
        output_info={"checked": text}, tripwire_triggered="homework" in text
    )


@output_guardrail(name="no_secrets")
async def no_secrets(ctx, agent, output) -> GuardrailFunctionOutput:
    return GuardrailFunctionOutput(output_info=len(output), tripwire_triggered="SECRET" in output)


async def test_an_input_tripwire_stops_the_run_before_the_model_is_called(
    llm_server, run_config
) -> None:
    agent = Agent(name="Tutor", model=MODEL, input_guardrails=[no_homework])
    with pytest.raises(InputGuardrailTripwireTriggered, match="no_homework") as info:
        await Runner.run(agent, "do my homework", run_config=run_config)
    assert llm_server.stats.count == 0
    assert info.value.guardrail_result.output.output_info == {"checked": "do my homework"}
    assert (
        info.value.run_data is not None
        and info.value.run_data.input_guardrail_results[0].output.tripwire_triggered
    )


async def test_passing_guardrails_are_reported_in_the_result(llm_server, run_config) -> None:
    llm_server.add(reply.text("Here is a fact."))
    agent = Agent(
        name="Tutor", model=MODEL, input_guardrails=[no_homework], output_guardrails=[no_secrets]
    )
    result = await Runner.run(agent, "tell me a fact", run_config=run_config)
    assert result.final_output == "Here is a fact."
    assert [r.output.tripwire_triggered for r in result.input_guardrail_results] == [False]
    (out,) = result.output_guardrail_results
    assert (out.guardrail.get_name(), out.agent_output, out.output.output_info) == (
        "no_secrets",
        "Here is a fact.",
        15,
    )


async def test_an_output_tripwire_raises_after_the_answer(llm_server, run_config) -> None:
    llm_server.add(reply.text("The SECRET is 42."))
    agent = Agent(name="Tutor", model=MODEL, output_guardrails=[no_secrets])
    with pytest.raises(OutputGuardrailTripwireTriggered, match="no_secrets") as info:
        await Runner.run(agent, "what is the secret?", run_config=run_config)
    assert info.value.guardrail_result.agent_output == "The SECRET is 42."
    assert info.value.run_data is not None and len(info.value.run_data.raw_responses) == 1


async def test_run_config_guardrails_apply_and_input_guardrails_see_only_the_first_agent(
    llm_server, run_config
) -> None:
    seen: list[str] = []

    def record(ctx, agent, input) -> GuardrailFunctionOutput:
        seen.append(agent.name)
        return GuardrailFunctionOutput()

    expert = Agent(
        name="Expert", model=MODEL, input_guardrails=[InputGuardrail(record, name="expert_only")]
    )
    front = Agent(name="Front", model=MODEL, handoffs=[expert])
    config = RunConfig(
        gateway=run_config.gateway,
        model_settings=run_config.model_settings,
        input_guardrails=[InputGuardrail(record)],
        output_guardrails=[no_secrets],
    )
    llm_server.add(reply.tool_calls([("transfer_to_expert", {})]), reply.text("SECRET stuff"))
    with pytest.raises(OutputGuardrailTripwireTriggered):
        await Runner.run(front, "question", run_config=config)
    assert seen == ["Front"]


async def test_a_guardrail_returning_the_wrong_type_is_a_user_error(llm_server, run_config) -> None:
    agent = Agent(
        name="A", model=MODEL, input_guardrails=[InputGuardrail(lambda ctx, agent, input: True)]
    )
    with pytest.raises(UserError, match="must return GuardrailFunctionOutput"):
        await Runner.run(agent, "x", run_config=run_config)
