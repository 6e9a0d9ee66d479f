"""The gateway's ``direct`` transport (OpenAI-compatible HTTP without litellm): the same
responses, retries, error classes, cost and cache as the litellm path."""

from __future__ import annotations

import pytest
from runner.errors import ContextWindowExceededError, RunnerError
from runner.llm import LLMError, LLMGateway, LLMRequestError
from runner.testing import FaultPlan, LLMTestServer, reply

MODEL = "openai/gpt-4o-mini"
MESSAGES = [{"role": "user", "content": "Where is my order?"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_order",
            "description": "Look an order up.",
            "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
        },
    }
]


@pytest.fixture
def direct_args(server_args) -> dict[str, str]:
    return {**server_args, "transport": "direct"}


async def test_a_completion_matches_the_litellm_path(
    llm_server, gateway, server_args, direct_args, api_key
):
    script = reply.tool_calls([("get_order", {"order_id": "#W1"})], reasoning="Look it up.")
    llm_server.add(script, script)
    via_litellm = await gateway.complete("openai/gpt-4o-mini", MESSAGES, tools=TOOLS, **server_args)
    direct = await gateway.complete(
        "openai/gpt-4o-mini", MESSAGES, tools=TOOLS, temperature=0, **direct_args
    )
    for field in ("content", "tool_calls", "reasoning_content", "message", "usage", "model"):
        assert getattr(direct, field) == getattr(via_litellm, field), field
    assert direct.cost == pytest.approx(via_litellm.cost) and direct.cost > 0
    body = llm_server.requests[1].body
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0  # prefix removed
    assert body["tools"] == TOOLS and body["messages"] == MESSAGES
    assert not {"api_key", "api_base", "transport"} & set(body)


async def test_faults_are_retried_and_errors_classified(llm_server, gateway, direct_args, api_key):
    llm_server.add(reply.rate_limit(0.001), reply.server_error(503), reply.malformed(), "ok")
    response = await gateway.complete("openai/test", MESSAGES, **direct_args)
    assert response.content == "ok" and response.attempts == 4

    llm_server.add(reply.context_overflow())
    with pytest.raises(ContextWindowExceededError):
        await gateway.complete("openai/test", MESSAGES, **direct_args)
    llm_server.add(reply.auth_error())  # echoes the key
    with pytest.raises(LLMRequestError) as refused:
        await gateway.complete("openai/test", MESSAGES, **direct_args)
    assert refused.value.status_code == 401 and api_key not in str(refused.value)
    assert "AuthenticationError (HTTP 401)" in str(refused.value)
    llm_server.default = reply.server_error()
    with pytest.raises(LLMError, match="after 6 attempts"):
        await gateway.complete("openai/test", MESSAGES, **direct_args)


async def test_an_unreachable_endpoint_is_an_infrastructure_error() -> None:
    gateway = LLMGateway(max_retries=1, timeout=2, backoff_base=0.001, backoff_max=0.01)
    with pytest.raises(LLMError, match="after 2 attempts") as failed:
        await gateway.complete(
            "openai/test", MESSAGES, api_base="http://127.0.0.1:9/v1", transport="direct"
        )
    # one readable line: the HTTP client's message and the causes under it, no tuple repr
    message = str(failed.value)
    assert "APIConnectionError: connection error: " in message
    assert "Connection refused" in message and "{" not in message


async def test_a_slow_answer_is_a_retried_timeout(llm_server) -> None:
    llm_server.add(reply.text("late", latency=5), "in time")
    gateway = LLMGateway(max_retries=1, timeout=0.3, backoff_base=0.001, backoff_max=0.01)
    response = await gateway.complete(
        "openai/test", MESSAGES, api_base=llm_server.url, api_key="sk", transport="direct"
    )
    assert (response.content, response.attempts) == ("in time", 2)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"api_base": "not a url"}, "cannot send a request to not a url/chat/completions"),
        ({"api_base": "ftp://host/v1"}, "URL scheme is not allowed"),
        ({"api_base": "http://127.0.0.1:9/v1", "extra_headers": {"X-N": 1}}, "header value"),
    ],
)
async def test_a_request_that_cannot_be_sent_is_refused_at_once(args, expected) -> None:
    gateway = LLMGateway(max_retries=3, backoff_base=0.001, backoff_max=0.01)
    with pytest.raises(LLMRequestError, match="InvalidRequestError") as refused:
        await gateway.complete("openai/test", MESSAGES, transport="direct", **args)
    assert expected in str(refused.value) and gateway.stats.retries == 0


