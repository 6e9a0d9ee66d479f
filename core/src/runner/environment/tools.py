"""``@tool``: turn a ToolKit method into a tool an agent or a user can call."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ValidationError

from runner.environment.schema import FunctionSchema, function_schema

F = TypeVar("F", bound=Callable[..., Any])

TOOL_ATTR = "__runner_tool__"


@dataclass(frozen=True)
class ToolSpec:
    """What ``@tool`` records on a method."""

    write: bool = False
    name: str | None = None


@overload
def tool(fn: F) -> F: ...
@overload
def tool(*, write: bool = False, name: str | None = None) -> Callable[[F], F]: ...


def tool(fn: Any = None, *, write: bool = False, name: str | None = None) -> Any:
    """Mark a ToolKit method as a tool; ``write=True`` for tools that change the database.

    Only write tools are replayed when the evaluator rebuilds the final state, so a tool that
    changes state but is not marked ``write`` makes the DB check wrong.
    """

    def mark(f: F) -> F:
        setattr(f, TOOL_ATTR, ToolSpec(write=write, name=name))
        return f

    return mark(fn) if fn is not None else mark


@dataclass(frozen=True)
class Tool:
    """A callable tool bound to a ToolKit instance, with its OpenAI schema."""

    name: str
    description: str
    parameters: dict[str, Any]
    write: bool
    schema_info: FunctionSchema
    fn: Callable[..., Any]

    def openai_schema(self) -> dict[str, Any]:
        return self.schema_info.openai()

    def validate(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Validated keyword arguments; raises :class:`ToolArgumentError` with a readable message."""
        try:
            model = self.schema_info.args_model.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(arguments)'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ToolArgumentError(f"Invalid arguments for tool {self.name}: {problems}") from None
        return {k: getattr(model, k) for k in type(model).model_fields}

    def __call__(self, **arguments: Any) -> Any:
        return self.fn(**self.validate(arguments))


class ToolArgumentError(ValueError):
    """Arguments that do not match a tool's schema."""


def build_tool(bound: Callable[..., Any], spec: ToolSpec) -> Tool:
    """A :class:`Tool` for a bound method; the schema is built once per function and cached,
    because environments (and so toolkits) are created several times per simulation."""
    func = getattr(bound, "__func__", bound)
    schema = _schema_of(func, spec.name)
    return Tool(
        name=schema.name,
        description=schema.description,
        parameters=schema.parameters,
        write=spec.write,
        schema_info=schema,
        fn=bound,
    )


@functools.cache
def _schema_of(func: Callable[..., Any], name: str | None) -> FunctionSchema:
    return function_schema(func, name=name)


def to_content(value: Any) -> str:
    """A tool's return value as message text, formatted exactly as τ²-bench formats it.

    Strings stay as they are; anything else becomes ``json.dumps`` of its plain form, where
    pydantic models are dumped, numbers and booleans become strings (``True`` -> ``"True"``) and
    dates ISO strings, so the content of a tool message is byte-identical to τ²-bench's
    ``Environment.to_json_str``. Types τ²-bench rejects fall back to ``str``.
    """
    if isinstance(value, str):
        return str.__str__(value)  # a str enum gives its value, not "Color.RED"
    return json.dumps(_plain(value), default=str)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
