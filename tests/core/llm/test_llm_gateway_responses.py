"""What LLMGateway returns: content, tool calls, reasoning, usage and cost, and the streamed
equivalent, through real litellm against the local server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from runner.llm import LLMGateway, LLMResponse, get_gateway
from runner.llm.gateway import configure_gateway
from runner.testing import reply

MODEL = "openai/gpt-4o-mini"
USER = [{"role": "user", "content": "What is 2 + 2?"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "add",
            "description": "Add two numbers",
            "parameters": {"type": "object", "properties": {"a": {"type": "number"}}},
        },
    }
]


async def test_text_answer_has_usage_and_cost(llm_server, gateway, server_args):
    llm_server.add(reply.text("4", usage={"prompt_tokens": 1000, "completion_tokens": 100}))
    response = await gateway.complete(MODEL, USER, temperature=0.0, seed=3, **server_args)
    assert response.content == "4"
    assert response.finish_reason == "stop"
    assert response.message == {"role": "assistant", "content": "4"}
    assert response.usage.prompt_tokens == 1000 and response.usage.completion_tokens == 100
    assert response.usage.total_tokens == 1100
    # gpt-4o-mini in litellm's bundled price list: $0.15 / M input, $0.60 / M output
    assert response.cost == pytest.approx(1000 * 0.15e-6 + 100 * 0.60e-6)
    assert response.latency > 0 and not response.cached
    body = llm_server.requests[0].body
    assert body["temperature"] == 0.0 and body["seed"] == 3 and body["messages"] == USER


async def test_unknown_model_costs_zero(llm_server, gateway, server_args):
    llm_server.add("hello")
    response = await gateway.complete("openai/my-local-finetune-7b", USER, **server_args)
    assert response.content == "hello"
    assert response.cost == 0.0
    assert response.usage.total_tokens > 0


async def test_tool_calls_are_returned_raw_and_sent_back_as_history(
    llm_server, gateway, server_args
):
    llm_server.add(reply.tool_calls([("add", {"a": 2}), ("add", '{"a": ')], content="Let me add."))
    response = await gateway.complete(
        MODEL, USER, tools=TOOLS, tool_choice="auto", parallel_tool_calls=True, **server_args
    )
    assert response.finish_reason == "tool_calls"
    good, broken = response.tool_calls
    assert (good.name, good.parsed_arguments()) == ("add", {"a": 2})
    assert broken.arguments == '{"a": '  # invalid JSON is kept verbatim for the caller to judge
    with pytest.raises(ValueError):
        broken.parsed_arguments()
    assert response.message["tool_calls"][0] == {
        "id": good.id,
        "type": "function",
        "function": {"name": "add", "arguments": '{"a": 2}'},
    }
    body = llm_server.requests[0].body
    assert body["tools"] == TOOLS and body["tool_choice"] == "auto"
    assert body["parallel_tool_calls"] is True


async def test_unknown_tool_names_pass_through(llm_server, gateway, server_args):
    llm_server.add(reply.tool_calls([("no_such_tool", {})]))
    response = await gateway.complete(MODEL, USER, tools=TOOLS, **server_args)
    assert response.tool_calls[0].name == "no_such_tool"


async def test_reasoning_content_is_kept_and_sent_back(llm_server, gateway, server_args):
    llm_server.add(reply.text("4", reasoning="2 plus 2 is 4"), "ok")
    response = await gateway.complete(MODEL, USER, **server_args)
    assert response.reasoning_content == "2 plus 2 is 4"
    assert response.message["reasoning_content"] == "2 plus 2 is 4"
    history = [*USER, response.message, {"role": "user", "content": "thanks"}]
    await gateway.complete(MODEL, history, **server_args)
    sent = llm_server.requests[1].body["messages"][1]
    assert sent["role"] == "assistant" and sent["content"] == "4"


async def test_retry_arguments_are_the_gateways_own(llm_server, gateway, server_args):
    llm_server.add(reply.server_error(), "ok")
    response = await gateway.complete(MODEL, USER, num_retries=0, max_retries=0, **server_args)
    assert response.content == "ok" and response.attempts == 2


SCRIPTS = {
    "text": reply.text("The answer is four, as expected by everyone who counts."),
    "tool-calls": reply.tool_calls(
        [("add", {"a": 2, "note": "x" * 40}), ("add", {"a": 3})], content="Adding."
    ),
    "reasoning": reply.text(
        "4", reasoning="Two and two make four; a long thought, piece by piece."
    ),
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
async def test_streaming_assembles_the_non_streaming_response(
    llm_server, gateway, server_args, name
):
    llm_server.add(SCRIPTS[name], SCRIPTS[name])
    plain = await gateway.complete(MODEL, USER, tools=TOOLS, **server_args)
    events = [e async for e in gateway.stream(MODEL, USER, tools=TOOLS, **server_args)]
    final = events[-1]
    assert final.kind == "response" and all(e.kind != "response" for e in events[:-1])
    streamed = final.response
    assert isinstance(streamed, LLMResponse)
    strip = {"latency"}
    assert streamed.model_dump(exclude=strip) == plain.model_dump(exclude=strip)
    assert "".join(e.text for e in events if e.kind == "text") == (plain.content or "")
    assert "".join(e.text for e in events if e.kind == "reasoning") == (
        plain.reasoning_content or ""
    )
    for index, call in enumerate(plain.tool_calls):
        deltas = [e for e in events if e.kind == "tool_call" and e.index == index]
        assert "".join(e.text for e in deltas) == call.arguments
        assert (deltas[0].tool_call_id, deltas[0].name) == (call.id, call.name)
    assert llm_server.requests[1].body["stream"] is True


async def test_stream_retries_before_the_first_chunk(llm_server, gateway, server_args):
    llm_server.add(reply.rate_limit(0.01), reply.server_error(), "streamed")
    events = [e async for e in gateway.stream(MODEL, USER, **server_args)]
    assert events[-1].response.content == "streamed"
    assert events[-1].response.attempts == 3


async def test_stream_of_many_deltas(llm_server, gateway, server_args):
    text = " ".join(f"word{i}" for i in range(200))
    llm_server.add(text)
    events = [e async for e in gateway.stream(MODEL, USER, **server_args)]
    assert len([e for e in events if e.kind == "text"]) > 10
    assert events[-1].response.content == text
    assert events[-1].response.usage.completion_tokens > 0


def test_default_gateway_is_shared_and_replaceable(tmp_path):
    assert get_gateway() is get_gateway()
    previous = get_gateway()
    try:
        replaced = configure_gateway(max_retries=1, cache_dir=tmp_path)
        assert get_gateway() is replaced and replaced.max_retries == 1
        assert replaced.cache is not None
    finally:
        import runner.llm.gateway as module

        module._default = previous


def test_response_round_trips_through_json():
    response = LLMResponse(content="x", message={"role": "assistant", "content": "x"}, cost=0.5)
    assert LLMResponse.model_validate_json(response.model_dump_json()) == response
    assert json.loads(response.model_dump_json())["usage"]["total_tokens"] == 0


async def test_gateway_constructor_matches_the_documented_interface():
    gateway = LLMGateway(
        max_retries=0, timeout=None, cache_dir=None, backoff_base=0.5, backoff_max=2
    )
    assert gateway.timeout is None and gateway.cache is None


def test_importing_the_gateway_and_test_helpers_does_not_import_litellm():
    code = (
        "import sys, runner, runner.llm, runner.testing\n"
        "runner.LLMGateway(); runner.get_gateway(); runner.testing.reply.text('x')\n"
        "runner.testing.LLMTestServer\n"
        "assert 'litellm' not in sys.modules, 'litellm imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


async def test_stream_flags_are_the_gateways_own(llm_server, gateway, server_args):
    llm_server.add("plain", "streamed")
    response = await gateway.complete(MODEL, USER, stream=True, **server_args)
    assert response.content == "plain"
    events = [
        e
        async for e in gateway.stream(
            MODEL, USER, stream_options={"include_usage": False}, **server_args
        )
    ]
    assert events[-1].response.usage.total_tokens > 0  # usage is always asked for
    assert llm_server.requests[1].body["stream_options"]["include_usage"] is True


@pytest.mark.slow  # imports litellm in a fresh interpreter (seconds)
def test_connection_pool_caps_are_raised_even_if_litellm_was_imported_first():
    code = (
        "import os\n"
        "for name in ('AIOHTTP_CONNECTOR_LIMIT', 'AIOHTTP_CONNECTOR_LIMIT_PER_HOST'):\n"
        "    os.environ.pop(name, None)\n"
        "os.environ['LITELLM_LOCAL_MODEL_COST_MAP'] = 'True'\n"
        "import litellm\n"
        "from litellm.llms.custom_httpx import http_handler as h\n"
        "assert h.AIOHTTP_CONNECTOR_LIMIT_PER_HOST == 500, h.AIOHTTP_CONNECTOR_LIMIT_PER_HOST\n"
        "from runner.llm.provider import CONNECTION_LIMIT, load_litellm\n"
        "load_litellm()\n"
        "assert h.AIOHTTP_CONNECTOR_LIMIT == h.AIOHTTP_CONNECTOR_LIMIT_PER_HOST == CONNECTION_LIMIT\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.slow  # imports litellm in a fresh interpreter (seconds)
def test_a_cancelled_litellm_call_leaves_no_unawaited_coroutine_warning():
    """A run that stops on a refused key cancels calls whose litellm coroutine was already built
    in a worker thread; its "never awaited" warning must not land in front of the run's error.
    Anyone else's never-awaited coroutine still warns."""
    code = (
        "from runner.llm.provider import load_litellm\n"
        "load_litellm()\n"
        "class OpenAIChatCompletion:\n"
        "    async def acompletion(self): pass\n"
        "class BaseLLMHTTPHandler:\n"
        "    async def async_completion(self): pass\n"
        "class MyAgent:\n"
        "    async def respond(self): pass\n"
        "OpenAIChatCompletion().acompletion()\n"
        "BaseLLMHTTPHandler().async_completion()\n"
        "MyAgent().respond()\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "'MyAgent.respond' was never awaited" in run.stderr
    assert "acompletion" not in run.stderr and "async_completion" not in run.stderr
