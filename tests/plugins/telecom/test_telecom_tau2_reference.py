"""Byte-for-byte agreement with τ²-bench's telecom code.

``tau2_telecom_reference.json`` records what τ²-bench's own telecom environment returned for
1 338 calls on its ``db.toml`` / ``user_db.toml``: every tool of both sides (valid calls, wrong
ids, missing and unexpected arguments, ints where floats are expected...), the set-up and
assertion functions, the initialisation and expected actions of every ``tasks_small`` task, and
the database hashes after each step. Each scenario is replayed here on a fresh environment and
must give the same text, error flag, function result and hashes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from runner import EnvFunctionCall, ToolCall

REFERENCE = json.loads(
    (Path(__file__).parent / "tau2_telecom_reference.json").read_text(encoding="utf-8")
)


def _show(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else repr(value)


def _run_step(env: Any, index: int, step: dict[str, Any]) -> dict[str, Any]:
    if step["kind"] == "call":
        msg = env.execute(
            ToolCall(
                id=str(index), name=step["name"], arguments=step["args"], requestor=step["side"]
            )
        )
        return {"content": msg.content, "error": msg.error}
    try:
        fn = EnvFunctionCall(env_type=step["side"], func_name=step["name"], arguments=step["args"])
        return {"result": _show(env.run_function(fn))}
    except Exception as exc:
        return {"exc": f"{type(exc).__name__}: {exc}"}


@pytest.mark.parametrize("scenario", REFERENCE["scenarios"], ids=lambda s: s["name"])
def test_replays_tau2_reference_scenario(tau2_domain: Any, scenario: dict[str, Any]) -> None:
    env = tau2_domain.environment()
    for i, step in enumerate(scenario["steps"]):
        expect = dict(step["expect"])
        want_hash = expect.pop("hash", None)
        got = _run_step(env, i, step)
        where = f"step {i}: {step['side']} {step['name']}({step['args']})"
        assert got == expect, where
        if want_hash is not None:
            assert [env.db_hash()[:16], env.user_db_hash()[:16]] == want_hash, where
