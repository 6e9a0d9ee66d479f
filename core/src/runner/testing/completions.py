"""The JSON bodies the test LLM server sends: OpenAI chat completions and stream chunks.

Kept apart from the HTTP side (``llm_server``) so the shapes can be read, and reused, on their
own. Everything here is deterministic: the same request and reply give the same bytes, which is
what lets a cached or replayed run compare equal to a live one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from runner.testing.replies import Reply

CREATED = 1_700_000_000  # fixed "created" timestamp: identical requests get identical bodies


def call_id(body: dict[str, Any], call: Any, position: int) -> str:
    """Same request and reply, same id (so results replay identically); else a different one."""
    seed = json.dumps([body.get("messages"), call.name, call.arguments, position], sort_keys=True)
    return "call_" + hashlib.sha256(seed.encode()).hexdigest()[:24]


def estimate_tokens(text: str) -> int:
    """A rough token count (characters / 4, at least 1): enough for usage and cost tests."""
    return max(1, len(text) // 4)


def completion_body(body: dict[str, Any], reply: Reply, index: int) -> dict[str, Any]:
    """The ``chat.completion`` object answering request number ``index`` with ``reply``."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    if reply.reasoning is not None:
        message["reasoning_content"] = reply.reasoning
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id or call_id(body, call, i),
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for i, call in enumerate(reply.tool_calls)
        ]
    finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
    generated = (
        (reply.content or "")
        + (reply.reasoning or "")
        + "".join(c.name + c.arguments for c in reply.tool_calls)
    )
    prompt_tokens = estimate_tokens(json.dumps(body.get("messages", []), sort_keys=True))
    completion_tokens = estimate_tokens(generated)
    usage = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    usage.update(reply.usage or {})
    if "total_tokens" not in (reply.usage or {}):
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return {
        "id": f"chatcmpl-test-{index}",
        "object": "chat.completion",
        "created": CREATED,
        "model": body.get("model", "test"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": usage,
    }


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def stream_chunks(body: dict[str, Any], completion: dict[str, Any]) -> list[dict[str, Any]]:
    """The chunks OpenAI would send for ``completion``: role, reasoning, text, tool-call deltas,
    the finish reason, then (when asked with ``stream_options.include_usage``) the usage."""
    choice = completion["choices"][0]
    message = choice["message"]
    deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
    if message.get("reasoning_content"):
        deltas += [{"reasoning_content": p} for p in _pieces(message["reasoning_content"], 12)]
    if message.get("content"):
        deltas += [{"content": p} for p in _pieces(message["content"], 12)]
    for i, call in enumerate(message.get("tool_calls", [])):
        head = {
            "index": i,
            "id": call["id"],
            "type": "function",
            "function": {"name": call["function"]["name"], "arguments": ""},
        }
        deltas.append({"tool_calls": [head]})
        deltas += [
            {"tool_calls": [{"index": i, "function": {"arguments": p}}]}
            for p in _pieces(call["function"]["arguments"], 16)
        ]
    chunks = [{"index": 0, "delta": d, "finish_reason": None} for d in deltas]
    chunks.append({"index": 0, "delta": {}, "finish_reason": choice["finish_reason"]})
    envelope = {
        "id": completion["id"],
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": completion["model"],
    }
    out = [{**envelope, "choices": [c]} for c in chunks]
    if (body.get("stream_options") or {}).get("include_usage"):
        out.append({**envelope, "choices": [], "usage": completion["usage"]})
    return out
