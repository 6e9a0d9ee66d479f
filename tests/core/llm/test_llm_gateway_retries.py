"""Retries, timeouts and failure mapping of LLMGateway, through real litellm against the local
server. Timing is read from the server's request timestamps, never from sleeps."""

from __future__ import annotations

import asyncio
import socket

import pytest
from runner.errors import ContextWindowExceededError, InfrastructureError
from runner.llm import LLMError, LLMGateway, LLMRequestError
from runner.testing import FaultPlan, LLMTestServer, reply

MODEL = "openai/gpt-4o-mini"
USER = [{"role": "user", "content": "hi"}]


async def test_rate_limit_is_retried_after_retry_after(llm_server, gateway, server_args):
    llm_server.add(reply.rate_limit(retry_after=0.4), reply.text("done"))
    response = await gateway.complete(MODEL, USER, **server_args)
    assert response.content == "done"
    assert response.attempts == 2
    first, second = llm_server.requests
    assert first.status == 429 and second.status == 200
    gap = second.received_at - first.answered_at
    # backoff alone would wait at most 10 ms here: the wait came from Retry-After
    assert 0.4 <= gap < 1.5


async def test_server_errors_and_malformed_bodies_are_retried(llm_server, gateway, server_args):
    llm_server.add(reply.server_error(500), reply.server_error(503), reply.malformed(), "ok")
    response = await gateway.complete(MODEL, USER, **server_args)
    assert response.content == "ok"
    assert [r.status for r in llm_server.requests] == [500, 503, 200, 200]
    assert response.attempts == 4
    assert gateway.stats.retries == 3


async def test_timeout_is_retried(llm_server, server_args):
    gateway = LLMGateway(timeout=0.3, backoff_base=0.001, backoff_max=0.01, transport="litellm")
    llm_server.add(reply.timeout(10), "after the timeout")
    response = await gateway.complete(MODEL, USER, **server_args)
    assert response.content == "after the timeout"
    first, second = llm_server.requests
    assert first.status is None  # the server never answered it: the client gave up
    assert 0.3 <= second.received_at - first.received_at < 2.0


async def test_per_call_timeout_overrides_the_gateway_default(llm_server, server_args):
    gateway = LLMGateway(timeout=60, max_retries=0, transport="litellm")
    llm_server.add(reply.timeout(10))
    with pytest.raises(LLMError) as info:
        await gateway.complete(MODEL, USER, timeout=0.2, **server_args)
    assert info.value.attempts == 1
    assert "Timeout" in str(info.value)


async def test_exhausted_retries_raise_an_infrastructure_error(llm_server, server_args):
    gateway = LLMGateway(max_retries=2, backoff_base=0.001, backoff_max=0.01)
    llm_server.add(*[reply.server_error() for _ in range(5)])
    with pytest.raises(LLMError) as info:
        await gateway.complete(MODEL, USER, **server_args)
    assert isinstance(info.value, InfrastructureError)
    assert info.value.attempts == 3 and info.value.status_code == 500
    assert llm_server.stats.count == 3
    assert "after 3 attempts" in str(info.value)


async def test_unreachable_provider_is_an_infrastructure_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = LLMGateway(max_retries=1, timeout=2, backoff_base=0.001, backoff_max=0.01)
    with pytest.raises(LLMError) as info:
        await gateway.complete(MODEL, USER, api_base=f"http://127.0.0.1:{port}/v1", api_key="sk-x")
    assert info.value.attempts == 2


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (reply.bad_request("messages[0].role is invalid"), LLMRequestError),
        (reply.auth_error(), LLMRequestError),
        (reply.error(404, "The model does not exist", code="model_not_found"), LLMRequestError),
        (reply.context_overflow(), ContextWindowExceededError),
        (
            reply.error(400, "Please reduce the length of the messages or completion."),
            ContextWindowExceededError,
        ),
    ],
    ids=["bad-request", "auth", "not-found", "context-overflow", "context-overflow-plain-400"],
)
async def test_client_errors_are_not_retried(llm_server, gateway, server_args, fault, error):
    llm_server.add(fault, "never sent")
    with pytest.raises(error):
        await gateway.complete(MODEL, USER, **server_args)
    assert llm_server.stats.count == 1
    assert llm_server.pending == 1
    assert gateway.stats.retries == 0


async def test_fifty_calls_under_twenty_percent_faults_all_complete(server_args):
    """Every call gets the answer to *its* question despite 429s, 500s, hangs, broken bodies."""
    plan = FaultPlan(
        rate=0.2,
        kinds=("rate_limit", "server_error", "timeout", "malformed"),
        seed=7,
        retry_after=0.02,
        hang=5.0,
    )

    def echo(body):
        return reply.text("answer to " + body["messages"][-1]["content"])

    gateway = LLMGateway(max_retries=10, timeout=1.5, backoff_base=0.005, backoff_max=0.05)
    with LLMTestServer(responder=echo, faults=plan) as server:
        args = server.litellm_kwargs()
        questions = [f"question {i}" for i in range(50)]
        responses = await asyncio.gather(
            *(gateway.complete(MODEL, [{"role": "user", "content": q}], **args) for q in questions)
        )
        assert [r.content for r in responses] == [f"answer to {q}" for q in questions]
        faults = server.stats.faults
        assert 5 <= faults <= 25  # about 20% of the attempts failed ...
        # ... each cost one retry (a slow machine may add a client-side timeout or two)
        retries = sum(r.attempts - 1 for r in responses)
        assert server.stats.count == 50 + retries and faults <= retries <= faults + 3
        assert {r.status for r in server.requests if r.fault} >= {429, 500}


async def test_an_answer_without_choices_is_retried(llm_server, gateway, server_args):
    empty = {"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": []}
    llm_server.add(reply.raw(empty), "second try")
    response = await gateway.complete(MODEL, USER, **server_args)
    assert response.content == "second try" and response.attempts == 2
