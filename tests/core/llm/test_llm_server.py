"""The local OpenAI-compatible test server itself, spoken to over raw HTTP."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from typing import Any

import aiohttp
import pytest
from runner.testing import FaultPlan, LLMTestServer, reply

BODY = {"model": "test", "messages": [{"role": "user", "content": "hi"}]}


async def post(
    server: LLMTestServer, body: dict | None = None, raw: bytes | None = None, key: str = "sk-test"
) -> tuple[int, Any, str]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    data = raw if raw is not None else json.dumps(body or BODY).encode()
    async with aiohttp.ClientSession() as session:
        async with session.post(server.url + "/chat/completions", data=data, headers=headers) as r:
            return r.status, r.headers.copy(), await r.text()


def content(text: str) -> str:
    return json.loads(text)["choices"][0]["message"]["content"]


async def test_script_is_answered_in_order_then_the_responder_then_the_default():
    def responder(body):
        last = body["messages"][-1]["content"]
        return f"echo {last}" if last != "skip" else None

    with LLMTestServer(
        ["one", reply.text("two")], responder=responder, default="fallback"
    ) as server:
        answers = [content((await post(server))[2]) for _ in range(3)]
        skipped = content(
            (await post(server, {**BODY, "messages": [{"role": "user", "content": "skip"}]}))[2]
        )
    assert answers == ["one", "two", "echo hi"]
    assert skipped == "fallback"


async def test_async_responder_and_running_inside_the_event_loop():
    async def responder(body):
        await asyncio.sleep(0)
        return reply.tool_calls([("lookup", {"n": len(body["messages"])})])

    async with LLMTestServer(responder=responder) as server:
        status, _, text = await post(server)
    message = json.loads(text)["choices"][0]["message"]
    assert status == 200
    assert message["tool_calls"][0]["function"] == {"name": "lookup", "arguments": '{"n": 1}'}
    assert json.loads(text)["choices"][0]["finish_reason"] == "tool_calls"


async def test_missing_reply_is_a_loud_400():
    with LLMTestServer() as server:
        status, _, text = await post(server)
    assert status == 400
    assert "no reply for request #0" in json.loads(text)["error"]["message"]


async def test_requests_are_recorded_without_credentials():
    with LLMTestServer(default="ok") as server:
        await post(server, key="sk-very-secret")
        (request,) = server.requests
    assert request.body == BODY and request.status == 200
    assert request.last_message == {"role": "user", "content": "hi"}
    assert "sk-very-secret" not in repr(request)


async def test_latency_fixed_and_per_request():
    def latency(body):
        return 0.3 if body["messages"][-1]["content"] == "slow" else 0.0

    with LLMTestServer(default="ok", latency=latency) as server:
        await post(server, {**BODY, "messages": [{"role": "user", "content": "slow"}]})
        await post(server)
        slow, fast = server.requests
    assert slow.answered_at - slow.received_at >= 0.3
    assert fast.answered_at - fast.received_at < 0.3


async def test_peak_in_flight_counts_concurrent_requests():
    with LLMTestServer(default="ok", latency=1.0) as server:
        await asyncio.gather(*(post(server) for _ in range(20)))
        stats = server.stats
    assert stats.count == 20 and stats.peak_in_flight == 20 and stats.in_flight == 0


async def test_scheduled_faults_do_not_consume_the_script():
    plan = FaultPlan(
        schedule={0: "rate_limit", 1: reply.server_error(503), 2: "malformed"}, retry_after=2
    )
    with LLMTestServer(["scripted"], faults=plan) as server:
        limited = await post(server)
        unavailable = await post(server)
        broken = await post(server)
        ok = await post(server)
    assert limited[0] == 429 and limited[1]["retry-after"] == "2"
    assert limited[1]["retry-after-ms"] == "2000"
    assert json.loads(limited[2])["error"]["code"] == "rate_limit_exceeded"
    assert unavailable[0] == 503
    assert broken[0] == 200
    with pytest.raises(ValueError):
        json.loads(broken[2])
    assert content(ok[2]) == "scripted"
    assert [r.fault for r in server.requests] == [True, True, True, False]


async def test_fault_rate_is_seeded():
    async def pattern(seed):
        plan = FaultPlan(rate=0.5, seed=seed)
        with LLMTestServer(default="ok", faults=plan) as server:
            return [(await post(server))[0] for _ in range(20)]

    first, again, other = await pattern(1), await pattern(1), await pattern(2)
    assert first == again and first != other
    assert set(first) == {200, 429, 500}


async def test_context_overflow_uses_openais_error_format():
    with LLMTestServer([reply.context_overflow(limit=8192, used=9000)]) as server:
        status, _, text = await post(server)
    error = json.loads(text)["error"]
    assert status == 400 and error["code"] == "context_length_exceeded"
    assert error["type"] == "invalid_request_error" and "8192 tokens" in error["message"]


async def test_invalid_request_body_is_rejected():
    with LLMTestServer(default="ok") as server:
        status, _, text = await post(server, raw=b"{not json")
    assert status == 400 and "not valid JSON" in text


async def test_streaming_sends_openai_chunks_with_usage_last():
    script = reply.tool_calls(
        [("lookup", {"query": "a fairly long argument"})],
        content="Let me check that.",
        reasoning="think first",
    )
    body = {**BODY, "stream": True, "stream_options": {"include_usage": True}}
    with LLMTestServer([script, "again"]) as server:
        status, headers, text = await post(server, body)
        _, _, without_usage = await post(server, {**BODY, "stream": True})
    assert status == 200 and headers["Content-Type"].startswith("text/event-stream")
    events = [line.removeprefix("data: ") for line in text.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0
    deltas = [c["choices"][0]["delta"] for c in chunks[:-1]]
    assert "".join(d.get("content") or "" for d in deltas) == "Let me check that."
    assert "".join(d.get("reasoning_content") or "" for d in deltas) == "think first"
    arguments = "".join(
        t["function"].get("arguments", "") for d in deltas for t in d.get("tool_calls", [])
    )
    assert json.loads(arguments) == {"query": "a fairly long argument"}
    assert sum(1 for d in deltas for _ in d.get("tool_calls", [])) > 2  # arguments in pieces
    assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"
    assert "usage" not in without_usage


async def test_stop_is_prompt_with_a_hanging_request_in_flight():
    server = LLMTestServer([reply.timeout(60)]).start()
    task = asyncio.create_task(post(server))
    while server.stats.in_flight == 0:
        await asyncio.sleep(0.01)
    started = time.monotonic()
    await asyncio.to_thread(server.stop)
    assert time.monotonic() - started < 3
    with pytest.raises(aiohttp.ClientError):
        await task


async def test_stats_endpoint_and_reset():
    with LLMTestServer(default="ok") as server:
        await post(server)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{server.port}/stats") as r:
                stats = await r.json()
            async with session.post(f"http://127.0.0.1:{server.port}/stats/reset") as r:
                assert r.status == 200
        assert stats["count"] == 1 and stats["peak_in_flight"] == 1 and stats["in_flight"] == 0
        assert stats["first_received_at"] == stats["last_received_at"] > 0
        assert server.stats.count == 0


def test_binds_loopback_only_and_url_ends_with_v1():
    with LLMTestServer() as server:
        assert server.url == f"http://127.0.0.1:{server.port}/v1"
        assert server._runner.addresses[0][0] == "127.0.0.1"


def test_fixture_factory_yields_a_running_server(llm_server):
    assert llm_server.url.endswith("/v1") and llm_server.stats.count == 0


async def test_separate_process_mode_prints_its_url_and_ends_with_stdin():
    process = subprocess.Popen(
        [sys.executable, "-m", "runner.testing.llm_server", "--text", "from afar"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), 30)
        async with aiohttp.ClientSession() as session:
            async with session.post(url.strip() + "/chat/completions", json=BODY) as r:
                assert content(await r.text()) == "from afar"
        process.stdin.close()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()


async def test_tool_call_faults_use_the_requests_tools():
    tools = [{"type": "function", "function": {"name": "get_order", "parameters": {}}}]
    plan = FaultPlan(schedule={0: "invalid_tool_arguments", 1: "unknown_tool"})
    with LLMTestServer(["fine"], faults=plan) as server:
        broken = json.loads((await post(server, {**BODY, "tools": tools}))[2])
        unknown = json.loads((await post(server, {**BODY, "tools": tools}))[2])
        assert content((await post(server))[2]) == "fine"
        assert server.stats.faults == 2
    (call,) = broken["choices"][0]["message"]["tool_calls"]
    assert call["function"]["name"] == "get_order"
    with pytest.raises(ValueError):
        json.loads(call["function"]["arguments"])
    assert unknown["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "no_such_tool"