async def test_a_gateway_wide_transport_applies_where_a_call_names_none(
    llm_server, server_args, monkeypatch
) -> None:
    from runner.llm import direct

    sent: list[str] = []
    real = direct.acompletion

    async def spy(model, messages, **args):
        sent.append(model)
        return await real(model, messages, **args)

    monkeypatch.setattr(direct, "acompletion", spy)
    llm_server.default = reply.text("ok")
    gateway = LLMGateway(max_retries=0, transport="direct")
    assert (await gateway.complete("openai/a", MESSAGES, **server_args)).content == "ok"
    assert (await gateway.complete("openai/b", MESSAGES, **server_args)).content == "ok"
    # a call that names its transport keeps it
    await gateway.complete("openai/c", MESSAGES, **server_args, transport="litellm")
    assert sent == ["openai/a", "openai/b"] and llm_server.stats.count == 3
    with pytest.raises(RunnerError, match="transport 'http2'"):
        LLMGateway(transport="http2")


async def test_cache_and_unknown_transport(tmp_path, direct_args, server_args) -> None:
    gateway = LLMGateway(cache_dir=tmp_path, max_retries=0)
    async with LLMTestServer(["first", "second"]) as server:
        args = {**direct_args, "api_base": server.url}
        one = await gateway.complete("openai/test", MESSAGES, **args)
        two = await gateway.complete("openai/test", MESSAGES, **args)
        assert (one.content, two.content, two.cached) == ("first", "first", True)
        # the transport is not part of the cache key: litellm replays the same entry
        three = await gateway.complete(
            "openai/test", MESSAGES, **{**server_args, "api_base": server.url}
        )
        assert three.cached and server.stats.count == 1
    with pytest.raises(RunnerError, match="transport 'http2'"):
        await gateway.complete("openai/test", MESSAGES, transport="http2")


def test_sessions_close_with_their_event_loop(llm_server, direct_args, recwarn) -> None:
    import asyncio
    import gc

    llm_server.default = reply.text("ok")

    async def call() -> str | None:
        gateway = LLMGateway(max_retries=0)
        return (await gateway.complete("openai/test", MESSAGES, **direct_args)).content

    assert asyncio.run(call()) == "ok" and asyncio.run(call()) == "ok"  # a new loop, a new pool
    gc.collect()
    assert not [w for w in recwarn if "Unclosed" in str(w.message)]


async def test_a_fault_plan_run_ends_in_answers_or_llm_errors(direct_args) -> None:
    gateway = LLMGateway(max_retries=2, backoff_base=0.001, backoff_max=0.005)
    async with LLMTestServer(
        default="fine", faults=FaultPlan(rate=0.3, seed=3, retry_after=0.001)
    ) as server:
        args = {**direct_args, "api_base": server.url}
        outcomes = []
        for _ in range(30):
            try:
                outcomes.append((await gateway.complete("openai/test", MESSAGES, **args)).content)
            except LLMError:
                outcomes.append("error")
        assert set(outcomes) <= {"fine", "error"} and outcomes.count("fine") >= 25
        assert server.stats.faults > 0


def test_the_request_body_is_the_plain_json_whatever_is_reused() -> None:
    import json

    from runner.llm.direct import encode_body

    system = {"role": "system", "content": 'Policy: say "hi" {politely}.'}
    for turn in range(3):  # the system prompt and the tool list are reused from the 2nd call on
        messages = [system, *({"role": "user", "content": f"m{i}"} for i in range(turn))]
        body = {"model": "m", "temperature": 0, "tools": TOOLS}
        expected = {**body, "messages": messages}
        assert json.loads(encode_body(body, messages)) == expected
    assert json.loads(encode_body({"model": "m"}, [])) == {"model": "m", "messages": []}


