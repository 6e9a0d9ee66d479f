"""Old import paths, kept for one release with a ``DeprecationWarning``.

When a module moves (the run store into :mod:`runner.store`, plugin loading into
:mod:`runner.plugins`), its old module becomes a shim whose attributes are looked up here on
access (PEP 562), so an old import still gets the very same object and says where it went.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any


def moved(old: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for the shim ``old``: ``names`` maps each old name to
    ``"new.module"`` (same name) or ``"new.module:new_name"``."""

    def __getattr__(name: str) -> Any:
        target = names.get(name)
        if target is None:
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        module, _, new_name = target.partition(":")
        new_name = new_name or name
        warnings.warn(
            f"{old}.{name} moved to {module}.{new_name}; import it from there "
            f"({old} will be removed in the next release).",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(module), new_name)

    return __getattr__


def moved_module(old: str, new: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for the shim ``old`` of a module moved whole to ``new``: every
    public name of ``new`` is found under the old path too."""

    def __getattr__(name: str) -> Any:
        target = importlib.import_module(new)
        if name.startswith("__") or not hasattr(target, name):
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        warnings.warn(
            f"{old} moved to {new}; import {name} from there ({old} will be removed in the "
            "next release).",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(target, name)

    return __getattr__
