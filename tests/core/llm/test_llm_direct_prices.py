"""The direct transport prices calls from litellm's price list without importing litellm, with
the same figures as litellm's own computation (``runner.llm.provider.compute_cost``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from runner.llm import direct, prices
from runner.llm.response import Usage

USAGE = Usage(prompt_tokens=1234, completion_tokens=567)  # below every long-context threshold


@pytest.fixture(scope="module")
def price_list() -> dict:
    path = prices.price_list_path()
    assert path is not None, "litellm's bundled price list was not found"
    with open(path, "rb") as file:
        return json.load(file)


@pytest.fixture
def fresh_prices(monkeypatch) -> None:
    """Forget the per-model prices ``direct.compute_cost`` has already looked up."""
    monkeypatch.setattr(direct, "_prices", {})


@pytest.mark.slow
def test_every_chat_model_costs_what_litellm_charges(price_list, fresh_prices) -> None:
    from runner.llm.provider import compute_cost as litellm_cost

    chat = [name for name, info in price_list.items() if info.get("mode") == "chat"]
    names = [f"{p}/{name}" for name in chat for p in prices.PROVIDERS] + chat
    names += [f"openai/{chat[0].upper()}", "openai/gpt-4o-mini-2099-01-01"]
    names += ["openai/ft:gpt-4o-mini-2024-07-18:org::abc", "ft:gpt-4o-mini-2024-07-18:org:x:abc"]
    decided = [name for name in names if prices.per_token_prices(name) is not None]
    mismatches = [
        (name, cost, expected)
        for name in decided
        if (cost := direct.compute_cost(name, USAGE)) != (expected := litellm_cost(name, USAGE))
    ]
    assert mismatches == []
    undecided = set(names) - set(decided)
    # only bare names that litellm routes to another provider are left to litellm itself
    assert not {name for name in undecided if name.split("/")[0] in prices.PROVIDERS}
    assert {"gpt-4o-mini", "openai/gpt-4o-mini", "ft:gpt-4o-mini-2024-07-18:org:x:abc"} <= set(
        decided
    )
    assert len([name for name in decided if direct.compute_cost(name, USAGE) > 0]) > 100


def test_a_direct_call_is_priced_without_importing_litellm(price_list) -> None:
    code = """
import asyncio, json, sys
from runner.llm import LLMGateway
from runner.testing import LLMTestServer

with LLMTestServer(default="ok") as server:
    response = asyncio.run(LLMGateway(max_retries=0).complete(
        "openai/gpt-4o-mini", [{"role": "user", "content": "Hi"}],
        api_base=server.url, api_key="sk-test", transport="direct"))
usage = response.usage
print(json.dumps({"cost": response.cost, "prompt": usage.prompt_tokens,
                  "completion": usage.completion_tokens, "litellm": "litellm" in sys.modules}))
"""
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    entry = price_list["gpt-4o-mini"]
    expected = (
        result["prompt"] * entry["input_cost_per_token"]
        + result["completion"] * entry["output_cost_per_token"]
    )
    assert result["litellm"] is False
    assert result["cost"] > 0 and result["cost"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "model",
    ["openai/no-such-model-7b", "hosted_vllm/Qwen/Qwen3-8B", "custom_openai/my-model", "openai/"],
)
def test_an_unknown_model_costs_nothing(model, fresh_prices) -> None:
    assert prices.per_token_prices(model) == (0.0, 0.0)  # decided from the list, not by litellm
    assert direct.compute_cost(model, USAGE) == 0.0


def test_names_outside_the_rules_are_priced_by_litellm(price_list, fresh_prices) -> None:
    from runner.llm.provider import compute_cost as litellm_cost

    claude = next(
        name
        for name, info in price_list.items()
        if info.get("litellm_provider") == "anthropic" and "/" not in name
        if info.get("mode") == "chat" and info.get("input_cost_per_token")
    )
    assert prices.per_token_prices(claude) is None
    assert direct.compute_cost(claude, USAGE) == litellm_cost(claude, USAGE) > 0


def test_without_a_readable_price_list_litellm_prices_the_call(monkeypatch, fresh_prices) -> None:
    from runner.llm.provider import compute_cost as litellm_cost

    monkeypatch.setattr(prices, "load_price_list", lambda: None)
    assert prices.per_token_prices("openai/gpt-4o-mini") is None
    cost = direct.compute_cost("openai/gpt-4o-mini", USAGE)
    assert cost == litellm_cost("openai/gpt-4o-mini", USAGE) > 0


@pytest.mark.parametrize(
    "data",
    [b"not json", b"[1, 2]", b'{"gpt-x": 3}', b'{"a": {"aliases": [["not", "a", "name"]]}}'],
)
def test_a_malformed_price_list_is_left_to_litellm(data) -> None:
    assert prices.parse_price_list(data) is None


def test_the_look_up_follows_litellm_rules() -> None:
    listed = {
        "gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 1e-6},
        "Big-Model": {
            "litellm_provider": "openai",
            "input_cost_per_token": 2e-6,
            "output_cost_per_token": 4e-6,
            "aliases": ["big-latest"],
        },
        "azure/gpt-y": {"litellm_provider": "azure", "input_cost_per_token": 5e-6},
        "openai/tiered": {"litellm_provider": "openai", "tiered_pricing": [{"range": [0, 1]}]},
        "speech": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_second": 0.1},
        "painter": {"litellm_provider": "openai", "output_cost_per_image_token": 3e-5},
        "fallback_generalizations": {"rules": [{"pattern": "x", "model_info": {"mode": "chat"}}]},
    }
    table = prices.parse_price_list(json.dumps(listed).encode())
    assert table is not None
    assert table.per_token("openai/gpt-x") == table.per_token("gpt-x") == (1e-6, 0.0)
    assert table.per_token("openai/BIG-MODEL-2025-01-31") == (2e-6, 4e-6)  # case, date suffix
    assert table.per_token("openai/big-latest") == (2e-6, 4e-6)  # an alias
    assert table.per_token("openai/ft:gpt-x:org:suffix:id") == (0.0, 0.0)  # no ft:gpt-x entry
    assert table.per_token("openai/azure/gpt-y") == (0.0, 0.0)  # another provider's entry
    assert table.per_token("hosted_vllm/gpt-x") == (0.0, 0.0)
    assert table.per_token("openai/speech") == (0.0, 0.0)  # priced by the second
    assert table.per_token("openai/painter") == (0.0, 3e-5)  # output tokens are image tokens
    assert table.per_token("openai/tiered") is None  # tiers: litellm decides
    assert table.per_token("azure/gpt-y") is None and table.per_token("claude-x") is None
