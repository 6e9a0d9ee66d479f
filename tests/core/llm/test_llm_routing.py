"""``auto``: direct for an OpenAI-compatible endpoint the user runs, litellm for the rest."""

from __future__ import annotations

import pytest
from runner import RunnerError
from runner.llm import LLMGateway
from runner.llm.routing import choose_transport, litellm_cpu_note
from runner.testing import reply

LOCAL = "http://127.0.0.1:8000/v1"


@pytest.mark.parametrize(
    ("model", "args", "requested", "expected"),
    [
        # the endpoint is plain OpenAI-compatible: direct
        ("hosted_vllm/qwen", {"api_base": LOCAL}, "auto", "direct"),
        ("hosted_vllm/qwen", {"base_url": LOCAL}, "auto", "direct"),
        ("openai/qwen", {"api_base": LOCAL}, "auto", "direct"),
        ("openai/gpt-4o", {"api_base": "https://my-proxy.example/v1"}, "auto", "direct"),
        # real providers keep litellm's parameter mapping
        ("openai/gpt-4o", {}, "auto", "litellm"),
        ("openai/gpt-4o", {"api_base": "https://api.openai.com/v1"}, "auto", "litellm"),
        ("openai/gpt-4o", {"api_base": "https://API.OpenAI.com/v1/"}, "auto", "litellm"),
        ("gpt-4o", {"api_base": LOCAL}, "auto", "litellm"),
        ("anthropic/claude-sonnet-4", {"api_base": LOCAL}, "auto", "litellm"),
        ("hosted_vllm/qwen", {}, "auto", "litellm"),  # no endpoint: litellm says so
        ("openai/qwen", {"api_base": ""}, "auto", "litellm"),
        ("openai/qwen", {"api_base": "not a url["}, "auto", "direct"),
        # an argument only litellm understands keeps the call there
        ("hosted_vllm/qwen", {"api_base": LOCAL, "mock_response": "hi"}, "auto", "litellm"),
        ("openai/qwen", {"api_base": LOCAL, "drop_params": True}, "auto", "litellm"),
        ("openai/qwen", {"api_base": LOCAL, "fallbacks": ["x"]}, "auto", "litellm"),
        # a named transport is obeyed
        ("anthropic/claude-sonnet-4", {}, "direct", "direct"),
        ("hosted_vllm/qwen", {"api_base": LOCAL}, "litellm", "litellm"),
    ],
)
def test_decision_table(model, args, requested, expected) -> None:
    assert choose_transport(model, args, requested) == expected


def test_hosted_vllm_base_from_the_environment_goes_direct(monkeypatch) -> None:
    monkeypatch.setenv("HOSTED_VLLM_API_BASE", LOCAL)
    assert choose_transport("hosted_vllm/qwen", {}) == "direct"


def test_an_unknown_transport_is_a_readable_error() -> None:
    with pytest.raises(RunnerError, match="'auto' .*'litellm' or 'direct'"):
        choose_transport("openai/x", {}, "http2")


async def test_the_default_gateway_sends_a_local_endpoint_direct(llm_server, monkeypatch) -> None:
    """No option at all: a ``hosted_vllm/`` call reaches the server without litellm, and an
    ``openai/`` call to OpenAI's own host would not (counted per transport)."""
    from runner.llm import direct, provider

    seen: list[str] = []
    real = direct.acompletion

    async def spy(model, messages, **args):
        seen.append(model)
        return await real(model, messages, **args)

    monkeypatch.setattr(direct, "acompletion", spy)
    monkeypatch.setattr(provider, "load_litellm", lambda: pytest.fail("litellm was loaded"))
    llm_server.default = reply.text("ok")
    gateway = LLMGateway(max_retries=0)
    assert gateway.transport == "auto"
    answer = await gateway.complete(
        "hosted_vllm/qwen", [{"role": "user", "content": "hi"}], api_base=llm_server.url
    )
    assert answer.content == "ok" and seen == ["hosted_vllm/qwen"]
    assert gateway.stats.transports == {"direct": 1}


async def test_hosted_vllm_key_and_base_come_from_litellms_variables(
    llm_server, monkeypatch
) -> None:
    from runner.llm import direct

    headers: list[dict[str, str]] = []
    real = direct._request
    monkeypatch.setattr(direct, "_request", lambda *a: (r := real(*a), headers.append(r[1]))[0])
    llm_server.default = reply.text("ok")
    monkeypatch.setenv("HOSTED_VLLM_API_BASE", llm_server.url)
    monkeypatch.setenv("HOSTED_VLLM_API_KEY", "sk-vllm-test")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-wrong")
    gateway = LLMGateway(max_retries=0)
    answer = await gateway.complete("hosted_vllm/qwen", [{"role": "user", "content": "hi"}])
    assert answer.content == "ok" and gateway.stats.transports == {"direct": 1}
    assert [h["Authorization"] for h in headers] == ["Bearer sk-vllm-test"]


@pytest.mark.parametrize(
    ("calls", "cpu", "wall", "says"),
    [
        ({"litellm": 500}, 9.0, 10.0, True),
        ({"litellm": 456}, 7.8, 16.7, True),  # τ²-bench retail through litellm: 1.5x ideal
        ({"litellm": 500, "direct": 100}, 6.0, 10.0, True),
        ({"litellm": 500}, 2.0, 10.0, False),  # waiting on the endpoint, not on the CPU
        ({"litellm": 500}, 3.4, 10.0, False),
        ({"litellm": 100, "direct": 500}, 9.0, 10.0, False),  # most calls were direct already
        ({"litellm": 10}, 9.0, 10.0, False),  # too few calls to tell
        ({}, 9.0, 10.0, False),
    ],
)
def test_the_summary_names_the_option_when_litellm_cpu_dominates(calls, cpu, wall, says) -> None:
    note = litellm_cpu_note(calls, cpu, wall)
    assert (note is not None) == says
    if says:
        assert "--llm-transport direct" in note and f"{calls['litellm']} of" in note
