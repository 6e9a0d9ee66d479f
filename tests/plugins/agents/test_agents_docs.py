"""Runs every Python block of docs/agents.md against the local LLM server, so the guide cannot
rot: the model's replies come from the ``<!-- replies: [...] -->`` comment above a block, and
what the block prints must equal the ``text`` block that follows it."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from runner.testing import LLMTestServer, Reply, reply

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "agents.md"
_REPLIES = re.compile(r"^<!--\s*replies:\s*(.*?)\s*-->$", re.DOTALL)


@dataclass
class Example:
    line: int
    code: str
    replies: list[dict[str, Any]]
    expected: str | None


def parse_examples(text: str) -> list[Example]:
    """The guide's ``python`` blocks, with their scripted replies and expected output."""
    lines = text.splitlines()
    examples: list[Example] = []
    pending: list[dict[str, Any]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("<!--"):
            end = i
            while "-->" not in lines[end]:
                end += 1
            match = _REPLIES.match("\n".join(lines[i : end + 1]))
            if match:
                pending = json.loads(match.group(1))
            i = end + 1
            continue
        if line.strip() == "```python":
            start = i + 1
            i = _fence_end(lines, start)
            code = "\n".join(lines[start:i])
            expected = None
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].strip() == "```text":
                end = _fence_end(lines, j + 1)
                expected = "\n".join(lines[j + 1 : end])
                i = end
            examples.append(Example(start, code, pending, expected))
            pending = []
        i += 1
    return examples


def _fence_end(lines: list[str], start: int) -> int:
    for n in range(start, len(lines)):
        if lines[n].strip() == "```":
            return n
    raise AssertionError(f"unclosed code fence at docs/agents.md:{start}")


def to_reply(spec: dict[str, Any]) -> Reply:
    if "tool_calls" in spec:
        return reply.tool_calls([tuple(c) for c in spec["tool_calls"]], content=spec.get("content"))
    return reply.text(spec["text"])


EXAMPLES = parse_examples(GUIDE.read_text(encoding="utf-8"))


def test_the_guide_has_examples_of_every_feature() -> None:
    code = "\n".join(e.code for e in EXAMPLES)
    features = (
        "function_tool",
        "handoff(",
        "input_guardrail",
        "output_guardrail",
        "output_type",
        "run_streamed",
        "RunHooks",
        "error_handlers",
        "to_input_list",
        "cache_dir",
        "Runner.run(",
        "failure_error_function",
        "timeout=",
        "remove_all_tools",
        "trace",
    )
    for name in features:
        assert name in code, name
    assert all(e.expected is not None for e in EXAMPLES if e.replies)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"agents.md:{e.line}" for e in EXAMPLES])
def test_guide_example(example: Example, monkeypatch: pytest.MonkeyPatch) -> None:
    with LLMTestServer() as server:
        server.add(*(to_reply(r) for r in example.replies))
        # the examples name real models; litellm's OpenAI provider reads these variables
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_BASE", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-docs-test")
        out = io.StringIO()
        # a real module, so that dataclasses and type hints defined by the example resolve
        module = types.ModuleType("agents_guide_example")
        monkeypatch.setitem(sys.modules, module.__name__, module)
        with contextlib.redirect_stdout(out):
            exec(compile(example.code, f"docs/agents.md:{example.line}", "exec"), module.__dict__)
        assert server.pending == 0, "the example made fewer model calls than its scripted replies"
        assert server.stats.count == len(example.replies)
    if example.expected is not None:
        assert out.getvalue().rstrip("\n") == example.expected