async def test_no_connection_cap_every_call_is_in_flight_at_once() -> None:
    """The server answers nobody until all N requests have arrived: with any connection cap
    below N this would time out instead of answering."""
    import asyncio

    from runner.testing import raise_open_file_limit

    n = 300
    raise_open_file_limit(4 * n)  # a socket at each end of every request
    everyone_in = asyncio.Event()

    async def hold_until_all_arrived(body: dict) -> str:
        if server.stats.in_flight >= n:
            everyone_in.set()
        await asyncio.wait_for(everyone_in.wait(), timeout=60)
        return "ok"

    gateway = LLMGateway(max_retries=0, timeout=90)
    async with LLMTestServer(responder=hold_until_all_arrived, record_bodies=False) as server:
        args = {"api_base": server.url, "api_key": "sk", "transport": "direct"}
        answers = await asyncio.gather(
            *(gateway.complete("openai/test", MESSAGES, **args) for _ in range(n))
        )
        assert [a.content for a in answers] == ["ok"] * n
        assert server.stats.peak_in_flight == n and server.stats.count == n


STREAMED = {
    "text": reply.text("Your order #W1 shipped yesterday and arrives on Friday."),
    "tool-calls": reply.tool_calls(
        [("get_order", {"order_id": "#W1", "note": "x" * 40}), ("get_order", {"order_id": "#W2"})],
        content="Looking both up.",
    ),
    "reasoning": reply.text("Friday.", reasoning="The order shipped; two days to deliver."),
}


@pytest.mark.parametrize("name", sorted(STREAMED))
async def test_a_direct_stream_assembles_what_litellm_streams(
    llm_server, gateway, server_args, direct_args, name, monkeypatch
):
    from runner.llm import direct as direct_module

    opened: list[str] = []
    real = direct_module.astream
    monkeypatch.setattr(
        direct_module,
        "astream",
        lambda model, *a, **k: opened.append(model) or real(model, *a, **k),
    )
    llm_server.add(STREAMED[name], STREAMED[name])
    via_litellm = [e async for e in gateway.stream(MODEL, MESSAGES, tools=TOOLS, **server_args)]
    direct = [e async for e in gateway.stream(MODEL, MESSAGES, tools=TOOLS, **direct_args)]
    assert [(e.kind, e.text, e.index, e.tool_call_id, e.name) for e in direct[:-1]] == [
        (e.kind, e.text, e.index, e.tool_call_id, e.name) for e in via_litellm[:-1]
    ]
    strip = {"latency"}
    final = direct[-1].response
    assert final.model_dump(exclude=strip) == via_litellm[-1].response.model_dump(exclude=strip)
    assert final.usage.total_tokens > 0 and final.cost > 0 and opened == [MODEL]
    body = llm_server.requests[1].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert body["model"] == "gpt-4o-mini" and not {"api_key", "transport"} & set(body)


async def test_a_direct_stream_retries_before_its_first_chunk_and_closes(
    llm_server, gateway, direct_args
):
    # a plain (and broken) body where a stream was asked for is retried like a 502
    llm_server.add(reply.rate_limit(0.001), reply.server_error(503), reply.malformed(), "streamed")
    events = [e async for e in gateway.stream(MODEL, MESSAGES, **direct_args)]
    assert events[-1].response.content == "streamed" and events[-1].response.attempts == 4
    llm_server.add(reply.auth_error())
    with pytest.raises(LLMRequestError, match="HTTP 401"):
        async for _ in gateway.stream(MODEL, MESSAGES, **direct_args):
            pass
    # a consumer that stops early closes the stream; the next call still works
    llm_server.add(" ".join(f"w{i}" for i in range(100)), "after")
    stream = gateway.stream(MODEL, MESSAGES, **direct_args)
    assert (await stream.__anext__()).kind == "text"
    await stream.aclose()
    assert (await gateway.complete(MODEL, MESSAGES, **direct_args)).content == "after"
