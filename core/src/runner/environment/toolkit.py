"""``ToolKit``: a set of tools over one database."""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

from runner.environment.db import DB
from runner.environment.tools import TOOL_ATTR, Tool, ToolSpec, build_tool
from runner.errors import PluginError


class ToolKit:
    """Subclass and decorate methods with ``@tool``; the base stores the database as ``self.db``.

    The set of tools is found once per class (walking the MRO, so toolkits inherit tools; an
    override without ``@tool`` stays a tool, as in τ²-bench), their schemas are built once per function, and they are bound per
    instance on first use, so creating a toolkit for every simulation costs almost nothing.
    """

    _tool_specs: ClassVar[dict[str, tuple[str, ToolSpec]]] = {}

    def __init__(self, db: DB | None = None) -> None:
        self.db = db

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        specs: dict[str, tuple[str, ToolSpec]] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                spec = getattr(value, TOOL_ATTR, None)
                if isinstance(spec, ToolSpec):
                    specs[spec.name or attr] = (attr, spec)
                    if klass is cls:
                        _check_type_hints(cls, spec.name or attr, value)
        cls._tool_specs = specs

    @property
    def _tools(self) -> dict[str, Tool]:
        cache = self.__dict__.get("_tool_cache")
        if cache is None:
            cache = {
                name: build_tool(getattr(self, attr), spec)
                for name, (attr, spec) in type(self)._tool_specs.items()
            }
            self.__dict__["_tool_cache"] = cache
        return cache

    def tools(self) -> list[Tool]:
        return list(self._tools.values())

    def tool_names(self) -> list[str]:
        return list(type(self)._tool_specs)

    def has_tool(self, name: str) -> bool:
        return name in type(self)._tool_specs

    def is_write(self, name: str) -> bool:
        entry = type(self)._tool_specs.get(name)
        return bool(entry and entry[1].write)

    def get_tool(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise ValueError(f"Tool '{name}' not found.") from None

    #: Validate (and coerce) arguments with pydantic before a tool runs. A domain that must
    #: reproduce another tool's results byte for byte sets this to ``False``: τ²-bench passes
    #: the model's JSON arguments as sent, and coercion (``2`` → ``2.0``) can change what a tool
    #: stores or answers. Unknown tools are refused either way.
    validate_arguments: ClassVar[bool] = True

    def call(self, name: str, arguments: dict[str, Any]) -> Any:
        """Run a tool; exceptions propagate (the Environment turns them into errors)."""
        tool = self.get_tool(name)
        if self.validate_arguments:
            return tool(**arguments)
        return tool.fn(**arguments)

    def db_hash(self) -> str | None:
        return None if self.db is None else self.db.hash()


def _check_type_hints(toolkit: type, name: str, function: Any) -> None:
    """Refuse a tool parameter without a type hint when its class is defined: the model would
    get a schema that does not say what to send, and nothing else would notice."""
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.annotation is inspect.Parameter.empty:
            raise PluginError(
                f"ToolKit {toolkit.__name__}: parameter {parameter.name!r} of tool {name!r} has "
                f"no type hint, so the model's schema would not say what to send. Add one, e.g. "
                f"`{parameter.name}: str` (tool parameters become the JSON schema the model sees)."
            )
