"""The on-disk response cache: record once, replay with zero HTTP calls and identical results."""

from __future__ import annotations

import asyncio
import json

from runner.llm import LLMGateway
from runner.llm.cache import ResponseCache, cache_key
from runner.testing import LLMTestServer, reply

MODEL = "openai/gpt-4o-mini"
TOOLS = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]


def conversation(i: int) -> list[dict]:
    return [{"role": "system", "content": "be brief"}, {"role": "user", "content": f"q{i}"}]


def answer(body):
    question = body["messages"][-1]["content"]
    if question.endswith("0"):
        return reply.tool_calls([("lookup", {"q": question})], reasoning="look it up")
    return reply.text(f"a-{question}", reasoning=f"thinking about {question}")


async def run_batch(gateway: LLMGateway, args: dict) -> list:
    plain = await asyncio.gather(
        *(
            gateway.complete(MODEL, conversation(i), tools=TOOLS, temperature=0, **args)
            for i in range(12)
        )
    )
    streamed = [e async for e in gateway.stream(MODEL, conversation(99), **args)]
    return [*plain, streamed[-1].response]


async def test_second_run_replays_from_disk_without_http(tmp_path, api_key):
    with LLMTestServer(responder=answer) as server:
        args = server.litellm_kwargs(api_key)
        first = await run_batch(LLMGateway(cache_dir=tmp_path), args)
        calls = server.stats.count
        assert calls == 13
        replayer = LLMGateway(cache_dir=tmp_path)
        second = await run_batch(replayer, args)
        assert server.stats.count == calls  # not one request reached the server
    assert replayer.stats.cache_hits == 13 and replayer.stats.calls == 0
    assert all(r.cached for r in second) and not any(r.cached for r in first)
    for a, b in zip(first, second, strict=True):
        assert a.model_dump_json(exclude={"cached"}) == b.model_dump_json(exclude={"cached"})
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == 13
    for path in files:
        assert api_key not in path.read_text()
    assert not list(tmp_path.rglob("*.tmp"))


async def test_replay_needs_no_server_at_all(tmp_path):
    with LLMTestServer(["recorded"]) as server:
        await LLMGateway(cache_dir=tmp_path).complete(
            MODEL, conversation(1), **server.litellm_kwargs()
        )
    # the server is gone and the endpoint and key differ: the entry still answers
    response = await LLMGateway(cache_dir=tmp_path, max_retries=0).complete(
        MODEL, conversation(1), api_base="http://127.0.0.1:9/v1", api_key="sk-other"
    )
    assert response.content == "recorded" and response.cached


async def test_cached_stream_replays_deltas_and_response(tmp_path):
    with LLMTestServer(
        [reply.tool_calls([("lookup", {"q": 1})], content="hm", reasoning="r")]
    ) as server:
        gateway = LLMGateway(cache_dir=tmp_path)
        live = [e async for e in gateway.stream(MODEL, conversation(1), **server.litellm_kwargs())]
        replay = [
            e async for e in gateway.stream(MODEL, conversation(1), **server.litellm_kwargs())
        ]
        assert server.stats.count == 1
    assert [e.kind for e in replay] == ["reasoning", "text", "tool_call", "response"]
    assert replay[-1].response.model_dump(exclude={"cached"}) == live[-1].response.model_dump(
        exclude={"cached"}
    )
    assert replay[2].name == "lookup" and replay[2].text == '{"q": 1}'


async def test_different_requests_do_not_share_entries(tmp_path):
    with LLMTestServer(responder=lambda body: f"t={body.get('temperature')}") as server:
        gateway = LLMGateway(cache_dir=tmp_path)
        args = server.litellm_kwargs()
        cold = await gateway.complete(MODEL, conversation(1), temperature=0, **args)
        warm = await gateway.complete(MODEL, conversation(1), temperature=1, **args)
        assert (cold.content, warm.content) == ("t=0", "t=1")
        assert server.stats.count == 2


async def test_failures_are_not_cached(tmp_path):
    with LLMTestServer([reply.bad_request(), "fine"]) as server:
        gateway = LLMGateway(cache_dir=tmp_path, max_retries=0)
        args = server.litellm_kwargs()
        try:
            await gateway.complete(MODEL, conversation(1), **args)
        except Exception:
            pass
        assert (await gateway.complete(MODEL, conversation(1), **args)).content == "fine"


def test_key_ignores_credentials_endpoint_and_timeouts():
    base = cache_key(MODEL, conversation(1), {"temperature": 0})
    assert base == cache_key(
        MODEL,
        conversation(1),
        {
            "temperature": 0,
            "api_key": "sk-a",
            "api_base": "http://x",
            "timeout": 3,
            "extra_headers": {"a": "b"},
        },
    )
    assert base != cache_key(MODEL, conversation(1), {"temperature": 0.5})
    assert base != cache_key("openai/gpt-4o", conversation(1), {"temperature": 0})
    assert base != cache_key(MODEL, conversation(2), {"temperature": 0})


def test_corrupt_entries_are_misses(tmp_path, caplog):
    cache = ResponseCache(tmp_path)
    key = cache_key(MODEL, conversation(1), {})
    path = cache.path(key)
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 1, "response": {"content": ')
    assert cache.get(key) is None
    assert "corrupt" in caplog.text


def test_entries_holding_the_key_are_not_written(tmp_path):
    from runner.llm import LLMResponse

    cache = ResponseCache(tmp_path)
    cache.put(
        "ab" * 32, LLMResponse(content="your key is sk-secret-123"), secrets=("sk-secret-123",)
    )
    assert not list(tmp_path.rglob("*.json"))
    cache.put("cd" * 32, LLMResponse(content="fine"), secrets=("sk-secret-123",))
    (entry,) = tmp_path.rglob("*.json")
    assert json.loads(entry.read_text())["response"]["content"] == "fine"
