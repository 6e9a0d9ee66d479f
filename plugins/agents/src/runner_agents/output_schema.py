"""Structured final outputs: ``Agent(output_type=...)``.

The type (a pydantic model, a dataclass, a TypedDict, ``list[int]``, ...) becomes a JSON schema
sent as the request's ``response_format``, and the model's final text is validated against it
with pydantic. A type whose schema is not a JSON object is wrapped as ``{"response": <value>}``
(providers require an object at the top) and unwrapped after validation. The final text may be
wrapped in a Markdown code fence; anything else that does not validate is a
:class:`ModelBehaviorError` carrying the partial run. The SDK does not retry it: the request
already constrained the model with the schema, so a second identical request rarely helps, and
the caller decides (its ``run_data`` holds the conversation to retry from).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from runner_agents.exceptions import ModelBehaviorError, UserError

_FENCE = re.compile(r"^```[a-zA-Z0-9_-]*\s*\n?(.*?)\n?```$", re.DOTALL)
_WRAPPER_KEY = "response"


class AgentOutputSchema:
    """The JSON schema of an ``output_type`` and the validation of a final text against it."""

    def __init__(self, output_type: Any, strict_json_schema: bool = True) -> None:
        from pydantic import TypeAdapter, create_model

        self.output_type = output_type
        try:
            adapter = TypeAdapter(output_type)
            schema = adapter.json_schema()
        except Exception as exc:
            raise UserError(
                f"output_type {output_type!r} cannot be turned into a JSON schema by pydantic: "
                f"{exc}. Use a pydantic model, a dataclass, a TypedDict or a builtin type."
            ) from exc
        self.wrapped = schema.get("type") != "object"
        if self.wrapped:
            fields: dict[str, Any] = {_WRAPPER_KEY: (output_type, ...)}
            model = create_model("FinalOutput", **fields)
            adapter = TypeAdapter(model)
            schema = adapter.json_schema()
        self._adapter = adapter
        self.strict = False
        if strict_json_schema:
            strict = copy.deepcopy(schema)
            if _make_strict(strict):
                schema, self.strict = strict, True
        self.schema = schema

    def name(self) -> str:
        return "final_output"

    def response_format(self) -> dict[str, Any]:
        """The ``response_format`` argument of the model call."""
        return {
            "type": "json_schema",
            "json_schema": {"name": self.name(), "schema": self.schema, "strict": self.strict},
        }

    def validate_text(self, text: str | None, agent_name: str = "agent") -> Any:
        """The final output parsed from ``text``; raises :class:`ModelBehaviorError`."""
        from pydantic import ValidationError

        raw = (text or "").strip()
        fenced = _FENCE.match(raw)
        if fenced:
            raw = fenced.group(1).strip()
        try:
            value = self._adapter.validate_json(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(output)'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ModelBehaviorError(
                f"The final output of agent '{agent_name}' does not match its output_type "
                f"{_type_name(self.output_type)}: {problems}. Output was: {_clip(text)}"
            ) from None
        return getattr(value, _WRAPPER_KEY) if self.wrapped else value


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def _clip(text: str | None, limit: int = 200) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit] + "..."


def _make_strict(node: Any) -> bool:
    """Rewrite a schema in place for OpenAI's strict mode (closed objects, every property
    required, no defaults); ``False`` when it cannot be (free-form dicts)."""
    if isinstance(node, list):
        return all(_make_strict(n) for n in node)
    if not isinstance(node, dict):
        return True
    node.pop("default", None)
    if node.get("type") == "object":
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) or extra is True or "properties" not in node:
            return False
        node["additionalProperties"] = False
        node["required"] = list(node["properties"])
    ok = True
    for key in ("properties", "$defs", "definitions"):
        for child in (node.get(key) or {}).values():
            ok = _make_strict(child) and ok
    for key in ("items", "anyOf", "allOf", "oneOf", "prefixItems"):
        if key in node:
            ok = _make_strict(node[key]) and ok
    return ok
