"""The environment side: domains, environments, toolkits, tools and databases.

Resolved lazily (PEP 562) so that importing :mod:`runner.environment.domain` in a plugin
module does not import pydantic.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "calculate": "calculator",
    "CopyOnWriteDB": "cow",
    "canonical_json": "db",
    "DB": "db",
    "DBError": "db",
    "dict_hash": "db",
    "load_data_file": "db",
    "DataDomain": "domain",
    "Domain": "domain",
    "Environment": "environment",
    "FunctionSchema": "schema",
    "function_schema": "schema",
    "parse_docstring": "schema",
    "Tool": "tools",
    "ToolArgumentError": "tools",
    "tool": "tools",
    "to_content": "tools",
    "ToolKit": "toolkit",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    sub = _EXPORTS.get(name)
    if sub is None:
        raise AttributeError(f"module 'runner.environment' has no attribute {name!r}")
    return getattr(importlib.import_module(f"runner.environment.{sub}"), name)
