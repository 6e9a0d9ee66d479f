"""Finding plugins and recording what became of each: the ``runner`` entry points, the core's
built-in plugin modules, and :class:`PluginInfo`, the record (identity, hooks, what it
provides, failure) that ``runner list-plugins`` shows.

Discovery must stay cheap: a distribution's name and version come from its ``.dist-info``
folder name and the core's version from a constant, never from a metadata search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import importlib_metadata

from runner import hookspecs
from runner.registry import normalize

ENTRY_POINT_GROUP = "runner"
BUILTIN_MODULES = ("runner.builtins.plugin",)
#: The keys of a ``runner list-plugins --json`` row, in the order they are written.
JSON_KEYS = (
    "name",
    "distribution",
    "version",
    "module",
    "builtin",
    "hooks",
    "provides",
    "status",
    "error",
    "duplicates",
)


@dataclass
class PluginInfo:
    """What ``runner list-plugins`` shows for one plugin."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    hooks: list[str] = field(default_factory=list)
    provides: dict[str, list[str]] = field(default_factory=dict)
    status: str = "ok"
    error: str | None = None
    duplicates: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How messages name this plugin: its distribution, else its name."""
        return self.distribution or self.name

    @property
    def match_names(self) -> set[str]:
        """Every name a user may call this plugin by (name, module, distribution), normalized:
        what ``-p no:NAME``, ``RUNNER_LOAD_PLUGINS`` and :meth:`Plugins.info` compare against."""
        return {normalize(n) for n in (self.name, self.module, self.distribution or "") if n}

    def to_json(self) -> dict[str, Any]:
        """The ``list-plugins --json`` row, keys in :data:`JSON_KEYS` order."""
        return {key: getattr(self, key) for key in JSON_KEYS}


def installed_entry_points() -> Iterable[importlib_metadata.EntryPoint]:
    """The installed ``runner`` entry points, each once."""
    seen: set[tuple[str, str]] = set()
    for ep in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
        key = (ep.name, ep.value)
        if key not in seen:  # a dist visible twice on sys.path must not load twice
            seen.add(key)
            yield ep


def hookimpl_names(module: Any) -> list[str]:
    """The names of the ``@runner.hookimpl`` functions in a plugin module."""
    marker = f"{hookspecs.PROJECT_NAME}_impl"
    return [n for n in dir(module) if hasattr(getattr(module, n, None), marker)]


def describe_failure(exc: BaseException) -> str:
    """``Type: message`` on one line (a plugin error is shown inside one paragraph)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def dist_identity(dist: Any) -> tuple[str | None, str | None]:
    """A distribution's name and version, from its ``NAME-VERSION.dist-info`` folder when it has
    one: reading them from the metadata file parses it as e-mail, which costs more than the
    rest of plugin discovery. Other layouts (egg-info, test doubles) read the metadata."""
    if dist is None:
        return None, None
    folder = getattr(getattr(dist, "_path", None), "name", "")
    if folder.endswith(".dist-info"):
        name, sep, version = folder.removesuffix(".dist-info").partition("-")
        if sep and version and name:
            return normalize(name), version
    return getattr(dist, "name", None), getattr(dist, "version", None)


def core_version() -> str:
    """runner-core's version, without a metadata search (``importlib.metadata.version`` scans
    every installed distribution: a third of ``runner --help``'s time). A test keeps the two equal."""
    from runner import __version__

    return __version__
