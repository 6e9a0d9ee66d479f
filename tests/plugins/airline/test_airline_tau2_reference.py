"""The airline tools give τ²-bench's results, errors and database states, call for call.

The reference was recorded by running τ²-bench's own airline tools on this plugin's database
(see conftest.py). Every step compares the tool message content byte for byte (or its sha256),
the error flag and the database hash after the call; the schemas are compared too.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from runner import ToolCall
from runner.environment.db import dict_hash

# pydantic's messages end with a link that names its version; the rest must match exactly
_PYDANTIC_LINK = re.compile(r"https://errors\.pydantic\.dev/[^/]+/")


def normalised(text: str) -> str:
    return _PYDANTIC_LINK.sub("https://errors.pydantic.dev/VERSION/", text)


def strip_titles(node: Any) -> Any:
    """τ²-bench's schemas carry pydantic's titles; runner's drop them (they are cosmetic)."""
    if isinstance(node, dict):
        return {
            k: strip_titles(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [strip_titles(v) for v in node]
    return node


def test_schemas_are_tau2s(own_domain: Any, tool_reference: dict[str, Any]) -> None:
    tools = own_domain.environment().tools()
    want = tool_reference["tools"]
    assert [t.name for t in tools] == [w["name"] for w in want]
    for tool, ref in zip(tools, want, strict=True):
        function = ref["openai_schema"]["function"]
        assert tool.write == ref["write"], tool.name
        assert tool.description == function["description"], tool.name
        params = dict(tool.parameters)
        assert params.pop("additionalProperties") is False  # runner's addition
        if not params["required"]:  # runner always lists "required"; pydantic omits an empty one
            assert "required" not in function["parameters"]
            del params["required"]
        assert params == strip_titles(function["parameters"]), tool.name


def test_reference_covers_every_tool_and_many_failures(tool_reference: dict[str, Any]) -> None:
    steps = [st for s in tool_reference["scenarios"] for st in s["steps"]]
    assert {st["call"]["name"] for st in steps} >= {t["name"] for t in tool_reference["tools"]}
    errors = {st["content"] for st in steps if st["error"] and "content" in st}
    assert len(errors) >= 25
    assert sum(st["error"] for st in steps) >= 300 and sum(not st["error"] for st in steps) >= 500


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_every_recorded_call_gives_tau2s_result_and_state(
    own_domain: Any, tool_reference: dict[str, Any]
) -> None:
    assert own_domain.base_db().hash() == tool_reference["initial_db_hash"]
    for scenario in tool_reference["scenarios"]:
        env = own_domain.environment()
        for i, step in enumerate(scenario["steps"]):
            call = ToolCall(
                id=f"c{i}", name=step["call"]["name"], arguments=step["call"]["arguments"]
            )
            result = env.execute(call)
            where = f"{scenario['name']} step {i}: {call.name}({call.arguments})"
            if "content" in step:
                assert normalised(result.content) == normalised(step["content"]), where
            else:
                digest = hashlib.sha256(result.content.encode()).hexdigest()
                assert digest == step["content_sha256"], f"{where}: {result.content[:300]}"
            assert result.error == step["error"], where
            # the state is compared after every write of the hand-written scenarios and at the
            # end of every scenario (a read that changed it would show there); hashing after
            # every step of the random ones would only slow the test down
            last = i == len(scenario["steps"]) - 1
            if last or (env.is_write(call) and not scenario["name"].startswith("random")):
                assert env.db_hash() == step["db_hash"], where
    assert dict_hash(env.toolkit.db.model_dump()) == env.db_hash()


def test_own_tasks_end_in_tau2s_state(own_domain: Any, task_hashes: dict[str, Any]) -> None:
    """Each own task's expected actions give the results and final database τ²-bench's give."""
    import json

    assert own_domain.base_db().hash() == task_hashes["initial_db_hash"]
    tasks = own_domain.all_tasks()
    assert {t.id for t in tasks} == set(task_hashes["tasks"])
    for task in tasks:
        env = own_domain.environment()
        results = []
        for action in task.expected_actions():
            result = env.execute(ToolCall(id="x", name=action.name, arguments=action.arguments))
            results.append([result.content, result.error])
        want = task_hashes["tasks"][task.id]
        assert want["failed_actions"] == 0, task.id
        assert hashlib.sha256(json.dumps(results).encode()).hexdigest() == want["results_sha256"], (
            task.id
        )
        assert env.db_hash() == want["db_hash"], task.id
