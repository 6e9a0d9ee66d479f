"""Conformance: tool schemas are valid OpenAI function-calling schemas.

OpenAI's format: ``{"type": "function", "function": {"name", "description", "parameters"}}``;
the name matches ``^[a-zA-Z0-9_-]{1,64}$``; ``parameters`` is a JSON Schema object whose
``required`` names are properties. The parameters are also checked as JSON Schema (draft
2020-12, with the ``jsonschema`` package) and every ``$ref`` must resolve.
"""

from __future__ import annotations

import json
import re
from typing import Any

from runner.conformance import FAIL, PASS, Subject, describe

NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
SCHEMA_KEYS = {"type", "anyOf", "oneOf", "allOf", "$ref", "enum", "const"}
JSON_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}


def check_schemas(subject: Subject) -> tuple[str, str, list[dict[str, Any]]]:
    env = subject.domain.environment()
    failures: list[dict[str, Any]] = []
    counts = []
    for side, tools in (("assistant", env.tools()), ("user", env.user_tools())):
        names: list[str] = []
        for tool in tools:
            try:
                schema = tool.openai_schema()
                problems = schema_problems(schema)
                name = schema.get("function", {}).get("name") if isinstance(schema, dict) else None
            except Exception as exc:
                problems, name = [f"building its schema raised {describe(exc)}"], None
            if name is not None and name != tool.name:
                problems.append(f"the schema names it {name!r}")
            names.append(tool.name)
            failures.extend({"side": side, "tool": tool.name, "problem": p} for p in problems)
        for dup in sorted({n for n in names if names.count(n) > 1}):
            failures.append({"side": side, "tool": dup, "problem": "two tools have this name"})
        counts.append(f"{len(tools)} {side}")
    status = FAIL if failures else PASS
    return status, f"{' + '.join(counts)} tools; {len(failures)} problem(s)", failures


def schema_problems(schema: Any) -> list[str]:
    """What is wrong with one tool's OpenAI schema (empty when nothing)."""
    if not isinstance(schema, dict) or schema.get("type") != "function":
        return ['the schema is not {"type": "function", "function": {...}}']
    fn = schema.get("function")
    if not isinstance(fn, dict):
        return ['"function" is not an object']
    problems = []
    try:
        json.dumps(schema)
    except (TypeError, ValueError) as exc:
        problems.append(f"the schema is not JSON-serialisable ({exc})")
    name = fn.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        problems.append(f"name {name!r} does not match ^[a-zA-Z0-9_-]{{1,64}}$")
    description = fn.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append("no description (a model cannot know what the tool does)")
    params = fn.get("parameters")
    if not isinstance(params, dict) or params.get("type") != "object":
        problems.append('"parameters" is not a JSON Schema of "type": "object"')
        return problems
    props = params.get("properties", {})
    if not isinstance(props, dict):
        return [*problems, '"properties" is not an object']
    required = params.get("required", [])
    if not isinstance(required, list) or any(r not in props for r in required):
        problems.append(f'"required" {required!r} names something that is not a property')
    for key, sub in props.items():
        problems.extend(f"parameter {key!r}: {p}" for p in _subschema_problems(sub, params))
    problems.extend(_jsonschema_problems(params))
    return problems


def _subschema_problems(sub: Any, root: dict[str, Any]) -> list[str]:
    if not isinstance(sub, dict):
        return ["its schema is not an object"]
    if not SCHEMA_KEYS & set(sub):
        return [f"its schema has none of {sorted(SCHEMA_KEYS)} (a model cannot know its type)"]
    problems = []
    types = sub.get("type")
    for t in types if isinstance(types, list) else [types] if types is not None else []:
        if t not in JSON_TYPES:
            problems.append(f"unknown JSON type {t!r}")
    for ref in _refs(sub):
        if _resolve(ref, root) is None:
            problems.append(f"$ref {ref!r} does not resolve")
    return problems


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for value in node.values():
            out.extend(_refs(value))
        return out
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def _resolve(ref: str, root: dict[str, Any]) -> Any:
    if not ref.startswith("#/"):
        return None
    node: Any = root
    for part in ref[2:].split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _jsonschema_problems(params: dict[str, Any]) -> list[str]:
    # Imported here, not at the top: only the conformance checks need it (a declared dependency).
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(params)
    except SchemaError as exc:
        return [f"not a valid JSON Schema: {exc.message}"]
    return []
