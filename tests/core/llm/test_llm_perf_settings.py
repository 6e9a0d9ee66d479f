"""The gateway's per-call savings on litellm work (runner.llm.provider): exactly one HTTP request
per attempt, litellm's pricing skipped only for models it cannot price, its logging skipped only
while nobody listens, and costs unchanged by either."""

from __future__ import annotations

import asyncio
import gc
import uuid

import pytest
from runner.llm import LLMError, LLMGateway, provider
from runner.llm.response import Usage
from runner.testing import reply

PRICED = "openai/gpt-4o-mini"  # $0.15 / M input, $0.60 / M output in litellm's bundled list
USER = [{"role": "user", "content": "Where is my order?"}]


def unpriced_model() -> str:
    """A model name no test has used yet (the provider remembers models it could not price)."""
    return f"openai/perf-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def litellm():
    return provider.load_litellm()


@pytest.fixture
def litellm_pricing_calls(litellm, monkeypatch) -> list[str]:
    """Records each time litellm prices a response itself (its module-level calculator)."""
    calls: list[str] = []
    original = litellm.response_cost_calculator

    def spy(*args, **kwargs):
        calls.append(kwargs.get("model") or "")
        return original(*args, **kwargs)

    monkeypatch.setattr(litellm, "response_cost_calculator", spy)
    return calls


async def test_concurrent_calls_send_one_http_request_each(llm_server, server_args):
    llm_server.default = reply.text("ok")
    gateway = LLMGateway(max_retries=0, timeout=10, transport="litellm")
    answers = await asyncio.gather(
        *(gateway.complete(PRICED, USER, **server_args) for _ in range(20))
    )
    assert [a.content for a in answers] == ["ok"] * 20
    assert llm_server.stats.count == 20 and all(a.attempts == 1 for a in answers)


@pytest.mark.parametrize("fault", [reply.server_error(503), reply.rate_limit(0.01)])
async def test_a_failed_attempt_is_one_http_request(llm_server, server_args, fault):
    """No retry inside litellm or the OpenAI SDK: the gateway is the only retry layer."""
    llm_server.add(fault, "never sent")
    with pytest.raises(LLMError):
        await LLMGateway(max_retries=0, timeout=10, transport="litellm").complete(
            PRICED, USER, **server_args
        )
    assert llm_server.stats.count == 1 and llm_server.pending == 1


async def test_priced_model_keeps_litellms_cost_on_every_call(
    llm_server, gateway, server_args, litellm_pricing_calls
):
    usage = {"prompt_tokens": 1000, "completion_tokens": 100}
    llm_server.add(*(reply.text("4", usage=usage) for _ in range(3)))
    for _ in range(3):
        response = await gateway.complete(PRICED, USER, **server_args)
        assert response.cost == pytest.approx(1000 * 0.15e-6 + 100 * 0.60e-6)
    assert len(litellm_pricing_calls) == 3


async def test_unpriced_model_is_priced_by_litellm_once_then_costs_zero_for_free(
    llm_server, gateway, server_args, litellm_pricing_calls
):
    model = unpriced_model()
    llm_server.add("a", "b", "c")
    costs = [(await gateway.complete(model, USER, **server_args)).cost for _ in range(3)]
    assert costs == [0.0, 0.0, 0.0]
    assert len(litellm_pricing_calls) == 1  # the first call learnt that litellm has no price


async def test_custom_pricing_arguments_always_reach_litellms_pricing(
    llm_server, gateway, server_args, litellm_pricing_calls
):
    model = unpriced_model()
    llm_server.add("a", "b", "c")
    await gateway.complete(model, USER, **server_args)  # learns: no price
    for _ in range(2):
        await gateway.complete(model, USER, metadata={"run": "x"}, **server_args)
    assert len(litellm_pricing_calls) == 3


async def test_a_model_registered_later_gets_its_price(
    llm_server, gateway, server_args, litellm, monkeypatch
):
    model = unpriced_model()
    llm_server.add(reply.text("a", usage={"prompt_tokens": 1000, "completion_tokens": 0}))
    assert (await gateway.complete(model, USER, **server_args)).cost == 0.0
    monkeypatch.setattr(litellm, "model_cost", dict(litellm.model_cost))  # undone after the test
    name = model.removeprefix("openai/")
    litellm.register_model(
        {
            name: {
                "input_cost_per_token": 1e-6,
                "output_cost_per_token": 2e-6,
                "litellm_provider": "openai",
                "mode": "chat",
            }
        }
    )
    llm_server.add(reply.text("c", usage={"prompt_tokens": 1000, "completion_tokens": 0}))
    assert (await gateway.complete(model, USER, **server_args)).cost == pytest.approx(1e-3)


def test_compute_cost_prices_known_models_and_looks_unknown_ones_up_once(litellm, monkeypatch):
    usage = Usage(prompt_tokens=1000, completion_tokens=100, total_tokens=1100)
    assert provider.compute_cost(PRICED, usage) == pytest.approx(1000 * 0.15e-6 + 100 * 0.60e-6)
    assert provider.compute_cost(PRICED, usage, reported=0.25) == 0.25
    lookups: list[str] = []
    original = litellm.cost_per_token

    def spy(*args, **kwargs):
        lookups.append(kwargs["model"])
        return original(*args, **kwargs)

    monkeypatch.setattr(litellm, "cost_per_token", spy)
    model = unpriced_model()
    assert [provider.compute_cost(model, usage) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert lookups == [model]


@pytest.mark.parametrize("with_callback", [False, True], ids=["no-callback", "callback"])
async def test_litellm_logging_is_skipped_only_while_no_callback_listens(
    llm_server, gateway, server_args, litellm, monkeypatch, with_callback
):
    from litellm import utils as litellm_utils
    from litellm.integrations.custom_logger import CustomLogger

    logged = asyncio.Event()

    class Listener(CustomLogger):
        async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
            logged.set()

    for name in provider._CALLBACK_LISTS:  # litellm copies callbacks between its lists
        monkeypatch.setattr(litellm, name, [])
    monkeypatch.setattr(litellm, "cache", None)
    if with_callback:
        litellm.callbacks.append(Listener())
    internal_flags: list[bool] = []
    original = litellm_utils.dispatch_success_logging

    def spy(*args, **kwargs):
        internal_flags.append(kwargs["is_litellm_internal_call"])
        return original(*args, **kwargs)

    monkeypatch.setattr(litellm_utils, "dispatch_success_logging", spy)
    llm_server.add("hello")
    assert (await gateway.complete(PRICED, USER, **server_args)).content == "hello"
    assert internal_flags == [not with_callback]
    if with_callback:
        await asyncio.wait_for(logged.wait(), timeout=10)


def test_litellms_import_is_kept_out_of_garbage_collections(litellm, monkeypatch):
    freezes: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(True))
    monkeypatch.setattr(provider, "_litellm", None)  # as if litellm were loaded for the first time
    assert provider.load_litellm() is litellm
    assert freezes == [True]
    assert provider.load_litellm() is litellm and freezes == [True]  # once only
