"""Function schemas from type hints and Google-style docstrings.

One machinery serves domain tools (``@tool``) and the agent SDK's ``@function_tool``: the
signature becomes a pydantic model, which both validates the arguments a model sends and yields
the JSON schema of OpenAI's function-calling format.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

_SECTION = re.compile(
    r"^\s*(Args|Arguments|Parameters|Returns|Return|Yields|Raises|Examples?|Notes?|Note)\s*:\s*$"
)
_ARG = re.compile(r"^\s*(\*{0,2}[A-Za-z_][A-Za-z0-9_]*)\s*(\([^)]*\))?\s*:\s*(.*)$")


@dataclass(frozen=True)
class Docstring:
    summary: str
    args: dict[str, str]


def parse_docstring(doc: str | None) -> Docstring:
    """Split a Google-style docstring into its description and its ``Args:`` entries."""
    if not doc:
        return Docstring("", {})
    lines = inspect.cleandoc(doc).splitlines()
    summary: list[str] = []
    args: dict[str, str] = {}
    section: str | None = None
    current: str | None = None
    arg_indent = 0
    for line in lines:
        m = _SECTION.match(line)
        if m:
            section = m.group(1).lower()
            current = None
            continue
        if section is None:
            summary.append(line)
        elif section in ("args", "arguments", "parameters"):
            indent = len(line) - len(line.lstrip())
            am = _ARG.match(line)
            if am and (current is None or indent <= arg_indent):
                current = am.group(1).lstrip("*")
                arg_indent = indent
                args[current] = am.group(3).strip()
            elif current is not None and line.strip():
                args[current] = (args[current] + " " + line.strip()).strip()
    return Docstring("\n".join(summary).strip(), args)


@dataclass(frozen=True)
class FunctionSchema:
    """A callable's name, description, argument model and JSON parameters schema."""

    name: str
    description: str
    args_model: type[BaseModel]
    parameters: dict[str, Any]

    def openai(self) -> dict[str, Any]:
        """The tool in OpenAI's function-calling format."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


_SKIP = {"self", "cls"}


def function_schema(
    fn: Callable[..., Any],
    name: str | None = None,
    description: str | None = None,
    skip_params: frozenset[str] = frozenset(),
) -> FunctionSchema:
    """Build the schema of ``fn`` from its signature, type hints and docstring.

    Hints are resolved with :func:`typing.get_type_hints`, so ``from __future__ import
    annotations`` works. Parameters in ``skip_params`` (e.g. an SDK's context argument) and
    ``*args``/``**kwargs`` are left out.
    """
    doc = parse_docstring(fn.__doc__)
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as exc:  # an unresolvable forward reference is the author's bug; say where
        raise TypeError(f"Cannot resolve the type hints of {fn.__qualname__}: {exc}") from exc
    fields: dict[str, Any] = {}
    for pname, param in inspect.signature(fn).parameters.items():
        if pname in _SKIP or pname in skip_params:
            continue
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = hints.get(pname, Any)
        default = ... if param.default is inspect.Parameter.empty else param.default
        # A docstring entry gives the description; without one, an ``Annotated[..., Field(
        # description=...)]`` keeps its own (passing description=None would erase it).
        described = doc.args.get(pname)
        fields[pname] = (
            annotation,
            Field(default, description=described) if described else Field(default),
        )
    model_name = "".join(p.capitalize() for p in (name or fn.__name__).split("_")) + "Args"
    args_model = create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)
    parameters = _clean(args_model.model_json_schema())
    return FunctionSchema(
        name=name or fn.__name__,
        description=description
        if description is not None
        else (doc.summary or name or fn.__name__),
        args_model=args_model,
        parameters=parameters,
    )


_VALUE_KEYS = frozenset({"default", "enum", "const", "examples"})
_NAME_MAP_KEYS = frozenset({"properties", "$defs", "patternProperties"})


def _clean(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop pydantic's cosmetic titles (never a property named ``title``, never inside a default
    value); keep ``$defs`` for nested models; forbid arguments the function does not take."""
    schema = _strip_titles(schema)
    schema.setdefault("properties", {})
    schema.setdefault("required", [])
    schema["additionalProperties"] = False
    return schema


def _strip_titles(node: Any) -> Any:
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in _VALUE_KEYS:
            out[key] = value
        elif key in _NAME_MAP_KEYS and isinstance(value, dict):
            out[key] = {name: _strip_titles(sub) for name, sub in value.items()}
        else:
            out[key] = _strip_titles(value)
    return out
