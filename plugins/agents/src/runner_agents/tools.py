"""Function tools: Python functions the model may call.

``@function_tool`` builds the tool's JSON schema with the core's machinery
(:func:`runner.function_schema`, the same as a domain's ``@tool``): parameter types from the
hints, descriptions from a Google-style docstring, arguments validated by pydantic before the
function runs. A first parameter annotated ``RunContextWrapper`` (or :class:`ToolContext`)
receives the run's context and is not part of the schema.

A tool that fails does not end the run: by default the error goes back to the model as the
tool's output (``failure_error_function``), so the model can correct itself. Sync functions run
in worker threads, so a slow one does not block concurrent tool calls.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from runner_agents.exceptions import AgentsException, ToolExecutionError, ToolTimeoutError
from runner_agents.run_context import RunContextWrapper

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class ToolContext(RunContextWrapper[Any]):
    """The run context plus the call being answered (``tool_name``, ``tool_call_id``,
    ``tool_arguments`` as the raw JSON the model sent) and the run's ``RunConfig`` (so a tool
    that runs an agent can reuse its gateway and settings)."""

    tool_name: str = ""
    tool_call_id: str = ""
    tool_arguments: str = ""
    run_config: Any = None

    @classmethod
    def from_run_context(
        cls,
        ctx: RunContextWrapper[Any],
        name: str,
        call_id: str,
        arguments: str,
        run_config: Any = None,
    ) -> ToolContext:
        return cls(ctx.context, ctx.usage, name, call_id, arguments, run_config)


ToolErrorFunction = Callable[[RunContextWrapper[Any], Exception], "str | Awaitable[str]"]


def default_tool_error_function(ctx: RunContextWrapper[Any], error: Exception) -> str:
    """The text the model sees when a tool fails: the error, and an invitation to retry."""
    return f"An error occurred while running the tool. Please try again. Error: {error}"


@dataclass
class FunctionTool:
    """A tool the model can call: its schema and ``on_invoke_tool(ctx, arguments_json)``.

    Usually built by :func:`function_tool`; build one directly to wrap something that is not a
    Python function (its arguments then arrive as the raw JSON string).
    """

    name: str
    description: str
    params_json_schema: dict[str, Any]
    on_invoke_tool: Callable[[ToolContext, str], Awaitable[Any]]
    failure_error_function: ToolErrorFunction | None = default_tool_error_function
    timeout: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def openai_schema(self) -> dict[str, Any]:
        """The tool in OpenAI's function-calling format."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.params_json_schema,
            },
        }

    async def invoke(self, ctx: ToolContext, arguments: str) -> Any:
        """Run the tool under its timeout; a failure becomes text for the model (or is raised
        when there is no ``failure_error_function``)."""
        try:
            call = self.on_invoke_tool(ctx, arguments)
            if not inspect.isawaitable(call):
                return call
            if self.timeout is None:
                return await call
            try:
                return await asyncio.wait_for(call, self.timeout)
            except TimeoutError:
                raise ToolTimeoutError(self.name, self.timeout) from None
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self.failure_error_function is None:
                if isinstance(exc, AgentsException):
                    raise
                raise ToolExecutionError(f"Error running tool '{self.name}': {exc}") from exc
            text = self.failure_error_function(ctx, exc)
            return await text if inspect.isawaitable(text) else text


@overload
def function_tool(
    func: F,
    *,
    name_override: str | None = None,
    description_override: str | None = None,
    failure_error_function: ToolErrorFunction | None = default_tool_error_function,
    timeout: float | None = None,
) -> FunctionTool: ...
@overload
def function_tool(
    *,
    name_override: str | None = None,
    description_override: str | None = None,
    failure_error_function: ToolErrorFunction | None = default_tool_error_function,
    timeout: float | None = None,
) -> Callable[[F], FunctionTool]: ...


def function_tool(
    func: Any = None,
    *,
    name_override: str | None = None,
    description_override: str | None = None,
    failure_error_function: ToolErrorFunction | None = default_tool_error_function,
    timeout: float | None = None,
) -> Any:
    """Turn a function (sync or async) into a :class:`FunctionTool`.

    ``timeout`` (seconds) bounds each call; a sync function that overruns keeps running in its
    thread, but the model gets the timeout error at once. ``failure_error_function=None`` makes a
    failing tool end the run with :class:`ToolExecutionError` instead.
    """

    def build(fn: Callable[..., Any]) -> FunctionTool:
        return _build_function_tool(
            fn, name_override, description_override, failure_error_function, timeout
        )

    return build(func) if func is not None else build


def _build_function_tool(
    fn: Callable[..., Any],
    name: str | None,
    description: str | None,
    failure_error_function: ToolErrorFunction | None,
    timeout: float | None,
) -> FunctionTool:
    from runner import function_schema

    takes_context = _takes_context(fn)
    skip = frozenset(list(inspect.signature(fn).parameters)[:1]) if takes_context else frozenset()
    schema = function_schema(fn, name=name, description=description, skip_params=skip)
    is_async = inspect.iscoroutinefunction(fn)

    async def on_invoke_tool(ctx: ToolContext, arguments: str) -> Any:
        kwargs = _validate_arguments(schema, arguments)
        args = (ctx,) if takes_context else ()
        if is_async:
            return await fn(*args, **kwargs)
        return await asyncio.to_thread(fn, *args, **kwargs)

    return FunctionTool(
        name=schema.name,
        description=schema.description,
        params_json_schema=schema.parameters,
        on_invoke_tool=on_invoke_tool,
        failure_error_function=failure_error_function,
        timeout=timeout,
    )


def _takes_context(fn: Callable[..., Any]) -> bool:
    """Whether the first parameter is annotated as a RunContextWrapper (or a subclass)."""
    params = list(inspect.signature(fn).parameters.values())
    if not params:
        return False
    try:
        hint = typing.get_type_hints(fn).get(params[0].name)
    except Exception:
        return False
    hint = typing.get_origin(hint) or hint
    return isinstance(hint, type) and issubclass(hint, RunContextWrapper)


def _validate_arguments(schema: Any, arguments: str) -> dict[str, Any]:
    """The model's JSON arguments, parsed and validated; errors read well to the model."""
    from pydantic import ValidationError

    try:
        data = json.loads(arguments) if arguments and arguments.strip() else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"Invalid JSON arguments for tool {schema.name}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"Arguments for tool {schema.name} must be a JSON object")
    try:
        model = schema.args_model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(arguments)'}: {e['msg']}"
            for e in exc.errors()
        )
        raise ValueError(f"Invalid arguments for tool {schema.name}: {problems}") from None
    return {name: getattr(model, name) for name in type(model).model_fields}


def tool_output_text(value: Any) -> str:
    """A tool's return value as the text the model reads: strings as they are, pydantic models
    and JSON-able containers as JSON, anything else ``str()``."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    dump = getattr(value, "model_dump_json", None)
    if callable(dump):
        return dump()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=str)
    return str(value)
